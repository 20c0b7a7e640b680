"""Only the service decides that a change is refused, and only per mutation (issue 12).

The real service over mutual TLS, with HTTP-level faults injected in front of it
(tests/faulty_service.py): whole-push refusals, partial answers, a change refused as a whole
request on its own (stuck), and the rollback of refused optimistic edits. Each test ends by
comparing the cache with the service's own view of the user.
"""

from __future__ import annotations

import json
import time

import pytest

from desktop import actions, errors
from desktop.cache import outbox, queries
from tests.client.sync_helpers import Device
from tests.client.test_sync_cli import enrolled  # noqa: F401 - a fixture
from tests.faulty_service import (
    PUSH,
    FaultInjector,
    answer,
    contains_mutation,
    drop_results,
    garbled,
    gateway,
    rate_limited,
    truncate_push,
)
from tests.server.work_client import Worker
from tests.service_fixtures import wait_until


@pytest.fixture
def faults(service):
    return FaultInjector.install(service)


@pytest.fixture
def devices(service, tmp_path):
    opened = []

    def make(username: str):
        ws = Device(service, tmp_path / username, username).workspace()
        opened.append(ws)
        return ws

    yield make
    for ws in reversed(opened):
        ws.close()


def cached_view(ws) -> dict:
    def read(conn):
        cases = {
            cid: json.loads(doc)
            for cid, doc in conn.execute("SELECT c.id, d.doc FROM cases c JOIN case_docs d ON d.id = c.id")
        }
        tasks = {
            tid: (status, assignee, version)
            for tid, status, assignee, version in conn.execute("SELECT id, status, assignee_id, version FROM tasks")
        }
        dirty = conn.execute(
            "SELECT (SELECT count(*) FROM cases WHERE dirty > 0) + (SELECT count(*) FROM tasks WHERE dirty > 0)"
        ).fetchone()[0]
        return cases, tasks, dirty

    return ws.read(read)


def assert_cache_equals_service(ws, service, username: str) -> None:
    """The cache holds exactly what the service shows this user (a fresh snapshot of its own)."""
    worker = Worker(service, username)
    try:
        seen = worker.pull_all()
    finally:
        worker.close()
    cases, tasks, dirty = cached_view(ws)
    assert dirty == 0
    assert set(cases) == set(seen["cases"])
    for case_id, case in seen["cases"].items():
        assert cases[case_id] == case, case_id
    assert tasks == {
        t["id"]: (t["status"], (t.get("assignee") or {}).get("id"), t["version"]) for t in seen["tasks"].values()
    }


def offline_notes(ws, count: int) -> list:
    """`count` notes spread over the user's open cases, as made offline (not sent yet)."""
    open_cases = [r.id for r in ws.read(queries.my_cases) if r.status == "open"]
    made = []
    for n in range(count):
        made.append(
            ws.writer.call(
                outbox.queue,
                "journal.add",
                {
                    "case_id": open_cases[n % len(open_cases)],
                    "entry_id": f"offline-{n}",
                    "text": f"Offline notitie {n}.",
                },
            )
        )
    return made


def test_whole_push_429_404_409_500_or_garbled_never_loses_a_change_and_all_apply_once_after(service, faults, devices):
    anouk = devices("anouk")
    anouk.sync()
    made = offline_notes(anouk, 60)
    assert anouk.read(queries.outbox_count) == 60
    for fault in (
        rate_limited(retry_after=7),
        gateway(404),
        gateway(409),
        gateway(502),
        answer(500, "internal"),
        garbled(),
        garbled(applied=True),
    ):
        faults.add(fault)
        with pytest.raises(
            errors.InvalidResponse if fault.name.startswith("garbled") else errors.PushNotAccepted
        ) as failed:
            anouk.sync()
        faults.clear()
        if fault.name == "rate-limited":
            assert failed.value.retry_after == 7
        # Nothing was marked refused or lost: every change is still queued, none shown as refused.
        assert anouk.read(queries.outbox_count) == 60, fault.name
        assert anouk.read(queries.unprocessed_changes) == []
    result = anouk.sync()
    assert result.complete and not result.rejected and not result.conflicts
    assert anouk.read(queries.outbox_count) == 0
    # Each applied exactly once (the garbled answer of an applied push was retried, not repeated).
    conn = service.db.conn()
    entries = [row[0] for row in conn.execute("SELECT id FROM journal_entries WHERE id LIKE 'offline-%'")]
    assert sorted(entries) == sorted(m.payload["entry_id"] for m in made)
    assert_cache_equals_service(anouk, service, "anouk")


