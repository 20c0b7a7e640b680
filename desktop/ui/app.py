"""The application controller: which window is up (enrollment, login, or the main window's desk).

Windows only show and ask; the user's actions are `desktop.ui.ops`, the sync's news comes through
the `SyncBridge`, and the main window with its pages is a `Desk`. Shutting down is ordered:
timers, sync, workers, database, windows.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import sys
from typing import TYPE_CHECKING, Any, Callable

import shiboken6
from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QObject, QTimer, QTranslator, Signal

# At the top, never in a function: PySide's import hook builds every enum type of a module on a
# runtime `from PySide6... import` (~100 types, a 40–70 ms freeze when the main window appeared).
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import errors, heap, i18n, task_link
from desktop import session as session_mod
from desktop.org_config import OrganisationConfigError, load_organisation
from desktop.profile import Profile
from desktop.secrets import approved_system_store
from desktop.ui import input_panel, theme
from desktop.ui.enrollment import EnrollmentWindow
from desktop.ui.login import LoginWindow
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import account
from desktop.ui import single_instance
from desktop.ui.quiet import BlinkTimeout
from desktop.ui.sync_bridge import SyncBridge, freeze_after_next_full_collection
from desktop.ui.task_links import serve_links

if TYPE_CHECKING:
    from desktop.ui.desk import Desk
    from desktop.ui.main_window import MainWindow

# While a sync thread runs Python, the GUI thread waits for the interpreter lock up to this long
# each time it needs it back (Python's default: 5 ms, often many times per event).
GUI_SWITCH_INTERVAL_S = 0.0002


class DesktopApp(QObject):
    """One running client: enrollment or login, then the main window, until quit."""

    main_window_shown = Signal(object)
    _accepted = Signal()  # a login's user is in; the cache's key is being derived (network lane)

    def __init__(
        self,
        session: Any,
        *,
        enroll: Callable[..., Any] | None = None,
        preset: dict | None = None,
        page_limit: int | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.runner = OperationRunner(self)
        self.sync_signals = SyncBridge(self)
        self.sync_signals.failed.connect(self._sync_failed)
        self._enroll = enroll or session_mod.enroll_device
        self._preset = preset or {}
        self._page_limit = page_limit
        self.desk: Desk | None = None
        self._early: Desk | None = None  # built while the login's key derivation runs (_build_early)
        self._accepted.connect(self._build_early)
        self.login_window: LoginWindow | None = None
        self.enrollment_window: EnrollmentWindow | None = None
        self._retired: list[Any] = []  # closed windows until Qt deleted them (see _retire)
        self._closed = False

    @property
    def window(self) -> MainWindow | None:
        return self.desk.window if self.desk is not None else None

    # --- getting in ---------------------------------------------------------------------------
    def start(self) -> None:
        if self.session.enrolled:
            self.show_login()
        else:
            self.show_enrollment()

    def show_enrollment(self) -> None:
        def enroll(url: str, ca_pem: bytes, username: str, password: str, code: str) -> Any:
            try:
                session, outcome = self._enroll(
                    self.session.profile,
                    self.session.secrets,
                    url,
                    ca_pem,
                    username,
                    password,
                    code,
                    kdf=self.session.kdf,
                )
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
        login = account.SessionLogin(self.session, accepted=self._accepted.emit)
        self.login_window = LoginWindow(login, self.runner)
        username = login.known_username()
        if username:
            self.login_window.set_known_username(username)
        self.login_window.signed_in.connect(self.open_main)
        self.login_window.unlocked_offline.connect(self.open_main)
        self.login_window.language_requested.connect(self.switch_language)
        # While the key derivation runs off the GUI thread (it lets go of the interpreter lock), the
        # idle GUI thread gets the main window's code ready: not before the login window is up.
        self.login_window.submitted.connect(lambda: QTimer.singleShot(0, self, prepare_main_window))
        self.login_window.submitted.connect(self._discard_early)  # one from an attempt that failed later
        self.login_window.show()
        self.login_window.start_probe()

    # --- the main window ----------------------------------------------------------------------
    def open_main(self, outcome: Any) -> None:
        prepare_main_window()  # done while the login ran, unless it came another way (enrollment)
        from desktop.ui.cache_check import CacheCheck
        from desktop.ui.desk import Desk, bind

        if self.login_window is not None:
            self._retire(self.login_window)
            self.login_window = None
        if self._early is not None and self.session.unlocked:
            self.desk, self._early = self._early, None
            bind(self.desk)
        else:
            self._discard_early()
            self.desk = Desk(self.session, self.runner, self.sync_signals, self._page_limit, self)
        self.desk.logout_requested.connect(self.logout)
        self.desk.window.language_requested.connect(self.switch_language)
        self.desk.show(outcome)
        CacheCheck(self.session, self.desk)  # lives as the desk's child
        self.main_window_shown.emit(self.desk.window)

    def _build_early(self) -> None:
        """The main window, built while the login derives the cache's key (it lets go of the
        interpreter lock, so the idle GUI thread can): only binding it is left when the cache opens."""
        if self.login_window is None or self.desk is not None or not self.session.user:
            return
        prepare_main_window()
        from desktop.ui.desk import Desk

        self._discard_early()
        self._early = Desk(self.session, self.runner, self.sync_signals, self._page_limit, self, bound=False)

    def _discard_early(self) -> None:
        if self._early is not None:
            self._dispose(self._early)
            self._early = None

    def _sync_failed(self, error: BaseException) -> None:
        """The three failures that end the desk; the desk shows every other one itself."""
        if self.desk is None:
            return
        if isinstance(error, errors.DeviceRevoked):
            self._revoked(error)
        elif isinstance(error, (errors.SessionExpired, errors.AccountLocked)):
            # Locked elsewhere (seed L4) or signed out: close the cache and say so at the login,
            # a locked account with who can reactivate it.
            self._close_desk()
            self.session.lock()
            self.show_login()
            self.login_window.explain_refusal(error)

    def _revoked(self, error: errors.ClientError) -> None:
        """The service revoked this device: wipe keys and cache, then start again from enrollment."""
        session = self.session
        self._close_desk()  # stops the live loop (which may already have wiped) and the writer

        def enroll_again(result: Any = None) -> None:
            self.session = session_mod.Session(session.profile, session.secrets, kdf=session.kdf)
            self.show_enrollment()
            self.enrollment_window.show_error(error.message)

        account.wipe_revoked(session).success(enroll_again).failure(lambda exc: enroll_again()).run_in(self.runner)

    def lock(self) -> None:
        if self.desk is not None:
            self.desk.lock()

    def logout(self) -> None:
        """Back to the login window, not out of the program: it is shown before the main window
        closes (the last window closing would quit), and the service hears of it in the background."""
        if self.desk is None:
            return
        self._close_desk()  # stops the live sync and the writer; the cache closes with the logout
        self.show_login()
        self.login_window.explain_logout()
        account.logout(self.session).run_in(self.runner)

    def _close_desk(self) -> None:
        if self.desk is not None:
            self._dispose(self.desk)
            self.desk = None

    def _dispose(self, desk: Any) -> None:
        """A desk closed (its threads, its cache), its window retired, the desk deleted later."""
        desk.close()
        self._retire(desk.window)
        desk.deleteLater()

    # --- language -----------------------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        """Install the language and remember it. Qt then sends every widget a LanguageChange and
        each says its texts again (`retranslate_ui`): the windows, the open case and what the user
        typed all stay."""
        if language == i18n.current_language() or language not in i18n.LANGUAGES:
            return
        i18n.install_language(language)
        install_qt_translation(language)
        # Qt posted a LanguageChange to every window; delivered now, each reads in the new language at once.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        try:
            settings = dataclasses.replace(self.session.config.settings, language=language)
            self.session.config = self.session.profile.update_config(settings=settings)
        except Exception:  # noqa: BLE001 - remembering the choice is a convenience, not a must
            pass

    # --- windows and the end ------------------------------------------------------------------
    def _retire(self, window: Any) -> None:
        """Close a window and let Qt delete it on the GUI thread. It stays referenced here until
        then: dropped, its wrapper could become cyclic garbage that the collector frees on any
        thread (a sync or service thread), deleting widgets off the GUI thread."""
        window.close()
        self._retired = [w for w in self._retired if shiboken6.isValid(w)]  # Qt deleted these: let go
        self._retired.append(window)
        window.deleteLater()

    def shutdown(self) -> None:
        """Ordered and idempotent: timers, sync, workers, database, windows."""
        if self._closed:
            return
        self._closed = True
        desk = self.desk
        if desk is not None:
            desk.stop()
        self.sync_signals.stopped()
        self.sync_signals.hide_tray()
        self.runner.cancel_all()
        if desk is not None:
            desk.close_workspace()
        self.runner.shutdown()
        if desk is not None:
            desk.close_readers()  # after the workers stopped: no read can be running
        self.session.close()
        # Every window is deleted here, on this thread and before the QApplication: none is left
        # for the garbage collector (any thread) or for the interpreter's exit (after Qt is gone).
        if self.desk is not None:
            self._retire(self.desk.window)
            self.desk = None
        self._discard_early()
        for name in ("login_window", "enrollment_window"):
            if getattr(self, name) is not None:
                self._retire(getattr(self, name))
                setattr(self, name, None)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self._retired = [w for w in self._retired if shiboken6.isValid(w)]


_qt_translator: Any = None  # Qt's own strings (standard buttons, file dialogs); kept alive here


def install_qt_translation(language: str) -> None:
    """Qt's own dialogs in the user's language too (Qt ships qtbase_nl.qm)."""
    global _qt_translator
    app = QApplication.instance()
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    translator = QTranslator()
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        _qt_translator = translator


@functools.cache
def prepare_main_window() -> None:
    """The main window's modules (~0.1–0.2 s to import), PySide's types and the icons, made while a
    login waits for the service and the key derivation, not before the login window (issue 19)."""
    from desktop.ui import cache_check, desk  # noqa: F401 (imported for later)

    if _tuned:
        prepare_qt_types()
        for path in sorted(theme.ICON_DIR.glob("*.svg")):  # the icons in the palette's colours (~0.1 s)
            theme.icon(path.stem)


_tuned = False  # the process runs as the app (tune_process), not as one of the tests' many apps


@functools.cache
def prepare_qt_types() -> None:
    """PySide makes its Python types and enums on first use; a burst of ~100 of them (40–70 ms)
    fell on the main window's first show. Made here, once, while a login waits (~80 ms)."""
    for module in (QtCore, QtGui, QtWidgets):
        for name in dir(module):
            getattr(module, name)


