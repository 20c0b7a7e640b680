"""Screens over a real encrypted cache: capabilities, team-queue explanation, T6 warning, auto-lock."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QToolButton

from desktop import actions
from desktop.cache import queries
from desktop.cache.db import close_cache
from desktop.ui.autolock import AutoLock
from desktop.ui.case_view import CaseView, ClosedStepDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.models import TaskListModel
from desktop.ui.notifications import NotificationSettings
from desktop.ui.tasks import TaskListPage
from tests.ui.pages import filled_cache, make_case, reader_over


@pytest.fixture
def cache(tmp_path):
    conn = filled_cache(tmp_path / "cache.db", 12)
    yield conn
    close_cache(conn)


class RecordingCaseActions:
    """Records what the case view asks of the core (`desktop.actions`, where the ops call it), so a
    test sees which actions the view offers; the view gets this object as its workspace."""

    def __init__(self, monkeypatch=None):
        self.calls = []
        if monkeypatch is not None:
            monkeypatch.setattr(actions, "add_note", lambda ws, case_id, text: self.calls.append(("add_note", case_id)))

    def __call__(self):
        return self


def test_non_member_cannot_take_over_case_seed_C8(qtbot, runner):
    view = CaseView(RecordingCaseActions(), runner)
    qtbot.addWidget(view)
    case = make_case(1, random.Random(1), member=False)
    view.show_case(case)
    from PySide6.QtWidgets import QAbstractButton

    role_buttons = [
        b
        for b in view.findChildren(QAbstractButton)
        if b.property("capability") in ("change_coordinator", "add_supporter", "remove_supporter")
    ]
    assert {b.property("capability") for b in role_buttons} == {
        "change_coordinator",
        "add_supporter",
        "remove_supporter",
    }
    for button in role_buttons:
        if True:
            assert not button.isEnabled()
            assert button.isVisibleTo(view)
            assert "zaakcoördinator of een zaakondersteuner" in button.toolTip()


def test_non_member_cannot_edit_case_seed_C5(qtbot, runner, monkeypatch):
    core = RecordingCaseActions(monkeypatch)
    view = CaseView(core, runner)
    qtbot.addWidget(view)
    view.show_case(make_case(1, random.Random(1), member=False))
    assert not view.add_note_button.isEnabled() and not view.note.isEnabled()
    assert not view.close_button.isEnabled()
    view.note.setPlainText("iets")
    view.add_note_button.click()
    assert core.calls == []


def test_member_adds_note_through_the_core_seed_C5(qtbot, runner, monkeypatch):
    core = RecordingCaseActions(monkeypatch)
    view = CaseView(core, runner)
    qtbot.addWidget(view)
    view.show_case(make_case(1, random.Random(1), member=True))  # an open case of mine
    assert view.add_note_button.isEnabled()
    view.note.setPlainText("Gesprek gehad")
    with qtbot.waitSignal(view.changed, timeout=5000):
        view.add_note_button.click()
    assert core.calls == [("add_note", "c-1")]


def test_case_cannot_be_deleted_seed_D3(qtbot, runner):
    view = CaseView(RecordingCaseActions(), runner)
    qtbot.addWidget(view)
    view.show_case(make_case(0, random.Random(1), member=True))
    assert view.delete_button.isVisibleTo(view) and not view.delete_button.isEnabled()
    assert "administratieve fout" in view.delete_button.toolTip()


def test_closed_steps_read_only_behind_magnifier_seed_C6(qtbot, runner):
    view = CaseView(RecordingCaseActions(), runner)
    qtbot.addWidget(view)
    view.show_case(make_case(2, random.Random(1), member=False), read_only_reason="Alleen inzien")
    magnifiers = [b for b in view.findChildren(QToolButton) if b.property("capability") == "read_closed_steps"]
    assert magnifiers and all(b.isEnabled() for b in magnifiers)
    magnifiers[0].click()
    dialog = view.findChild(ClosedStepDialog)
    assert dialog is not None and dialog.isVisible()
    from PySide6.QtWidgets import QPlainTextEdit

    assert dialog.findChild(QPlainTextEdit).isReadOnly()
    dialog.close()


def test_team_queue_task_is_plainly_a_team_task_seed_T5(qtbot, runner, cache):
    model = TaskListModel(reader_over(cache), queries.team_queue, TaskListModel.QUEUE_COLUMNS)
    model.refresh_now()
    page = TaskListPage(False, model, None, runner)
    qtbot.addWidget(page)
    assert page.detail.task is not None and page.detail.task.via_team_queue
    assert "iedereen in team" in page.detail.team_notice.text.text()
    assert page.detail.primary.text() == "Oppakken" and page.detail.primary.isEnabled()
    assert page.detail.forward.isEnabled()
    page.detail.leave.click()
    assert "blijft in de werkbak" in page.message.text.text()


def test_switching_off_team_queue_email_warns_first_seed_T6(qtbot, runner, cache):
    saved = []
    panel = NotificationSettings(runner, save=saved.append)
    qtbot.addWidget(panel)
    panel.show_preferences(queries.preferences(cache), queries.teams(cache))
    box = panel.team_boxes["t-jeugd"]
    assert box.isChecked()
    box.click()
    warning = panel.findChild(QMessageBox, "teamQueueWarning")
    assert warning is not None and warning.isVisible()
    assert "afspraken van uw team" in warning.text()
    assert box.isChecked()  # nothing changes before the user confirms
    cancel = warning.button(QMessageBox.StandardButton.Cancel)
    cancel.click()
    assert box.isChecked()
    box.click()
    warning = [w for w in panel.findChildren(QMessageBox, "teamQueueWarning") if w.isVisible()][0]
    next(b for b in warning.buttons() if b.text() == "Toch uitzetten").click()
    assert not box.isChecked()
    with qtbot.waitSignal(panel.saved, timeout=5000):
        panel.save_button.click()
    assert saved[0]["team_queue_email"] == {"t-jeugd": False, "t-wijk": True}
    assert "version" not in saved[0]


def test_auto_lock_hides_all_data_until_unlocked(qtbot):
    window = MainWindow("Sanne Bakker", "medewerker")
    qtbot.addWidget(window)
    label = QLabel("Z-2026-10001 Julia Visser")
    window.add_page("my_cases", "Mijn zaken", "my-cases", label)
    window.show()
    qtbot.waitExposed(window)
    answers = []

    def check(password, answer):
        answers.append(password)
        answer(password == "goed", "Het wachtwoord klopt niet.")

    lock = AutoLock(window, check, minutes=0.002)  # 120 ms
    qtbot.waitUntil(lambda: lock.overlay.isVisible(), timeout=3000)
    assert not label.isVisible() and not window.centralWidget().isVisible()
    lock.overlay.password.setText("fout")
    lock.overlay.unlock_button.click()
    assert lock.overlay.isVisible() and lock.overlay.error.isVisible()
    lock.overlay.password.setText("goed")
    lock.overlay.unlock_button.click()
    assert not lock.overlay.isVisible() and label.isVisible()
    lock.stop()


def test_status_bar_and_offline_banner_and_f5(qtbot):
    window = MainWindow("Sanne Bakker", "medewerker")
    qtbot.addWidget(window)
    window.show()
    last = datetime(2026, 11, 27, 9, 5, tzinfo=timezone.utc)
    window.set_online(False, last)
    assert window.banner.isVisible()
    assert "Offline — laatst gesynchroniseerd om" in window.banner.text.text()
    window.status.set_pending(3, 0)
    assert window.status.pending.text() == "3 wijzigingen wachten op verzending"
    with qtbot.waitSignal(window.status.pending_clicked, timeout=1000):
        window.status.pending.click()
    window.set_online(True, last)
    assert not window.banner.isVisible()
    assert window.sync_action.shortcut().toString() == "F5"
    with qtbot.waitSignal(window.sync_requested, timeout=1000):
        window.sync_button.click()  # the header button and F5 share one action


def test_admin_navigation_only_for_admin_roles():
    from desktop.ui.labels import ADMIN_ROLES

    assert ADMIN_ROLES == {"lokaal_beheerder", "helpdesk"}


def test_enrollment_preset_by_the_organisation_is_read_only(qtbot, runner, tmp_path):
    from desktop.ui.enrollment import EnrollmentWindow

    calls = []
    window = EnrollmentWindow(
        lambda *args: calls.append(args),
        runner,
        {"service_url": "https://mc.zaanstad.example", "ca_path": str(tmp_path / "ca.pem")},
    )
    qtbot.addWidget(window)
    window.show()
    assert window.service.isReadOnly() and window.ca_path.isReadOnly()
    assert window.service.text() == "https://mc.zaanstad.example"


def test_enrollment_with_an_unreadable_ca_file_says_so_and_does_nothing(qtbot, runner, tmp_path):
    from desktop.ui.enrollment import EnrollmentWindow

    calls = []
    window = EnrollmentWindow(lambda *args: calls.append(args), runner)
    qtbot.addWidget(window)
    window.show()
    window.service.setText("https://mc.zaanstad.example")
    window.ca_path.setText(str(tmp_path / "bestaat-niet.pem"))
    window.username.setText("s.bakker")
    window.password.setText("geheim")
    window.code.setText("ABCD-1234")
    window.submit.click()
    assert window.error.isVisible() and "CA-bestand" in window.error.text.text()
    window.code.clear()
    window.submit.click()
    assert "Vul alle velden in" in window.error.text.text()
    assert calls == []
