"""Case rules over real mutual TLS: who edits (C5, C7, C8), who reads closed steps (C6), the one
coordinator (C2, C3), no deleting and closing with an outcome (D3), the admin's replacement."""

from __future__ import annotations

import pytest

from tests.server.work_client import case_of, mutation, one, worker_pool
from tests.service_fixtures import API


@pytest.fixture(scope="module")
def svc(service_module):
    return service_module


@pytest.fixture
def workers(svc):
    yield from worker_pool(svc)


def case_row(svc, case_id):
    return tuple(
        svc.db.conn()
        .execute("SELECT status, outcome, coordinator_id, version FROM cases WHERE id = ?", (case_id,))
        .fetchone()
    )


def supporters(svc, case_id):
    return {r[0] for r in svc.db.conn().execute("SELECT user_id FROM case_supporters WHERE case_id = ?", (case_id,))}


def test_non_member_cannot_take_over_case_seed_C8(svc, workers):
    case_id = case_of(svc, "anouk", excluding=("bram",))
    before, before_supporters = case_row(svc, case_id), supporters(svc, case_id)
    bram = workers("bram")
    results = bram.push(
        mutation("case.set_coordinator", {"case_id": case_id, "user_id": bram.user_id}),
        mutation("case.add_supporter", {"case_id": case_id, "user_id": bram.user_id}),
    )
    for result in results:
        assert (result["status"], result["code"], result["reason"]) == ("rejected", "forbidden", "not-case-member")
        assert result["detail"]
    assert case_row(svc, case_id) == before
    assert supporters(svc, case_id) == before_supporters


def test_only_coordinator_or_supporter_edits_case_seed_C5(svc, workers):
    case_id = case_of(svc, "anouk", excluding=("bram",))
    notes = lambda: one(svc, "SELECT COUNT(*) FROM journal_entries WHERE case_id = ?", case_id)
    count = notes()
    refused = workers("bram").push_one("journal.add", {"case_id": case_id, "entry_id": "c5-bram", "text": "x"})
    assert (refused["status"], refused["reason"]) == ("rejected", "not-case-member")
    assert notes() == count
    applied = workers("anouk").push_one(
        "journal.add", {"case_id": case_id, "entry_id": "c5-anouk", "text": "Huisbezoek gepland."}
    )
    assert applied["status"] == "applied"
    assert applied["current"]["journal"][-1]["text"] == "Huisbezoek gepland."
    assert applied["current"]["capabilities"]["add_note"] == {"allowed": True, "reason": None}
    assert notes() == count + 1


def test_members_add_and_remove_supporters_and_removed_supporter_gets_purge_notice_seed_C7(svc, workers):
    case_id = case_of(svc, "carla", excluding=("bram",))
    carla, bram = workers("carla"), workers("bram")
    bram.pull_all()  # bram's device is up to date: the case is not in view
    added = carla.push_one("case.add_supporter", {"case_id": case_id, "user_id": bram.user_id})
    assert added["status"] == "applied"
    seen = bram.pull_all()
    assert case_id in seen["cases"]
    number = one(svc, "SELECT number FROM cases WHERE id = ?", case_id)
    [mail] = [m for m in svc.wait_for_mail(to=svc.people.user("bram").email) if number in str(m["Subject"])]
    assert "zaakondersteuner" in str(mail["Subject"])
    assert seen["cases"][case_id]["capabilities"]["add_note"]["allowed"]
    removed = carla.push_one("case.remove_supporter", {"case_id": case_id, "user_id": bram.user_id})
    assert removed["status"] == "applied"
    after = bram.pull_all()
    assert {"type": "case", "id": case_id} in after["removals"]
    assert case_id not in after["cases"]
    # tasks that bram saw only through the case are purged too
    task_ids = {
        r[0] for r in svc.db.conn().execute("SELECT id FROM tasks WHERE case_id = ? AND status <> 'queued'", (case_id,))
    }
    removed_tasks = {r["id"] for r in after["removals"] if r["type"] == "task"}
    assert task_ids <= removed_tasks


