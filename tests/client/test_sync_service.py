"""The sync engine against the real service over mutual TLS on loopback.

Every change on the service side is made through the API by another enrolled user, as in life.
"""

from __future__ import annotations

import time

import pytest

from desktop import actions
from desktop.cache import queries
from tests.client.sync_helpers import Device
from tests.service_fixtures import wait_until


@pytest.fixture
def devices(service, tmp_path):
    opened = []

    def make(username: str, name: str | None = None):
        device = Device(service, tmp_path / (name or username), username)
        ws = device.workspace()
        opened.append(ws)
        return ws

    yield make
    for ws in reversed(opened):
        ws.close()


def test_full_sync_fills_the_cache(devices):
    anouk = devices("anouk")
    result = anouk.sync()
    assert result.pulled > 0 and result.pages >= 1
    cases = anouk.read(queries.my_cases)
    assert cases, "anouk has cases in Mijn zaken"
    assert all(c.my_role in ("coordinator", "supporter") for c in cases)
    assert anouk.read(queries.teams) and anouk.read(queries.case_types) and anouk.read(queries.preferences)
    again = anouk.sync()
    assert (again.pulled, again.pushed, again.removed) == (0, 0, 0)


def test_progress_reports_pages_and_the_result(devices):
    anouk = devices("anouk")
    events = []

    class Recorder:
        def started(self):
            events.append("started")

        def page(self, n, counts):
            events.append(("page", n, counts["upserted"]))

        def finished(self, result):
            events.append(("finished", result.pulled))

        def failed(self, error):
            events.append(("failed", error))

    anouk.engine.progress = Recorder()
    anouk.engine.page_limit = anouk.engine._next_limit = 20  # several pages from the small demo
    result = anouk.sync()
    pages = [e for e in events if e[0] == "page"]
    assert events[0] == "started" and events[-1] == ("finished", result.pulled)
    assert len(pages) == result.pages > 1
    assert sum(p[2] for p in pages) == result.pulled


def _open_case_with_step(ws):
    for row in ws.read(queries.my_cases):
        detail = ws.read(queries.case_detail, row.id)
        case = detail.case
        if (
            case["status"] == "open"
            and any(s["status"] == "open" for s in case["steps"])
            and case["capabilities"]["add_note"]["allowed"]
        ):
            return case
    raise AssertionError("no open case with an open step")


def test_offline_edits_of_every_kind_are_pushed_after_reconnect(service, devices):
    anouk = devices("anouk")
    anouk.sync()
    colleague = next(c for c in anouk.read(queries.colleagues) if c.id != anouk.session.user["id"] and c.team_ids)
    team = anouk.read(queries.teams)[0]
    cases = [anouk.read(queries.case_detail, r.id).case for r in anouk.read(queries.my_cases)]
    open_cases = [c for c in cases if c["status"] == "open" and c["capabilities"]["close"]["allowed"]]
    note_case, close_case = open_cases[0], open_cases[1]
    step = next(s for s in note_case["steps"] if s["status"] == "open")
    queued = [t for t in anouk.read(queries.team_queue) if t.capabilities.get("pickup", {}).get("allowed")]
    mine = [t for t in anouk.read(queries.my_tasks) if t.capabilities.get("complete", {}).get("allowed")]
    assert len(queued) >= 1 and len(mine) >= 2, "the demo gives anouk queue tasks and own tasks"

    service.stop()
    changes = [
        actions.add_note(anouk, note_case["id"], "Offline notitie: huisbezoek verplaatst."),
        actions.complete_step(anouk, note_case["id"], step["id"], "Stap offline afgerond."),
        actions.add_supporter(anouk, note_case["id"], colleague.id),
        actions.create_task(
            anouk, note_case["id"], "Medische keuring", description="Offline aangemaakt", team_id=team.id
        ),
        actions.pickup(anouk, queued[0].id),
        actions.complete_task(anouk, mine[0].id),
        actions.forward(anouk, mine[1].id, team_id=team.id),
        actions.close_case(anouk, close_case["id"], "administratieve_fout"),
        actions.set_preferences(anouk, {**anouk.read(queries.preferences), "email_on_assigned": False}),
    ]
    assert not any(c.sent for c in changes)
    assert anouk.read(queries.outbox_count) == len(changes)
    # The lists show the offline changes at once.
    assert queued[0].id in {t.id for t in anouk.read(queries.my_tasks)}

    service.start()
    result = anouk.sync()
    assert result.pushed == len(changes), (result.conflicts, result.rejected)
    assert not result.conflicts and not result.rejected
    assert anouk.read(queries.outbox_count) == 0

    # The service holds each of them, once.
    conn = service.db.conn()
    assert (
        conn.execute(
            "SELECT count(*) FROM journal_entries WHERE text = ?", ("Offline notitie: huisbezoek verplaatst.",)
        ).fetchone()[0]
        == 1
    )
    assert conn.execute("SELECT count(*) FROM pushed_mutations").fetchone()[0] == len(changes)
    # And the cache holds the service's state, clean.
    detail = anouk.read(queries.case_detail, note_case["id"])
    assert detail.pending_changes == 0
    assert any(e["text"] == "Offline notitie: huisbezoek verplaatst." for e in detail.case["journal"])
    assert (
        anouk.read(queries.case_detail, close_case["id"]) is None
        or anouk.read(queries.case_detail, close_case["id"]).case["status"] == "closed"
    )


