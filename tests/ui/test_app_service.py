"""The desktop app against the real service over mutual TLS on loopback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from desktop import errors as core_errors
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore
from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.ui.ops.account import SessionLogin
from desktop.ui.login import LoginWindow
from desktop.vault import KdfParams
from tests.client.sync_helpers import Device

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def new_session(root) -> Session:
    return Session(Profile(root), InMemorySecretStore(), kdf=CHEAP_KDF)


def test_enroll_through_the_window_then_my_cases_fill_from_the_service(qtbot, service, tmp_path):
    app = DesktopApp(new_session(tmp_path / "profile"))
    try:
        app.start()
        window = app.enrollment_window
        assert window is not None and app.login_window is None
        window.service.setText(service.url)
        window.ca_path.setText(str(service.ca_path))
        window.username.setText("anouk")
        window.password.setText(service.password("anouk"))
        window.code.setText(service.enroll_code("anouk"))
        with qtbot.waitSignal(app.main_window_shown, timeout=20000):
            window.submit.click()
        qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=20000)
        assert app.window.has_page("my_cases") and not app.window.has_page("admin")
        assert not app.window.banner.isVisible()
    finally:
        app.shutdown()


def test_wrong_enrollment_code_says_so_and_records_nothing(qtbot, service, tmp_path):
    app = DesktopApp(new_session(tmp_path / "profile"))
    try:
        app.start()
        window = app.enrollment_window
        window.service.setText(service.url)
        window.ca_path.setText(str(service.ca_path))
        window.username.setText("anouk")
        window.password.setText(service.password("anouk"))
        window.code.setText("WRONG-CODE")
        window.submit.click()
        qtbot.waitUntil(lambda: window.error.isVisible(), timeout=20000)
        assert "aanmeldcode" in window.error.text.text() or "code" in window.error.text.text()
        assert not Session(Profile(tmp_path / "profile"), None).enrolled
    finally:
        app.shutdown()


def login_window(qtbot, device, runner) -> LoginWindow:
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    window = LoginWindow(SessionLogin(session), runner)
    qtbot.addWidget(window)
    window.username.setText(device.username)
    window.session = session
    window.show()
    return window


def test_locked_account_names_who_reactivates_it_seed_L4(qtbot, service, tmp_path, runner):
    device = Device(service, tmp_path / "p", "bram")
    window = login_window(qtbot, device, runner)
    for _ in range(12):
        window.password.setText("helemaal-fout-wachtwoord")
        window.login_button.click()
        qtbot.waitUntil(lambda: window.login_button.isEnabled(), timeout=10000)
        if "geblokkeerd" in window.login_error.text.text():
            break
    text = window.login_error.text.text()
    assert "geblokkeerd" in text
    assert "085-4899080" in text or "Helpdesk" in text  # the organisation's contacts
    window.session.close()


def test_forgot_password_mail_then_definitive_password_seed_L3(qtbot, service, tmp_path, runner):
    device = Device(service, tmp_path / "p", "daan")
    window = login_window(qtbot, device, runner)
    window.forgot_link.click()
    assert window.stack.currentIndex() == LoginWindow.PAGE_FORGOT_PASSWORD
    window.reset_page.username.setText("daan")
    window.reset_page.button.click()
    qtbot.waitUntil(lambda: window.reset_page.answer.isVisible(), timeout=10000)
    message = service.wait_for_mail(subject=None, count=1, timeout=10)[-1]
    body = message.get_body(preferencelist=("plain",)).get_content()
    temporary = re.search(r"wachtwoord[^:]*:\s*(\S+)", body, re.IGNORECASE).group(1)
    window.show_page(LoginWindow.PAGE_LOGIN)
    window.password.setText(temporary)
    window.login_button.click()
    qtbot.waitUntil(lambda: window.stack.currentIndex() == LoginWindow.PAGE_NEW_PASSWORD, timeout=10000)
    window.new_password_page.new_password.setText("kort")
    assert not window.new_password_page.save_button.isEnabled()  # the policy is shown live
    window.new_password_page.new_password.setText("een-eigen-lang-wachtwoord-91")
    window.new_password_page.repeat_password.setText("een-eigen-lang-wachtwoord-91")
    assert window.new_password_page.save_button.isEnabled()
    with qtbot.waitSignal(window.signed_in, timeout=20000):
        window.new_password_page.save_button.click()
    assert window.session.unlocked
    window.session.close()


def test_pickup_race_lost_names_who_has_it_seed_T4(qtbot, service, tmp_path, monkeypatch):
    from desktop import actions

    anouk = Device(service, tmp_path / "anouk", "anouk")
    bram = Device(service, tmp_path / "bram", "bram")
    session = Session(anouk.profile, anouk.secrets, kdf=CHEAP_KDF)
    # No live long-poll for anouk: she must not hear about bram's pick-up before she clicks.
    monkeypatch.setattr(actions.Workspace, "start_live", lambda self: None)
    app = DesktopApp(session)
    try:
        session.login(service.password("anouk"))
        app.open_main(None)
        app.desk.workspace.sync()
        app.desk.refresh_views()
        qtbot.waitUntil(lambda: app.desk.pages.queue_model.rowCount() > 0, timeout=20000)
        app.window.show_page("work_queue")  # a hidden page shows its first task when it is opened
        task = app.desk.pages.queue_page.detail.task

        ws = bram.workspace()
        try:
            ws.read(lambda conn: None)
            ws.sync()
            change = actions.pickup(ws, task.id)
            assert change.sent and change.conflict is None
        finally:
            ws.close()
        app.window.show_page("work_queue")
        app.desk.pages.queue_page.detail.primary.click()
        # The service's answer may come after the click's own sentence (a push off the GUI's lanes).
        qtbot.waitUntil(lambda: "al opgepakt" in app.desk.pages.queue_page.message.text.text(), timeout=20000)
        # In the words of the offline list of unprocessed changes (issue 14), no code, no "call the coordinator".
        assert app.desk.pages.queue_page.message.text.text() == "Bram Voorbeeldsma had deze taak al opgepakt."
        assert service.account("bram") is not None
    finally:
        app.shutdown()


def started_app(qtbot, service, tmp_path, username) -> DesktopApp:
    device = Device(service, tmp_path / username, username)
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service.password(username))
    app = DesktopApp(session)
    with qtbot.waitSignal(app.sync_signals.finished, timeout=30000):
        app.open_main(None)
    qtbot.waitUntil(lambda: not app.runner.pending, timeout=10000)  # the lists read again after it
    return app


def lock_by_wrong_passwords(session: Session) -> None:
    """More than 10 failed logins lock the account (seed L4)."""
    for _ in range(12):
        try:
            session.login("fout-wachtwoord-123")
        except core_errors.AccountLocked:
            return
        except core_errors.WrongPassword:
            continue
    pytest.fail("the account did not lock")


def first_open_case(app: DesktopApp) -> str:
    """The id of an open case in the app's My Cases (read from its cache)."""
    from desktop.cache import queries

    return next(r.id for r in queries.my_cases(app.desk.read_conn, limit=200) if r.status == "open")


