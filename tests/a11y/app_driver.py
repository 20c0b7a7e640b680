"""The app in its own process for the accessibility run: shows one screen at a time on request.

    python -m tests.a11y.app_driver CONFIG.json      (stdin: `show SCREEN`; stdout: `ready SCREEN`)

Runs the real client (`DesktopApp`, Qt's xcb plug-in, Qt's AT-SPI bridge) against the real service
over mutual TLS, with profiles the test enrolled beforehand (password-only, so this process can open
them). The driver only brings a screen up: what it says and how Tab moves through it is read from
outside, over AT-SPI, by tests/a11y/atspi_walker.py. Live sync is off so a screen holds still while
it is read; one sync fills it first.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QWidget

from desktop import actions, errors, i18n
from desktop.cache import queries
from desktop.profile import Profile
from desktop.session import Session
from desktop.ui import theme
from desktop.ui.announce import announce
from desktop.ui.app import DesktopApp, install_qt_translation
from desktop.ui.failures import show_failure
from desktop.ui.login import LoginWindow
from desktop.ui.pending import PendingChangesDialog
from tests.a11y import fit
from tests.client.sync_helpers import CHEAP_KDF

SIZE = (1280, 800)
LOGIN_PAGES = {
    "login": LoginWindow.PAGE_LOGIN,
    "forgot_password": LoginWindow.PAGE_FORGOT_PASSWORD,
    "forgot_username": LoginWindow.PAGE_FORGOT_USERNAME,
    "new_password": LoginWindow.PAGE_NEW_PASSWORD,
}
MAIN_PAGES = ("my_cases", "work_queue", "my_tasks", "search")


def button(match) -> Callable[["Driver", QWidget], None]:
    """Opens a dialog as a keyboard user does: the button of that name (a str, or a test on the
    name) on the screen, pressed (the same `clicked` as Space or Enter on it)."""
    test = match if callable(match) else match.__eq__

    def press(driver: "Driver", window: QWidget) -> None:
        for candidate in window.findChildren(QAbstractButton):
            name = candidate.accessibleName() or candidate.text().replace("&", "")
            if candidate.isVisible() and candidate.isEnabled() and test(name):
                candidate.click()
                return
        raise RuntimeError(f"app_driver: no button {match!r} on {window.windowTitle()!r}")

    return press


def first_group(driver: "Driver", window: QWidget) -> None:
    admin = driver.main_app("admin").desk.pages.admin_page
    admin.groups.setCurrentRow(0)
    button("Groep verwijderen…")(driver, window)


def first_device(driver: "Driver", window: QWidget) -> None:
    driver.main_app("admin").desk.pages.admin_page.devices.setCurrentRow(0)
    button("Intrekken")(driver, window)


def failure(exc: BaseException) -> Callable[["Driver", QWidget], None]:
    """The error box a failed operation shows (failures.py), shown the way the app shows it."""
    return lambda driver, window: show_failure(window, exc)


CONTACTS = {
    "local_admin": {"name": "Petra Jansen", "phone": "075-1234567"},
    "helpdesk": {"name": "Servicedesk Demodorp", "phone": "075-7654321"},
}


# Every dialog a flow opens: the screen it opens from and how (DIALOGS[name] = (screen, open)).
# The error boxes open only on a failure: they are shown here as a failure shows them.
DIALOGS: dict[str, tuple[str, Callable[["Driver", QWidget], None]]] = {
    "forward": ("work_queue", button("Doorsturen…")),
    "new_task": ("case", button("Taak aanmaken…")),
    "complete_step": ("case", button(lambda name: name.startswith("Stap ") and name.endswith(" afronden"))),
    "closed_step": ("case", button(lambda name: name.startswith("Afgesloten stap "))),
    "close_case": ("case", button("Zaak afsluiten…")),
    "add_supporter": ("case", button("Zaakondersteuner toevoegen")),
    "role_change": ("case", button("Zaakcoördinator wijzigen")),
    "remove_supporter": ("case", button(lambda name: name.endswith(" verwijderen als zaakondersteuner"))),
    "team_queue_warning": ("settings", button(lambda name: name.startswith("E-mail bij nieuwe taak in werkbak"))),
    "group_wizard": ("admin_3", first_group),
    "revoke_device": ("admin_2", first_device),
    "error_message": (
        "my_cases",
        failure(errors.AccountLocked(CONTACTS)),  # the longest sentence an error box shows
    ),
    "bug_report": ("my_cases", failure(RuntimeError("a fault in the program"))),
    "help": ("my_cases", lambda driver, window: window.help_requested.emit()),
    "about": ("my_cases", lambda driver, window: window.about_requested.emit()),
}
SCREENS = (
    "enrollment",
    *LOGIN_PAGES,
    "diagnosis",
    *MAIN_PAGES,
    "case",
    "settings",
    "pending",
    "admin_0",
    "admin_1",
    "admin_2",
    "admin_3",
    *DIALOGS,
)


def wait_for(condition, what: str, timeout: float = 30.0) -> None:
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"app_driver: timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def settle(widget: QWidget) -> None:
    """Shown, raised and holding the X input focus. There is no window manager to give it, and X
    refuses the focus to a window not mapped yet: ask again until it is there."""
    widget.show()
    widget.raise_()
    wait_for(
        lambda: widget.windowHandle() is not None and widget.windowHandle().isExposed(),
        f"{widget.windowTitle()!r} to be mapped",
        10,
    )
    app = QApplication.instance()
    deadline = time.monotonic() + 10
    while not widget.isActiveWindow():
        if time.monotonic() > deadline:
            raise RuntimeError(f"app_driver: {widget.windowTitle()!r} did not become the active window")
        widget.activateWindow()
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 100)
    for _ in range(5):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def owns(window: QWidget, shown: QWidget) -> bool:
    """`window` is `shown` or the window a dialog `shown` belongs to."""
    while shown is not None:
        if shown is window:
            return True
        shown = shown.parentWidget()
    return False


class Driver(QObject):
    command = Signal(str)

    def __init__(self, config: dict) -> None:
        super().__init__()
        self.config = config
        self.apps: dict[str, DesktopApp] = {}
        self.command.connect(self.run, Qt.ConnectionType.QueuedConnection)
        self.keys = 0
        self.shown: QWidget | None = None  # the window of the screen shown last
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        focused = QApplication.focusWidget() or QApplication.activeWindow()  # a window that holds no focus
        if event.type() == QEvent.Type.KeyPress and watched is focused:
            self.keys += 1
        return False

    def session(self, user: str, *, logged_in: bool) -> Session:
        session = Session(Profile(Path(self.config["profiles"][user])), None, kdf=CHEAP_KDF)
        if logged_in:
            session.login(self.config["passwords"][user])
        return session

    def main_app(self, user: str) -> DesktopApp:
        if user not in self.apps:
            app = DesktopApp(self.session(user, logged_in=True))
            app.open_main(None)
            app.desk.workspace.sync()
            app.desk.refresh_views()
            app.window.resize(*SIZE)
            if user == "worker":
                wait_for(lambda: app.desk.pages.my_cases_model.rowCount() > 0, "My Cases")
            settle(app.window)
            self.apps[user] = app
        return self.apps[user]

    def hide_others(self, shown: QWidget) -> None:
        """One window at a time on the display: Tab goes to the active one, the walker reads all."""
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and not owns(widget, shown):
                widget.hide()

    def run(self, line: str) -> None:
        verb, _, screen = line.strip().partition(" ")
        try:
            if verb == "quit":
                self.quit()
                return
            if verb == "keys":  # how many key presses reached the focused widget so far
                print(f"keys {self.keys}", flush=True)
                return
            if verb == "activate":  # the X input focus again (a focus request X dropped)
                window = QApplication.activeWindow() or next(w for w in QApplication.topLevelWidgets() if w.isVisible())
                window.activateWindow()
                settle(window)
                print("activated", flush=True)
                return
            if verb == "unfocus":  # the window holds no focus: the next Tab shows where its chain starts
                widget = QApplication.focusWidget()
                if widget is not None:
                    widget.clearFocus()
                print(f"unfocused {QApplication.focusWidget() is None}", flush=True)
                return
            if verb == "focusname":  # the accessible name of the widget Qt has focused
                widget = QApplication.focusWidget()
                print(f"focusname {widget.accessibleName() if widget is not None else ''}", flush=True)
                return
            if verb == "focus":  # Qt's own view of the focus, to compare with AT-SPI's when debugging
                widget = QApplication.focusWidget()
                chain = []
                while widget is not None:
                    chain.append(f"{type(widget).__name__}({widget.objectName() or widget.accessibleName()})")
                    widget = widget.parentWidget()
                active = QApplication.activeWindow()
                print(
                    "focus " + " < ".join(chain) + f"; active window {active.windowTitle() if active else None!r}",
                    flush=True,
                )
                return
            if verb == "fit":  # what is cut off or overlaps in the window shown, within WIDTH HEIGHT
                width, height = map(int, screen.split())
                print("fit " + json.dumps(fit.findings(self.shown, (width, height))), flush=True)
                return
            if verb == "resize":  # the window shown at WIDTH HEIGHT (a laptop's, a tablet's upright)
                wanted = tuple(map(int, screen.split()))
                self.shown.resize(*wanted)
                try:  # a window whose content needs more stays larger: `fit` says so
                    wait_for(lambda: self.shown.size().toTuple() == wanted, "the new size", 3)
                except RuntimeError:
                    pass
                for _ in range(10):  # the layouts (and a field's own buttons) follow the new size
                    QApplication.instance().processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                print("resized", flush=True)
                return
            if verb == "grab":  # the window shown, as a PNG at PATH
                print(f"grabbed {self.shown.grab().save(screen)}", flush=True)
                return
            if verb == "do":  # a status change the UI announces (the walker listens)
                self.status_change(screen)
                print(f"done {screen}", flush=True)
                return
            if verb != "show" or screen not in SCREENS:
                raise ValueError(f"unknown command {line.strip()!r}")
            self.close_dialogs()
            window = self.show(screen)
            self.hide_others(window)
            settle(window)
            self.shown = window
            print(f"ready {screen} {window.windowTitle()}", flush=True)
        except Exception as exc:  # noqa: BLE001 - the test reads the failure and stops
            print(f"error {screen} {type(exc).__name__}: {exc}", flush=True)

    def status_change(self, change: str) -> None:
        """What the status bar and the Werkbak are told when the connection drops or returns, a
        change is refused, the user's sync ends, or a pick-up is done (the real pick-up)."""
        app = self.main_app("worker")
        window = app.window
        app.desk.status.timer.stop()  # its refresh would say the real state between two changes
        if change == "probe":  # an announcement to learn that Qt sends them (it knows of the listener)
            announce(window.status, "probe")
        elif change in ("offline", "online"):
            window.set_online(change == "online", None)
        elif change == "refused":
            window.status.set_pending(0, 1)
        elif change == "accepted":
            window.status.set_pending(0, 0)
        elif change == "sync":  # F5: the real sync with the service
            window.sync_requested.emit()
        elif change == "pickup":
            button("Oppakken")(self, window)
        else:
            raise ValueError(f"unknown status change {change!r}")

    def close_dialogs(self) -> None:
        """The dialog read last is cancelled (Escape's `reject`) before the next screen."""
        open_dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
        for dialog in open_dialogs:
            dialog.reject()
        wait_for(lambda: not any(dialog.isVisible() for dialog in open_dialogs), "the dialogs to close")

    def open_dialog(self, screen: str) -> QWidget:
        base, opener = DIALOGS[screen]
        window = self.show(base)
        self.hide_others(window)
        settle(window)
        opener(self, window)

        def opened() -> QWidget | None:
            return next(
                (w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()),
                None,
            )

        wait_for(lambda: opened() is not None, f"the dialog {screen}")
        return opened()

    def show(self, screen: str) -> QWidget:
        if screen in DIALOGS:
            return self.open_dialog(screen)
        if screen == "enrollment":
            app = self.apps.setdefault("new", DesktopApp(self.session("new", logged_in=False)))
            if app.enrollment_window is None:
                app.start()
            return app.enrollment_window
        if screen in LOGIN_PAGES or screen == "diagnosis":
            app = self.apps.setdefault("login", DesktopApp(self.session("login", logged_in=False)))
            if app.login_window is None:
                app.start()
            window = app.login_window
            window.resize(*SIZE)
            window.show_page(LOGIN_PAGES.get(screen, LoginWindow.PAGE_LOGIN))
            if screen == "diagnosis":
                window.show()
                window._diagnose()  # what a failed login shows: the real checks against the service
                wait_for(lambda: window.diagnosis.isVisible(), "the diagnosis")
            return window
        if screen.startswith("admin_"):
            app = self.main_app("admin")
            admin = app.desk.pages.admin_page
            self.on_page(app, admin, lambda: app.window.show_page("admin"))
            wait_for(lambda: admin.groups.count() > 0, "the admin page")
            admin.tabs.setCurrentIndex(int(screen.removeprefix("admin_")))
            return app.window
        app = self.main_app("worker")
        pages = app.desk.pages
        if screen == "pending":
            self.on_page(app, "my_cases", lambda: app.window.show_page("my_cases"))
            app.desk.show_pending()
            wait_for(
                lambda: (
                    (dialog := app.window.findChild(PendingChangesDialog, "pendingChanges")) is not None
                    and dialog.isVisible()
                ),
                "the list of changes",
            )
            return app.window.findChild(PendingChangesDialog, "pendingChanges")
        if screen in MAIN_PAGES:
            self.on_page(app, app.window.page(screen), lambda: app.window.show_page(screen))
            if screen == "work_queue":  # a task selected: its card with the pick-up buttons
                wait_for(lambda: pages.queue_model.rowCount() > 0, "the work queue")
        elif screen == "case":
            case_id = next(row.id for row in queries.my_cases(app.desk.read_conn, limit=100) if row.status == "open")
            self.on_page(app, pages.case_view, lambda: app.desk.open_case(case_id))
        elif screen == "settings":
            self.on_page(app, pages.settings, app.desk.show_settings)
        return app.window

    def on_page(self, app: DesktopApp, page, navigate) -> None:
        """Navigate, and wait until the page is the one shown and stays so (the desk finishes its
        own start-up, which may switch pages, before the page is read)."""
        if isinstance(page, str):
            page = app.window.page(page)
        for _ in range(3):
            navigate()
            wait_for(lambda: app.window.pages.currentWidget() is page, f"the page {type(page).__name__}")
            settle(app.window)
            if app.window.pages.currentWidget() is page:
                return
        raise RuntimeError(f"app_driver: the page {type(page).__name__} did not stay")

    def quit(self) -> None:
        for app in self.apps.values():
            app.shutdown()
        QApplication.instance().quit()


def read_commands(driver: Driver) -> None:
    for line in sys.stdin:
        driver.command.emit(line)
    driver.command.emit("quit")


def main(argv: list[str]) -> int:
    config = json.loads(Path(argv[0]).read_text())
    qt = QApplication(["menscentraal"])
    qt.setApplicationName("MensCentraal Mobiel")
    if config.get("text_scale", 1) != 1:  # the system's text larger (200%: Windows' "Make text bigger")
        font = qt.font()
        font.setPointSizeF(font.pointSizeF() * config["text_scale"])
        qt.setFont(font)
    theme.apply(qt)
    i18n.install_language("nl")
    install_qt_translation("nl")
    logging.disable(logging.ERROR)
    actions.Workspace.start_live = lambda self: None  # screens hold still while they are read
    driver = Driver(config)
    threading.Thread(target=read_commands, args=(driver,), daemon=True).start()
    print("started", flush=True)
    return qt.exec()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
