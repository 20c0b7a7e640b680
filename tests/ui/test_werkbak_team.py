"""Team work as people know it (issue 14), two team members at once against the real service:
forwarding with a note and history, "niet voor mij" until the task changes, the Werkbak of the
user's own teams only, longest waiting first, counted per queue, overdue and new marked."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop.profile import Profile  # noqa: F401 (the session's profile comes from the Device)
from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.ui.main_window import COUNT_ROLE, NEW_COUNT_ROLE, SUB_KEY_ROLE
from desktop.ui.tasks import ForwardDialog
from tests.client.sync_helpers import CHEAP_KDF, Device
from tests.server.work_client import Worker, case_of


def open_app(qtbot, service, device: Device) -> DesktopApp:
    """The user's window after a login and its first sync, with the live sync running."""
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service.password(device.username))
    app = DesktopApp(session)
    with qtbot.waitSignal(app.sync_signals.finished, timeout=30000):
        app.open_main(None)
    qtbot.waitUntil(lambda: not app.runner.pending and app.desk.pages.queue_model.rowCount() > 0, timeout=20000)
    return app


def queue_ids(app: DesktopApp) -> list[str]:
    return [t.id for t in app.desk.pages.queue_model.tasks()]


def select(page, task_id: str) -> None:
    page.table.setCurrentIndex(page.model.index(page.model.row_of(task_id), 0))
    assert page.detail.task.id == task_id


def nav_new(app: DesktopApp, team_id: str) -> tuple[int, str]:
    """The navigation row's "new since you last looked" count, and what a screen reader hears."""
    nav = app.window.navigation
    item = next(nav.item(r) for r in range(nav.count()) if nav.item(r).data(SUB_KEY_ROLE) == team_id)
    return item.data(NEW_COUNT_ROLE), item.data(Qt.ItemDataRole.AccessibleTextRole)


def nav_queues(app: DesktopApp) -> dict[str, tuple[str, int]]:
    """team id → the navigation row's (text, count), for the rows under Werkbak."""
    nav = app.window.navigation
    return {
        nav.item(r).data(SUB_KEY_ROLE): (nav.item(r).text(), nav.item(r).data(COUNT_ROLE))
        for r in range(nav.count())
        if nav.item(r).data(SUB_KEY_ROLE) is not None
    }


def test_forward_to_a_colleague_arrives_with_the_note_and_history_seed_T2(qtbot, service, tmp_path):
    anouk_device, bram_device = Device(service, tmp_path / "anouk", "anouk"), Device(service, tmp_path / "bram", "bram")
    anouk, bram = open_app(qtbot, service, anouk_device), open_app(qtbot, service, bram_device)
    try:
        anouk.window.show_page("work_queue")
        page = anouk.desk.pages.queue_page
        task = page.detail.task
        page.detail.forward.click()
        dialog = page.findChild(ForwardDialog)
        names = [dialog.people.item(r).text() for r in range(dialog.people.count())]
        assert (
            "Anouk Testbergen" not in names and "Bench Proefgebruiker" not in names
        )  # not oneself, no service account
        assert "Ilse Nepveld" not in names  # another organisation's
        dialog.search.setText("voorbeeld")  # a searchable picker
        assert [
            dialog.people.item(r).text() for r in range(dialog.people.count()) if not dialog.people.item(r).isHidden()
        ] == ["Bram Voorbeeldsma"]
        dialog.note_edit.setPlainText("Jij kent dit gezin al; wil jij dit oppakken?")
        dialog.accept()
        qtbot.waitUntil(lambda: task.id not in queue_ids(anouk), timeout=10000)
        mine = bram.desk.pages.my_tasks_page
        qtbot.waitUntil(lambda: mine.model.row_of(task.id) >= 0, timeout=20000)  # the live feed brings it
        bram.window.show_page("my_tasks")
        select(mine, task.id)
        assert "Jij kent dit gezin al" in mine.detail.note.text.text() and mine.detail.note.isVisible()
        assert "Anouk Testbergen" in mine.detail.note.text.text()
        history = mine.detail.history.text()
        assert "Doorgestuurd door Anouk Testbergen naar Bram Voorbeeldsma" in history and "Aangemaakt door" in history
        # Next time anouk forwards, Bram is offered first.
        qtbot.waitUntil(
            lambda: anouk.desk._forward_choices()[2][:1] == [bram_device.service.user_id("bram")], timeout=5000
        )
    finally:
        bram.shutdown()
        anouk.shutdown()


