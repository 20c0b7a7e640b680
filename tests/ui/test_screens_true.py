"""Issue 14: screens that stay true after the user's own action, messages that help, role changes
that ask first, and log out back to the login window; against the real service over mutual TLS."""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from desktop import actions
from desktop.cache import queries
from desktop.session import Session
from desktop.sync import engine as engine_mod
from desktop.ui.app import DesktopApp
from tests.client.sync_helpers import Device
from tests.ui.test_app_service import CHEAP_KDF, started_app


def _case_of(service, coordinator: str) -> tuple[str, str]:
    """(id, number) of an open case whose coordinator is `coordinator`, without supporters."""
    return (
        service.db.conn()
        .execute(
            "SELECT id, number FROM cases WHERE status = 'open' AND coordinator_id = ? "
            "AND id NOT IN (SELECT case_id FROM case_supporters) ORDER BY number LIMIT 1",
            (service.user_id(coordinator),),
        )
        .fetchone()
    )


def _open_case(qtbot, app: DesktopApp, case_id: str):
    app.desk.open_case(case_id)
    view = app.desk.pages.case_view
    qtbot.waitUntil(lambda: app.window.pages.currentWidget() is view and view.case.get("id") == case_id, timeout=20000)
    return view


def _visible_boxes(cls, name: str):
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, cls) and w.objectName() == name and w.isVisible()
    ]


def test_logout_returns_to_the_login_window_instead_of_quitting(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "bram")
    closed: list[bool] = []
    QApplication.instance().lastWindowClosed.connect(lambda: closed.append(True))
    try:
        app.window.logout_action.trigger()
        assert app.window is None
        assert app.login_window is not None and app.login_window.isVisible()
        assert closed == []  # the main window went while the login window was up: Qt would have quit
        assert app.login_window.username.text() == "bram"
        assert "afgemeld" in app.login_window.login_error.text.text()
        qtbot.waitUntil(lambda: not app.session.unlocked and not app.runner.pending, timeout=20000)
        with qtbot.waitSignal(app.main_window_shown, timeout=20000):  # and back in, the same app
            app.login_window.password.setText(service.password("bram"))
            app.login_window.login_button.click()
    finally:
        app.shutdown()


def test_role_changes_ask_first_and_every_open_window_follows_seed_C7(qtbot, service, tmp_path):
    """Two team members and an administrator at once: anouk adds bram, then removes him after a
    confirmation that says what he loses; bram's open case view turns read-only by itself."""
    case_id, number = _case_of(service, "anouk")
    anouk = started_app(qtbot, service, tmp_path, "anouk")
    bram = started_app(qtbot, service, tmp_path, "bram")
    gerrit = started_app(qtbot, service, tmp_path, "gerrit")
    bram_id = service.user_id("bram")
    try:
        view = _open_case(qtbot, anouk, case_id)
        view.people.add_supporter_button.click()
        from desktop.ui.case_people import ColleagueDialog

        add = next(d for d in view.findChildren(ColleagueDialog) if d.isVisible())
        assert "Alleen de zaakcoördinator en de zaakondersteuners" in add.explanation.text()
        add.choice.setCurrentIndex(add.choice.findData(bram_id))
        add.accept()
        qtbot.waitUntil(lambda: bram.desk.pages.my_cases_model.row_of(case_id) >= 0, timeout=20000)  # live feed
        bram_view = _open_case(qtbot, bram, case_id)
        assert bram_view.add_note_button.isEnabled()
        # anouk's view shows the service's state (no "wordt verstuurd" left, bram listed)
        qtbot.waitUntil(
            lambda: (
                not view.pending_notice.isVisibleTo(view)
                and any(s.get("id") == bram_id for s in view.case.get("supporters", []))
            ),
            timeout=20000,
        )

        remove = next(
            b
            for b in view.people.findChildren(QPushButton.__base__)
            if b.property("capability") == "remove_supporter" and b.isEnabled()
        )
        remove.click()
        box = _visible_boxes(QMessageBox, "roleChangeConfirmation")[0]
        assert "Bram Voorbeeldsma" in box.text() and number in box.text()
        assert "niet meer bewerken" in box.informativeText() and "Mijn zaken" in box.informativeText()
        box.button(QMessageBox.StandardButton.Cancel).click()  # no: nothing changes
        assert bram_id in {
            r[0] for r in service.db.conn().execute("SELECT user_id FROM case_supporters WHERE case_id = ?", (case_id,))
        }
        remove.click()
        box = _visible_boxes(QMessageBox, "roleChangeConfirmation")[0]
        box.remove_button.click()
        qtbot.waitUntil(
            lambda: (
                not service.db.conn()
                .execute("SELECT 1 FROM case_supporters WHERE case_id = ? AND user_id = ?", (case_id, bram_id))
                .fetchone()
            ),
            timeout=20000,
        )
        # bram's window follows: the case leaves his list, the open view keeps no buttons, says why
        qtbot.waitUntil(lambda: bram_view.read_only_notice.isVisibleTo(bram_view), timeout=20000)
        assert "geen zaakcoördinator of zaakondersteuner meer" in bram_view.read_only_notice.text.text()
        assert not bram_view.add_note_button.isEnabled() and not bram_view.close_button.isEnabled()
        assert not bram_view.people.add_supporter_button.isEnabled()
        qtbot.waitUntil(lambda: bram.desk.pages.my_cases_model.row_of(case_id) < 0, timeout=20000)
        # anouk's view: bram gone, nothing said to be on its way
        qtbot.waitUntil(
            lambda: (
                not any(s.get("id") == bram_id for s in view.case.get("supporters", []))
                and not view.pending_notice.isVisibleTo(view)
            ),
            timeout=20000,
        )
        # and the administrator, searching, sees the service's state
        gerrit.window.show_page("search")
        page = gerrit.desk.pages.search_page
        page.term.setText(number)
        page.button.click()
        qtbot.waitUntil(lambda: page.results.count() == 1, timeout=20000)
        page._open(page.results.item(0))
        assert not any(s.get("id") == bram_id for s in gerrit.desk.pages.case_view.case.get("supporters", []))
    finally:
        for app in (anouk, bram, gerrit):
            app.shutdown()