def test_search_opens_closed_steps_read_only_for_non_member_seed_C6(qtbot, service, tmp_path):
    me = service.account("anouk")
    conn = service.db.conn()
    user_id = conn.execute("SELECT id FROM users WHERE username = 'anouk'").fetchone()[0]
    number = conn.execute(
        """SELECT c.number FROM cases c
           WHERE c.coordinator_id != ? AND c.id NOT IN (SELECT case_id FROM case_supporters WHERE user_id = ?)
             AND c.case_type_id IN (SELECT case_type_id FROM case_type_authorisations
                                    WHERE user_id = ? OR team_id IN (SELECT team_id FROM team_members WHERE user_id = ?))
             AND c.organisation_id = (SELECT organisation_id FROM users WHERE id = ?)
             AND EXISTS (SELECT 1 FROM case_steps s WHERE s.case_id = c.id AND s.status = 'closed')
           LIMIT 1""",
        (user_id, user_id, user_id, user_id, user_id),
    ).fetchone()[0]
    assert me is not None
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        app.window.show_page("search")
        page = app.desk.pages.search_page
        page.term.setText(number)
        page.button.click()
        qtbot.waitUntil(lambda: page.results.count() == 1, timeout=20000)
        page.results.setCurrentRow(0)
        page._open(page.results.item(0))
        view = app.desk.pages.case_view
        assert app.window.pages.currentWidget() is view
        assert view.read_only_notice.isVisible()
        assert not view.add_note_button.isEnabled() and not view.close_button.isEnabled()
        from PySide6.QtWidgets import QToolButton

        magnifiers = [b for b in view.findChildren(QToolButton) if b.property("capability") == "read_closed_steps"]
        assert magnifiers and all(b.isEnabled() for b in magnifiers)
        assert all(s.get("status") == "closed" for s in view.case.get("steps", []))
    finally:
        app.shutdown()