def test_supporter_changes_coordinator_and_there_is_exactly_one_seed_C2_C3(svc, workers):
    case_id = case_of(svc, "femke", excluding=("daan", "eva"))
    femke, daan, eva = workers("femke"), workers("daan"), workers("eva")
    for supporter in (daan, eva):
        added = femke.push_one("case.add_supporter", {"case_id": case_id, "user_id": supporter.user_id})
        assert added["status"] == "applied"
    femke.pull_all()
    version = daan.pull_all()["cases"][case_id]["version"]
    assert eva.pull_all()["cases"][case_id]["version"] == version
    result = daan.push_one("case.set_coordinator", {"case_id": case_id, "user_id": daan.user_id}, base_version=version)
    assert result["status"] == "applied", result
    assert result["current"]["coordinator"]["id"] == daan.user_id
    assert daan.user_id not in {s["id"] for s in result["current"]["supporters"]}
    assert one(svc, "SELECT coordinator_id FROM cases WHERE id = ?", case_id) == daan.user_id
    # the previous coordinator left the case: their feed says so
    assert {"type": "case", "id": case_id} in femke.pull_all()["removals"]
    # another supporter who saw the old coordinator gets a conflict with the current state
    stale = eva.push_one("case.set_coordinator", {"case_id": case_id, "user_id": eva.user_id}, base_version=version)
    assert stale["status"] == "conflict"
    assert stale["current"]["coordinator"]["id"] == daan.user_id
    assert one(svc, "SELECT coordinator_id FROM cases WHERE id = ?", case_id) == daan.user_id
    # one device's own offline changes, pushed in order, do not conflict with each other
    fresh = eva.pull_all()["cases"][case_id]["version"]
    own = eva.push(
        mutation("case.set_coordinator", {"case_id": case_id, "user_id": femke.user_id}, base_version=fresh),
        mutation("case.set_coordinator", {"case_id": case_id, "user_id": eva.user_id}, base_version=fresh),
    )
    assert [r["status"] for r in own] == ["applied", "applied"], own
    assert one(svc, "SELECT coordinator_id FROM cases WHERE id = ?", case_id) == eva.user_id
    assert eva.user_id not in supporters(svc, case_id)


def test_case_type_authorised_user_reads_closed_steps_only_seed_C6(svc, workers):
    case_id = case_of(
        svc,
        "carla",
        excluding=("anouk",),
        case_types=("ct-jeugd", "ct-schuld", "ct-participatie"),
        with_closed_step=True,
    )
    number = one(svc, "SELECT number FROM cases WHERE id = ?", case_id)
    anouk = workers("anouk")
    found = anouk.http.post(f"{API}/cases/search", json={"case_number": number})
    assert found.status_code == 200, found.text
    [shown] = found.json()["results"]
    assert shown["steps"] and all(step["status"] == "closed" for step in shown["steps"])
    assert shown["citizens"] == [] and shown["journal"] == [] and shown["group"] is None
    assert shown["capabilities"]["read_closed_steps"]["allowed"]
    assert shown["capabilities"]["complete_step"] == {"allowed": False, "reason": "not-case-member"}
    # readable, not writable
    open_step = one(svc, "SELECT id FROM case_steps WHERE case_id = ? AND status = 'open'", case_id)
    refused = anouk.push_one("step.complete", {"case_id": case_id, "step_id": open_step, "summary": "x"})
    assert (refused["status"], refused["reason"]) == ("rejected", "not-case-member")
    assert one(svc, "SELECT status FROM case_steps WHERE id = ?", open_step) == "open"
    # by citizen number, in the body; the audit never holds the terms
    bsn = one(
        svc, "SELECT z.bsn FROM case_citizens cc JOIN citizens z ON z.id = cc.citizen_id WHERE cc.case_id = ?", case_id
    )
    by_bsn = anouk.http.post(f"{API}/cases/search", json={"bsn": bsn}).json()["results"]
    assert case_id in {c["id"] for c in by_bsn}
    for entry in svc.audit_entries("case"):
        assert bsn not in (entry["detail"] or "") and number not in (entry["detail"] or "")
    # a user not authorised for the case type finds nothing
    daan = workers("daan")  # team-wmo: Wmo and schuldhulpverlening only
    jeugd = case_of(svc, "carla", case_types=("ct-jeugd",), excluding=("daan",))
    jeugd_number = one(svc, "SELECT number FROM cases WHERE id = ?", jeugd)
    assert daan.http.post(f"{API}/cases/search", json={"case_number": jeugd_number}).json()["results"] == []
    # search terms never travel in a URL
    assert anouk.http.get(f"{API}/cases/search", params={"bsn": bsn}).status_code in (404, 405)


def test_case_cannot_be_deleted_seed_D3(svc, workers):
    case_id = case_of(svc, "anouk")
    response = workers("anouk").http.delete(f"{API}/cases/{case_id}")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.json()["code"] == "method-not-allowed"
    assert "administratieve fout" in response.json()["detail"]
    assert one(svc, "SELECT COUNT(*) FROM cases WHERE id = ?", case_id) == 1


