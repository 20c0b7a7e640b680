"""The GUI thread's share of a sync stays small (issue 19): a sync reads again only the lists whose
data it changed, and a list that grew keeps the rows it had (inserted, not reset)."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtWidgets import QTableView

from desktop.cache import queries
from desktop.sync.engine import SyncResult
from desktop.ui.desk_news import ALL_LISTS, MY_CASES, MY_TASKS, QUEUE, lists_changed
from desktop.ui.models import TaskListModel
from tests.client.sync_helpers import Device
from tests.server.work_client import Worker, case_of
from tests.ui.test_werkbak_team import open_app, queue_ids


def test_a_sync_names_the_lists_of_the_kinds_it_brought():
    assert lists_changed({"tasks"}, SyncResult(pulled=1, pages=1)) == {QUEUE, MY_TASKS}
    assert lists_changed({"cases"}, SyncResult(pulled=1, pages=1)) == {MY_CASES}
    assert lists_changed({"preferences"}, SyncResult(pulled=1, pages=1)) == set()
    assert lists_changed({"something-new"}, SyncResult(pulled=1, pages=1)) == ALL_LISTS  # unknown: all
    assert lists_changed({"tasks"}, SyncResult(removed=1)) == ALL_LISTS  # a removal's kind is not counted
    assert lists_changed(set(), SyncResult(pushed=1)) == ALL_LISTS  # the user's own: "not yet sent" marks
    assert lists_changed(set(), SimpleNamespace()) == ALL_LISTS  # a result that says nothing


def test_a_colleagues_new_queue_task_rereads_the_task_lists_not_my_cases(qtbot, service, tmp_path):
    bram = open_app(qtbot, service, Device(service, tmp_path / "bram", "bram"))
    pages = bram.desk.pages
    reads = {MY_CASES: 0, QUEUE: 0}
    pages.my_cases_model.loaded.connect(lambda: reads.__setitem__(MY_CASES, reads[MY_CASES] + 1))
    pages.queue_model.loaded.connect(lambda: reads.__setitem__(QUEUE, reads[QUEUE] + 1))
    qtbot.wait(300)  # the first sync's reads are over
    before = dict(reads)
    anouk = Worker(service, "anouk")
    try:
        pushed = anouk.push_one(
            "task.create",
            {"task_id": "t-stall-1", "case_id": case_of(service, "anouk"), "type": "Bellen", "team_id": "team-jgn"},
        )
        assert pushed["status"] == "applied"
        qtbot.waitUntil(lambda: "t-stall-1" in queue_ids(bram), timeout=30000)  # the live sync brought it
        qtbot.wait(400)  # longer than a burst's coalescing: a My Cases read would have started and ended
        assert reads[QUEUE] > before[QUEUE]
        assert reads[MY_CASES] == before[MY_CASES]
    finally:
        anouk.close()
        bram.shutdown()


def _task(task_id: str) -> queries.TaskRow:
    return queries.TaskRow(
        task_id, "c-1", "Z-1", "Jeugdhulp", None, "Cliënt", "Bellen", None, None, "2026-12-01T09:00:00Z",
        "queued", None, None, "team-jgn", "Jeugd en Gezin Noord", True, "{}", 0,
    )  # fmt: skip


def test_a_task_list_that_gains_and_loses_tasks_moves_rows_in_and_out_without_a_reset(qtbot, qtmodeltester):
    answer = [_task(i) for i in "abcd"]
    model = TaskListModel(lambda query, deliver: deliver(list(answer)), lambda conn: None, TaskListModel.QUEUE_COLUMNS)
    model.refresh_now()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setCurrentIndex(model.index(2, 0))  # "c": the user is reading it
    qtmodeltester.check(model, force_py=True)
    events: list[str] = []
    model.modelReset.connect(lambda: events.append("reset"))
    model.rowsRemoved.connect(lambda _parent, first, last: events.append(f"out {first}-{last}"))
    model.rowsInserted.connect(lambda _parent, first, last: events.append(f"in {first}-{last}"))

    answer[:] = [_task(i) for i in "bcedfg"]  # a picked up elsewhere; e queued in between, f and g at the end
    model.refresh_now()
    assert [t.id for t in model.tasks()] == list("bcedfg")
    assert events == ["out 0-0", "in 2-2", "in 4-5"]
    assert model.task(view.currentIndex().row()).id == "c"  # the selection stayed on the same task

    events.clear()
    answer[:] = [_task(i) for i in "gbcedf"]  # another order (g queued again): a reset
    model.refresh_now()
    assert events == ["reset"] and [t.id for t in model.tasks()] == list("gbcedf")


def test_a_wide_window_gives_the_clients_names_their_share_of_the_room(qtbot, runner, tmp_path):
    from desktop.cache.db import close_cache
    from desktop.ui.tasks import TaskListPage
    from tests.ui.pages import filled_cache, reader_over
    from tests.ui.test_layout import window_with

    cache = filled_cache(tmp_path / "cache.db", 20)
    try:
        model = TaskListModel(reader_over(cache), queries.team_queue, TaskListModel.QUEUE_COLUMNS)
        model.refresh_now()
        page = TaskListPage(False, model, None, runner)
        window = window_with(qtbot, "work_queue", page)
        header, client = page.table.horizontalHeader(), model.column_keys().index("client")
        assert header.sectionSize(client) == 135  # 1280×800: the starting width, as before
        window.resize(1920, 1080)
        qtbot.waitUntil(lambda: header.sectionSize(client) > 200)
        names = [model.index(r, client).data() for r in range(model.rowCount())]
        fits = page.table.fontMetrics().horizontalAdvance
        assert all(fits(name) < header.sectionSize(client) for name in names)  # no client's name elided
        assert header.sectionSize(model.column_keys().index("type")) > header.sectionSize(client)
        header.resizeSection(client, 200)  # the user's own width stays
        window.resize(1600, 1000)
        qtbot.wait(50)
        assert header.sectionSize(client) == 200
    finally:
        close_cache(cache)


def test_a_list_read_is_frozen_out_of_later_full_collections_but_garbage_is_not(qtbot):
    import gc
    import weakref

    from desktop.ui import sync_bridge

    class Node:
        pass

    gc.collect()
    frozen = gc.get_freeze_count()
    try:
        kept = [list(range(1_000)) for _ in range(50)]  # the rows of a list just read
        cycle = Node()
        cycle.me = cycle  # garbage that only a full collection frees
        gone = weakref.ref(cycle)
        del cycle
        sync_bridge.freeze_after_next_full_collection()
        assert gc.get_freeze_count() == frozen  # not now: the garbage would be frozen with it
        gc.collect()
        assert gone() is None  # collected first ...
        assert gc.get_freeze_count() >= frozen + len(kept)  # ... then the survivors frozen
        after, more = gc.get_freeze_count(), [[] for _ in range(100)]
        gc.collect()
        assert gc.get_freeze_count() == after and more  # once per request
    finally:
        gc.unfreeze()