def test_two_offline_pickups_of_one_task_exactly_one_wins_seed_T4(service, devices):
    anouk, bram = devices("anouk"), devices("bram")
    anouk.sync()
    bram.sync()
    shared = {t.id for t in anouk.read(queries.team_queue)} & {t.id for t in bram.read(queries.team_queue)}
    task_id = sorted(shared)[0]
    service.stop()
    assert not actions.pickup(anouk, task_id).sent
    assert not actions.pickup(bram, task_id).sent
    service.start()
    first = anouk.sync()
    second = bram.sync()
    assert first.pushed == 1 and not first.conflicts
    assert second.pushed == 0
    assert second.conflicts == [
        {
            "id": task_id,
            "kind": "task.pickup",
            "reason": second.conflicts[0]["reason"],
            "mutation_id": second.conflicts[0]["mutation_id"],
            "held_by": {"id": anouk.session.user["id"], "display_name": anouk.session.user["display_name"]},
        }
    ]
    holder = service.db.conn().execute("SELECT assignee_id FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
    assert holder == anouk.session.user["id"]
    # Bram's cache no longer shows the task as his; the lost pick-up is kept with who holds it.
    assert task_id not in {t.id for t in bram.read(queries.my_tasks)}
    kept = bram.read(queries.unprocessed_changes)
    assert kept[0].held_by["id"] == anouk.session.user["id"] and kept[0].status == "conflict"


def test_removed_supporter_loses_the_case_at_next_sync(service, devices):
    anouk, bram = devices("anouk"), devices("bram")
    anouk.sync()
    bram.sync()
    case = _open_case_with_step(anouk)
    bram_id = bram.session.user["id"]
    actions.add_supporter(anouk, case["id"], bram_id)
    bram.sync()
    assert bram.read(queries.case_detail, case["id"]) is not None
    actions.remove_supporter(anouk, case["id"], bram_id)
    result = bram.sync()
    assert result.removed >= 1
    assert bram.read(queries.case_detail, case["id"]) is None
    assert case["id"] not in {r.id for r in bram.read(queries.my_cases)}


def test_a_rejected_change_does_not_block_the_rest(service, devices):
    anouk, bram = devices("anouk"), devices("bram")
    anouk.sync()
    bram.sync()
    case = _open_case_with_step(anouk)
    service.stop()
    actions.add_supporter(anouk, case["id"], bram.session.user["id"])
    actions.close_case(anouk, case["id"], "afgerond")
    actions.add_note(anouk, case["id"], "Na het sluiten geschreven.")  # refused: the case is closed
    other = next(r.id for r in anouk.read(queries.my_cases) if r.id != case["id"] and r.status == "open")
    actions.add_note(anouk, other, "Deze gaat gewoon door.")
    service.start()
    result = anouk.sync()
    assert result.pushed == 3
    assert [r["kind"] for r in result.rejected + result.conflicts] == ["journal.add"]
    kept = anouk.read(queries.unprocessed_changes)
    assert kept[0].payload["text"] == "Na het sluiten geschreven."


def test_a_task_placed_in_the_team_queue_arrives_live_within_two_seconds(service, devices):
    anouk, bram = devices("anouk"), devices("bram")
    anouk.sync()
    bram.sync()
    bram.start_live()
    wait_until(lambda: bram.engine.online, timeout=10)
    case = _open_case_with_step(anouk)
    team = next(t for t in anouk.read(queries.teams) if bram.session.user["id"] in {m["id"] for m in t.members})
    change = actions.create_task(anouk, case["id"], "Huisbezoek", description="Wie kan?", team_id=team.id)
    assert change.sent
    placed = time.monotonic()
    wait_until(
        lambda: change.mutation.payload["task_id"] in {t.id for t in bram.read(queries.team_queue)},
        timeout=2.0,
        message="the task in bram's werkbak",
    )
    assert time.monotonic() - placed < 2.0


def test_live_loop_pushes_a_change_at_once_and_survives_an_outage(service, devices):
    anouk = devices("anouk")
    anouk.sync()
    anouk.start_live()
    wait_until(lambda: anouk.engine.online, timeout=10)
    case = _open_case_with_step(anouk)
    actions.add_note(anouk, case["id"], "Live notitie.")
    wait_until(lambda: anouk.read(queries.outbox_count) == 0, timeout=5, message="pushed by the live loop")
    service.stop()
    wait_until(lambda: not anouk.engine.online, timeout=30, message="the loop notices the outage")
    actions.add_note(anouk, case["id"], "Tijdens de storing.")
    service.start()
    anouk.engine.nudge()  # as the GUI's "sync now"; the backoff would also get there
    wait_until(lambda: anouk.read(queries.outbox_count) == 0, timeout=15, message="pushed after the outage")
    conn = service.db.conn()
    assert (
        conn.execute(
            "SELECT count(*) FROM journal_entries WHERE text IN (?, ?)", ("Live notitie.", "Tijdens de storing.")
        ).fetchone()[0]
        == 2
    )


def test_open_case_offline_is_reported_to_the_audit_log(service, devices):
    anouk = devices("anouk")
    anouk.sync()
    case_id = anouk.read(queries.my_cases)[0].id
    service.stop()
    detail = actions.open_case(anouk, case_id)
    assert detail.case["id"] == case_id
    assert anouk.read(lambda conn: conn.execute("SELECT count(*) FROM offline_reads").fetchone()[0]) == 1
    service.start()
    anouk.sync()
    assert anouk.read(lambda conn: conn.execute("SELECT count(*) FROM offline_reads").fetchone()[0]) == 0
    entries = service.audit_entries("case", case_id)
    assert any(e["action"] == "case.read_offline" for e in entries)


def test_an_unknown_cursor_restarts_from_a_snapshot_that_purges_what_left_the_view(devices):
    from desktop.cache import outbox, writes
    from tests.client.factories import make_case, make_page

    anouk = devices("anouk")
    anouk.sync()
    before = {r.id for r in anouk.read(queries.my_cases)}

    def plant_stale_case_and_break_cursor(conn):
        cursor = outbox.read_cursor(conn)
        writes.apply_page(conn, make_page(cursor=cursor, cases=[make_case(999, me=anouk.session.user)]))
        conn.execute("UPDATE sync_state SET cursor = 'niet-meer-geldig'")

    anouk.writer.call(plant_stale_case_and_break_cursor)
    assert "c-999" in {r.id for r in anouk.read(queries.my_cases)}
    result = anouk.sync()
    assert result.removed >= 1
    assert {r.id for r in anouk.read(queries.my_cases)} == before
    assert anouk.read(outbox.read_cursor) != "niet-meer-geldig"


def test_a_gui_workspace_never_pushes_on_the_callers_thread_the_answer_comes_through_progress(service, tmp_path):
    """The GUI's cache lane queues a change; the push runs on the engine's own thread (not live)."""
    import threading

    from desktop.sync.engine import NoProgress

    heard: list = []

    class Progress(NoProgress):
        def finished(self, result) -> None:
            heard.append((threading.current_thread().name, result))

    anouk, bram = Device(service, tmp_path / "anouk", "anouk"), Device(service, tmp_path / "bram", "bram")
    session = anouk.session()
    gui = actions.Workspace(session, Progress(), push_in_background=True)
    try:
        gui.sync()
        first = bram.workspace()
        try:
            first.sync()
            task_id = sorted(
                {t.id for t in gui.read(queries.team_queue)} & {t.id for t in first.read(queries.team_queue)}
            )[0]
            assert actions.pickup(first, task_id).sent  # the command line's way: pushed here, answered
        finally:
            first.close()
        heard.clear()
        change = actions.pickup(gui, task_id)
        assert not change.sent and change.result is None  # queued; the caller did not wait on the network
        wait_until(lambda: heard, timeout=10, message="the background push's answer")
        thread, result = heard[0]
        assert thread == "sync-push" and thread != threading.current_thread().name
        assert [c["mutation_id"] for c in result.conflicts] == [change.mutation.id]  # bram was first (seed T4)
        assert result.settled(change.mutation.id)
    finally:
        gui.close()
        session.close()
