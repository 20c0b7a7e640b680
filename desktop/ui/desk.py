"""The main window at work: its pages over one open workspace, kept fresh, locked and unlocked.

One `Desk` lives from sign-in to log out (or a revocation, or quit). It reads through its own
connections (a GUI-thread one for single rows, a `ViewReader` for the lists), runs the user's
actions through `desktop.ui.ops`, and hears the sync only through the `SyncBridge`. Its parts:
`DeskPages` (the pages, made and placed), `CaseOpener` (the case view's case), `SyncNews` (what a
sync's news changes on screen), `Reconnect` (a desk that started offline) and `desk_lock`.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from desktop import actions, search
from desktop.cache import queries
from desktop.timefmt import parse_time
from desktop.ui import desk_lock, help as help_windows
from desktop.ui.autolock import AutoLock
from desktop.ui.desk_cases import CaseOpener
from desktop.ui.desk_news import ALL_LISTS, MY_CASES, MY_TASKS, QUEUE, SyncNews
from desktop.ui.desk_pages import DeskPages
from desktop.ui.desk_reconnect import Reconnect
from desktop.ui.main_window import MainWindow
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.ops import changes
from desktop.ui.pending import open_pending_changes
from desktop.ui.status import StatusPresenter
from desktop.ui.sync_bridge import SyncBridge
from desktop.ui.view_reader import ViewReader

LIVE_START_LATEST_MS = 1_000


class Desk(QObject):
    """The main window and its pages for one signed-in session."""

    logout_requested = Signal()

    def __init__(
        self,
        session: Any,
        runner: OperationRunner,
        bridge: SyncBridge,
        page_limit: int | None = None,
        parent: QObject | None = None,
        bound: bool = True,
    ) -> None:
        # bound=False: built while a login derives the cache's key (the user known), bound by `bind`
        super().__init__(parent)
        self.session, self.runner, self.bridge, self.page_limit = session, runner, bridge, page_limit
        self.workspace: actions.Workspace | None = None
        self.read_conn: Any = None  # the GUI thread's own: single rows and small lookups
        self.reader: ViewReader | None = None  # the lists' reads, off the GUI thread
        if bound:
            self.open_workspace()
        self._live_due: actions.Workspace | None = None  # the workspace whose live sync waits to start
        self._closed = False
        self.reconnect = Reconnect(self)
        self.cases = CaseOpener(self)
        self.window = self._build_window()
        self.news = SyncNews(self)
        self.news.watch(self.pages.queue_model)
        bridge.tray_clicked.connect(lambda: self.window.show_page("work_queue"))

    def open_workspace(self) -> None:
        # push_in_background: a change is pushed by the engine's thread, never on the cache lane
        self.workspace = actions.Workspace(
            self.session, self.bridge.as_progress(), page_limit=self.page_limit, push_in_background=True
        )
        self._open_readers()

    def _open_readers(self) -> None:
        self.read_conn = self.session.connect_cache()  # a raw key: no key derivation here
        self.reader = ViewReader(self.runner, self.session.connect_cache)

    def _current(self) -> actions.Workspace | None:
        return self.workspace

    def _build_window(self) -> MainWindow:
        user = self.session.user or queries.sync_state(self.read_conn).user or {}
        self.pages = pages = DeskPages(
            user,
            self._read,
            self._current,
            self.runner,
            people=self._forward_choices,
            search=lambda field, term: search.search_cases(self.workspace, field, term),
            is_online=lambda: self.session.online,
            save_preferences=lambda prefs: actions.set_preferences(self.workspace, prefs),
            owner=self,
            read_first=self.read_conn is not None,
        )
        window = pages.window
        window.sub_page_changed.connect(lambda key, team: key == "work_queue" and pages.queue_page.show_queue(team))
        for page in (pages.my_cases_page, pages.queue_page, pages.my_tasks_page):
            page.case_opened.connect(self.open_case)
        for page in (pages.queue_page, pages.my_tasks_page):
            page.changed.connect(self.refresh_views)
        pages.settings.saved.connect(self.refresh_views)
        pages.search_page.result_opened.connect(self.cases.open_search_result)
        if pages.admin_page is not None:
            window.page_changed.connect(lambda key: key == "admin" and pages.admin_page.refresh())
        pages.case_view.back_requested.connect(lambda: window.show_page(window.current_page() or "my_cases"))
        pages.case_view.changed.connect(self.cases.changed)
        window.sync_requested.connect(self.sync_now)
        window.lock_requested.connect(self.lock)
        window.logout_requested.connect(self.logout_requested)
        window.settings_requested.connect(self.show_settings)
        window.diagnose_requested.connect(
            lambda: help_windows.show_diagnosis(window, self.runner, self.session, self.reconnect.diagnosed)
        )
        window.help_requested.connect(lambda: help_windows.show_help(window, self.session))
        window.about_requested.connect(lambda: help_windows.show_about(window, self.session))
        window.status.pending_clicked.connect(self.show_pending)
        # The user's own choice, never looser than the organisation's policy (file or service).
        self.autolock = AutoLock(
            window,
            lambda password, answer: desk_lock.unlock(self, password, answer),
            self.session.config.effective_settings.auto_lock_minutes,
        )
        self.autolock.locked.connect(lambda: desk_lock.release(self))
        self.autolock.overlay.logout_requested.connect(self.logout_requested)
        self.status = StatusPresenter(
            window,
            self.bridge,
            self.session,
            self._current,
            self._read,
            queries.sync_state(self.read_conn).last_sync_at if self.read_conn is not None else None,
        )
        if self.read_conn is None:
            self.autolock.watcher.pause()  # counts from `bind()`
        pages.case_view.is_online = self.status.online
        return window

    def show(self, outcome: Any) -> None:
        """Up: the lists read, the status shown, and the live sync started once My Cases is read
        (or after a second: started at once, its threads slowed that first read on a cold start).
        My Cases' read was asked as its model was made (DeskPages)."""
        self._reload(my_cases=False)
        self.update_status(getattr(outcome, "offline_reason", None))
        for warning in getattr(outcome, "warnings", []) or []:
            self.window.banner.show_offline(self.status.last_sync_at, warning)
        self.window.show()
        self.reconnect.soon()
        if self.session.online:
            self._live_due = self.workspace
            self.pages.my_cases_model.loaded.connect(self._start_live, Qt.ConnectionType.SingleShotConnection)
            QTimer.singleShot(LIVE_START_LATEST_MS, self, self._start_live)  # cancelled with the desk

    def _start_live(self) -> None:
        """Once (whichever comes first: My Cases read, or the timer), and only for the same workspace."""
        if self._live_due is not None and self._live_due is self.workspace and self.session.online:
            self.workspace.start_live()
        self._live_due = None

    def _reload(self, my_cases: bool = True) -> None:
        if my_cases:
            self.pages.my_cases_model.reload()
        self.pages.queue_model.refresh_now()
        self.pages.my_tasks_model.refresh_now()
        self.status.timer.start()

    # --- data on screen -----------------------------------------------------------------------
    def _read(self, query: Callable[[Any], Any], deliver: Callable[[Any], None]) -> None:
        """The models' reader: the current one (a new one after an unlock), none while locked."""
        if self.reader is not None:
            self.reader.read(query, deliver)

    def update_status(self, offline_reason: Any = None) -> None:
        if self.reader is not None:  # none while locked
            self.status.update(offline_reason)

    def refresh_views(self, lists: frozenset[str] = ALL_LISTS) -> None:
        """The cache changed: each model of `lists` (all by default) refreshes once per burst
        (coalesced in the models); the status always."""
        if self.read_conn is None:
            return
        if QUEUE in lists:  # the short lists first: the views' reads run one at a time
            self.pages.queue_model.refresh()
        if MY_TASKS in lists:
            self.pages.my_tasks_model.refresh()
        if MY_CASES in lists:
            self.pages.my_cases_model.refresh()
        self.update_status()

    def _forward_choices(self) -> tuple[list[Any], list[Any], list[str]]:
        """Whom a task can be forwarded to: colleagues but the user (the service leaves out
        service accounts), the user's teams, and the colleagues forwarded to recently."""
        me = (self.session.user or queries.sync_state(self.read_conn).user or {}).get("id")
        return (
            [c for c in queries.colleagues(self.read_conn) if c.id != me],
            queries.teams(self.read_conn),
            queries.recent_colleagues(self.read_conn),
        )

    # --- the user's actions -------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.workspace is None:
            return
        if not self.session.online and self.status.reachable_again:
            self.reconnect.go_online()
            return
        if self.workspace.engine.live:
            self.workspace.engine.nudge()
            return
        changes.sync(self.window, self._current).run_in(self.runner)

    def open_case(self, case_id: str, refresh: bool = False) -> None:
        self.cases.open(case_id, refresh)

    def show_settings(self) -> None:
        self.pages.settings.show_preferences(queries.preferences(self.read_conn) or {}, queries.teams(self.read_conn))
        self.window.show_widget(self.pages.settings, keep_navigation=False)

    def show_pending(self) -> None:
        open_pending_changes(
            self.window, self.runner, self._current, self.read_conn, self.update_status, self.open_case
        )

    # --- lock and close -----------------------------------------------------------------------
    def lock(self) -> None:
        """Ctrl+L or the menu: the same as the idle timer."""
        self.autolock.lock()

    def detach(self) -> actions.Workspace | None:
        """Locked: views stopped, requests let go silently, readers closed; the workspace is the lock's to close."""
        self._stop_views()
        self.runner.cancel_lane(Lane.NETWORK)
        self.close_readers()
        return self.workspace

    def attach(self, workspace: actions.Workspace) -> None:
        """Unlocked: a new workspace over the reopened cache, and the views read again."""
        if self._closed:  # logged out or quit meanwhile
            workspace.close()
            return
        self.workspace = workspace
        self._open_readers()
        self._reload()
        self.update_status()
        self.reconnect.restart()
        if self.session.cache_recovered is not None:  # a damaged cache was replaced on unlock
            self.window.banner.show_offline(self.status.last_sync_at, self.session.cache_recovered.message)
        if self.session.online:
            workspace.start_live()

    def _stop_views(self) -> None:
        self.reconnect.timer.stop()
        self.bridge.stopped()
        self.status.stop()
        for model in self.pages.models:
            model.cancel_refresh()

    def close_readers(self) -> None:
        """Both read connections closed (made on the GUI thread; the lists' one after its last read)."""
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        if self.read_conn is not None:
            self.read_conn.close()
            self.read_conn = None

    def stop(self) -> None:
        """Timers, the auto-lock, and no more sync news to this desk."""
        self._closed = True
        self._stop_views()
        self.autolock.stop()
        self.status.disconnect_sync()
        self.news.disconnect_sync()

    def close_workspace(self) -> None:
        if self.workspace is not None:
            self.workspace.close()  # stops the live sync and the cache writer
            self.workspace = None

    def close(self) -> None:
        """Timers, sync, writer, readers; the window is the controller's to retire."""
        self.stop()
        self.close_workspace()
        self.close_readers()


def bind(desk: Desk) -> None:
    """A desk built with `bound=False` while the login derived the cache's key (issue 19), now over
    the opened cache: My Cases' read first, then the rest as `Desk.show` does."""
    desk.open_workspace()
    desk.pages.my_cases_model.reload()
    desk.status.last_sync_at = parse_time(queries.sync_state(desk.read_conn).last_sync_at)
    desk.autolock.watcher.resume()