def test_live_loop_honours_retry_after_and_pushes_when_the_fault_clears(service, faults, devices):
    anouk = devices("anouk")
    anouk.sync()
    case_id = next(r.id for r in anouk.read(queries.my_cases) if r.status == "open")
    faults.record = True
    faults.add(rate_limited(retry_after=2), times=1)
    anouk.start_live()
    wait_until(lambda: anouk.engine.online, timeout=10)
    actions.add_note(anouk, case_id, "Live, na de 429.")
    time.sleep(0.2)
    anouk.engine.nudge()  # an impatient user: must not cut the service's pause short
    wait_until(lambda: anouk.read(queries.outbox_count) == 0, timeout=15, message="pushed after Retry-After")
    pushes = [(at, fault) for at, method, path, fault in faults.requests if path == PUSH]
    refused_at = next(at for at, fault in pushes if fault == "rate-limited")
    retried_at = next(at for at, fault in pushes if at > refused_at)
    assert retried_at - refused_at >= 1.9
    assert anouk.read(queries.unprocessed_changes) == []


def _coordinated_case(ws):
    return next(
        r.id
        for r in ws.read(queries.my_cases)
        if r.status == "open"
        and r.my_role == "coordinator"
        and ws.read(queries.case_detail, r.id).case["capabilities"]["change_coordinator"]["allowed"]
    )


def test_partial_answer_asks_the_outcome_before_purging_applied_quietly_refused_listed(service, faults, devices):
    anouk = devices("anouk")
    anouk.sync()
    case_id = _coordinated_case(anouk)
    bram_id = service.user_id("bram")
    queue = lambda kind, payload: anouk.writer.call(outbox.queue, kind, payload)  # noqa: E731 - offline
    note = queue("journal.add", {"case_id": case_id, "entry_id": "p-1", "text": "Voor de overdracht."})
    handover = queue("case.set_coordinator", {"case_id": case_id, "user_id": bram_id})  # anouk leaves the case
    late = queue("journal.add", {"case_id": case_id, "entry_id": "p-2", "text": "Na de overdracht."})
    # The service applies all three; its answer loses every result.
    faults.add(drop_results(lambda r: True), times=1)
    result = anouk.sync()
    assert result.unsent == 3 and not result.complete
    # The case left anouk's view in the same sync: applied changes went quietly, the refused one is
    # listed with the service's reason, nothing as "removed" (lost).
    kept = anouk.read(queries.unprocessed_changes)
    assert [(c.id, c.status, c.reason) for c in kept] == [(late.id, "rejected", "not-case-member")]
    assert kept[0].payload["text"] == "Na de overdracht."
    assert anouk.read(queries.outbox_count) == 0
    assert {note.id, handover.id}.isdisjoint({c.id for c in kept})
    assert anouk.read(queries.case_detail, case_id) is None
    assert_cache_equals_service(anouk, service, "anouk")


def test_partial_answer_of_a_change_the_service_never_received_keeps_it_queued(service, faults, devices):
    anouk = devices("anouk")
    anouk.sync()
    case_id = _coordinated_case(anouk)
    queue = lambda kind, payload: anouk.writer.call(outbox.queue, kind, payload)  # noqa: E731 - offline
    queue("case.set_coordinator", {"case_id": case_id, "user_id": service.user_id("bram")})
    late = queue("journal.add", {"case_id": case_id, "entry_id": "u-1", "text": "Nooit aangekomen."})
    faults.add(truncate_push(keep=1), times=1)  # the service stopped after the first mutation
    result = anouk.sync()
    assert result.unsent == 1
    # Its fate is unknown: never shown as lost or refused; it stays queued.
    assert anouk.read(queries.unprocessed_changes) == []
    assert [m.id for m in anouk.read(outbox.pending)] == [late.id]
    # The next sync sends it and the service decides.
    anouk.sync()
    kept = anouk.read(queries.unprocessed_changes)
    assert [(c.id, c.status) for c in kept] == [(late.id, "rejected")]
    assert anouk.read(queries.outbox_count) == 0
    assert_cache_equals_service(anouk, service, "anouk")


