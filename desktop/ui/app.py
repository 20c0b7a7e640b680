"""The application controller: the core's session and workspace on one side, the windows on the other.

Windows only show and ask; this module decides which window is up, runs every core call as an
operation on the right lane, turns the sync engine's progress (called on its own threads) into
queued signals, and shuts down in order: timers, sync, workers, database, windows.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import importlib
import sys
from typing import Any, Callable

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
# At the top, never in a function: PySide's import hook builds every enum type of a module on a
# runtime `from PySide6... import` (~100 types, a 40–70 ms freeze when the main window appeared).
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from desktop import actions, errors, i18n
from desktop import session as session_mod
from desktop.cache import outbox, queries
from desktop.i18n import translate
from desktop.sync import doctor
from desktop.ui import labels, theme
from desktop.ui.admin import AdminPage
from desktop.ui.autolock import AutoLock
from desktop.ui.case_view import CaseView
from desktop.ui.diagnosis import DiagnosisFrame
from desktop.ui.enrollment import EnrollmentWindow
from desktop.ui.failures import expected_sentence
from desktop.ui.login import LoginWindow
from desktop.ui.main_window import MainWindow
from desktop.ui.models import MyCasesModel, TaskListModel
from desktop.ui.my_cases import MyCasesPage
from desktop.ui.notifications import NotificationSettings
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.pending import PendingChangesDialog
from desktop.ui.search import SearchPage
from desktop.ui.view_reader import ViewReader
from desktop.ui.tasks import TaskListPage

STATUS_INTERVAL_MS = 30_000  # 'waiting since' and the online flag, between sync events
# While a sync thread runs Python, the GUI thread waits for the interpreter lock up to this long
# each time it needs it back (Python's default: 5 ms, often many times per event).
GUI_SWITCH_INTERVAL_S = 0.0002
LIVE_START_LATEST_MS = 1_000
MIN_PASSWORD_LENGTH = 12


def parse_time(iso: str | None) -> dt.datetime | None:
    if not iso:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


class SyncSignals(QObject):
    """The engine's `SyncProgress`, as signals: called on sync threads, delivered on the GUI thread."""

    started = Signal()
    page = Signal(int, dict)
    finished = Signal(object)
    failed = Signal(object)

    def as_progress(self) -> Any:
        signals = self

        class _Progress:
            def started(self) -> None:
                signals.started.emit()

            def page(self, n: int, counts: dict[str, int]) -> None:
                signals.page.emit(n, dict(counts))

            def finished(self, result: Any) -> None:
                signals.finished.emit(result)

            def failed(self, error: BaseException) -> None:
                signals.failed.emit(error)

        # The engine calls these from its own threads; emitting is thread-safe and the receivers
        # live in the GUI thread, so delivery is queued.
        return _Progress()