def test_search_offline_says_it_needs_a_connection(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "bram")
    try:
        app.session.close_transport()  # as after losing the connection
        app.desk.pages.search_page.term.setText("Z-1")
        app.desk.pages.search_page.button.click()
        assert app.desk.pages.search_page.message.isVisibleTo(app.desk.pages.search_page)
        assert "verbinding" in app.desk.pages.search_page.message.text.text()
    finally:
        app.shutdown()


def test_group_delete_wizard_moves_cases_first_seed_D1_D2(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "gerrit")
    try:
        assert app.window.has_page("admin")
        app.window.show_page("admin")
        page = app.desk.pages.admin_page
        qtbot.waitUntil(lambda: page.groups.count() > 1, timeout=20000)
        source = next(
            page.groups.item(i).data(0x0100)
            for i in range(page.groups.count())
            if (page.groups.item(i).data(0x0100).get("case_count") or 0) > 0
        )
        row = next(i for i in range(page.groups.count()) if page.groups.item(i).data(0x0100)["id"] == source["id"])
        page.groups.setCurrentRow(row)
        page._delete_group()
        from desktop.ui.admin import GroupDeleteWizard

        wizard = page.findChild(GroupDeleteWizard)
        target_id = wizard.target.currentData()
        wizard.next()
        wizard.accept()
        qtbot.waitUntil(lambda: wizard.result.isVisible(), timeout=20000)
        assert "verwijderd" in wizard.result.text.text()
        conn = service.db.conn()
        assert conn.execute("SELECT count(*) FROM household_groups WHERE id = ?", (source["id"],)).fetchone()[0] == 0
        moved = conn.execute("SELECT count(*) FROM cases WHERE group_id = ?", (target_id,)).fetchone()[0]
        assert moved >= source["case_count"]
    finally:
        app.shutdown()


def test_admin_reactivates_a_locked_account_seed_L4(qtbot, service, tmp_path):
    eva = Device(service, tmp_path / "eva", "eva")
    locked = Session(eva.profile, eva.secrets, kdf=CHEAP_KDF)
    lock_by_wrong_passwords(locked)
    app = started_app(qtbot, service, tmp_path, "gerrit")
    try:
        app.window.show_page("admin")
        page = app.desk.pages.admin_page
        qtbot.waitUntil(
            lambda: page.locked.count() >= 1 and page.locked.item(0).data(0x0100) is not None, timeout=20000
        )
        row = next(i for i in range(page.locked.count()) if page.locked.item(i).data(0x0100)["username"] == "eva")
        page.locked.setCurrentRow(row)
        page._reactivate()
        qtbot.waitUntil(lambda: page.message.isVisibleTo(page) and "actief" in page.message.text.text(), timeout=20000)
        assert locked.login(service.password("eva")).online
    finally:
        locked.close()
        app.shutdown()


def test_offline_start_unlocks_the_cache_and_shows_the_banner(qtbot, service, tmp_path):
    device = Device(service, tmp_path / "bram", "bram")
    ws = device.workspace()
    try:
        ws.sync()  # something to show offline
    finally:
        ws.close()
    service.stop()
    try:
        app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
        try:
            app.start()
            login = app.login_window
            assert login.username.text() == "bram" and login.username.isReadOnly()
            login.password.setText(service.password("bram"))
            with qtbot.waitSignal(app.main_window_shown, timeout=20000):
                login.login_button.click()
            assert app.window.banner.isVisible()
            assert "Offline — laatst gesynchroniseerd om" in app.window.banner.text.text()
            assert app.window.status.connection.text() == "Offline"
            qtbot.waitUntil(
                lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=5000
            )  # read off the GUI thread
        finally:
            app.shutdown()
    finally:
        service.start()