def test_changing_the_coordinator_says_what_the_old_one_loses_then_the_view_turns_read_only_seed_C7(
    qtbot, service, tmp_path
):
    case_id, number = _case_of(service, "anouk")
    anouk = started_app(qtbot, service, tmp_path, "anouk")
    bram_id = service.user_id("bram")
    try:
        view = _open_case(qtbot, anouk, case_id)
        change = next(
            b
            for b in view.people.findChildren(QPushButton.__base__)
            if b.property("capability") == "change_coordinator"
        )
        change.click()
        from desktop.ui.case_people import ColleagueDialog

        dialog = next(d for d in view.findChildren(ColleagueDialog) if d.isVisible())
        dialog.choice.setCurrentIndex(dialog.choice.findData(bram_id))
        said = dialog.consequence.text()
        assert "Bram Voorbeeldsma wordt zaakcoördinator" in said
        assert "Anouk Testbergen is dan geen zaakcoördinator meer" in said and "Mijn zaken" in said
        assert "precies één zaakcoördinator" in dialog.explanation.text()
        dialog.accept()
        qtbot.waitUntil(
            lambda: (
                service.db.conn().execute("SELECT coordinator_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
                == bram_id
            ),
            timeout=20000,
        )
        # anouk is no longer on the case: her open view keeps no buttons, and her list lets it go
        qtbot.waitUntil(lambda: view.read_only_notice.isVisibleTo(view), timeout=20000)
        assert not view.add_note_button.isEnabled() and not view.new_task_button.isEnabled()
        qtbot.waitUntil(lambda: anouk.desk.pages.my_cases_model.row_of(case_id) < 0, timeout=20000)
    finally:
        anouk.shutdown()


def test_live_sync_is_back_within_5_s_of_the_service_returning(qtbot, service, tmp_path, monkeypatch):
    """While the service is down the probe interval never grows past 2.5 s + 2 s spread (today it
    doubled to a minute); then online again, banner gone, within 5 s."""
    app = started_app(qtbot, service, tmp_path, "bram")
    waits: list[float] = []
    real_wait = engine_mod.SyncEngine._wait_or_stop
    try:
        qtbot.waitUntil(lambda: app.desk.workspace.engine.online, timeout=20000)
        # the quiet feed moves "last synchronised": the status bar follows each answer of the long-poll
        assert app.desk.workspace.engine.last_heard_at is not None

        def quick_wait(self, seconds):  # the outage in fast motion; the delays asked for are kept
            waits.append(seconds)
            return real_wait(self, seconds / 20)

        monkeypatch.setattr(engine_mod.SyncEngine, "_wait_or_stop", quick_wait)
        service.stop()
        qtbot.waitUntil(lambda: len(waits) >= 7, timeout=30000)
        assert max(waits) <= engine_mod.RECONNECT_PROBE_SECONDS + engine_mod.RECONNECT_SPREAD_SECONDS
        qtbot.waitUntil(lambda: app.window.status.connection.text() == "Offline", timeout=10000)
        monkeypatch.setattr(engine_mod.SyncEngine, "_wait_or_stop", real_wait)
        service.start()
        back = time.monotonic()
        qtbot.waitUntil(lambda: app.window.status.connection.text() == "Online", timeout=8000)
        assert time.monotonic() - back <= 5.5
        assert not app.window.banner.isVisible()
    finally:
        app.shutdown()


def test_pending_list_names_the_case_and_opens_it(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        from tests.ui.test_app_service import first_open_case

        case_id = first_open_case(app)
        number = queries.case_detail(app.desk.read_conn, case_id).case["number"]
        app.desk.workspace.engine.stop()  # nothing is sent: the change waits in the list
        app.session.close_transport()
        actions.add_note(app.desk.workspace, case_id, "Wacht op verzending")
        app.desk.show_pending()
        dialog = next(w for w in app.window.findChildren(QMessageBox.__base__) if w.objectName() == "pendingChanges")
        texts = " ".join(label.text() for label in dialog.findChildren(type(app.window.status.connection)))
        assert f"Aantekening toevoegen · Zaak {number}" in texts
        opener = next(b for b in dialog.findChildren(QPushButton) if b.property("opens") == case_id)
        opener.click()
        view = app.desk.pages.case_view
        qtbot.waitUntil(
            lambda: app.window.pages.currentWidget() is view and view.case.get("id") == case_id, timeout=10000
        )
        assert "zodra er verbinding is" in view.pending_notice.text.text()  # offline: true, not "now"
    finally:
        app.shutdown()


def test_pickup_on_a_list_that_had_not_caught_up_says_a_colleague_has_it_seed_T4(qtbot, service, tmp_path):
    """The loser whose cache already heard of the winner (the task left her view) is told so in
    words; never a raw code or advice to call the coordinator (today: "not in your offline data")."""
    anouk = started_app(qtbot, service, tmp_path, "anouk")
    bram = Device(service, tmp_path / "bram", "bram")
    try:
        qtbot.waitUntil(lambda: anouk.desk.pages.queue_model.rowCount() > 0, timeout=20000)
        task = anouk.desk.pages.queue_model.tasks()[0]
        ws = bram.workspace()
        try:
            ws.sync()
            assert actions.pickup(ws, task.id).conflict is None
        finally:
            ws.close()
        gone = lambda: not any(t.id == task.id for t in queries.team_queue(anouk.desk.read_conn))  # noqa: E731
        qtbot.waitUntil(gone, timeout=20000)  # the live feed
        try:
            actions.pickup(anouk.desk.workspace, task.id)
            raise AssertionError("the pick-up was queued")
        except (actions.TaskTaken, actions.TaskLeftQueue) as exc:
            sentence, refusal = exc.message(), exc
        if isinstance(refusal, actions.TaskTaken):
            assert sentence == "Bram Voorbeeldsma had deze taak al opgepakt."
        else:
            assert sentence.startswith("Deze taak staat niet meer in uw werkbak: een collega heeft haar al opgepakt")
        assert "coördinator" not in sentence and task.id not in sentence and "-" not in sentence
    finally:
        anouk.shutdown()


def test_login_window_says_the_service_is_unreachable_before_the_user_tries_seed_L2(qtbot, service, tmp_path):
    device = Device(service, tmp_path / "eva", "eva")
    service.stop()
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    try:
        started = time.monotonic()
        app.start()
        assert time.monotonic() - started < 1.0  # the probe runs off the GUI thread
        login = app.login_window
        qtbot.waitUntil(lambda: login.reachability.isVisible(), timeout=15000)
        assert "niet bereikbaar" in login.reachability.text.text()
        assert login.password.text() == ""  # before any try
        # and the diagnosis beside it names the three secure ways
        qtbot.waitUntil(lambda: login.diagnosis.isVisible(), timeout=20000)
        text = login.diagnosis.panel.plain_text()
        assert "Gemnet" in text and "IP-adres" in text and "Mobiel Werken" in text
    finally:
        app.shutdown()
        service.start()


def test_diagnosis_names_the_three_ways_and_never_ticks_what_it_could_not_check_seed_L1_L2(qtbot, service, tmp_path):
    from desktop.sync import doctor
    from desktop.ui.diagnosis import DiagnosisFrame

    device = Device(service, tmp_path / "eva", "eva")
    service.stop()
    try:
        report = doctor.diagnose(device.profile, device.secrets, timeout=2.0)
    finally:
        service.start()
    frame = DiagnosisFrame()
    qtbot.addWidget(frame)
    frame.panel.show_report(report.checks, report.missing)
    lines = frame.panel.plain_text().splitlines()
    assert frame.panel.ways_title.isVisibleTo(frame)
    assert any(line.startswith("[..] Gemnet") and "niet gecontroleerd" in line for line in lines)
    assert any(line.startswith("[ok] Mobiel Werken") and "aanwezig" in line for line in lines)
    # the account was not asked: not checked, no green tick
    assert any(line.startswith("[..] Account") for line in lines)
    assert not any(line.startswith("[ok]") and ("Account" in line or "accepteert" in line) for line in lines)


def test_f1_help_answers_what_the_helpdesk_keeps_being_asked_seed_T5_C2_L4(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "eva")
    try:
        assert app.window.help_action.shortcut().toString() == "F1"
        app.window.help_action.trigger()
        from desktop.ui.help import HelpDialog

        dialog = next(d for d in app.window.findChildren(HelpDialog) if d.isVisible())
        text = dialog.plain_text()
        for topic in (
            "Werkbak of Mijn taken?",
            "Waarom kreeg iedereen in het team de e-mail?",
            "Zaakcoördinator en zaakondersteuner",
            "Werken zonder verbinding",
            "Geblokkeerd of wachtwoord kwijt?",
        ):
            assert topic in text
        assert "meer dan 10 keer" in text and "085-4899080" in text  # who to call when locked out
        assert "&#" not in text and "&amp;" not in text
    finally:
        app.shutdown()


def test_no_user_facing_text_shows_a_problem_code_or_an_html_entity(qtbot):
    """Every translated string (.ts, both languages) and every error sentence: no problem code
    (`task-held-by-other`), no placeholder that puts one in, no HTML entity (&#x27;)."""
    import inspect
    import re
    import xml.etree.ElementTree as ET

    from desktop import errors, i18n
    from desktop.ui import labels
    from desktop.ui.diagnosis import DiagnosisPanel

    codes = (
        {
            cls.code
            for module in (errors, actions)
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, errors.ClientError)
        }
        | set(labels.REASONS)
        | set(actions.CHANGE_REASONS)
    )
    codes = {code for code in codes if "-" in code}
    entity = re.compile(r"&(#x?[0-9a-fA-F]+|[a-zA-Z]+);")
    code_word = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(codes))) + r")(?![\w-])")
    raw = re.compile(r"\((code )?\{(code|status|reason)\}\)")  # "(code {status})": a code put in a sentence
    found = []
    for ts in sorted(i18n.I18N_DIR.glob("*.ts")):
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name")
            for message in context.iter("message"):
                texts = (
                    [message.findtext("source") or ""]
                    + [t.text or "" for t in message.iter("translation")]
                    + [f.text or "" for f in message.iter("numerusform")]
                )
                for text in texts:
                    # The command line's change reports are the `fresh` branch's (they name the code for scripts).
                    if entity.search(text) or code_word.search(text) or (raw.search(text) and name != "Cli"):
                        found.append(f"{ts.name}:{name}: {text}")
    sentences = (
        [
            cls.text
            for module in (errors, actions)
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, errors.ClientError)
        ]
        + list(errors.STUCK_REASONS.values())
        + [errors.STUCK_OTHER]
    )
    found += [s for s in sentences if entity.search(s) or code_word.search(s) or raw.search(s)]
    assert found == []
    assert "weird-code" not in errors.stuck_reason("weird-code")
    assert "task-held-by-other" not in actions.ChangeNotAllowed(reason="task-held-by-other").message()
    # a title with an apostrophe in a plain label stays an apostrophe
    panel = DiagnosisPanel()
    qtbot.addWidget(panel)
    panel.show_report([{"name": "x", "label": "Dienst 'X'", "ok": True, "message": ""}])
    assert [label.text() for label in panel.findChildren(type(panel.summary)) if "'X'" in label.text()] == [
        "Dienst 'X'"
    ]