class SessionLoginActions:
    """`LoginActions` over `desktop.session` (and the doctor for connection failures)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def known_username(self) -> str:
        return self.session.config.username or ""

    def organisation_name(self) -> str:
        contacts = self.contacts()
        return str(contacts.get("organisation") or "")

    def contacts(self) -> dict:
        state = session_mod.read_account_state(self.session.profile)
        return state.get("contacts") or {}

    def can_work_offline(self) -> bool:
        from desktop.vault import Vault

        return Vault.exists(self.session.profile)

    def login(self, username: str, password: str) -> Any:
        return self.session.login(password)

    def unlock_offline(self, password: str) -> Any:
        return self.session.unlock_offline(password)

    def request_password_reset(self, username: str) -> str:
        return session_mod.request_password_reset(self.session.profile, username)

    def change_password(self, new_password: str) -> Any:
        return self.session.choose_password(new_password)

    def password_rules(self, password: str) -> list[tuple[str, bool | None]]:
        # Length is checked here as the user types; the list of common passwords is the service's.
        return [(translate("DesktopApp", "Minstens 12 tekens"), len(password) >= MIN_PASSWORD_LENGTH),
                (translate("DesktopApp", "Geen veelgebruikt wachtwoord (de dienst controleert dit bij opslaan)"), None)]

    def diagnose(self) -> tuple[list[Any], list[str]]:
        report = doctor.diagnose(self.session.profile, self.session.secrets)
        return report.checks, report.missing


def workspace_getter(workspace: Any) -> Callable[[], Any]:
    """The workspace now: it is replaced after a lock (the cache is closed and reopened)."""
    return workspace if callable(workspace) else (lambda: workspace)


class WorkspaceActions:
    """`CaseActions` and `TaskActions` over `desktop.actions` (offline-first: cache + outbox)."""

    def __init__(self, workspace: actions.Workspace | Callable[[], actions.Workspace]) -> None:
        self._workspace = workspace_getter(workspace)

    @property
    def ws(self) -> actions.Workspace:
        workspace = self._workspace()
        if workspace is None:  # locked: the cache is closed
            raise errors.CacheLocked()
        return workspace

    def add_note(self, case_id: str, text: str) -> Any:
        return actions.add_note(self.ws, case_id, text)

    def complete_step(self, case_id: str, step_id: str, summary: str) -> Any:
        return actions.complete_step(self.ws, case_id, step_id, summary)

    def close_case(self, case_id: str, outcome: str) -> Any:
        return actions.close_case(self.ws, case_id, outcome)

    def add_supporter(self, case_id: str, user_id: str) -> Any:
        return actions.add_supporter(self.ws, case_id, user_id)

    def remove_supporter(self, case_id: str, user_id: str) -> Any:
        return actions.remove_supporter(self.ws, case_id, user_id)

    def set_coordinator(self, case_id: str, user_id: str) -> Any:
        return actions.set_coordinator(self.ws, case_id, user_id)

    def create_task(self, case_id: str, task_type: str, **details: Any) -> Any:
        return actions.create_task(self.ws, case_id, task_type, **details)

    def admin_replace_coordinator(self, case_id: str, user_id: str, reason: str) -> Any:
        from desktop import admin

        return admin.replace_coordinator(self.ws, case_id, user_id, reason)

    def pickup_task(self, task_id: str) -> Any:
        return actions.pickup(self.ws, task_id)

    def release_task(self, task_id: str) -> Any:
        return actions.release(self.ws, task_id)

    def complete_task(self, task_id: str) -> Any:
        return actions.complete_task(self.ws, task_id)

    def forward_task(self, task_id: str, *, user_id: str | None = None, team_id: str | None = None) -> Any:
        return actions.forward(self.ws, task_id, user_id=user_id, team_id=team_id)


def core_function(module: str, name: str) -> Callable | None:
    """A core function the GUI expects but that may not exist yet (admin, search)."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


class WorkspaceAdminActions:
    """`AdminActions` over the expected `desktop.admin` module (online only)."""

    NAMES = ("locked_accounts", "reactivate", "issue_enrollment_code", "devices", "revoke_device", "groups",
             "transfer_group", "delete_group")

    def __init__(self, workspace: actions.Workspace | Callable[[], actions.Workspace]) -> None:
        self._workspace = workspace_getter(workspace)
        self._functions = {name: core_function("desktop.admin", name) for name in self.NAMES}

    @property
    def available(self) -> bool:
        return all(self._functions.values())

    def __getattr__(self, name: str) -> Any:
        function = self.__dict__.get("_functions", {}).get(name)
        if function is None:
            raise AttributeError(name)
        return lambda *args: function(self._workspace(), *args)


_GC_THRESHOLDS = gc.get_threshold()


def pause_full_collections(paused: bool) -> None:
    """While paused, the oldest generation's threshold is out of reach: no full pass runs."""
    young, middle, oldest = _GC_THRESHOLDS
    gc.set_threshold(young, middle, 1_000_000 if paused else oldest)


@functools.cache
def prepare_qt_types() -> None:
    """PySide makes its Python types and enums on first use; a burst of ~100 of them (40–70 ms)
    fell on the main window's first show. Made here, once, before any window is up (~80 ms)."""
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)