def test_pickup_moves_the_task_to_my_tasks_at_once_seed_T4(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        # The first sync is in and every list has been read again (reads run off the GUI thread).
        qtbot.waitUntil(lambda: app.desk.pages.queue_model.rowCount() > 0 and not app.runner.pending, timeout=20000)
        app.window.show_page("work_queue")
        task = app.desk.pages.queue_page.detail.task
        mine_before = app.desk.pages.my_tasks_model.rowCount()
        app.desk.pages.queue_page.detail.primary.click()
        qtbot.waitUntil(lambda: app.desk.pages.my_tasks_model.row_of(task.id) >= 0, timeout=10000)
        assert app.desk.pages.queue_model.row_of(task.id) == -1
        assert app.desk.pages.my_tasks_model.rowCount() == mine_before + 1
        assert "Mijn taken" in app.desk.pages.queue_page.message.text.text()
        conn = service.db.conn()
        qtbot.waitUntil(
            lambda: conn.execute("SELECT status FROM tasks WHERE id = ?", (task.id,)).fetchone()[0] == "assigned",
            timeout=20000,
        )  # and the service has it
    finally:
        app.shutdown()


def test_member_creates_a_team_queue_task_from_the_case_seed_T3(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=20000)
        case_id = first_open_case(app)
        app.desk.open_case(case_id)
        qtbot.waitUntil(lambda: app.window.pages.currentWidget() is app.desk.pages.case_view, timeout=10000)
        view = app.desk.pages.case_view
        assert view.new_task_button.isEnabled()
        view.new_task_button.click()
        from desktop.ui.case_view import NewTaskDialog

        dialog = view.findChild(NewTaskDialog)
        dialog.task_type.setText("Huisbezoek plannen")
        assert dialog.target.currentData()[0] == "team"
        with qtbot.waitSignal(view.changed, timeout=10000):
            dialog.accept()
        conn = service.db.conn()
        qtbot.waitUntil(
            lambda: (
                conn.execute(
                    "SELECT count(*) FROM tasks WHERE case_id = ? AND type = ? AND status = 'queued'",
                    (case_id, "Huisbezoek plannen"),
                ).fetchone()[0]
                == 1
            ),
            timeout=20000,
        )
    finally:
        app.shutdown()


def test_notification_settings_warn_then_save_through_the_core_seed_T6(qtbot, service, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        from desktop.cache import queries

        qtbot.waitUntil(lambda: queries.preferences(app.desk.read_conn) is not None, timeout=20000)
        app.desk.show_settings()
        panel = app.desk.pages.settings
        team_id, box = next(iter(panel.team_boxes.items()))
        assert box.isChecked()
        box.click()
        warning = [w for w in panel.findChildren(QMessageBox, "teamQueueWarning") if w.isVisible()][0]
        next(b for b in warning.buttons() if b.text() == "Toch uitzetten").click()
        with qtbot.waitSignal(panel.saved, timeout=10000):
            panel.save_button.click()
        conn = service.db.conn()

        def switched_off() -> bool:
            row = conn.execute(
                "SELECT enabled FROM team_queue_email WHERE team_id = ? AND user_id = "
                "(SELECT id FROM users WHERE username = 'anouk')",
                (team_id,),
            ).fetchone()
            return row is not None and row[0] == 0

        qtbot.waitUntil(switched_off, timeout=20000)
    finally:
        app.shutdown()


def test_auto_lock_needs_the_real_password(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "bram")
    try:
        app.lock()
        overlay = app.desk.autolock.overlay
        assert overlay.isVisible() and not app.window.centralWidget().isVisible()
        overlay.password.setText("niet-het-wachtwoord")
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: overlay.error.isVisible(), timeout=10000)
        assert overlay.isVisible()
        overlay.password.setText(service.password("bram"))
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=10000)
        assert app.window.centralWidget().isVisible()
    finally:
        app.shutdown()


