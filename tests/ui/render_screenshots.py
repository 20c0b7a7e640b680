"""Render every screen to PNG from the demo data: python -m tests.ui.render_screenshots OUT_DIR.

`make screenshots` runs this. It starts the real service stub (demo data, mutual TLS on
loopback, fast password hashing), enrolls demo profiles in a temporary directory, logs in, syncs,
and grabs each screen offscreen. Nothing of it stays behind but the PNGs.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop  # noqa: E402
from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from desktop import actions, i18n  # noqa: E402
from desktop.session import Session  # noqa: E402
from desktop.sync import doctor  # noqa: E402
from desktop.ui import theme  # noqa: E402
from desktop.ui.app import DesktopApp, install_qt_translation  # noqa: E402
from desktop.ui.diagnosis import DiagnosisFrame  # noqa: E402
from desktop.ui.pending import PendingChangesDialog  # noqa: E402
from tests.client.sync_helpers import CHEAP_KDF, Device  # noqa: E402
from tests.service_fixtures import RunningService  # noqa: E402

SIZE = (1280, 800)
# The main screens also at these (issue 14, issue 18): file name suffix, window size, text scale.
VARIANTS = (("staand", (800, 1280), 1), ("200", SIZE, 2), ("1920", (1920, 1080), 1))


def wait_for(condition, timeout: float = 30.0) -> None:
    """Run the event loop until `condition()` holds (no blind sleeping)."""
    app = QApplication.instance()
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("screenshots: timed out waiting for the screen to fill")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def save(widget: QWidget, out: Path, name: str) -> None:
    widget.show()
    QApplication.instance().processEvents()
    widget.grab().save(str(out / name))
    print(f"screenshots: {out / name}")


def started(service: RunningService, root: Path, username: str) -> DesktopApp:
    device = Device(service, root / username, username)
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service.password(username))
    app = DesktopApp(session)
    # One sync instead of the live loop: the screens must not change while they are grabbed, and
    # the lost pick-up below must reach the service before this client hears of it.
    # (For the whole run: the app starts its live sync a moment after the main window opens.)
    actions.Workspace.start_live = lambda self: None
    app.open_main(None)
    app.desk.workspace.sync()
    app.desk.refresh_views()
    app.window.resize(*SIZE)
    wait_for(lambda: app.desk.pages.my_cases_model.rowCount() > 0 and app.desk.pages.queue_model.rowCount() > 0)
    app.device = device
    return app


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    qt = QApplication.instance() or QApplication(["menscentraal"])
    theme.apply(qt)
    i18n.install_language("nl")  # as main() does: Dutch plural forms come from menscentraal_nl.qm
    install_qt_translation("nl")
    logging.disable(logging.ERROR)  # the service logs the long-polls it cuts off when stopped
    with tempfile.TemporaryDirectory(prefix="mc-screens-") as tmp:
        root = Path(tmp)
        service = RunningService(root / "service", scale=1, seed=1)
        service.start()
        try:
            render(service, root, out)
        finally:
            service.close()
    return 0


def render(service: RunningService, root: Path, out: Path) -> None:
    anouk = started(service, root, "anouk")
    try:
        # The login of an enrolled laptop, as the app opens it: the username is the device's.
        login_device = Device(service, root / "login", "bram")
        login_app = DesktopApp(Session(login_device.profile, login_device.secrets))
        login_app.show_login()
        login = login_app.login_window
        login.resize(*SIZE)
        save(login, out, "login.png")
        login_app.shutdown()
        for suffix, size, scale in VARIANTS:
            with text_scale(scale):  # a window opened at that text size, as the app starts with the system's
                login_app = DesktopApp(Session(login_device.profile, login_device.secrets))
                login_app.show_login()
                login_app.login_window.resize(*size)
                save(login_app.login_window, out, f"login-{suffix}.png")
                login_app.shutdown()

        window = anouk.window
        window.show_page("my_cases")
        save(window, out, "mijn-zaken.png")

        from desktop.cache import queries

        case_id = next(row.id for row in queries.my_cases(anouk.desk.read_conn, limit=100) if row.status == "open")
        anouk.desk.open_case(case_id)
        wait_for(lambda: window.pages.currentWidget() is anouk.desk.pages.case_view)
        save(window, out, "zaak.png")
        role_changes(anouk, out)

        render_werkbak(service, root, out, anouk)
        window.show_page("my_tasks")
        save(window, out, "mijn-taken.png")
        main_variants(anouk, case_id, out)
        anouk.desk.show_settings()
        save(window, out, "meldingen.png")

        # A pick-up lost to a colleague and a note written offline: the list of changes.
        window.show_page("work_queue")
        task = anouk.desk.pages.queue_page.detail.task
        bram = Device(service, root / "bram", "bram").workspace()
        try:
            bram.sync()
            actions.pickup(bram, task.id)
        finally:
            bram.close()
        anouk.desk.pages.queue_page.detail.primary.click()
        wait_for(lambda: anouk.desk.pages.queue_page.message.isVisibleTo(anouk.desk.pages.queue_page))
        service.stop()
        unreachable_login(login_device, out)
        anouk.session.close_transport()
        actions.add_note(anouk.desk.workspace, case_id, "Moeder gebeld: afspraak verzet naar donderdag 10:00.")
        anouk.desk.refresh_views()  # the lists and the status bar are read off the GUI thread: wait for them
        wait_for(
            lambda: (
                "wacht op verzending" in window.status.pending.text()
                and anouk.desk.pages.my_cases_model.case_id(0) == case_id
            )
        )
        window.show_page("my_cases")
        save(window, out, "offline.png")
        anouk.desk.show_pending()
        dialog = window.findChild(PendingChangesDialog, "pendingChanges")
        wait_for(lambda: dialog is not None and dialog.isVisible())
        save(dialog, out, "conflicten.png")
        dialog.close()

        # An enrolled laptop at home whose device key is gone from the keychain (a new user profile
        # on the laptop): no Mobiel Werken certificate to show, so no secure way at all (seed L2).
        service.start()
        home = Device(service, root / "home", "eva")
        home.secrets.delete(next(name for name in home.secrets.names() if name.startswith("device-key-")))
        report = doctor.diagnose(home.profile, home.secrets)
        frame = DiagnosisFrame(title="Diagnose van de verbinding")
        frame.resize(720, 300)
        frame.show()
        frame.show_report(report.checks, report.missing)  # grows to be as tall as its story
        save(frame, out, "diagnose.png")
        frame.close()
    finally:
        anouk.shutdown()
    gerrit = started_admin(service, root)
    try:
        gerrit.window.show_page("admin")
        wait_for(lambda: gerrit.desk.pages.admin_page.groups.count() > 0)
        gerrit.desk.pages.admin_page.tabs.setCurrentIndex(3)
        save(gerrit.window, out, "beheer.png")
    finally:
        gerrit.shutdown()


@contextmanager
def text_scale(factor: float):
    """Text `factor` times the system's (200%: Windows' "Make text bigger"), the look re-applied."""
    qt = QApplication.instance()
    original = QFont(qt.font())
    if factor != 1:
        bigger = QFont(original)
        bigger.setPointSizeF(original.pointSizeF() * factor)
        qt.setFont(bigger)
        qt.setStyleSheet(theme.stylesheet())
    try:
        yield
    finally:
        if factor != 1:
            qt.setFont(original)
            qt.setStyleSheet(theme.stylesheet())


def main_variants(app: DesktopApp, case_id: str, out: Path) -> None:
    """My Cases, the case, the Werkbak (a task with its history, the counts) and My tasks in
    portrait on a tablet, at 200% text and on a 1920×1080 screen."""
    window = app.window
    for suffix, size, scale in VARIANTS:
        with text_scale(scale):
            window.resize(*size)
            for key, name in (("my_cases", "mijn-zaken"), ("work_queue", "werkbak"), ("my_tasks", "mijn-taken")):
                if (name, suffix) == ("werkbak", "1920"):
                    continue  # render_werkbak made it, the new task chosen
                window.show_page(key)
                save(window, out, f"{name}-{suffix}.png")
            app.desk.open_case(case_id)
            wait_for(lambda: window.pages.currentWidget() is app.desk.pages.case_view)
            save(window, out, f"zaak-{suffix}.png")
    window.resize(*SIZE)


def role_changes(app: DesktopApp, out: Path) -> None:
    """Changing the coordinator and removing a supporter: what the other person loses (seed C7); and F1."""
    from desktop.ui.case_people import ColleagueDialog, confirm_remove_supporter
    from desktop.ui.help import HelpDialog

    view = app.desk.pages.case_view
    view.people._change_coordinator()
    dialog = view.people.findChild(ColleagueDialog, "roleChangeConfirmation")
    save(dialog, out, "zaakcoordinator-wijzigen.png")
    dialog.reject()
    supporter = next(iter(view.case.get("supporters") or []), {"display_name": "Bram Voorbeeldsma"})
    box = confirm_remove_supporter(app.window, supporter.get("display_name", ""), view.case.get("number", ""))
    save(box, out, "zaakondersteuner-verwijderen.png")
    box.close()
    help_dialog = HelpDialog({"helpdesk": {"name": "Helpdesk MensCentraal", "phone": "085-4899080"}}, app.window)
    help_dialog.resize(720, 760)
    save(help_dialog, out, "help.png")
    help_dialog.close()


def unreachable_login(device: Device, out: Path) -> None:
    """The login window with the service down: said before the user tries, with the diagnosis."""
    login_app = DesktopApp(Session(device.profile, device.secrets))
    login_app.show_login()
    login = login_app.login_window
    login.resize(*SIZE)
    wait_for(lambda: login.reachability.isVisible() and login.diagnosis.isVisible())
    save(login, out, "login-onbereikbaar.png")
    login_app.shutdown()


def render_werkbak(service: RunningService, root: Path, out: Path, anouk: DesktopApp) -> None:
    """The Werkbak with one task new since anouk last looked: forwarded into the queue by bram,
    with a note, so the task pane shows the note and the history; at 1280×800 and 1920×1080."""
    from desktop.ui.tasks import ForwardDialog

    window = anouk.window
    window.show_page("work_queue")
    window.show_page("my_cases")  # anouk has looked at her Werkbak and left it
    wait_for(lambda: not anouk.runner.pending and not any(t.new for t in anouk.desk.pages.queue_model.tasks()))
    bram = Device(service, root / "bram-werkbak", "bram").workspace()
    try:
        bram.sync()
        task_id = bram.read(lambda conn: [t.id for t in queries_team_queue(conn)][2])
        actions.pickup(bram, task_id)
        actions.forward(
            bram,
            task_id,
            team_id="team-jgn",
            note="Ik ben tot en met vrijdag op cursus. Moeder verwacht deze week een telefoontje.",
        )
    finally:
        bram.close()
    anouk.desk.workspace.sync()
    anouk.desk.refresh_views()
    page = anouk.desk.pages.queue_page
    wait_for(lambda: any(t.id == task_id and t.new for t in page.model.tasks()))
    window.show_page("work_queue")
    page.table.setCurrentIndex(page.model.index(page.model.row_of(task_id), 0))
    save(window, out, "werkbak.png")
    window.resize(1920, 1080)
    save(window, out, "werkbak-1920.png")
    window.resize(*SIZE)
    page.detail.forward.click()
    dialog = page.findChild(ForwardDialog)
    dialog.search.setText("e")
    save(dialog, out, "doorsturen.png")
    dialog.reject()


def queries_team_queue(conn):
    from desktop.cache import queries

    return queries.team_queue(conn)


def started_admin(service: RunningService, root: Path) -> DesktopApp:
    device = Device(service, root / "gerrit", "gerrit")
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service.password("gerrit"))
    app = DesktopApp(session)
    app.open_main(None)
    app.window.resize(*SIZE)
    return app


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
