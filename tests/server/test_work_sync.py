"""The sync protocol over real mutual TLS: snapshot and cursor, pages, at-most-once push,
long-poll, bad input, audit of reads (incl. offline reads), and group delete/transfer (D1, D2)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from tests.server.work_client import Worker, case_of, mutation, one
from tests.service_fixtures import API


def visible(service, user: str, object_type: str) -> set[str]:
    return {
        r[0]
        for r in service.db.conn().execute(
            "SELECT object_id FROM visibility WHERE user_id = ? AND object_type = ?",
            (service.user_id(user), object_type),
        )
    }


def test_first_sync_is_a_paged_snapshot_then_the_cursor_is_quiet(service, workers):
    anouk = workers("anouk")
    seen = anouk.pull_all(limit=7)
    assert seen["pages"] > 2
    my_cases = {
        r[0]
        for r in service.db.conn().execute(
            "SELECT id FROM cases WHERE coordinator_id = ? UNION SELECT case_id FROM case_supporters WHERE user_id = ?",
            (anouk.user_id, anouk.user_id),
        )
    }
    assert set(seen["cases"]) == my_cases
    assert set(seen["tasks"]) == visible(service, "anouk", "task")
    assert [t["id"] for t in seen["teams"].values()] == ["team-jgn"]
    assert seen["organisation"][0]["contacts"]["helpdesk"]["phone"]
    assert {"offline_lock_hours", "offline_wipe_days", "auto_lock_minutes"} <= set(seen["organisation"][0])
    assert len(seen["case_types"]) == 4 and seen["colleagues"]
    for case in seen["cases"].values():
        assert set(case["capabilities"]) >= {"read", "add_note", "close", "delete"}
        assert case["capabilities"]["delete"] == {"allowed": False, "reason": "case-delete-not-possible"}
    quiet = anouk.pull()
    assert quiet["upserts"]["cases"] == [] and quiet["removals"] == [] and not quiet["has_more"]


def test_change_reaches_every_member_once_per_change(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    supporter = (
        one(
            service,
            "SELECT u.username FROM case_supporters s JOIN users u ON u.id = s.user_id WHERE s.case_id = ? LIMIT 1",
            case_id,
        )
        if one(service, "SELECT COUNT(*) FROM case_supporters WHERE case_id = ?", case_id)
        else None
    )
    anouk.pull_all()
    other = workers(supporter) if supporter else None
    if other:
        other.pull_all()
    for n in range(3):
        anouk.push_one("journal.add", {"case_id": case_id, "entry_id": f"n{n}", "text": f"notitie {n}"})
    page = anouk.pull()
    assert [c["id"] for c in page["upserts"]["cases"]] == [case_id]  # one row per object, newest state
    assert len(page["upserts"]["cases"][0]["journal"]) >= 3
    if other:
        assert [c["id"] for c in other.pull()["upserts"]["cases"]] == [case_id]


def test_push_retry_is_applied_at_most_once(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    note = mutation("journal.add", {"case_id": case_id, "entry_id": "once", "text": "Eén keer."})
    first = anouk.push(note)
    again = anouk.push(note, note)
    assert first[0]["status"] == "applied"
    assert again == [first[0], first[0]]
    assert one(service, "SELECT COUNT(*) FROM journal_entries WHERE id = 'once'") == 1
    changed = dict(note, payload=dict(note["payload"], text="Andere tekst."))
    reused = anouk.push(changed)[0]
    assert (reused["status"], reused["code"]) == ("rejected", "mutation-id-reused")
    assert one(service, "SELECT text FROM journal_entries WHERE id = 'once'") == "Eén keer."
    # a conflict is a result too: the retry returns the same conflict
    closed = mutation("case.close", {"case_id": case_id, "outcome": "afgerond"})
    assert anouk.push(closed)[0]["status"] == "applied"
    late = mutation("case.close", {"case_id": case_id, "outcome": "ingetrokken"})
    assert anouk.push(late)[0]["status"] == "conflict"
    assert anouk.push(late)[0]["status"] == "conflict"


def test_journal_notes_never_conflict(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    result = anouk.push(
        mutation("journal.add", {"case_id": case_id, "entry_id": "j1", "text": "a"}, base_version=1),
        mutation("journal.add", {"case_id": case_id, "entry_id": "j2", "text": "b"}, base_version=1),
    )
    assert [r["status"] for r in result] == ["applied", "applied"]


def test_long_poll_wakes_on_a_new_queue_task_and_never_delays_a_push_seed_T3(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    bram.pull_all()
    second_device = Worker(service, "bram")
    try:
        answer = {}

        def wait_for_change():
            started = time.monotonic()
            answer["page"] = bram.pull(wait=20)
            answer["seconds"] = time.monotonic() - started

        poller = threading.Thread(target=wait_for_change)
        poller.start()
        # bram's own push (other connection) is answered while the long-poll waits
        started = time.monotonic()
        own_case = case_of(service, "bram")
        assert (
            second_device.push_one("journal.add", {"case_id": own_case, "entry_id": "lp-own", "text": "x"})["status"]
            == "applied"
        )
        assert time.monotonic() - started < 5
        poller.join(timeout=25)
        assert "page" in answer and answer["seconds"] < 15
        assert own_case in {c["id"] for c in answer["page"]["upserts"]["cases"]}
        # the next wait ends when a colleague puts a task in the team queue
        poller = threading.Thread(target=wait_for_change)
        poller.start()
        task_id = str(uuid.uuid4())
        assert (
            anouk.push_one(
                "task.create",
                {
                    "task_id": task_id,
                    "case_id": case_of(service, "anouk", excluding=("bram",)),
                    "type": "Huisbezoek plannen",
                    "team_id": "team-jgn",
                },
            )["status"]
            == "applied"
        )
        poller.join(timeout=25)
        assert task_id in {t["id"] for t in answer["page"]["upserts"]["tasks"]}
        assert answer["seconds"] < 15
    finally:
        second_device.close()


def test_long_poll_returns_empty_after_its_wait(service, workers):
    anouk = workers("anouk")
    anouk.pull_all()
    started = time.monotonic()
    page = anouk.pull(wait=1)
    assert 0.9 <= time.monotonic() - started < 6
    assert page["upserts"]["cases"] == [] and page["removals"] == []


def test_bad_input_gets_a_problem_and_changes_nothing(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    count = lambda: one(service, "SELECT COUNT(*) FROM journal_entries")
    before = count()
    good = mutation("journal.add", {"case_id": case_id, "entry_id": "bad-1", "text": "x"})
    for body in (
        {"mutations": [good], "extra": 1},
        {"mutations": [dict(good, surprise=True)]},
        {"mutations": "nope"},
        {"mutations": [good], "offline_reads": [{"case_id": case_id, "local_time": 7}]},
        {"mutations": [good], "offline_reads": [{"case_id": case_id, "opened_at": "gisteren"}]},
        {
            "mutations": [good],
            "offline_reads": [{"case_id": case_id, "estimated_time": "morgen", "local_time": "2026-11-20T08:15:00Z"}],
        },
    ):
        response = anouk.http.post(f"{API}/sync/push", json=body)
        assert response.status_code == 400, body
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "invalid-request"
    assert (
        anouk.http.post(
            f"{API}/sync/push", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert count() == before
    unknown = anouk.push(
        mutation("case.explode", {"case_id": case_id}),
        mutation("journal.add", {"case_id": case_id, "entry_id": "bad-2", "text": ""}),
        mutation("journal.add", {"case_id": case_id, "entry_id": "bad-3", "text": "x", "x": 1}),
        mutation("journal.add", {"case_id": "no-such-case", "entry_id": "bad-4", "text": "x"}),
    )
    assert [(r["status"], r["code"]) for r in unknown] == [
        ("rejected", "invalid-request"),
        ("rejected", "invalid-request"),
        ("rejected", "invalid-request"),
        ("rejected", "not-found"),
    ]
    assert count() == before
    for params in ({"cursor": "garbage"}, {"limit": 0}, {"limit": 100000}, {"wait": 60}):
        response = anouk.http.get(f"{API}/sync/changes", params=params)
        assert response.status_code == 400 and response.json()["code"] == "invalid-request", params
    anouk.http.headers.pop("Authorization")
    assert anouk.http.get(f"{API}/sync/changes").status_code == 401


def test_cursor_from_another_feed_asks_for_a_fresh_sync(service, workers):
    from server_stub.store.feed import Cursor

    anouk = workers("anouk")
    response = anouk.http.get(f"{API}/sync/changes", params={"cursor": Cursor(10**9).encode()})
    assert response.status_code == 410 and response.json()["code"] == "cursor-expired"


def test_reads_are_audited_with_device_and_offline_reads_with_their_time(service, workers):
    anouk = workers("anouk")
    seen = anouk.pull_all()
    reads = {
        e["object_id"]
        for e in service.audit_entries("case")
        if e["action"] == "case.read" and e["actor_id"] == anouk.user_id and e["device_id"] == anouk.http.device_id
    }
    assert set(seen["cases"]) <= reads
    case_id = next(iter(seen["cases"]))
    opened = (datetime.now(timezone.utc) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    anouk.push(offline_reads=[{"case_id": case_id, "opened_at": opened}])  # a client from before estimates
    offline = [e for e in service.audit_entries("case", case_id) if e["action"] == "case.read_offline"]
    assert [e["at"][:19] for e in offline] == [opened[:19]]
    assert offline[0]["device_id"] == anouk.http.device_id


def test_group_delete_refused_until_transfer_seed_D1_D2(service, workers):
    gerrit, anouk, lotte = workers("gerrit"), workers("anouk"), workers("lotte")
    conn = service.db.conn()
    source, target = [
        r[0]
        for r in conn.execute(
            "SELECT g.id FROM household_groups g WHERE g.organisation_id = 'org-demodorp' "
            "AND EXISTS (SELECT 1 FROM cases c WHERE c.group_id = g.id) ORDER BY g.id LIMIT 2"
        )
    ]
    cases = {r[0] for r in conn.execute("SELECT id FROM cases WHERE group_id = ?", (source,))}
    citizens = {r[0] for r in conn.execute("SELECT id FROM citizens WHERE group_id = ?", (source,))}
    url = f"{API}/admin/groups/{source}"
    assert anouk.http.delete(url).json()["code"] == "forbidden"  # D1: not an end user
    assert lotte.http.delete(url).status_code == 404  # D1: own organisation only
    refused = gerrit.http.delete(url)
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"  # D2: not while it holds data
    assert one(service, "SELECT COUNT(*) FROM household_groups WHERE id = ?", source) == 1
    assert gerrit.http.post(f"{url}/transfer", json={"target_group_id": source}).status_code == 400
    assert anouk.http.post(f"{url}/transfer", json={"target_group_id": target}).status_code == 403
    moved = gerrit.http.post(f"{url}/transfer", json={"target_group_id": target})
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"moved_cases": len(cases), "moved_citizens": len(citizens)}
    assert {r[0] for r in conn.execute("SELECT id FROM cases WHERE group_id = ?", (target,))} >= cases
    assert {r[0] for r in conn.execute("SELECT id FROM citizens WHERE group_id = ?", (target,))} >= citizens
    assert gerrit.http.delete(url).status_code == 204
    assert one(service, "SELECT COUNT(*) FROM household_groups WHERE id = ?", source) == 0
    assert one(service, "SELECT COUNT(*) FROM cases WHERE id IN (%s)" % ",".join("?" * len(cases)), *cases) == len(
        cases
    )
    actions = [e["action"] for e in service.audit_entries("group", source)]
    assert actions == ["group.transfer", "group.delete"]
    hanna = workers("hanna")  # the helpdesk sees every organisation's groups
    assert {g["organisation_id"] for g in hanna.http.get(f"{API}/admin/groups").json()["groups"]} == {
        "org-demodorp",
        "org-voorbeeldstad",
    }


def test_stale_preferences_from_another_device_conflict_own_edits_do_not_seed_T6(service, workers):
    first = workers("bram")
    second = Worker(service, "bram")
    try:
        prefs = first.pull_all()["preferences"][0]
        assert second.pull_all()["preferences"][0] == prefs
        body = {
            "team_queue_email": {"team-jgn": False},
            "email_on_assigned": True,
            "email_on_added_to_case": False,
            "desktop_notifications": True,
        }
        assert first.push_one("preferences.set", body, base_version=prefs["version"])["status"] == "applied"
        again = first.push_one("preferences.set", dict(body, email_on_assigned=False), base_version=prefs["version"])
        assert again["status"] == "applied"  # the same device's own edits, in order
        stale = second.push_one(
            "preferences.set", dict(body, desktop_notifications=False), base_version=prefs["version"]
        )
        assert stale["status"] == "conflict"
        assert stale["current"]["email_on_assigned"] is False and stale["current"]["desktop_notifications"] is True
        page = second.pull()
        assert page["upserts"]["preferences"][0]["email_on_assigned"] is False
        assert (
            second.push_one("preferences.set", dict(body, team_queue_email={"team-wmo": True}))["code"]
            == "invalid-request"
        )
    finally:
        second.close()