class DesktopApp(QObject):
    """One running client: enrollment or login, then the main window, until quit."""

    main_window_shown = Signal(object)

    def __init__(self, session: Any, *, enroll: Callable[..., Any] | None = None, preset: dict | None = None,
                 page_limit: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.runner = OperationRunner(self)
        self.sync_signals = SyncSignals(self)
        self._enroll = enroll
        self._preset = preset or {}
        self._page_limit = page_limit
        self.workspace: actions.Workspace | None = None
        self.read_conn: Any = None  # the GUI thread's own: single rows and small lookups
        self.reader: ViewReader | None = None  # the lists' reads, off the GUI thread
        self.window: MainWindow | None = None
        self.login_window: LoginWindow | None = None
        self.enrollment_window: EnrollmentWindow | None = None
        self.autolock: AutoLock | None = None
        self.tray: Any = None
        self._retired: list[Any] = []  # closed windows until Qt deleted them (see _retire)
        self._known_queue: set[str] | None = None  # queue task ids already seen (first sync: none are new)
        self._queue_check_due = False  # a sync finished: compare the next read of the queue with the last
        self._last_sync_at: dt.datetime | None = None  # as the status bar shows it
        self._connection_shown: tuple[bool, str] = (False, "")  # online, and why not (the latest update_status)
        self._fetched = 0  # objects the running sync has put in the cache so far
        self._live_due: actions.Workspace | None = None  # the workspace whose live sync waits to start
        self._closed = False
        sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
        prepare_qt_types()
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_INTERVAL_MS)
        self.status_timer.timeout.connect(self.update_status)
        self.sync_signals.started.connect(self._sync_started)
        self.sync_signals.page.connect(self._sync_page)
        self.sync_signals.finished.connect(self._sync_finished)
        self.sync_signals.failed.connect(self._sync_failed)

    # --- getting in ---------------------------------------------------------------------------
    def start(self) -> None:
        if self.session.enrolled:
            self.show_login()
        else:
            self.show_enrollment()

    def show_enrollment(self) -> None:
        def enroll(url: str, ca_pem: bytes, username: str, password: str, code: str) -> Any:
            try:
                session, outcome = (self._enroll or session_mod.enroll_device)(
                    self.session.profile, self.session.secrets, url, ca_pem, username, password, code,
                    kdf=self.session.kdf)
            except errors.PasswordChangeRequired as change:
                # Enrolled and logged in with a temporary password: the definitive one comes next.
                self.session = change.session
                return change
            self.session = session
            return outcome

        self.enrollment_window = EnrollmentWindow(enroll, self.runner, self._preset)
        self.enrollment_window.enrolled.connect(self._enrolled)
        self.enrollment_window.language_requested.connect(self.switch_language)
        self.enrollment_window.show()

    def _enrolled(self, outcome: Any) -> None:
        self._retire(self.enrollment_window)
        self.enrollment_window = None
        if isinstance(outcome, errors.PasswordChangeRequired):
            self.show_login()
            self.login_window.show_page(LoginWindow.PAGE_NEW_PASSWORD)
            return
        self.open_main(outcome)

    def show_login(self) -> None:
        login_actions = SessionLoginActions(self.session)
        self.login_window = LoginWindow(login_actions, self.runner)
        username = login_actions.known_username()
        if username:
            self.login_window.username.setText(username)
            self.login_window.username.setReadOnly(True)
            self.login_window.username.setToolTip(translate("DesktopApp", "Dit apparaat is aangemeld voor deze gebruiker."))
            self.login_window.show_page(LoginWindow.PAGE_LOGIN)
        self.login_window.signed_in.connect(self.open_main)
        self.login_window.unlocked_offline.connect(self.open_main)
        self.login_window.language_requested.connect(self.switch_language)
        self.login_window.show()

    # --- the main window ----------------------------------------------------------------------
    def open_main(self, outcome: Any) -> None:
        if self.login_window is not None:
            self._retire(self.login_window)
            self.login_window = None
        self.workspace = actions.Workspace(self.session, self.sync_signals.as_progress(), page_limit=self._page_limit)
        self.read_conn = self.session.connect_cache()
        self.reader = ViewReader(self.runner, self.session.connect_cache)
        self._last_sync_at = self._last_sync()
        window = self._build_main_window()
        self.update_status(getattr(outcome, "offline_reason", None))
        for warning in getattr(outcome, "warnings", []) or []:
            window.banner.show_offline(self._last_sync(), warning)
        self.status_timer.start()
        window.show()
        if self.session.online:
            # The live sync (first sync now, then long-poll) starts once My Cases has been read, or
            # after a second: started at once, its threads slowed that first read (cold start).
            self._live_due = self.workspace
            self.my_cases_model.loaded.connect(self._start_live, Qt.ConnectionType.SingleShotConnection)
            QTimer.singleShot(LIVE_START_LATEST_MS, self._start_live)
        # What exists now (Qt wrappers, modules, the windows) lives as long as the app: keep it out
        # of the collector's full passes, which hold the interpreter lock (60–80 ms stalls mid-sync).
        gc.freeze()
        self.main_window_shown.emit(window)

    def _start_live(self) -> None:
        """Once per open_main (whichever comes first: My Cases read, or the timer)."""
        if self._live_due is not None and self._live_due is self.workspace and self.session.online:
            self.workspace.start_live()
        self._live_due = None

    def _build_main_window(self) -> MainWindow:
        """The main window and its pages over the open workspace (again after a language switch)."""
        user = self.session.user or queries.sync_state(self.read_conn).user or {}
        window = MainWindow(user.get("display_name", ""), user.get("role", "medewerker"))
        self.window = window
        work = WorkspaceActions(lambda: self.workspace)
        people = lambda: (queries.colleagues(self.read_conn), queries.teams(self.read_conn))  # noqa: E731

        self.my_cases_model = MyCasesModel(self._read, self)
        self.my_cases_page = MyCasesPage(self.my_cases_model)
        self.my_cases_page.case_opened.connect(self.open_case)
        window.add_page("my_cases", translate("DesktopApp", "Mijn zaken"), "my-cases", self.my_cases_page, "Ctrl+1")
        self.queue_model = TaskListModel(self._read, queries.team_queue, TaskListModel.QUEUE_COLUMNS, self)
        self.queue_model.loaded.connect(self._notify_new_queue_tasks)
        self.queue_page = TaskListPage(False, self.queue_model, work, self.runner, people)
        window.add_page("work_queue", translate("DesktopApp", "Werkbak"), "work-queue", self.queue_page, "Ctrl+2")
        self.my_tasks_model = TaskListModel(self._read, queries.my_tasks, TaskListModel.MINE_COLUMNS, self)
        self.my_tasks_page = TaskListPage(True, self.my_tasks_model, work, self.runner, people)
        window.add_page("my_tasks", translate("DesktopApp", "Mijn taken"), "my-tasks", self.my_tasks_page, "Ctrl+3")
        for page in (self.queue_page, self.my_tasks_page):
            page.case_opened.connect(self.open_case)
            page.changed.connect(self.refresh_views)
        search = core_function("desktop.search", "search_cases")
        if search is not None:
            self.search_page = SearchPage(lambda field, term: search(self.workspace, field, term), self.runner,
                                          lambda: self.session.online)
            self.search_page.result_opened.connect(self.open_search_result)
            window.add_page("search", translate("DesktopApp", "Zoeken"), "search", self.search_page, "Ctrl+4")
        admin = WorkspaceAdminActions(lambda: self.workspace)
        if user.get("role") in labels.ADMIN_ROLES and admin.available:
            self.admin_page = AdminPage(admin, self.runner)
            window.add_page("admin", translate("DesktopApp", "Beheer"), "admin", self.admin_page, "Ctrl+5")
            window.page_changed.connect(lambda key: key == "admin" and self.admin_page.refresh())

        self.case_view = CaseView(work, self.runner)
        self.case_view.back_requested.connect(lambda: window.show_page(window.current_page() or "my_cases"))
        self.case_view.changed.connect(self._case_changed)
        window.pages.addWidget(self.case_view)
        self.settings = NotificationSettings(self.runner, lambda prefs: actions.set_preferences(self.workspace, prefs))
        self.settings.saved.connect(self.refresh_views)
        window.pages.addWidget(self.settings)

        window.sync_requested.connect(self.sync_now)
        window.lock_requested.connect(self.lock)
        window.logout_requested.connect(self.logout)
        window.settings_requested.connect(self.show_settings)
        window.diagnose_requested.connect(self.show_diagnosis)
        window.help_requested.connect(self.show_help)
        window.about_requested.connect(self.show_about)
        window.status.pending_clicked.connect(self.show_pending)
        # The user's own choice, never looser than the organisation's policy (file or service).
        minutes = self.session.config.effective_settings.auto_lock_minutes
        self.autolock = AutoLock(window, self._unlock, minutes)
        self.autolock.locked.connect(self._release_cache)
        self.autolock.overlay.logout_requested.connect(self.logout)

        window.language_requested.connect(self.switch_language)

        self.my_cases_model.reload()
        self.queue_model.refresh_now()
        self.my_tasks_model.refresh_now()
        return window

    def switch_language(self, language: str) -> None:
        """Translate every open window: install the language, remember it, rebuild what is open
        (the main window, or the login or enrollment window), keeping what the user typed."""
        if language == i18n.current_language() or language not in i18n.LANGUAGES:
            return
        i18n.install_language(language)
        install_qt_translation(language)
        try:
            settings = dataclasses.replace(self.session.config.settings, language=language)
            self.session.config = self.session.profile.update_config(settings=settings)
        except Exception:  # noqa: BLE001 - remembering the choice is a convenience, not a must
            pass
        if self.window is not None:
            self._rebuild_main_window()
        if self.login_window is not None:
            self._rebuild_login_window()
        if self.enrollment_window is not None:
            self._rebuild_enrollment_window()

    def _rebuild_main_window(self) -> None:
        old, page = self.window, self.window.current_page()
        geometry = old.geometry()
        self._stop_views()
        if self.autolock is not None:
            self.autolock.stop()
            self.autolock.overlay.deleteLater()
        window = self._build_main_window()
        window.setGeometry(geometry)
        self.update_status()
        self.status_timer.start()
        if page:
            window.show_page(page)
        window.show()
        self._retire(old)

    def _rebuild_login_window(self) -> None:
        old = self.login_window
        typed = {name: getattr(old, name).text() for name in ("username", "password", "reset_username")}
        page, geometry, diagnosed = old.stack.currentIndex(), old.geometry(), old.diagnosis.isVisible()
        offline = old.offline_button.isVisible()
        self.show_login()
        new = self.login_window
        new.setGeometry(geometry)
        for name, text in typed.items():
            getattr(new, name).setText(text)
        new.show_page(page)
        new.offline_button.setVisible(offline)
        if diagnosed:
            new._diagnose()  # the diagnosis again, now in the new language
        self._retire(old)

    def _rebuild_enrollment_window(self) -> None:
        old = self.enrollment_window
        typed = {name: getattr(old, name).text() for name in ("service", "ca_path", "username", "password", "code")}
        geometry = old.geometry()
        self.show_enrollment()
        new = self.enrollment_window
        new.setGeometry(geometry)
        for name, text in typed.items():
            field = getattr(new, name)
            if not field.isReadOnly():  # preset by the organisation: keep the preset
                field.setText(text)
        self._retire(old)

    def _retire(self, window: Any) -> None:
        """Close a window and let Qt delete it on the GUI thread. It stays referenced here until
        then: dropped, its wrapper could become cyclic garbage that the collector frees on any
        thread (a sync or service thread), deleting widgets off the GUI thread."""
        window.close()
        self._retired = [w for w in self._retired if shiboken6.isValid(w)]  # Qt deleted these: let go
        self._retired.append(window)
        window.deleteLater()

    # --- data on screen -----------------------------------------------------------------------
    def _last_sync(self) -> dt.datetime | None:
        return parse_time(queries.sync_state(self.read_conn).last_sync_at) if self.read_conn else None

    def _read(self, query: Callable[[Any], Any], deliver: Callable[[Any], None]) -> None:
        """The models' reader: the current one (a new one after an unlock), none while locked."""
        if self.reader is not None:
            self.reader.read(query, deliver)

    def update_status(self, offline_reason: Any = None) -> None:
        """Online or not, the last sync and the waiting changes; the counts are read off the GUI thread."""
        if self.window is None or self.reader is None:
            return
        online = bool(self.session.online and (self.workspace is None or self.workspace.engine.online or not self.workspace.engine.live))
        detail = offline_reason.message() if isinstance(offline_reason, errors.ClientError) else ""
        window = self.window
        self._connection_shown = (online, detail)
        window.set_online(online, self._last_sync_at, detail)  # at once; the time of the last sync follows

        def show(summary: queries.StatusSummary) -> None:
            if window is not self.window:
                return
            last_sync = parse_time(summary.last_sync_at)
            if last_sync != self._last_sync_at:
                self._last_sync_at = last_sync
                online_now, detail_now = self._connection_shown
                window.set_online(online_now, last_sync, detail_now)
            window.status.set_pending(summary.waiting, summary.unprocessed)

        self.reader.read(queries.status_summary, show)

    def refresh_views(self) -> None:
        """The cache changed: each model refreshes once per burst (coalesced in the models)."""
        if self.window is None or self.read_conn is None:
            return
        self.queue_model.refresh()  # the short lists first: the views' reads run one at a time
        self.my_tasks_model.refresh()
        self.my_cases_model.refresh()
        self.update_status()

    def _sync_started(self) -> None:
        # A first sync parses ~60 MB of pages on worker threads; the collector's full passes over
        # them held the interpreter lock 40–80 ms each (the window froze). Until the sync ends only
        # the young generations are collected (they free the HTTP objects' reference cycles).
        pause_full_collections(True)
        self._fetched = 0
        if self.window is not None:
            self.window.status.set_progress(0, None)

    def _sync_page(self, n: int, counts: dict) -> None:
        """A page is in the cache: count it. The lists are read again when the sync ends (a live
        change is a sync of its own, so it shows at once): a table painted while a 20,000-case
        sync keeps the other threads busy waits for the interpreter lock on every cell (~100 ms)."""
        self._fetched += counts.get("upserted", 0)
        if self.window is not None and n > 1:  # a one-page sync (a live change) ends before it could be read
            self.window.status.show_fetched(self._fetched)

    def _notify_new_queue_tasks(self) -> None:
        """A tray message when a sync brought new tasks to the user's team queues (if the preferences allow).

        Runs when the Werkbak's list has been read; counts only, never a name: the message may
        show on a screen others can see.
        """
        if not self._queue_check_due or self.read_conn is None:
            return
        self._queue_check_due = False
        queued = {task.id for task in self.queue_model.tasks()}
        new = queued - self._known_queue if self._known_queue is not None else set()
        self._known_queue = queued
        prefs = queries.preferences(self.read_conn) or {}
        if not new or not prefs.get("desktop_notifications", True) or not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(theme.app_icon(), self)
            self.tray.setToolTip(translate("DesktopApp", "MensCentraal Mobiel"))
            self.tray.messageClicked.connect(lambda: self.window and self.window.show_page("work_queue"))
            self.tray.show()
        text = (translate("DesktopApp", "Er staat 1 nieuwe taak in uw werkbak.") if len(new) == 1 else
                translate("DesktopApp", "Er staan {count} nieuwe taken in uw werkbakken.").format(count=len(new)))
        self.tray.showMessage(translate("DesktopApp", "Werkbak"), text, theme.app_icon())

    def _sync_finished(self, result: Any) -> None:
        pause_full_collections(False)
        if self.window is None or self.read_conn is None:
            return
        self.window.status.hide_progress()
        self._queue_check_due = True  # see _notify_new_queue_tasks, after the refresh below
        for conflict in getattr(result, "conflicts", []) or []:
            held_by = conflict.get("held_by")
            if conflict.get("kind") == "task.pickup" and held_by:
                self.queue_page.show_message(translate("DesktopApp", "{name} had deze taak al opgepakt; hij is uit uw lijst gehaald.").format(
                    name=held_by.get("display_name", "")))
                self.my_tasks_page.show_message(translate("DesktopApp", "{name} had deze taak al opgepakt; hij is uit uw lijst gehaald.").format(
                    name=held_by.get("display_name", "")))
        self.refresh_views()

    def _sync_failed(self, error: BaseException) -> None:
        pause_full_collections(False)
        if self.window is None:
            return
        self.window.status.hide_progress()
        if isinstance(error, errors.DeviceRevoked):
            self._revoked(error)
            return
        if isinstance(error, (errors.SessionExpired, errors.AccountLocked)):
            # Locked elsewhere (seed L4) or signed out: close the cache and say so at the login,
            # a locked account with who can reactivate it.
            self._close_workspace()
            self.session.lock()
            self.show_login()
            self.login_window.explain_refusal(error)
            return
        self.update_status(error)

    def _revoked(self, error: errors.ClientError) -> None:
        """The service revoked this device: wipe keys and cache, then start again from enrollment."""
        session = self.session
        self._close_workspace()  # stops the live loop (which may already have wiped) and the writer

        def wipe(token: Any) -> None:
            if session.enrolled:  # the engine reports revocation from a long-poll without wiping
                session.handle_revocation()

        def enroll_again(result: Any = None) -> None:
            self.session = session_mod.Session(session.profile, session.secrets, kdf=session.kdf)
            self.show_enrollment()
            self.enrollment_window.show_error(error.message())

        self.runner.submit(wipe, lane=Lane.NETWORK, on_success=enroll_again, on_failure=lambda exc: enroll_again())

    def sync_now(self) -> None:
        if self.workspace is None:
            return
        if self.workspace.engine.live:
            self.workspace.engine.nudge()
            return
        self.runner.submit(lambda token: self.workspace.sync(), lane=Lane.NETWORK, parent_widget=self.window)

    def open_case(self, case_id: str) -> None:
        def show(detail: Any) -> None:
            self.case_view.show_case(detail.case, detail.tasks, queries.colleagues(self.read_conn), detail.pending_changes,
                                     teams=queries.teams(self.read_conn))
            self.window.pages.setCurrentWidget(self.case_view)

        self.runner.submit(lambda token: actions.open_case(self.workspace, case_id), lane=Lane.NETWORK,
                           on_success=show, parent_widget=self.window)

    def _case_changed(self, case_id: str) -> None:
        """A change was written: refresh the lists; show the case again from the cache if it is there
        (a search result an administrator changed is not in the cache)."""
        self.refresh_views()
        if self.read_conn is not None and queries.case_detail(self.read_conn, case_id) is not None:
            self.open_case(case_id)

    def open_search_result(self, case: dict) -> None:
        read_only = "" if (case.get("capabilities") or {}).get("add_note", {}).get("allowed") else translate("DesktopApp", 
            "U bent geen zaakcoördinator of zaakondersteuner van deze zaak: u kunt alleen de afgesloten stappen inzien.")
        self.case_view.show_case(case, [], queries.colleagues(self.read_conn), 0, read_only, queries.teams(self.read_conn))
        self.window.pages.setCurrentWidget(self.case_view)

    def show_settings(self) -> None:
        self.settings.show_preferences(queries.preferences(self.read_conn) or {}, queries.teams(self.read_conn))
        self.window.show_widget(self.settings, keep_navigation=False)

    def show_pending(self) -> None:
        def dismiss(mutation_id: str) -> None:
            self.runner.submit(lambda token: self.workspace.writer.call(outbox.dismiss_unprocessed, mutation_id),
                               lane=Lane.CACHE, on_success=lambda r: self.update_status(), parent_widget=self.window)

        def retry(mutation_id: str) -> None:
            def sent_again(_result) -> None:
                self.update_status()
                self.workspace.engine.nudge()  # pushed now when live; else at the next sync

            self.runner.submit(lambda token: self.workspace.writer.call(outbox.retry_stuck, mutation_id),
                               lane=Lane.CACHE, on_success=sent_again, parent_widget=self.window)

        dialog = PendingChangesDialog(outbox.pending(self.read_conn), queries.unprocessed_changes(self.read_conn),
                                      dismiss, self.window, retry)
        dialog.setObjectName("pendingChanges")
        dialog.open()

    def show_diagnosis(self) -> None:
        frame = DiagnosisFrame(title=translate("DesktopApp", "Diagnose van de verbinding"))
        frame.setParent(self.window, Qt.WindowType.Window)  # its own window, owned by the main one
        frame.resize(640, 560)
        run = lambda: self.runner.submit(  # noqa: E731
            lambda token: SessionLoginActions(self.session).diagnose(), lane=Lane.NETWORK,
            on_success=lambda report: frame.show_report(*report), parent_widget=frame)
        frame.panel.retry_requested.connect(run)
        frame.show()
        run()

    def show_help(self) -> None:
        contacts = SessionLoginActions(self.session).contacts() or (self.session.organisation_settings or {}).get("contacts") or {}
        from desktop.ui.login import contacts_text

        box = QMessageBox(QMessageBox.Icon.Information, translate("DesktopApp", "Help"), translate("DesktopApp", 
            "Vragen? Stel ze eerst aan de superuser van uw team. Lukt het niet, neem dan contact op met:") + "<br><br>"
            + contacts_text(contacts), QMessageBox.StandardButton.Close, self.window)
        box.open()

    def show_about(self) -> None:
        from desktop.ui.about import show_about

        show_about(self.window, SessionLoginActions(self.session).contacts()
                   or (self.session.organisation_settings or {}).get("contacts"))

    # --- lock, log out, quit ------------------------------------------------------------------
    def lock(self) -> None:
        """Ctrl+L or the menu: the same as the idle timer."""
        if self.autolock is not None:
            self.autolock.lock()

    def _release_cache(self) -> None:
        """Locked: stop the sync and the writer, close the GUI's connection and drop the key.

        The data is already hidden. Requests still on their way are let go silently. Cache writes
        queued before the lock finish first (same lane, same workspace); then the workspace closes
        and `Session.lock()` closes the cache: nothing stays open until the password is given.
        """
        self._stop_views()
        self.runner.cancel_lane(Lane.NETWORK)
        self._close_readers()
        workspace, session = self.workspace, self.session

        def release(token: Any) -> None:
            if workspace is not None:
                workspace.close()  # stops the live sync, finishes queued writes
            session.lock()

        def released(result: Any) -> None:
            if self.workspace is workspace:
                self.workspace = None

        self.runner.submit(release, lane=Lane.CACHE, on_success=released, parent_widget=self.window)

    def _unlock(self, password: str, answer: Callable[[bool, str], None]) -> None:
        """Reopen the cache with the password (Argon2id) and a new workspace, off the GUI thread."""
        session, page_limit, progress = self.session, self._page_limit, self.sync_signals.as_progress()

        def reopen(token: Any) -> actions.Workspace:
            session.unlock_offline(password)  # the vault's password copy; counts wrong attempts
            return actions.Workspace(session, progress, page_limit=page_limit)

        def reopened(workspace: actions.Workspace) -> None:
            if self.window is None or self._closed:
                workspace.close()
                return
            self.workspace = workspace
            self.read_conn = self.session.connect_cache()  # a raw key: no key derivation here
            self.reader = ViewReader(self.runner, self.session.connect_cache)
            self.my_cases_model.reload()
            self.queue_model.refresh_now()
            self.my_tasks_model.refresh_now()
            self.update_status()
            self.status_timer.start()
            answer(True, "")
            if self.session.online:
                self.workspace.start_live()

        def failed(exc: BaseException) -> None:
            answer(False, expected_sentence(exc) or translate("DesktopApp", "Het wachtwoord klopt niet; probeer het opnieuw."))

        self.runner.submit(reopen, lane=Lane.CACHE, on_success=reopened, on_failure=failed)

    def logout(self) -> None:
        self._close_workspace()
        self.runner.submit(lambda token: self.session.logout(), lane=Lane.NETWORK,
                           on_success=lambda r: self.show_login(), on_failure=lambda exc: self.show_login())

    def _stop_views(self) -> None:
        pause_full_collections(False)  # a sync that was stopped never says it ended
        self.status_timer.stop()
        for model in (getattr(self, name, None) for name in ("my_cases_model", "queue_model", "my_tasks_model")):
            if model is not None:
                model.cancel_refresh()

    def _close_readers(self) -> None:
        """Both read connections closed (made on the GUI thread; the lists' one after its last read)."""
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        if self.read_conn is not None:
            self.read_conn.close()
            self.read_conn = None

    def _close_workspace(self) -> None:
        self._stop_views()
        if self.autolock is not None:
            self.autolock.stop()
            self.autolock = None
        if self.workspace is not None:
            self.workspace.close()  # stops the live sync and the cache writer
            self.workspace = None
        self._close_readers()
        if self.window is not None:
            self._retire(self.window)
            self.window = None

    def shutdown(self) -> None:
        """Ordered and idempotent: timers, sync, workers, database, windows."""
        if self._closed:
            return
        self._closed = True
        self._stop_views()
        if self.autolock is not None:
            self.autolock.stop()
        if self.tray is not None:
            self.tray.hide()
        self.runner.cancel_all()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
        self.runner.shutdown()
        self._close_readers()
        self.session.close()
        # Every window is deleted here, on this thread and before the QApplication: none is left
        # for the garbage collector (any thread) or for the interpreter's exit (after Qt is gone).
        for name in ("window", "login_window", "enrollment_window"):
            if getattr(self, name) is not None:
                self._retire(getattr(self, name))
                setattr(self, name, None)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self._retired = [w for w in self._retired if shiboken6.isValid(w)]
        gc.unfreeze()  # what open_main froze can be collected again