def test_werkbak_own_queues_counted_sorted_marked_and_niet_voor_mij_until_it_changes_seed_T3_T5(
    qtbot, service, tmp_path
):
    anouk_id = service.user_id("anouk")
    # A task of anouk's own case queued for another team: she sees it on her case, never in her Werkbak.
    creator = Worker(service, "anouk")
    other_team_task = "t-for-the-wmo-team"
    case_id = case_of(service, "anouk")
    assert (
        creator.push_one(
            "task.create",
            {"task_id": other_team_task, "case_id": case_id, "type": "Offerte opvragen", "team_id": "team-wmo"},
        )["status"]
        == "applied"
    )
    creator.close()
    overdue = (
        service.db.conn()
        .execute("SELECT id FROM tasks WHERE team_id = 'team-jgn' AND status = 'queued' ORDER BY id LIMIT 1")
        .fetchone()[0]
    )
    with service.db.transaction() as conn:
        conn.execute(
            "UPDATE tasks SET deadline = ? WHERE id = ?", ((date.today() - timedelta(days=3)).isoformat(), overdue)
        )
    anouk_device, bram_device = Device(service, tmp_path / "anouk", "anouk"), Device(service, tmp_path / "bram", "bram")
    anouk, bram = open_app(qtbot, service, anouk_device), open_app(qtbot, service, bram_device)
    try:
        model, page = anouk.desk.pages.queue_model, anouk.desk.pages.queue_page
        anouk.window.show_page("work_queue")
        tasks = model.tasks()
        assert other_team_task not in queue_ids(anouk) and {t.team_id for t in tasks} == {"team-jgn"}
        assert [t.queued_at for t in tasks] == sorted(t.queued_at for t in tasks)  # longest waiting first
        assert nav_queues(anouk) == {"team-jgn": ("Jeugd en Gezin Noord", len(tasks))}
        nav = anouk.window.navigation
        queue_row = next(r for r in range(nav.count()) if nav.item(r).data(SUB_KEY_ROLE) == "team-jgn")
        nav.setCurrentRow(queue_row)  # one queue, chosen in the navigation
        assert model.team() == "team-jgn" and anouk.window.current_page() == "work_queue"
        assert "team Jeugd en Gezin Noord" in page.header.subtitle.text()
        anouk.window.show_page("work_queue")  # the same page again keeps the queue chosen
        assert model.team() == "team-jgn" and nav.currentRow() == queue_row
        keys = model.column_keys()
        late = model.index(model.row_of(overdue), keys.index("deadline"))
        assert late.data().startswith("⚠ ") and "te laat" in late.data(
            Qt.ItemDataRole.AccessibleTextRole
        )  # not colour alone
        assert all(model.index(r, 0).data().startswith("● ") for r in range(model.rowCount()))  # never looked: all new
        assert nav_new(anouk, "team-jgn") == (
            len(tasks),
            f"Werkbak Jeugd en Gezin Noord: {len(tasks)} taken, waarvan {len(tasks)} nieuw sinds u het laatst keek",
        )

        # Leaving the Werkbak marks what it showed as seen (kept in the encrypted cache).
        anouk.window.show_page("my_cases")
        qtbot.waitUntil(lambda: not any(t.new for t in model.tasks()), timeout=10000)
        qtbot.waitUntil(lambda: nav_new(anouk, "team-jgn")[0] == 0, timeout=10000)

        # "Niet voor mij": gone from her Werkbak and her count, still in bram's.
        anouk.window.show_page("work_queue")
        target = queue_ids(anouk)[0]
        select(page, target)
        page.detail.leave.click()
        qtbot.waitUntil(lambda: target not in queue_ids(anouk), timeout=10000)
        assert nav_queues(anouk)["team-jgn"] == ("Jeugd en Gezin Noord", len(tasks) - 1)
        assert "uw teamgenoten zien hem nog" in page.message.text.text()
        conn = service.db.conn()
        qtbot.waitUntil(
            lambda: (
                conn.execute(
                    "SELECT 1 FROM task_dismissals WHERE user_id = ? AND task_id = ?", (anouk_id, target)
                ).fetchone()
                is not None
            ),
            timeout=20000,
        )
        assert target in queue_ids(bram)
        anouk.shutdown()  # kept by the service for her: still hidden after a restart
        anouk = open_app(qtbot, service, anouk_device)
        model, page = anouk.desk.pages.queue_model, anouk.desk.pages.queue_page
        assert target not in queue_ids(anouk)

        # A change of the task brings it back, marked new: bram picks it up and hands it back.
        bram_page = bram.desk.pages.queue_page
        bram.window.show_page("work_queue")
        select(bram_page, target)
        bram_page.detail.primary.click()
        qtbot.waitUntil(lambda: bram.desk.pages.my_tasks_model.row_of(target) >= 0, timeout=10000)
        bram.window.show_page("my_tasks")
        select(bram.desk.pages.my_tasks_page, target)
        bram.desk.pages.my_tasks_page.detail.release.click()
        qtbot.waitUntil(lambda: target in queue_ids(anouk), timeout=30000)
        assert model.task(model.row_of(target)).new
        qtbot.waitUntil(lambda: nav_new(anouk, "team-jgn")[0] == 1, timeout=10000)  # beside the Werkbak count
        assert model.index(model.row_of(target), 0).data(Qt.ItemDataRole.AccessibleTextRole).startswith("Nieuw")
    finally:
        bram.shutdown()
        anouk.shutdown()