def tune_process(desktop: DesktopApp) -> None:
    """Process-wide settings for a smooth GUI beside the sync threads (not for tests' many apps)."""
    global _tuned
    _tuned = True
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    heap.limit_arenas()  # before the sync and cache threads start (desktop/heap.py says why)
    # What exists once the main window is up (Qt wrappers, modules, the windows) lives as long as
    # the app: kept out of the collector's full passes, which hold the interpreter lock (60–80 ms
    # stalls mid-sync). Let go again at quit.
    desktop.main_window_shown.connect(lambda window: gc.freeze())
    # So are My Cases' rows, read after the window is up, once each read was applied.
    desktop.main_window_shown.connect(
        lambda window: desktop.desk.pages.my_cases_model.loaded.connect(freeze_after_next_full_collection)
    )
    QApplication.instance().aboutToQuit.connect(gc.unfreeze)
    # An app that only waits must not wake twice a second for a blinking cursor (issue 19).
    BlinkTimeout(QApplication.instance())


def main(argv: list[str] | None = None, profile: str | None = None) -> int:
    """Start the desktop client (`python -m desktop.ui [--profile DIR] [--english | --lang=nl|en]`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--profile" in argv:
        profile = argv[argv.index("--profile") + 1]
    link = next((arg for arg in argv if task_link.is_link(arg)), None)
    instance_name = single_instance.server_name(Profile.resolve(profile).root)
    if single_instance.hand_over(instance_name, link):  # this profile's app runs: it opens the link
        return _refuse_link(link, shown_by_running_app=True)
    app = QApplication.instance() or QApplication(["menscentraal"])
    app.setApplicationName("MensCentraal Mobiel")
    app.setOrganizationName("MensCentraal")
    theme.apply(app)
    input_panel.install(app)  # a tablet's on-screen keyboard never covers the focused field
    try:  # a broken organisation file: say which file and line, and do not start half-configured
        organisation = load_organisation()
        session = session_mod.Session(Profile.resolve(profile), approved_system_store())
    except OrganisationConfigError as error:
        QMessageBox.critical(None, "MensCentraal Mobiel", error.message())
        return error.exit_code
    chosen = next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--lang=")), None)
    language = (
        "en" if "--english" in argv else chosen or session.config.settings.language
    )  # else the user's last choice
    if language not in i18n.LANGUAGES:
        language = i18n.DEFAULT_LANGUAGE
    i18n.install_language(language)
    install_qt_translation(language)
    if _refuse_link(link, shown_by_running_app=False):
        return errors.EXIT_USAGE
    desktop = DesktopApp(session, preset=organisation.enrollment_preset() if organisation else None)
    app.aboutToQuit.connect(desktop.shutdown)
    tune_process(desktop)
    links = serve_links(desktop, instance_name)
    desktop.start()
    if link is not None:
        links.open(link)  # waits for the main window
    return app.exec()


def _refuse_link(link: str | None, *, shown_by_running_app: bool) -> int:
    """A link that is no task link: one sentence on standard error, and in a window when no running
    app shows it; nothing starts. Returns the exit code (0: no link, or a good one)."""
    if link is None:
        return 0
    try:
        task_link.task_id_of(link)
        return 0
    except errors.InvalidTaskLink as error:
        print(error.message(), file=sys.stderr)
        if not shown_by_running_app:
            QMessageBox.warning(None, "MensCentraal Mobiel", error.message())
        return error.exit_code