_qt_translator: Any = None  # Qt's own strings (standard buttons, file dialogs); kept alive here


def install_qt_translation(language: str) -> None:
    """Qt's own dialogs in the user's language too (Qt ships qtbase_nl.qm)."""
    global _qt_translator
    from PySide6.QtCore import QLibraryInfo, QTranslator

    app = QApplication.instance()
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QTranslator()
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        _qt_translator = translator


def main(argv: list[str] | None = None, profile: str | None = None) -> int:
    """Start the desktop client (`python -m desktop.ui [--profile DIR] [--english | --lang=nl|en]`)."""
    from desktop.profile import Profile
    from desktop.secrets import approved_system_store

    argv = list(sys.argv[1:] if argv is None else argv)
    if "--profile" in argv:
        profile = argv[argv.index("--profile") + 1]
    app = QApplication.instance() or QApplication(["menscentraal"])
    app.setApplicationName("MensCentraal Mobiel")
    app.setOrganizationName("MensCentraal")
    theme.apply(app)
    from desktop.org_config import OrganisationConfigError, load_organisation

    try:  # a broken organisation file: say which file and line, and do not start half-configured
        organisation = load_organisation()
        session = session_mod.Session(Profile.resolve(profile), approved_system_store())
    except OrganisationConfigError as error:
        QMessageBox.critical(None, "MensCentraal Mobiel", error.message())
        return error.exit_code
    chosen = next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--lang=")), None)
    language = "en" if "--english" in argv else chosen or session.config.settings.language  # else the user's last choice
    if language not in i18n.LANGUAGES:
        language = i18n.DEFAULT_LANGUAGE
    i18n.install_language(language)
    install_qt_translation(language)
    desktop = DesktopApp(session, preset=organisation.enrollment_preset() if organisation else None)
    app.aboutToQuit.connect(desktop.shutdown)
    desktop.start()
    return app.exec()
