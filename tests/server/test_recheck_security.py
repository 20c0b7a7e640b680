"""Re-check of issues 12 and 13 with other probes than the first round (server side, over mutual TLS).

Each test is named after the issue item it re-checks."""

from __future__ import annotations

import pytest

from server_stub.store import work
from tests.server.work_client import case_of, worker_pool
from tests.service_fixtures import API


@pytest.fixture(scope="module")
def svc(service_module):
    return service_module


@pytest.fixture
def workers(svc):
    yield from worker_pool(svc)


def _coordinator(svc, case_id):
    return svc.db.conn().execute("SELECT coordinator_id FROM cases WHERE id = ?", (case_id,)).fetchone()[0]


def test_issue13_item1_a_member_names_no_coordinator_outside_the_case_type_by_push(svc, workers):
    # a Wmo case of eva's; anouk (other team) may not work on Wmo cases, daan may
    case_id = case_of(svc, "eva", case_types=("ct-wmo",), excluding=("bram", "anouk"))
    eva = workers("eva")
    refused = eva.push_one("case.set_coordinator", {"case_id": case_id, "user_id": svc.user_id("anouk")})
    assert refused["status"] == "rejected", refused
    assert refused["code"] == "invalid-request"
    assert refused["invalidParams"] == [{"name": "payload.user_id", "reason": "not-authorised-for-case-type"}]
    assert refused["detail"] and "zaaktype" in refused["detail"]
    assert _coordinator(svc, case_id) == svc.user_id("eva")
    applied = eva.push_one("case.set_coordinator", {"case_id": case_id, "user_id": svc.user_id("daan")})
    assert applied["status"] == "applied", applied
    assert _coordinator(svc, case_id) == svc.user_id("daan")


def test_issue13_item8_admin_device_and_account_routes_answer_another_organisation_as_unknown(svc, workers):
    gerrit = workers("gerrit")  # local administrator of the demo's first organisation
    ilse = workers("ilse")  # another organisation's field worker, with an enrolled device
    conn = svc.db.conn()
    foreign_device = conn.execute(
        "SELECT id FROM devices WHERE user_id = ? AND revoked_at IS NULL", (ilse.user_id,)
    ).fetchone()[0]
    answers = []
    for path in (
        f"/admin/accounts/{ilse.user_id}/reactivate",
        "/admin/accounts/no-such-user/reactivate",
        f"/admin/devices/{foreign_device}/revoke",
        "/admin/devices/no-such-device/revoke",
    ):
        answer = gerrit.http.post(API + path)
        answers.append((answer.status_code, answer.json()))
    assert answers[0] == answers[1]
    assert answers[2] == answers[3]
    assert answers[0][0] == 404
    assert conn.execute("SELECT revoked_at FROM devices WHERE id = ?", (foreign_device,)).fetchone()[0] is None


def test_issue13_item1_colleagues_carry_the_case_types_that_make_them_eligible_coordinators(svc, workers):
    conn = svc.db.conn()
    colleagues = {c["id"]: c for c in workers("gerrit").pull_all()["colleagues"]}
    for username, eligible in (("anouk", False), ("daan", True)):
        user_id = svc.user_id(username)
        assert ("ct-wmo" in colleagues[user_id]["case_type_ids"]) is eligible
        for case_type_id in colleagues[user_id]["case_type_ids"]:
            assert work.may_work_on_case_type(conn, user_id, case_type_id)


def test_issue13_item1_a_local_administrator_cannot_manage_the_helpdesk_account(svc, workers):
    """The helpdesk (hanna, every organisation) is registered in gerrit's organisation: a local
    administrator must not lock it out, unlock it or issue its enrollment codes."""
    hanna, gerrit = workers("hanna"), workers("gerrit")  # hanna's Worker enrolled a device
    hanna_id = svc.user_id("hanna")
    device_id = (
        svc.db.conn()
        .execute("SELECT id FROM devices WHERE user_id = ? AND revoked_at IS NULL", (hanna_id,))
        .fetchone()[0]
    )
    unknown = gerrit.http.post(f"{API}/admin/devices/no-such-device/revoke")
    assert gerrit.http.post(f"{API}/admin/devices/{device_id}/revoke").json() == unknown.json()
    assert gerrit.http.post(f"{API}/admin/accounts/{hanna_id}/reactivate").status_code == 404
    assert gerrit.http.post(f"{API}/admin/enrollment-codes", json={"username": "hanna"}).status_code == 404
    assert device_id not in {d["id"] for d in gerrit.http.get(f"{API}/admin/devices").json()["devices"]}
    assert svc.db.conn().execute("SELECT revoked_at FROM devices WHERE id = ?", (device_id,)).fetchone()[0] is None
    # the helpdesk itself still manages every account, gerrit's too
    assert hanna.http.post(f"{API}/admin/enrollment-codes", json={"username": "gerrit"}).status_code == 201


def test_issue13_item8_a_retried_lost_pickup_names_the_holder_only_while_the_queue_is_still_his(svc, workers):
    from tests.server.test_work_tasks import queued_task
    from tests.server.work_client import mutation

    anouk, bram = workers("anouk"), workers("bram")
    task_id = queued_task(svc, "team-jgn", not_member=("bram", "anouk"))
    assert anouk.push_one("task.pickup", {"task_id": task_id})["status"] == "applied"
    late = mutation("task.pickup", {"task_id": task_id})
    [first] = bram.push(late)
    assert first["held_by"]["id"] == anouk.user_id  # seed T4: his team's queue
    with svc.db.transaction() as tx:  # bram leaves the team
        tx.execute("DELETE FROM team_members WHERE user_id = ? AND team_id = 'team-jgn'", (bram.user_id,))
    try:
        [again] = bram.push(late)
        assert (again["status"], again["code"]) == (first["status"], first["code"])
        assert again["held_by"] is None and again["current"] is None and again["reason"] is None
        assert "Anouk" not in str(again)
    finally:
        with svc.db.transaction() as tx:
            tx.execute("INSERT INTO team_members (user_id, team_id) VALUES (?, 'team-jgn')", (bram.user_id,))