def test_a_note_written_offline_keeps_its_time_shown_and_stored(qtbot, service, tmp_path, monkeypatch):
    """Written 40 minutes before the service received it: the service keeps both times, and the
    case view shows when it was written (and when it arrived), not the time of the sync."""
    import datetime as dt
    from types import SimpleNamespace

    app = started_app(qtbot, service, tmp_path, "anouk")
    conn = service.db.conn()
    conn.execute("UPDATE devices SET enrolled_at = '2020-01-01T00:00:00Z'")  # the note is after enrolment
    conn.commit()
    try:
        from tests.ui.test_app_service import first_open_case

        case_id = first_open_case(app)
        view = _open_case(qtbot, app, case_id)
        written = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=40)
        monkeypatch.setattr(app.session, "time_now", lambda: SimpleNamespace(local=written, estimated=written))
        view.note.setPlainText("Huisbezoek gedaan, zonder bereik geschreven")
        view.add_note_button.click()
        stored = lambda: conn.execute(  # noqa: E731
            "SELECT written_at, created_at FROM journal_entries WHERE text = ?",
            ("Huisbezoek gedaan, zonder bereik geschreven",),
        ).fetchone()
        qtbot.waitUntil(lambda: stored() is not None, timeout=20000)
        written_at, received_at = stored()
        assert abs((dt.datetime.fromisoformat(written_at.replace("Z", "+00:00")) - written).total_seconds()) < 1
        assert dt.datetime.fromisoformat(received_at.replace("Z", "+00:00")) - written > dt.timedelta(minutes=39)
        # shown: the written time, with the received time beside it (after the service's answer too)
        entry = lambda: next((e for e in view.case.get("journal", []) if e["text"].startswith("Huisbezoek gedaan")), {})  # noqa: E731
        qtbot.waitUntil(
            lambda: not view.pending_notice.isVisibleTo(view) and entry().get("created_at") == received_at,
            timeout=20000,
        )
        from desktop.timefmt import local_time

        labels = [
            label.text() for label in view.findChildren(type(view.header.title)) if "offline geschreven" in label.text()
        ]
        assert labels and local_time(clock_stamp(written)) in labels[0]
    finally:
        app.shutdown()