def test_closing_needs_an_outcome_and_a_closed_case_accepts_no_edits_seed_D3(svc, workers):
    case_id = case_of(svc, "bram")
    bram = workers("bram")
    no_outcome = bram.push_one("case.close", {"case_id": case_id})
    assert (no_outcome["status"], no_outcome["code"]) == ("rejected", "invalid-request")
    wrong = bram.push_one("case.close", {"case_id": case_id, "outcome": "verwijderd"})
    assert (wrong["status"], wrong["code"]) == ("rejected", "invalid-request")
    assert case_row(svc, case_id)[0] == "open"
    closed = bram.push_one("case.close", {"case_id": case_id, "outcome": "administratieve_fout"})
    assert closed["status"] == "applied"
    assert (closed["current"]["status"], closed["current"]["outcome"]) == ("closed", "administratieve_fout")
    assert closed["current"]["capabilities"]["add_note"] == {"allowed": False, "reason": "case-closed"}
    assert one(svc, "SELECT COUNT(*) FROM tasks WHERE case_id = ? AND status <> 'completed'", case_id) == 0
    note = bram.push_one("journal.add", {"case_id": case_id, "entry_id": "d3-late", "text": "te laat"})
    assert (note["status"], note["reason"]) == ("rejected", "case-closed")
    again = bram.push_one("case.close", {"case_id": case_id, "outcome": "afgerond"})
    assert again["status"] == "conflict"
    assert case_row(svc, case_id)[:2] == ("closed", "administratieve_fout")


def test_admin_replaces_coordinator_only_with_a_reason_and_it_is_audited(svc, workers):
    case_id = case_of(svc, "eva")
    gerrit, eva = workers("gerrit"), workers("eva")
    assert case_id in eva.pull_all()["cases"]
    url = f"{API}/admin/cases/{case_id}/coordinator"
    daan_id = svc.user_id("daan")
    assert gerrit.http.post(url, json={"user_id": daan_id}).status_code == 400
    assert gerrit.http.post(url, json={"user_id": daan_id, "reason": ""}).status_code == 400
    assert (
        eva.http.post(url, json={"user_id": daan_id, "reason": "Collega is uit dienst."}).json()["code"] == "forbidden"
    )
    lotte = workers("lotte")  # local administrator of another organisation
    assert lotte.http.post(url, json={"user_id": daan_id, "reason": "Collega is uit dienst."}).status_code == 404
    assert one(svc, "SELECT coordinator_id FROM cases WHERE id = ?", case_id) == svc.user_id("eva")
    # the administrator finds the case by its number: no content, but the capability to act
    number = one(svc, "SELECT number FROM cases WHERE id = ?", case_id)
    [found] = gerrit.http.post(f"{API}/cases/search", json={"case_number": number}).json()["results"]
    assert found["steps"] == [] and found["citizens"] == [] and found["journal"] == []
    assert found["capabilities"]["admin_replace_coordinator"] == {"allowed": True, "reason": None}
    assert found["capabilities"]["add_note"]["allowed"] is False
    other_org_number = one(svc, "SELECT number FROM cases WHERE organisation_id = 'org-voorbeeldstad' LIMIT 1")
    assert gerrit.http.post(f"{API}/cases/search", json={"case_number": other_org_number}).json()["results"] == []
    helpdesk = workers("hanna").http.post(f"{API}/cases/search", json={"case_number": other_org_number}).json()
    assert [c["number"] for c in helpdesk["results"]] == [other_org_number]
    assert helpdesk["results"][0]["capabilities"]["admin_replace_coordinator"]["allowed"]
    done = gerrit.http.post(url, json={"user_id": daan_id, "reason": "Eva is uit dienst; Daan neemt over."})
    assert done.status_code == 200, done.text
    assert done.json()["coordinator"]["id"] == daan_id
    assert one(svc, "SELECT coordinator_id FROM cases WHERE id = ?", case_id) == daan_id
    assert one(svc, "SELECT reason FROM coordinator_replacements WHERE case_id = ?", case_id).startswith(
        "Eva is uit dienst"
    )
    [entry] = [e for e in svc.audit_entries("case", case_id) if e["action"] == "case.admin_replace_coordinator"]
    assert entry["actor_id"] == svc.user_id("gerrit") and entry["device_id"] == gerrit.http.device_id
    assert "uit dienst" not in entry["detail"]  # the reason's text stays beside the case
    assert {"type": "case", "id": case_id} in eva.pull_all()["removals"]


def test_get_case_is_audited_and_hidden_from_non_members(svc, workers):
    case_id = case_of(svc, "joost", excluding=("ilse",))
    joost = workers("joost")
    response = joost.http.get(f"{API}/cases/{case_id}")
    assert response.status_code == 200 and response.json()["id"] == case_id
    reads = [e for e in svc.audit_entries("case", case_id) if e["action"] == "case.read"]
    assert any(e["actor_id"] == joost.user_id for e in reads)
    other_org = workers("anouk").http.get(f"{API}/cases/{case_id}")
    assert other_org.status_code == 404
