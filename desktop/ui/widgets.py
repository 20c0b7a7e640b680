"""Small building blocks the screens share: page header, notice, capability-bound buttons."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import current_language
from desktop.ui import labels, scaling, theme

PAGE_MARGINS = (28, 20, 28, 20)
RESIZE_SAMPLE_ROWS = 40  # rows (besides the visible ones) measured for a column that fits its contents
LANGUAGE_NAMES = (("nl", "Nederlands"), ("en", "English"))  # each in its own language
Text = str | Callable[[], str]  # a text, or how to say it again in the language of the moment


def say(text: Text) -> str:
    return text() if callable(text) else text


class Retranslatable:
    """Mixin (first base) for a widget that shows translated text: `retranslate_ui()` sets every
    visible text from the current state; call it once at the end of `__init__`. A language switch
    installs the new translators, Qt sends `LanguageChange` to every widget, and this calls it again:
    the widget, what it shows and what the user typed stay."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()

    def retranslate_ui(self) -> None:
        raise NotImplementedError


def retranslate_model(model: QAbstractItemModel) -> None:
    """A model's headers and cells say their texts again (its view's owner calls this from its `retranslate_ui`)."""
    columns, rows = model.columnCount(), model.rowCount()
    if columns:
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        if rows:
            model.dataChanged.emit(model.index(0, 0), model.index(rows - 1, columns - 1))


class LanguageChoice(Retranslatable, QComboBox):
    """'Nederlands / English' for the windows before the main one (login, enrollment)."""

    language_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for code, name in LANGUAGE_NAMES:
            self.addItem(name, code)
        self.setAccessibleName("Taal / Language")
        self.setToolTip("Taal / Language")
        self.activated.connect(lambda index: self.language_requested.emit(self.itemData(index)))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setCurrentIndex(max(0, self.findData(current_language())))


def size_columns(
    table: QTableView,
    stretch: int,
    fit: tuple[int, ...] = (),
    widths: dict[int, int] | None = None,
    share: tuple[int, float] | None = None,
) -> None:
    """Columns that fit the window: `stretch` takes the room that is left (its text is elided),
    `fit` columns are as wide as their short contents (numbers, dates), `widths` are starting widths
    the user may drag (long names, elided); `share` (a column of `widths`, a fraction) gives that
    column its part of the room on a wide window. Headers read left-aligned, like the cells under them."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setMinimumSectionSize(56)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    for column, width in (widths or {}).items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    for column in fit:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    # Qt measures up to 1,000 rows for ResizeToContents, calling data() in Python on the GUI
    # thread: a Werkbak of ~1,700 tasks (20,000 cases) then froze the window ~1 s after every
    # sync (make bench: ui_max_stall_ms, cold_start_s). Short columns fit just as well from a sample.
    header.setResizeContentsPrecision(RESIZE_SAMPLE_ROWS)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    if share is not None:
        column, fraction = share
        SpareWidth(table, stretch, column, (widths or {})[column], fraction)


class SpareWidth(QObject):
    """A column of names that shares a wide window's room with the stretching column: at 1920 px
    the task's title had ~800 px to spare while the client's name beside it stayed elided. It
    takes `fraction` of the room the two have (never less than its starting width), until the
    user drags it: then the width is theirs."""

    def __init__(self, table: QTableView, stretch: int, column: int, width: int, fraction: float) -> None:
        super().__init__(table)
        self.table, self.stretch, self.column, self.least, self.fraction = table, stretch, column, width, fraction
        self._given = width  # the width this gave last: another one is the user's
        table.viewport().installEventFilter(self)

    def eventFilter(self, obj: Any, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        if header.sectionSize(self.column) != self._given:
            return  # dragged by the user
        others = sum(
            header.sectionSize(c)
            for c in range(header.count())
            if c not in (self.column, self.stretch) and not header.isSectionHidden(c)
        )
        width = max(self.least, int((self.table.viewport().width() - others) * self.fraction))
        if width != self._given:
            self._given = width
            header.resizeSection(self.column, width)


class PageHeader(QWidget):
    """A page's title, an optional muted subtitle, and room for actions on the right."""

    def __init__(self, title: str, subtitle: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.title.setAccessibleName(title)
        texts.addWidget(self.title)
        self.subtitle = QLabel(subtitle)
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        self.subtitle.setVisible(bool(subtitle))
        texts.addWidget(self.subtitle)
        layout.addLayout(texts, 1)
        self.actions = QHBoxLayout()
        self.actions.setSpacing(8)
        layout.addLayout(self.actions)

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self.title.setAccessibleName(text)

    def set_subtitle(self, text: str) -> None:
        self.subtitle.setText(text)
        self.subtitle.setVisible(bool(text))

    def add_action_widget(self, widget: QWidget) -> None:
        self.actions.addWidget(widget, 0, Qt.AlignmentFlag.AlignBottom)


class Notice(Retranslatable, QFrame):
    """A calm, rounded hint with an icon: warnings, explanations, 'why can't I'. Given a callable
    (`lambda: error.message()`), it says it again in a new language."""

    def __init__(self, text: Text = "", icon_name: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(10)
        self.icon = QLabel()
        self.icon.setPixmap(
            theme.icon(icon_name, theme.warning_colors()[1]).pixmap(QSize(scaling.px(20), scaling.px(20)))
        )
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setOpenExternalLinks(False)
        layout.addWidget(self.icon)
        layout.addWidget(self.text, 1)
        self.set_text(text)

    def set_text(self, text: Text) -> None:
        self._text = text
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.text.setText(say(self._text))
        self.setAccessibleName(self.text.text())


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("sectionTitle")
    label.setAccessibleName(text)
    return label


def muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def empty_state(icon_name: str) -> tuple[QWidget, QLabel]:
    """Nothing to show: an icon and one calm sentence (the label, for the caller's text) where a
    list would be, rather than an empty table."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.addStretch(1)
    icon = QLabel()
    icon.setPixmap(theme.icon(icon_name).pixmap(scaling.px(40), scaling.px(40)))
    icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
    box.addWidget(icon)
    text = muted("")
    text.setAlignment(Qt.AlignmentFlag.AlignCenter)
    box.addWidget(text)
    box.addStretch(2)
    return holder, text


def bind_capability(button: QAbstractButton, capabilities: dict[str, Any] | None, action: str, tip: str = "") -> bool:
    """Enable `button` exactly as the service's capability says; a refusal stays visible with why.

    Unknown or missing capabilities count as not allowed: the service decides, not the client.
    """
    capability = (capabilities or {}).get(action) or {}
    allowed = capability.get("allowed") is True
    button.setEnabled(allowed)
    button.setVisible(True)
    if allowed:
        button.setToolTip(tip)
    else:
        button.setToolTip(labels.reason(capability.get("reason")))
    button.setProperty("capability", action)
    return allowed


def colored_dot(color: QColor, size: int = 10) -> QLabel:
    dot = QLabel()
    dot.setFixedSize(size, size)
    dot.setStyleSheet(f"background: {color.name()}; border-radius: {size // 2}px;")
    return dot


def clear_layout(layout: Any, keep: int = 0) -> None:
    """Empty `layout` after its first `keep` items; their widgets leave the view at once."""
    while layout.count() > keep:
        item = layout.takeAt(keep)
        if item.widget() is not None:
            item.widget().hide()  # gone from view now, deleted by Qt later
            item.widget().deleteLater()