def clock_stamp(moment) -> str:
    from desktop import clock

    return clock.stamp(moment)


def _offline_desk(qtbot, service, device: Device, password: str) -> tuple[DesktopApp, str]:
    """The service down, the app started and logged in offline; a case of the user's to write in."""
    ws = device.workspace()
    try:
        ws.sync()
        case_id = next(r.id for r in ws.read(queries.my_cases) if r.status == "open")
    finally:
        ws.close()
    service.stop()
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    app.start()
    app.login_window.password.setText(password)
    with qtbot.waitSignal(app.main_window_shown, timeout=20000):
        app.login_window.login_button.click()
    assert app.window.banner.isVisible() and app.window.status.connection.text() == "Offline"
    return app, case_id


def _sent_once(qtbot, service, app: DesktopApp, text: str) -> None:
    conn = service.db.conn()
    count = lambda: conn.execute("SELECT count(*) FROM journal_entries WHERE text = ?", (text,)).fetchone()[0]  # noqa: E731
    qtbot.waitUntil(lambda: count() == 1 and app.desk.workspace.read(queries.outbox_count) == 0, timeout=20000)
    app.desk.workspace.engine.nudge()  # another round of the live sync sends nothing again
    qtbot.wait(300)
    assert count() == 1


def test_a_desk_that_started_offline_goes_online_by_itself_within_5_s_issue14(qtbot, service, tmp_path):
    device = Device(service, tmp_path / "bram", "bram")
    app, case_id = _offline_desk(qtbot, service, device, service.password("bram"))
    try:
        actions.add_note(app.desk.workspace, case_id, "Offline geschreven, later verstuurd")
        service.start()
        back = time.monotonic()
        qtbot.waitUntil(lambda: app.window.status.connection.text() == "Online", timeout=8000)
        # 2.5 s + up to 2 s of spread, then the exchange (measured 2.8-3.2 s); slack for a loaded machine
        assert time.monotonic() - back <= 5.5  # no password typed, no dialog
        assert not app.window.banner.isVisible() and not app.desk.autolock.overlay.isVisible()
        _sent_once(qtbot, service, app, "Offline geschreven, later verstuurd")
    finally:
        app.shutdown()


