"""The GUI thread's share of a sync stays small (issue 19): a sync reads again only the lists whose
data it changed, and a list that grew keeps the rows it had (inserted, not reset)."""

from __future__ import annotations

from types import SimpleNamespace

from desktop.sync.engine import SyncResult
from desktop.ui.desk_news import ALL_LISTS, MY_CASES, MY_TASKS, QUEUE, lists_changed
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