def test_revoked_device_is_wiped_and_explained(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "joost")
    profile = app.session.profile
    try:
        qtbot.waitUntil(lambda: app.desk.workspace.engine.online, timeout=20000)
        device_id = app.session.config.device_id
        from desktop import actions

        case_id = first_open_case(app)
        service.context.accounts.revoke_device(device_id, None, "test")
        try:
            actions.add_note(app.desk.workspace, case_id, "Na de intrekking")  # the push meets the revocation
        except RuntimeError:
            pass  # the live long-poll heard of it first (within a second, docs/API.md) and closed the cache
        qtbot.waitUntil(
            lambda: app.enrollment_window is not None and app.enrollment_window.error.isVisible(), timeout=30000
        )
        assert "ingetrokken" in app.enrollment_window.error.text.text()
        assert app.window is None
        assert not profile.cache_path.exists()
    finally:
        app.shutdown()


def test_switching_language_retranslates_the_open_window_and_is_remembered(qtbot, service, tmp_path):
    from desktop import i18n

    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, capture_output=True)
    app = started_app(qtbot, service, tmp_path, "eva")
    try:
        app.window.show_page("work_queue")
        assert app.window.navigation.item(0).text() == "Mijn zaken"
        app.window.language_actions["en"].trigger()
        assert app.window.navigation.item(0).text() == "My cases"
        assert app.window.current_page() == "work_queue"
        assert app.desk.pages.queue_page.header.title.text() == "Work queue"
        assert Profile(app.session.profile.root).load_config().settings.language == "en"
        app.window.language_actions["nl"].trigger()
        assert app.window.navigation.item(0).text() == "Mijn zaken"
    finally:
        i18n.install_language("nl")
        app.shutdown()


def test_admin_replaces_a_coordinator_only_with_a_reason(qtbot, service, tmp_path):
    conn = service.db.conn()
    number, case_id, old = conn.execute(
        "SELECT number, id, coordinator_id FROM cases WHERE status = 'open' AND organisation_id = "
        "(SELECT organisation_id FROM users WHERE username = 'gerrit') LIMIT 1"
    ).fetchone()
    app = started_app(qtbot, service, tmp_path, "gerrit")
    try:
        app.window.show_page("search")
        app.desk.pages.search_page.term.setText(number)
        app.desk.pages.search_page.button.click()
        qtbot.waitUntil(lambda: app.desk.pages.search_page.results.count() == 1, timeout=20000)
        app.desk.pages.search_page._open(app.desk.pages.search_page.results.item(0))
        view = app.desk.pages.case_view
        assert view.people.admin_replace_button.isVisibleTo(view)
        assert not view.people.add_supporter_button.isEnabled()  # an administrator is no member (seed C7, C8)
        view.people.admin_replace_button.click()
        from desktop.ui.case_people import ReplaceCoordinatorDialog

        dialog = view.findChild(ReplaceCoordinatorDialog)
        assert "is dan geen zaakcoördinator meer" in dialog.consequence.text()  # what the other one loses (seed C7)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # no reason, no replacement
        dialog.reason.setPlainText("Coördinator is uit dienst; overdracht na teamoverleg.")
        assert ok.isEnabled()
        new = dialog.choice.currentData()
        with qtbot.waitSignal(view.changed, timeout=20000):
            dialog.accept()
        assert conn.execute("SELECT coordinator_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0] == new != old
    finally:
        app.shutdown()


def test_account_locked_elsewhere_closes_the_cache_and_names_who_helps_seed_L4(qtbot, service, tmp_path):
    from desktop import actions

    app = started_app(qtbot, service, tmp_path, "bram")
    other = Device(service, tmp_path / "bram-tablet", "bram")  # the same account on another device
    tablet = Session(other.profile, other.secrets, kdf=CHEAP_KDF)
    try:
        qtbot.waitUntil(lambda: app.desk.workspace.engine.online, timeout=20000)
        case_id = first_open_case(app)
        lock_by_wrong_passwords(tablet)
        actions.add_note(app.desk.workspace, case_id, "Na de blokkade")  # the push meets the lock
        qtbot.waitUntil(
            lambda: app.login_window is not None and app.login_window.login_error.isVisible(), timeout=30000
        )
        message = app.login_window.login_error.text.text()
        assert "geblokkeerd" in message and "085-4899080" in message
        assert app.window is None and not app.session.unlocked
    finally:
        tablet.close()
        app.shutdown()