def test_a_refused_resume_says_why_and_the_password_brings_the_desk_online_seed_L3(qtbot, service, tmp_path):
    from tests.service_fixtures import API, enrolled_client, login

    device = Device(service, tmp_path / "anouk", "anouk")
    app, case_id = _offline_desk(qtbot, service, device, service.password("anouk"))
    new_password = "een-heel-nieuw-wachtwoord-2026"
    try:
        actions.add_note(app.desk.workspace, case_id, "Geschreven voor het nieuwe wachtwoord")
        app.desk.reconnect.timer.stop()  # the password changes before the desk asks again
        service.start()
        with enrolled_client(service, "anouk") as tablet:  # meanwhile, on another device
            login(tablet, "anouk", service.password("anouk"))
            changed = tablet.post(
                f"{API}/password", json={"current_password": service.password("anouk"), "new_password": new_password}
            )
            assert changed.status_code == 200
        app.desk.reconnect.soon()
        qtbot.waitUntil(lambda: "wachtwoord is intussen gewijzigd" in app.window.banner.text.text(), timeout=8000)
        app.window.sync_action.trigger()  # "Nu synchroniseren": the password, then online
        overlay = app.desk.autolock.overlay
        qtbot.waitUntil(lambda: overlay.isVisible() and "weer bereikbaar" in overlay.error.text.text(), timeout=5000)
        overlay.password.setText(new_password)
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: app.window.status.connection.text() == "Online", timeout=20000)
        assert not app.window.banner.isVisible() and not overlay.isVisible()
        _sent_once(qtbot, service, app, "Geschreven voor het nieuwe wachtwoord")
    finally:
        app.shutdown()


