"""The main window: header with the person button, left navigation, pages, banner, status bar.

The window only shows; it owns no data and starts no work. The application controller
(`desktop.ui.app`) listens to its signals (sync, lock, log out, …) and feeds it state.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication, QFrame, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow, QMenu, QProgressBar,
    QPushButton, QStackedWidget, QStatusBar, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QToolButton,
    QVBoxLayout, QWidget,
)

from desktop.i18n import current_language
from desktop.timefmt import format_number, recent_time
from desktop.ui import labels, theme

PAGES = ("my_cases", "work_queue", "my_tasks", "search", "admin")

SUB_KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # a row under a page: which part of it (a Werkbak queue)
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # a number shown at the row's right end (tasks waiting)


class CountDelegate(QStyledItemDelegate):
    """Navigation rows with a count keep it visible at the right; a long name is elided instead."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        count = index.data(COUNT_ROLE)
        if count is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = str(count)
        room = opt.fontMetrics.horizontalAdvance(text) + 18
        full = QRect(opt.rect)
        opt.rect = full.adjusted(0, 0, -room, 0)
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        painter.drawText(full.adjusted(0, 0, -12, 0), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


class OfflineBanner(QFrame):
    """'Offline — laatst gesynchroniseerd om …', across the top of the content while offline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self._icon = QLabel()
        self._icon.setPixmap(theme.icon("offline", theme.warning_colors()[1]).pixmap(20, 20))
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self._icon)
        layout.addWidget(self.text, 1)
        self.setAccessibleName(self.tr("Offline"))
        self.hide()

    def show_offline(self, last_sync: datetime | None, detail: str = "") -> None:
        if last_sync is None:
            sentence = self.tr("Offline — nog niet gesynchroniseerd. Wijzigingen worden verstuurd zodra er verbinding is.")
        else:
            sentence = self.tr("Offline — laatst gesynchroniseerd om {time}. Wijzigingen worden verstuurd zodra er verbinding is.").format(
                time=recent_time(last_sync))
        if detail:
            sentence = f"{sentence} {detail}"
        self.text.setText(sentence)
        self.text.setAccessibleName(sentence)
        self.show()


class SyncStatusBar(QStatusBar):
    """Online/offline, last sync, changes waiting (click: the list), progress during sync."""

    pending_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.connection_icon = QLabel()
        self.connection = QLabel()
        self.last_sync = QLabel()
        self.last_sync.setProperty("muted", True)
        self.pending = QPushButton()
        self.pending.setFlat(True)
        self.pending.setCursor(Qt.CursorShape.PointingHandCursor)
        self.pending.clicked.connect(self.pending_clicked)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Voortgang synchronisatie"))
        self.progress.hide()
        self.fetched = QLabel()  # during a sync: how much has come in (the lists fill when it ends)
        self.fetched.setProperty("muted", True)
        self.fetched.hide()
        for widget in (self.connection_icon, self.connection, self.last_sync):
            self.addWidget(widget)
        self.addPermanentWidget(self.fetched)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.pending)
        self.set_online(False, None)
        self.set_pending(0, 0)

    def set_online(self, online: bool, last_sync: datetime | None) -> None:
        self.connection_icon.setPixmap(theme.icon("online" if online else "offline").pixmap(16, 16))
        self.connection.setText(self.tr("Online") if online else self.tr("Offline"))
        self.last_sync.setText(self.tr("Laatst gesynchroniseerd: {time}").format(time=recent_time(last_sync)))

    def set_pending(self, waiting: int, conflicts: int) -> None:
        parts = []
        if waiting:
            parts.append(self.tr("%n wijzigingen wachten op verzending", None, waiting))
        if conflicts:
            parts.append(self.tr("%n wijzigingen niet verwerkt", None, conflicts))
        text = " · ".join(parts) or self.tr("Alles verstuurd")
        self.pending.setIcon(theme.icon("conflict" if conflicts else "sync" if waiting else "check"))
        self.pending.setText(text)
        self.pending.setAccessibleName(text)
        self.pending.setToolTip(self.tr("Toon de wijzigingen die nog wachten of niet verwerkt zijn"))

    def set_progress(self, done: int, total: int | None) -> None:
        """Show sync progress; `total` None means unknown (busy indicator)."""
        self.progress.setRange(0, total or 0)
        if total:
            self.progress.setValue(min(done, total))
        self.progress.show()

    def show_fetched(self, count: int) -> None:
        self.fetched.setText(self.tr("{count} ontvangen").format(count=format_number(count)))
        self.fetched.show()

    def hide_progress(self) -> None:
        self.progress.hide()
        self.fetched.hide()


class MainWindow(QMainWindow):
    sync_requested = Signal()
    lock_requested = Signal()
    logout_requested = Signal()
    settings_requested = Signal()
    help_requested = Signal()
    diagnose_requested = Signal()
    about_requested = Signal()
    page_changed = Signal(str)
    sub_page_changed = Signal(str, object)  # (page key, sub key or None): a Werkbak queue, or all
    language_requested = Signal(str)

    def __init__(self, display_name: str, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("MensCentraal Mobiel"))
        self.setWindowIcon(theme.app_icon())
        self.resize(1200, 760)
        self._page_keys: list[str] = []

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_header(display_name, role))
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self._build_navigation())
        content = QVBoxLayout()
        content.setSpacing(0)
        self.banner = OfflineBanner()
        content.addWidget(self.banner)
        self.pages = QStackedWidget()
        content.addWidget(self.pages, 1)
        body.addLayout(content, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        self.status = SyncStatusBar()
        self.setStatusBar(self.status)

        sync = QAction(self.tr("Nu synchroniseren"), self)
        sync.setShortcut(QKeySequence(Qt.Key.Key_F5))
        sync.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # also from open dialogs
        sync.triggered.connect(self.sync_requested)
        self.addAction(sync)
        self.sync_action = sync
        self.sync_button.setDefaultAction(sync)
        self.sync_button.setIcon(theme.icon("sync"))

    # --- building -----------------------------------------------------------------------------
    def _build_header(self, display_name: str, role: str) -> QWidget:
        header = QWidget()
        header.setObjectName("headerBar")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(16, 8, 12, 8)
        logo = QLabel()
        logo.setPixmap(theme.app_icon().pixmap(28, 28))
        name = QLabel(self.tr("MensCentraal Mobiel"))
        name.setObjectName("productName")
        layout.addWidget(logo)
        layout.addWidget(name)
        layout.addStretch(1)

        self.sync_button = QToolButton()
        self.sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.sync_button.setAutoRaise(True)
        self.sync_button.setIconSize(QSize(20, 20))
        self.sync_button.setAccessibleName(self.tr("Nu synchroniseren (F5)"))
        self.sync_button.setToolTip(self.tr("Nu synchroniseren (F5)"))
        layout.addWidget(self.sync_button)

        self.person_button = QToolButton()
        self.person_button.setObjectName("personButton")
        self.person_button.setIcon(theme.icon("person"))
        self.person_button.setIconSize(QSize(22, 22))
        self.person_button.setText(display_name)
        self.person_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.person_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.person_button.setAccessibleName(self.tr("Persoonlijk menu van {name}").format(name=display_name))
        self.person_button.setToolTip(self.tr("Persoonlijke instellingen, vergrendelen, afmelden, help en diagnose"))
        menu = QMenu(self.person_button)
        self.person_menu = menu
        header_item = menu.addAction(theme.icon("person"), display_name)
        header_item.setEnabled(False)
        role_item = menu.addAction(labels.role(role))
        role_item.setEnabled(False)
        menu.addSeparator()
        self.settings_action = menu.addAction(theme.icon("bell"), self.tr("Meldingen en persoonlijke instellingen"))
        self.settings_action.triggered.connect(self.settings_requested)
        self.lock_action = menu.addAction(theme.icon("lock"), self.tr("Vergrendelen"))
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        self.addAction(self.lock_action)
        menu.addSeparator()
        self.help_action = menu.addAction(theme.icon("help"), self.tr("Help"))
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.triggered.connect(self.help_requested)
        self.addAction(self.help_action)
        self.diagnose_action = menu.addAction(theme.icon("diagnose"), self.tr("Verbinding controleren (diagnose)"))
        self.diagnose_action.triggered.connect(self.diagnose_requested)
        self.about_action = menu.addAction(theme.icon("info"), self.tr("Over MensCentraal Mobiel"))
        self.about_action.triggered.connect(self.about_requested)
        language_menu = menu.addMenu(self.tr("Taal / Language"))
        self.language_actions = {}
        for code, name in (("nl", "Nederlands"), ("en", "English")):
            action = language_menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(code == current_language())
            action.triggered.connect(lambda checked=False, c=code: self.language_requested.emit(c))
            self.language_actions[code] = action
        menu.addSeparator()
        self.logout_action = menu.addAction(theme.icon("logout"), self.tr("Afmelden"))
        self.logout_action.triggered.connect(self.logout_requested)
        self.person_button.setMenu(menu)
        layout.addWidget(self.person_button)
        return header

    def _build_navigation(self) -> QWidget:
        holder = QWidget()
        holder.setObjectName("navigation")
        holder.setFixedWidth(210)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 12, 0, 12)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigationList")
        self.navigation.setIconSize(QSize(20, 20))
        self.navigation.setAccessibleName(self.tr("Navigatie"))
        self.navigation.setItemDelegate(CountDelegate(self.navigation))
        self.navigation.currentRowChanged.connect(self._on_navigation)
        layout.addWidget(self.navigation, 1)
        return holder

    # --- pages --------------------------------------------------------------------------------
    def add_page(self, key: str, title: str, icon_name: str, widget: QWidget, shortcut: str = "") -> None:
        item = QListWidgetItem(theme.icon(icon_name), title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        if shortcut:
            item.setToolTip(f"{title} ({shortcut})")
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda checked=False, k=key: self.show_page(k))
            self.addAction(action)
        self.navigation.addItem(item)
        self.pages.addWidget(widget)
        self._page_keys.append(key)
        if self.navigation.currentRow() < 0:
            self.navigation.setCurrentRow(0)

    def set_sub_items(self, key: str, items: list[tuple[str, str, int, str]]) -> None:
        """Rows under a page's row (the Werkbak's queues with their counts): (sub key, text,
        count, accessible text). The chosen row stays chosen when it is still there."""
        current = self.navigation.currentItem()
        chosen = (current.data(Qt.ItemDataRole.UserRole), current.data(SUB_KEY_ROLE)) if current else None
        self.navigation.blockSignals(True)
        for row in reversed(range(self.navigation.count())):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and item.data(SUB_KEY_ROLE) is not None:
                self.navigation.takeItem(row)
        at = self._row_of(key) + 1
        for offset, (sub_key, text, count, spoken) in enumerate(items):
            item = QListWidgetItem(theme.icon("people"), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setData(SUB_KEY_ROLE, sub_key)
            item.setData(COUNT_ROLE, count)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
            item.setToolTip(spoken)
            item.setSizeHint(QSize(0, 28))
            self.navigation.insertItem(at + offset, item)
        if chosen is not None:
            row = self._row_of(*chosen)
            self.navigation.setCurrentRow(row if row >= 0 else self._row_of(chosen[0]))
        self.navigation.blockSignals(False)
        if chosen is not None and self._row_of(*chosen) < 0:
            self._on_navigation(self.navigation.currentRow())  # its queue is gone: all queues

    def _row_of(self, key: str, sub_key: object = None) -> int:
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and item.data(SUB_KEY_ROLE) == sub_key:
                return row
        return -1

    def show_widget(self, widget: QWidget, keep_navigation: bool = True) -> None:
        """A page outside the navigation (a case, the settings); the navigation mark stays only
        where the user came from (`keep_navigation`)."""
        self.pages.setCurrentWidget(widget)
        if not keep_navigation:
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(-1)
            self.navigation.blockSignals(False)

    def has_page(self, key: str) -> bool:
        return key in self._page_keys

    def show_page(self, key: str) -> None:
        current = self.navigation.currentItem()
        if self.navigation.currentRow() >= 0 and current is not None and current.data(Qt.ItemDataRole.UserRole) == key:
            self._on_navigation(self.navigation.currentRow())  # back from a case or the settings to the same page
        else:
            self.navigation.setCurrentRow(self._row_of(key))

    def current_page(self) -> str:
        current = self.navigation.currentItem()
        return current.data(Qt.ItemDataRole.UserRole) if self.navigation.currentRow() >= 0 and current else ""

    def page(self, key: str) -> QWidget:
        return self.pages.widget(self._page_keys.index(key))

    def _on_navigation(self, row: int) -> None:
        if row < 0:
            return
        item = self.navigation.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        self.pages.setCurrentIndex(self._page_keys.index(key))
        self.page_changed.emit(key)
        self.sub_page_changed.emit(key, item.data(SUB_KEY_ROLE))

    # --- state --------------------------------------------------------------------------------
    def set_online(self, online: bool, last_sync: datetime | None, detail: str = "") -> None:
        self.status.set_online(online, last_sync)
        if online:
            self.banner.hide()
        else:
            self.banner.show_offline(last_sync, detail)
