"""The main window's navigation: a list of pages (and the Werkbak's queues with their counts) that
collapses to a rail of icons when the window is narrow (a tablet held upright, 800×1280), so
the page keeps the room. Collapsed, every row keeps its accessible name and shows its title as
a tooltip; a queue's count stays as a small number on its icon (issue 18)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QListWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import scaling, touch

SUB_KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # a row under a page: which part of it (a Werkbak queue)
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # a number shown at the row's right end (tasks waiting)
NEW_COUNT_ROLE = Qt.ItemDataRole.UserRole + 3  # of those, new since the user last looked (shown beside it)
WIDE, RAIL = 210, 72  # px: the list with titles, the rail of icons
NARROW = 1000  # px at the designed text size: a window narrower than this gets the rail


class CountDelegate(QStyledItemDelegate):
    """Navigation rows with a count keep it visible at the right; a long name is elided instead.
    On the rail: the icon alone, centred, with the count under it."""

    def __init__(self, parent: QListWidget) -> None:
        super().__init__(parent)
        self.compact = False

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(SUB_KEY_ROLE) is not None:  # a queue: lower than a page, but tall enough for its text
            tall = touch.COMFORTABLE if touch.touch_mode() else option.fontMetrics.height() + 12
            size.setHeight(max(touch.MINIMUM + 4, tall))
        if self.compact:  # the icon alone: as wide as the rail lets it be
            size = QSize(touch.MINIMUM, max(size.height(), touch.COMFORTABLE))
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        count = index.data(COUNT_ROLE)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        if count is None and not self.compact:
            super().paint(painter, option, index)
            return
        text = "" if count is None else str(count)
        new = index.data(NEW_COUNT_ROLE)
        if (
            new and not self.compact
        ):  # ● marks the new ones, as in the Werkbak's list (the words: tooltip, screen reader)
            text = f"● {new} · {count}"
        full = QRect(opt.rect)
        style = opt.widget.style() if opt.widget else QApplication.style()
        if self.compact:
            opt.text = ""  # the title is the tooltip and the accessible name
            opt.decorationAlignment = Qt.AlignmentFlag.AlignCenter
            opt.displayAlignment = Qt.AlignmentFlag.AlignCenter
            opt.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDisplay
        else:
            opt.rect = full.adjusted(0, 0, -(opt.fontMetrics.horizontalAdvance(text) + 18), 0)
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        if not text:
            return
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        if self.compact:  # at the icon's lower right, a size smaller
            small = QFont(opt.font)
            small.setPointSizeF(opt.font.pointSizeF() * 0.8)
            painter.setFont(small)
            badge = full.adjusted(full.width() // 2 + 2, full.height() // 2, -2, 0)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        else:
            painter.drawText(
                full.adjusted(0, 0, -12, 0), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
            )
        painter.restore()


class NavigationPane(QWidget):
    """The navigation list (`list`) on its side panel; `fit(width)` chooses titles or the rail."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 12)
        self.list = QListWidget()
        self.list.setObjectName("navigationList")
        self.list.setIconSize(QSize(20, 20))
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.delegate = CountDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        layout.addWidget(self.list, 1)
        self.setFixedWidth(WIDE)

    @property
    def compact(self) -> bool:
        return self.delegate.compact

    def showEvent(self, event: Any) -> None:
        # Rows added before the window was first shown were measured before the style sheet's
        # padding applied (an administrator's list, which gets no queue rows later, kept them squeezed).
        super().showEvent(event)
        self.list.doItemsLayout()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self.list.doItemsLayout()

    def fit(self, window_width: int) -> None:
        """Titles when the window is wide enough, else the rail; the width follows the text size."""
        compact = window_width < scaling.px(NARROW)  # 200% text on 1280 px is as narrow as 640 px at 100%
        em = self.fontMetrics().averageCharWidth()
        self.list.setIconSize(QSize(scaling.px(20), scaling.px(20)))  # icons grow with the text
        width = max(RAIL, self.list.iconSize().width() + 52) if compact else max(WIDE, 24 * em)
        if compact == self.compact and width == self.width():
            return
        self.delegate.compact = compact
        self.setFixedWidth(width)
        self.list.doItemsLayout()  # the rows' heights from the delegate again
        self.list.viewport().update()
