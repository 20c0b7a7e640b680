"""The main window: header with the person button, left navigation, pages, banner, status bar.

The header and its menu are `HeaderBar` (header_bar.py); the banner and the status bar are below.

The window only shows; it owns no data and starts no work. The application controller
(`desktop.ui.app`) listens to its signals (sync, lock, log out, …) and feeds it state.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop.timefmt import format_number, recent_time
from desktop.ui import scaling, tab_order, theme
from desktop.ui.announce import StatusAnnouncer, announce
from desktop.ui.header_bar import HeaderBar
from desktop.ui.navigation import COUNT_ROLE, NEW_COUNT_ROLE, SUB_KEY_ROLE, NavigationPane
from desktop.ui.widgets import Retranslatable, Text, say

PAGES = ("my_cases", "work_queue", "my_tasks", "search", "admin")


class OfflineBanner(Retranslatable, QFrame):
    """'Offline — laatst gesynchroniseerd om …', across the top of the content while offline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self._icon = QLabel()
        self._icon.setPixmap(theme.icon("offline", theme.warning_colors()[1]).pixmap(scaling.px(20), scaling.px(20)))
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self._icon)
        layout.addWidget(self.text, 1)
        self._last_sync: datetime | None = None
        self._detail: Text = ""
        self.retranslate_ui()
        self.hide()

    def show_offline(self, last_sync: datetime | None, detail: Text = "") -> None:
        self._last_sync, self._detail = last_sync, detail
        self.retranslate_ui()
        self.show()

    def retranslate_ui(self) -> None:
        self.setAccessibleName(self.tr("Offline"))
        last_sync, detail = self._last_sync, say(self._detail)
        if last_sync is None:
            sentence = self.tr(
                "Offline — nog niet gesynchroniseerd. Wijzigingen worden verstuurd zodra er verbinding is."
            )
        else:
            sentence = self.tr(
                "Offline — laatst gesynchroniseerd om {time}. Wijzigingen worden verstuurd zodra er verbinding is."
            ).format(time=recent_time(last_sync))
        if detail:
            sentence = f"{sentence} {detail}"
        self.text.setText(sentence)
        self.text.setAccessibleName(sentence)


class SyncStatusBar(Retranslatable, QStatusBar):
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
        self.progress.hide()
        self.fetched = QLabel()  # during a sync: how much has come in (the lists fill when it ends)
        self.fetched.setProperty("muted", True)
        self.fetched.hide()
        for widget in (self.connection_icon, self.connection, self.last_sync):
            self.addWidget(widget)
        self.addPermanentWidget(self.fetched)
        self.addPermanentWidget(self.progress)
        self.addPermanentWidget(self.pending)
        self._online: tuple[bool, datetime | None] = (False, None)
        self._pending = (0, 0)
        self._fetched = 0
        self._sync_asked = False  # the user asked for a sync (F5): its end is announced
        self.announcer = StatusAnnouncer(self)  # a screen reader hears what changed here
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.progress.setAccessibleName(self.tr("Voortgang synchronisatie"))
        self._show_online(*self._online)
        self._show_pending(*self._pending)
        self.show_fetched(self._fetched, show=False)

    def set_online(self, online: bool, last_sync: datetime | None) -> None:
        self._show_online(online, last_sync)
        self.announcer.changed("connection", online, self.connection.text())

    def _show_online(self, online: bool, last_sync: datetime | None) -> None:
        self._online = (online, last_sync)
        self.connection_icon.setPixmap(
            theme.icon("online" if online else "offline").pixmap(scaling.px(16), scaling.px(16))
        )
        self.connection.setText(self.tr("Online") if online else self.tr("Offline"))
        self.last_sync.setText(self.tr("Laatst gesynchroniseerd: {time}").format(time=recent_time(last_sync)))

    def set_pending(self, waiting: int, conflicts: int) -> None:
        self._show_pending(waiting, conflicts)
        # a change the service refused interrupts; the list emptied again is said politely
        self.announcer.changed("refused", conflicts, self.pending.text(), urgent=conflicts > 0)

    def _show_pending(self, waiting: int, conflicts: int) -> None:
        self._pending = (waiting, conflicts)
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

    def show_fetched(self, count: int, show: bool = True) -> None:
        self._fetched = count
        self.fetched.setText(self.tr("{count} ontvangen").format(count=format_number(count)))
        if show:
            self.fetched.show()

    def hide_progress(self) -> None:
        self.progress.hide()
        self.fetched.hide()

    def expect_sync(self) -> None:
        self._sync_asked = True

    def sync_done(self, succeeded: bool) -> None:
        """A sync ended: the one the user asked for is announced (a failed one says why elsewhere)."""
        asked, self._sync_asked = self._sync_asked, False
        if asked and succeeded:
            announce(self, self.tr("Synchronisatie klaar"))