def test_a_case_closed_offline_offers_no_more_edits_at_once(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        from tests.ui.test_app_service import first_open_case

        case_id = first_open_case(app)
        app.desk.workspace.engine.stop()
        app.session.close_transport()  # offline: the service's capabilities cannot come back yet
        view = _open_case(qtbot, app, case_id)
        assert view.close_button.isEnabled()
        view.close_button.click()
        from desktop.ui.case_view import CloseCaseDialog

        next(d for d in view.findChildren(CloseCaseDialog) if d.isVisible()).accept()
        qtbot.waitUntil(lambda: view.case.get("status") == "closed", timeout=10000)
        assert not view.close_button.isEnabled() and not view.add_note_button.isEnabled()
        assert not view.new_task_button.isEnabled() and not view.people.add_supporter_button.isEnabled()
        assert view.add_note_button.toolTip() == "De zaak is afgesloten."
        assert "zodra er verbinding is" in view.pending_notice.text.text()
    finally:
        app.shutdown()


def test_banner_and_diagnosis_never_disagree(qtbot, service, tmp_path):
    """Started offline, the service back: the diagnosis finds it, and the desk goes online at once
    (its resume token), so the banner goes too."""
    from desktop.ui.diagnosis import DiagnosisFrame

    device = Device(service, tmp_path / "eva", "eva")
    service.stop()
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    try:
        app.start()
        app.login_window.password.setText(service.password("eva"))
        with qtbot.waitSignal(app.main_window_shown, timeout=20000):
            app.login_window.login_button.click()
        app.desk.reconnect.timer.stop()  # only the diagnosis may notice
        service.start()
        app.window.diagnose_action.trigger()
        frame = next(w for w in app.window.findChildren(DiagnosisFrame))
        qtbot.waitUntil(lambda: frame.panel.summary.text() != "", timeout=20000)
        assert frame.panel.summary.text() == "De verbinding met de dienst werkt."
        qtbot.waitUntil(lambda: app.window.status.connection.text() == "Online", timeout=3000)
        assert not app.window.banner.isVisible()
    finally:
        app.shutdown()


def test_help_and_role_dialogs_speak_english_and_switch_in_place(qtbot):
    import subprocess
    import sys

    from desktop import i18n
    from desktop.ui.case_people import confirm_remove_supporter
    from desktop.ui.help import HelpDialog

    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, capture_output=True)
    try:
        i18n.install_language("en")
        dialog = HelpDialog({})
        qtbot.addWidget(dialog)
        assert "Work queue or My tasks?" in dialog.plain_text()
        box = confirm_remove_supporter(dialog, "Bram", "Z-1")
        assert box.text() == "Remove Bram as a supporter of case Z-1?"
        i18n.install_language("nl")  # a LanguageChange event: the open dialog follows
        qtbot.waitUntil(lambda: "Werkbak of Mijn taken?" in dialog.plain_text(), timeout=2000)
    finally:
        i18n.install_language("nl")