def test_long_task_names_elide_with_the_whole_task_in_the_tooltip_at_1280x800(qtbot, runner, tmp_path):
    from desktop.cache import queries
    from desktop.cache.db import close_cache
    from desktop.ui.models import TaskListModel
    from desktop.ui.tasks import TaskListPage
    from tests.ui.pages import filled_cache, reader_over
    from tests.ui.test_layout import window_with

    cache = filled_cache(tmp_path / "cache.db", 20)
    try:
        model = TaskListModel(reader_over(cache), queries.team_queue, TaskListModel.QUEUE_COLUMNS)
        model.refresh_now()
        page = TaskListPage(False, model, None, runner)
        window_with(qtbot, "work_queue", page)
        row = next(r for r in range(model.rowCount()) if len(model.task(r).type) > 60)
        index = model.index(row, model.column_keys().index("type"))
        metrics = page.table.fontMetrics()
        assert metrics.horizontalAdvance(index.data()) > page.table.columnWidth(index.column())  # elided on screen
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        assert model.task(row).type in tip and model.task(row).description in tip  # ... whole in the tooltip
        page.table.setCurrentIndex(index)
        assert page.detail.title.text() == model.task(row).type and page.detail.title.wordWrap()
        assert page.detail.description.text() == model.task(row).description
    finally:
        close_cache(cache)


def test_the_case_views_forward_dialog_offers_recent_colleagues_first_as_the_werkbak_does_seed_T2(qtbot, runner):
    from types import SimpleNamespace

    from desktop.ui.case_view import CaseView

    people = [SimpleNamespace(id=f"usr-{n}", display_name=name) for n, name in enumerate(("Anna", "Bert", "Cees"))]
    teams = [SimpleNamespace(id="team-jgn", name="Jeugd en Gezin Noord")]
    view = CaseView(None, runner, people=lambda: (people, teams, ["usr-2"]))  # the desk's: Cees forwarded to last
    qtbot.addWidget(view)
    task = SimpleNamespace(id="t-1", status="queued", assignee_id=None, forward_teams=[])
    view.tasks_card.forward_requested.emit(task)
    dialog = view.findChild(ForwardDialog)
    assert [dialog.people.item(r).text() for r in range(dialog.people.count())] == ["Cees", "Anna", "Bert"]
    dialog.reject()


def test_the_task_pane_says_a_task_was_completed_by_closing_its_case_issue14(qtbot):
    from desktop.ui.tasks import TaskDetail

    detail = TaskDetail(mine=True)
    qtbot.addWidget(detail)
    anouk = {"id": "usr-anouk", "display_name": "Anouk Testbergen"}
    history = [
        {"event": "created", "at": "2026-12-01T09:00:00Z", "actor": anouk},
        {"event": "case_closed", "at": "2026-12-02T09:00:00Z", "actor": anouk},
    ]
    assert "Afgerond: Anouk Testbergen heeft de zaak afgesloten" in detail.history_lines(history)[-1]