class MainWindow(Retranslatable, QMainWindow):
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
        self.setWindowIcon(theme.app_icon())
        self.resize(1200, 760)
        self._page_keys: list[str] = []
        self._page_titles: list[tuple[QListWidgetItem, Text, str]] = []  # item, title, shortcut
        self._sub_spoken: dict[tuple[str, object], Text] = {}  # a sub row's accessible text and tooltip

        # Tab goes as one reads (WCAG 2.4.3): the header, the navigation, the page, the status bar.
        # The status bar is made first: Qt appends each widget made later (the pages' too) to the
        # focus chain, so round the Tab cycle they all come after the header and before the status.
        self.status = SyncStatusBar()
        self.setStatusBar(self.status)
        self.sync_requested.connect(self.status.expect_sync)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = header = HeaderBar(display_name, role)
        outer.addWidget(header)
        body = QHBoxLayout()
        body.setSpacing(0)
        self.navigation_pane = NavigationPane()
        self.navigation = self.navigation_pane.list
        self.navigation.currentRowChanged.connect(self._on_navigation)
        self.navigation.itemSelectionChanged.connect(self._on_selection)
        body.addWidget(self.navigation_pane)
        content = QVBoxLayout()
        content.setSpacing(0)
        self.banner = OfflineBanner()
        content.addWidget(self.banner)
        self.pages = QStackedWidget()
        content.addWidget(self.pages, 1)
        body.addLayout(content, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

        # the header's button and actions, by the names the controller and the tests know
        self.sync_button, self.person_button = header.sync_button, header.person_button
        self.person_menu, self.sync_action = header.person_menu, header.sync_action
        self.lock_action, self.help_action = header.lock_action, header.help_action
        self.settings_action, self.diagnose_action = header.settings_action, header.diagnose_action
        self.about_action, self.logout_action = header.about_action, header.logout_action
        self.language_actions = header.language_actions
        for action, signal in (
            (self.sync_action, self.sync_requested),
            (self.settings_action, self.settings_requested),
            (self.lock_action, self.lock_requested),
            (self.help_action, self.help_requested),
            (self.diagnose_action, self.diagnose_requested),
            (self.about_action, self.about_requested),
            (self.logout_action, self.logout_requested),
        ):
            action.triggered.connect(signal)
        for code, action in self.language_actions.items():
            action.triggered.connect(lambda checked=False, c=code: self.language_requested.emit(c))
        for action in (self.sync_action, self.lock_action, self.help_action):  # their shortcuts: the whole window
            self.addAction(action)
        self.navigation.setFocus()  # the status bar is first in Qt's focus chain: the window opens here
        self.retranslate_ui()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        # Tab with nothing focused starts where Qt's chain starts: the status bar, made first (above).
        # One reads from the header, so Tab starts there, and Shift+Tab at the status bar.
        if self.focusWidget() is None and tab_order.enter(self.header, self.status, next):
            return True
        return super().focusNextPrevChild(next)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("MensCentraal Mobiel"))
        self.navigation.setAccessibleName(self.tr("Navigatie"))
        for item, title, shortcut in self._page_titles:
            self._title_item(item, say(title), shortcut)
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            spoken = self._sub_spoken.get((item.data(Qt.ItemDataRole.UserRole), item.data(SUB_KEY_ROLE)))
            if spoken is not None:
                item.setData(Qt.ItemDataRole.AccessibleTextRole, say(spoken))
                item.setToolTip(say(spoken))

    @staticmethod
    def _title_item(item: QListWidgetItem, title: str, shortcut: str) -> None:
        item.setText(title)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, title)
        item.setToolTip(f"{title} ({shortcut})" if shortcut else title)  # also the title on the rail

    # --- pages --------------------------------------------------------------------------------
    def add_page(self, key: str, title: Text, icon_name: str, widget: QWidget, shortcut: str = "") -> None:
        """A page in the navigation; `title` a callable (`lambda: translate(…)`) to follow a language switch."""
        item = QListWidgetItem(theme.icon(icon_name), "")
        item.setData(Qt.ItemDataRole.UserRole, key)
        self._title_item(item, say(title), shortcut)
        self._page_titles.append((item, title, shortcut))
        if shortcut:
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda checked=False, k=key: self.show_page(k))
            self.addAction(action)
        self.navigation.addItem(item)
        self.pages.addWidget(widget)
        self._page_keys.append(key)
        if self.navigation.currentRow() < 0:
            self.navigation.setCurrentRow(0)

    def set_sub_items(
        self, key: str, items: list[tuple[str, str, int, Text] | tuple[str, str, int, Text, int]]
    ) -> None:
        """Rows under a page's row (the Werkbak's queues with their counts): (sub key, text,
        count, accessible text[, how many of them are new]). The chosen row stays chosen when it is still there."""
        current = self.navigation.currentItem()
        chosen = (current.data(Qt.ItemDataRole.UserRole), current.data(SUB_KEY_ROLE)) if current else None
        self.navigation.blockSignals(True)
        for row in reversed(range(self.navigation.count())):
            item = self.navigation.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and item.data(SUB_KEY_ROLE) is not None:
                self.navigation.takeItem(row)
        at = self._row_of(key) + 1
        for offset, (sub_key, text, count, spoken, *new) in enumerate(items):
            item = QListWidgetItem(theme.icon("people"), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setData(SUB_KEY_ROLE, sub_key)
            item.setData(COUNT_ROLE, count)
            item.setData(NEW_COUNT_ROLE, new[0] if new else 0)
            self._sub_spoken[(key, sub_key)] = spoken
            item.setData(Qt.ItemDataRole.AccessibleTextRole, say(spoken))
            item.setToolTip(say(spoken))
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
            # Unmarked, but still current: with no current row, Tab into the list would make the
            # first page current and switch to it (a change of page on focus, WCAG 3.2.1).
            self.navigation.blockSignals(True)
            self.navigation.clearSelection()
            self.navigation.blockSignals(False)

    def has_page(self, key: str) -> bool:
        return key in self._page_keys

    def show_page(self, key: str) -> None:
        current = self.navigation.currentItem()
        if self.navigation.currentRow() >= 0 and current is not None and current.data(Qt.ItemDataRole.UserRole) == key:
            self.navigation.blockSignals(True)
            current.setSelected(True)  # marked again
            self.navigation.blockSignals(False)
            self._on_navigation(self.navigation.currentRow())  # back from a case or the settings to the same page
        else:
            self.navigation.setCurrentRow(self._row_of(key))

    def current_page(self) -> str:
        current = self.navigation.currentItem()
        marked = self.navigation.currentRow() >= 0 and current is not None and current.isSelected()
        return current.data(Qt.ItemDataRole.UserRole) if marked else ""

    def page(self, key: str) -> QWidget:
        return self.pages.widget(self._page_keys.index(key))

    def _on_selection(self) -> None:
        """The unmarked current entry chosen again (a click, or Space): its page."""
        row = self.navigation.currentRow()
        item = self.navigation.item(row) if row >= 0 else None
        if (
            item is not None
            and item.isSelected()
            and self.pages.currentWidget() is not self.page(item.data(Qt.ItemDataRole.UserRole))
        ):
            self._on_navigation(row)

    def _on_navigation(self, row: int) -> None:
        if row < 0:
            return
        item = self.navigation.item(row)
        key = item.data(Qt.ItemDataRole.UserRole)
        self.pages.setCurrentIndex(self._page_keys.index(key))
        self.page_changed.emit(key)
        self.sub_page_changed.emit(key, item.data(SUB_KEY_ROLE))

    def resizeEvent(self, event: Any) -> None:
        self.navigation_pane.fit(self.width())  # upright on a tablet: the rail of icons
        upright = Qt.Orientation.Vertical if self.navigation_pane.compact else Qt.Orientation.Horizontal
        for splitter in self.pages.findChildren(QSplitter):  # a list beside its detail: above it, upright
            if splitter.orientation() == upright:
                continue
            if upright == Qt.Orientation.Vertical:
                splitter.setProperty("besides", splitter.saveState())  # the user's sizes, for turning back
                splitter.setOrientation(upright)
                splitter.setSizes([1, 1])
            elif not splitter.restoreState(splitter.property("besides")):
                splitter.setOrientation(upright)
        super().resizeEvent(event)

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.FontChange:
            self.resizeEvent(QResizeEvent(self.size(), self.size()))  # narrow is relative to the text size
        super().changeEvent(event)

    # --- state --------------------------------------------------------------------------------
    def set_online(self, online: bool, last_sync: datetime | None, detail: Text = "") -> None:
        self.status.set_online(online, last_sync)
        if online:
            self.banner.hide()
        else:
            self.banner.show_offline(last_sync, detail)