def test_a_change_refused_as_a_whole_on_its_own_is_stuck_listed_rolled_back_and_only_the_user_removes_it(
    service, faults, devices
):
    anouk = devices("anouk")
    anouk.sync()
    cases = [r.id for r in anouk.read(queries.my_cases) if r.status == "open"]
    made = offline_notes(anouk, 9)
    big = made[4]
    faults.add(answer(413, "request-too-large", when=contains_mutation(big.id)))
    result = anouk.sync()
    assert [s["mutation_id"] for s in result.stuck] == [big.id] and not result.complete
    assert result.pushed == 8 and not result.rejected
    # Still in the outbox, set aside: listed with its text and reason, not waiting, not pushed again.
    assert anouk.read(queries.outbox_count) == 1 and anouk.read(outbox.pending) == []
    stuck = anouk.read(queries.unprocessed_changes)
    assert [(c.id, c.status, c.reason) for c in stuck] == [(big.id, "stuck", "request-too-large")]
    assert stuck[0].payload["text"] == big.payload["text"]
    assert anouk.read(queries.status_summary).unprocessed == 1
    # Rolled back: the cache shows the service's state, without the note.
    detail = anouk.read(queries.case_detail, big.payload["case_id"])
    assert big.payload["entry_id"] not in {e["id"] for e in detail.case["journal"]}
    assert_cache_equals_service(anouk, service, "anouk")
    pushes = faults.count()
    anouk.sync()
    assert faults.count() == pushes  # skipped by later pushes
    assert anouk.read(queries.outbox_count) == 1
    # The user retries it once the service takes it: applied once.
    faults.clear()
    assert anouk.writer.call(outbox.retry_stuck, big.id)
    assert anouk.sync().pushed == 1
    assert anouk.read(queries.unprocessed_changes) == [] and anouk.read(queries.outbox_count) == 0
    assert (
        service.db.conn()
        .execute("SELECT count(*) FROM journal_entries WHERE id = ?", (big.payload["entry_id"],))
        .fetchone()[0]
        == 1
    )
    # Or removes another one: only then is it gone.
    other = anouk.writer.call(outbox.queue, "journal.add", {"case_id": cases[0], "entry_id": "weg", "text": "Weg."})
    faults.add(answer(400, "invalid-request", when=contains_mutation(other.id)))
    assert [s["mutation_id"] for s in anouk.sync().stuck] == [other.id]
    anouk.writer.call(outbox.dismiss_unprocessed, other.id)
    assert anouk.read(queries.outbox_count) == 0 and anouk.read(queries.unprocessed_changes) == []
    assert_cache_equals_service(anouk, service, "anouk")


def test_cli_lists_a_stuck_change_in_dutch_reports_the_sync_as_incomplete_and_retries_it(service, faults, enrolled):
    assert enrolled("sync").returncode == 0
    task_id = json.loads(enrolled("queue", "--json").stdout)[0]["id"]
    is_pickup = lambda body: any(m.get("kind") == "task.pickup" for m in (body or {}).get("mutations", []))  # noqa: E731
    faults.add(answer(413, "request-too-large", when=is_pickup))
    picked = enrolled("pickup", task_id, "--json")
    assert picked.returncode == 1 and json.loads(picked.stdout)["status"] == "stuck"
    assert "te groot voor de dienst" in picked.stderr
    listed = json.loads(enrolled("changes", "--json").stdout)
    assert [(c["kind"], c["status"], c["reason"]) for c in listed] == [("task.pickup", "stuck", "request-too-large")]
    assert listed[0]["message"].startswith("Deze wijziging is te groot voor de dienst")
    again = enrolled("sync", "--json")  # not success while a change waits for the user
    assert again.returncode == 1 and json.loads(again.stdout)["held_back"] == 1
    faults.clear()
    assert enrolled("changes", "--retry", listed[0]["id"]).returncode == 0
    assert enrolled("sync").returncode == 0
    assert json.loads(enrolled("changes", "--json").stdout) == []
    assert service.db.conn().execute("SELECT assignee_id FROM tasks WHERE id = ?", (task_id,)).fetchone()[
        0
    ] == service.user_id("anouk")


