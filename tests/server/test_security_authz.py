"""Issue 13 items 1, 6 and 8 against the real service over mutual TLS: no self take-over (seed C8),
revocation ends a waiting long-poll at once, and refusals leak nothing (seed T4 kept).
Item 9 (malformed input) is in test_security_authz_fuzz.py."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from tests.server.test_work_tasks import queued_task
from tests.server.work_client import Worker, case_of, mutation, one, worker_pool
from tests.service_fixtures import API, wait_until

REASON = "Eva is met verlof; de zaak moet doorlopen."


@pytest.fixture(scope="module")
def svc(service_module):
    return service_module


@pytest.fixture
def workers(svc):
    yield from worker_pool(svc)


def coordinator_and_supporters(svc, case_id):
    conn = svc.db.conn()
    coordinator = conn.execute("SELECT coordinator_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]
    return coordinator, {
        r[0] for r in conn.execute("SELECT user_id FROM case_supporters WHERE case_id = ?", (case_id,))
    }


# ---------------------------------------------------------------- item 1


def test_item1_no_self_takeover_also_not_by_an_administrator_seed_C8(svc, workers):
    # a Wmo case: eva's team works on it; anouk's team (jeugd, schuld, participatie) does not
    case_id = case_of(svc, "eva", case_types=("ct-wmo",), excluding=("bram", "anouk"))
    url = f"{API}/admin/cases/{case_id}/coordinator"
    before = coordinator_and_supporters(svc, case_id)
    gerrit, hanna, bram = workers("gerrit"), workers("hanna"), workers("bram")

    for admin in (gerrit, hanna):  # local administrator and helpdesk never name themselves
        refused = admin.http.post(url, json={"user_id": admin.user_id, "reason": REASON})
        assert refused.status_code == 403, refused.text
        assert (refused.json()["code"], refused.json()["reason"]) == ("forbidden", "self-takeover")
    # nor someone who may not work on this case type (another team, or a helpdesk colleague)
    for outsider in ("anouk", "hanna"):
        refused = gerrit.http.post(url, json={"user_id": svc.user_id(outsider), "reason": REASON})
        assert refused.status_code == 400, refused.text
        assert refused.json()["invalidParams"] == [{"name": "user_id", "reason": "not-authorised-for-case-type"}]
    # nor by the push: an administrator is no member, bram does not even see the case
    for worker in (gerrit, bram):
        for kind in ("case.set_coordinator", "case.add_supporter"):
            result = worker.push_one(kind, {"case_id": case_id, "user_id": worker.user_id})
            assert result["status"] == "rejected" and result["code"] in ("forbidden", "not-found"), result
    assert coordinator_and_supporters(svc, case_id) == before
    refusals = [e for e in svc.audit_entries("case", case_id) if e["action"] == "case.admin_self_takeover_refused"]
    assert {e["actor_id"] for e in refusals} == {gerrit.user_id, hanna.user_id}
    assert one(svc, "SELECT COUNT(*) FROM coordinator_replacements WHERE case_id = ?", case_id) == 0

    # a colleague who works on Wmo cases may be named, with the reason audited
    daan_id = svc.user_id("daan")
    done = gerrit.http.post(url, json={"user_id": daan_id, "reason": REASON})
    assert done.status_code == 200, done.text
    assert set(done.json()) == {"id", "coordinator", "version"}  # no content of the case
    assert coordinator_and_supporters(svc, case_id)[0] == daan_id
    [entry] = [e for e in svc.audit_entries("case", case_id) if e["action"] == "case.admin_replace_coordinator"]
    assert entry["actor_id"] == gerrit.user_id
    # and the act gave the administrator no read access to the content
    shown = gerrit.http.get(f"{API}/cases/{case_id}").json()
    assert shown["steps"] == [] and shown["journal"] == [] and shown["citizens"] == [] and shown["group"] is None
    assert case_id not in gerrit.pull_all()["cases"]


# ---------------------------------------------------------------- item 6


def test_item6_revoking_a_device_ends_its_waiting_long_poll_at_once(svc, workers):
    anouk, gerrit = Worker(svc, "anouk"), workers("gerrit")
    try:
        anouk.pull_all()
        answer = {}

        def poll():
            answer["response"] = anouk.http.get(
                f"{API}/sync/changes", params={"cursor": anouk.cursor, "wait": 20}, timeout=30
            )
            answer["at"] = time.monotonic()

        poller = threading.Thread(target=poll)
        poller.start()
        wait_until(lambda: anouk.user_id in svc.app.state.feed_signal._waiters, message="the long-poll to wait")
        revoked = gerrit.http.post(f"{API}/admin/devices/{anouk.http.device_id}/revoke")
        assert revoked.status_code == 200 and revoked.json()["revoked_at"], revoked.text
        revoked_at = time.monotonic()
        poller.join(timeout=30)
        response = answer["response"]
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "device-revoked" and response.json()["wipe"] is True
        assert answer["at"] - revoked_at < 1.0
    finally:
        anouk.close()


# ---------------------------------------------------------------- item 8


def _without_id(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "id"}


def test_item8_an_action_outside_the_view_answers_as_an_unknown_id(svc, workers):
    anouk, bram, daan = workers("anouk"), workers("bram"), workers("daan")
    unknown = str(uuid.uuid4())
    # a task anouk holds directly (no queue), of her case that bram is no member of
    own_case = case_of(svc, "anouk", excluding=("bram", "daan"))
    held = str(uuid.uuid4())
    assert (
        anouk.push_one(
            "task.create", {"task_id": held, "case_id": own_case, "type": "Huisbezoek", "assignee_id": anouk.user_id}
        )["status"]
        == "applied"
    )
    other_queue = queued_task(svc, "team-jgn", not_member=("daan",))
    task_kinds = [
        ("task.pickup", {}),
        ("task.release", {}),
        ("task.complete", {}),
        ("task.forward", {"team_id": "team-wmo"}),
    ]
    for worker, task_id in ((bram, held), (daan, other_queue)):
        for kind, extra in task_kinds:
            outside = worker.push_one(kind, {"task_id": task_id, **extra})
            nothing = worker.push_one(kind, {"task_id": unknown, **extra})
            assert _without_id(outside) == _without_id(nothing), (kind, outside)
            assert outside["code"] == "not-found" and outside["held_by"] is None and outside["current"] is None
        shown, missing = worker.http.get(f"{API}/tasks/{task_id}"), worker.http.get(f"{API}/tasks/{unknown}")
        assert (shown.status_code, shown.json()) == (missing.status_code, missing.json()) and shown.status_code == 404
    assert one(svc, "SELECT assignee_id FROM tasks WHERE id = ?", held) == anouk.user_id

    # a Wmo case bram neither works in nor may read (his team has no Wmo): as if it did not exist
    wmo_case = case_of(svc, "eva", case_types=("ct-wmo",), excluding=("bram",))
    step = one(svc, "SELECT id FROM case_steps WHERE case_id = ? AND status = 'open'", wmo_case)
    case_kinds = [
        ("journal.add", {"entry_id": str(uuid.uuid4()), "text": "x"}),
        ("step.complete", {"step_id": step}),
        ("case.close", {"outcome": "afgerond"}),
        ("case.set_coordinator", {"user_id": bram.user_id}),
        ("case.add_supporter", {"user_id": bram.user_id}),
        ("case.remove_supporter", {"user_id": bram.user_id}),
        ("task.create", {"task_id": str(uuid.uuid4()), "type": "x", "assignee_id": bram.user_id}),
    ]
    for kind, extra in case_kinds:
        outside = bram.push_one(kind, {"case_id": wmo_case, **extra})
        nothing = bram.push_one(kind, {"case_id": unknown, **extra})
        assert _without_id(outside) == _without_id(nothing), (kind, outside)
        assert outside["code"] == "not-found"
    shown, missing = bram.http.get(f"{API}/cases/{wmo_case}"), bram.http.get(f"{API}/cases/{unknown}")
    assert (shown.status_code, shown.json()) == (missing.status_code, missing.json()) and shown.status_code == 404


def test_item8_the_loser_of_a_pickup_is_still_told_who_took_it_seed_T4(svc, workers):
    anouk, bram = workers("anouk"), workers("bram")
    task_id = queued_task(svc, "team-jgn", not_member=("bram", "anouk"))
    assert anouk.push_one("task.pickup", {"task_id": task_id})["status"] == "applied"
    late = bram.push_one("task.pickup", {"task_id": task_id})  # no longer in bram's view, but his queue's
    assert (late["status"], late["reason"]) == ("conflict", "task-held-by-other")
    assert late["held_by"]["id"] == anouk.user_id


def _note_then_leave(svc, coordinator: Worker, bram: Worker, case_id: str, text: str) -> tuple[dict, dict]:
    """bram, made supporter, adds a note; then he is removed. Returns his push and its mutation."""
    assert (
        coordinator.push_one("case.add_supporter", {"case_id": case_id, "user_id": bram.user_id})["status"] == "applied"
    )
    note = mutation("journal.add", {"case_id": case_id, "entry_id": str(uuid.uuid4()), "text": text})
    [first] = bram.push(note)
    assert first["status"] == "applied" and text in str(first["current"])
    assert (
        coordinator.push_one("case.remove_supporter", {"case_id": case_id, "user_id": bram.user_id})["status"]
        == "applied"
    )
    return first, note


def test_item8_a_retried_mutation_id_shows_content_only_while_in_view(svc, workers):
    eva, anouk, bram = workers("eva"), workers("anouk"), workers("bram")
    # out of view once removed (a Wmo case: bram's team may not read it): the outcome alone
    wmo_case = case_of(svc, "eva", case_types=("ct-wmo",), excluding=("bram",))
    text = "Gesprek met de cliënt over de schulden " + uuid.uuid4().hex
    first, note = _note_then_leave(svc, eva, bram, wmo_case, text)
    [again] = bram.push(note)
    assert (again["id"], again["status"], again["code"]) == (first["id"], "applied", None)
    assert again["current"] is None and again["held_by"] is None
    assert text not in str(again) and "Gesprek" not in str(again)
    assert one(svc, "SELECT COUNT(*) FROM journal_entries WHERE text = ?", text) == 1  # still at most once

    # still in view, as closed steps only (his team works on this case type): no more than that
    jgn_case = case_of(svc, "anouk", case_types=("ct-jeugd", "ct-schuld", "ct-participatie"), excluding=("bram",))
    text = "Afspraak met de jongere " + uuid.uuid4().hex
    first, note = _note_then_leave(svc, anouk, bram, jgn_case, text)
    [again] = bram.push(note)
    assert again["status"] == "applied" and again["current"]["id"] == jgn_case
    assert again["current"]["journal"] == [] and text not in str(again)
    # while a member, the retry is the full stored result
    mine = mutation("journal.add", {"case_id": jgn_case, "entry_id": str(uuid.uuid4()), "text": "Eigen notitie."})
    assert anouk.push(mine) == anouk.push(mine)