def test_retry_after_is_read_as_seconds_or_a_date_and_capped():
    from email.utils import format_datetime
    from datetime import datetime, timedelta, timezone

    from desktop.sync.transport import MAX_RETRY_AFTER
    from tests.client.test_recheck_client import paused

    def retry_after_seconds(value):
        return paused(value).retry_after

    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("86400") == MAX_RETRY_AFTER  # a day would stall the live sync
    assert paused("86400").details["retry_after"] == 86400  # but the sentence says until when
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 30
    assert retry_after_seconds(format_datetime(datetime(2000, 1, 1, tzinfo=timezone.utc), usegmt=True)) == 0.0
    # Every 429 is the one error type the engine pauses on, a gateway's without a problem body too;
    # another status keeps its own type and still carries the pause it asked for.
    gateway = paused("5", body={"title": "Too Many Requests"})
    assert isinstance(gateway, errors.TooManyRequests) and gateway.retry_after == 5.0
    busy = paused("9", status=503, body={"title": "Service Unavailable"})
    assert isinstance(busy, errors.ServiceError) and busy.retry_after == 9.0


def test_a_refused_change_without_the_services_state_is_rolled_back_from_a_fresh_fetch(service, faults, devices):
    from tests.faulty_service import rewrite_answer

    anouk = devices("anouk")
    anouk.sync()
    cases = [anouk.read(queries.case_detail, r.id).case for r in anouk.read(queries.my_cases) if r.status == "open"]
    source, used = next((c["id"], e["id"]) for c in cases for e in c["journal"])  # the service refuses a reused id
    case_id = next(c["id"] for c in cases if c["id"] != source)
    note = anouk.writer.call(outbox.queue, "journal.add", {"case_id": case_id, "entry_id": used, "text": "Dubbel."})
    assert any(e["text"] == "Dubbel." for e in anouk.read(queries.case_detail, case_id).case["journal"])

    def without_state(document):
        for result in document.get("results", []):
            result["current"] = None
        return document

    faults.add(rewrite_answer(without_state), times=1)
    result = anouk.sync()
    assert [(r["mutation_id"], r["reason"]) for r in result.rejected] == [(note.id, "invalid-request")]
    # Nothing changed on the service, so the feed brings nothing: the fetch rolled the note back.
    assert not any(e["text"] == "Dubbel." for e in anouk.read(queries.case_detail, case_id).case["journal"])
    assert_cache_equals_service(anouk, service, "anouk")


def test_live_loop_keeps_going_after_a_429_on_the_pull_and_honours_its_retry_after(service, faults, devices):
    from tests.faulty_service import CHANGES

    anouk = devices("anouk")
    anouk.sync()
    faults.record = True
    faults.add(rate_limited(retry_after=2, path=CHANGES, method="GET"), times=1)
    anouk.start_live()
    wait_until(lambda: faults.count("rate-limited") == 1, timeout=10)

    def pulls():
        return [(at, fault) for at, method, path, fault in faults.requests if path == CHANGES]

    refused_at = next(at for at, fault in pulls() if fault == "rate-limited")
    # (`online` may still be true from before the 429 is handled: wait for the next pull itself)
    wait_until(lambda: any(at > refused_at for at, _ in pulls()), timeout=15, message="a pull after the pause")
    wait_until(lambda: anouk.engine.online, timeout=15, message="the loop back online after the pause")
    assert anouk.engine.live
    assert next(at for at, _ in pulls() if at > refused_at) - refused_at >= 1.9
