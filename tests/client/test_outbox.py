"""The outbox against a real encrypted cache: optimistic change + entry in one transaction, and
the resolution of the service's answers (applied / conflict / rejected)."""

from __future__ import annotations

import json

import pytest

from desktop.cache import apply_page, outbox
from tests.client.factories import ME, make_case, make_page, make_task, person


def doc(conn, table, object_id):
    sql = "SELECT doc FROM case_docs WHERE id = ?" if table == "cases" else f"SELECT doc FROM {table} WHERE id = ?"
    return json.loads(conn.execute(sql, (object_id,)).fetchone()[0])


def dirty(conn, table, object_id):
    return conn.execute(f"SELECT dirty FROM {table} WHERE id = ?", (object_id,)).fetchone()[0]


def snapshot(conn):
    """Everything the user could see or push, to prove that a refused change touched nothing."""
    tables = ("cases", "case_docs", "tasks", "preferences", "outbox", "unprocessed")
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


@pytest.fixture
def seeded(cache_conn):
    colleague = {"id": "u-2", "display_name": "Bram Bakker", "team_ids": ["t-1"]}
    apply_page(
        cache_conn,
        make_page(
            cases=[make_case(1), make_case(2, role="supporter")],
            tasks=[
                make_task(1, case_id="c-1"),
                make_task(
                    2, case_id="c-1", status="assigned", team=None, assignee=person(ME["id"], ME["display_name"])
                ),
            ],
            teams=[{"id": "t-1", "name": "Wijkteam Noord", "organisation_id": "org-1", "members": []}],
            colleagues=[colleague],
            preferences=[
                {
                    "team_queue_email": {"t-1": True},
                    "email_on_assigned": True,
                    "email_on_added_to_case": True,
                    "desktop_notifications": True,
                    "version": 3,
                }
            ],
        ),
    )
    return cache_conn


def test_note_is_written_locally_and_queued_in_one_transaction(seeded):
    m = outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-1", "text": "Belafspraak gemaakt."})
    case = doc(seeded, "cases", "c-1")
    assert case["journal"][-1]["text"] == "Belafspraak gemaakt."
    assert case["journal"][-1]["author"]["id"] == ME["id"]
    assert dirty(seeded, "cases", "c-1") == 1
    assert [p.id for p in outbox.pending(seeded)] == [m.id]
    assert m.wire() == {
        "id": m.id,
        "kind": "journal.add",
        "base_version": 1,
        "payload": {"case_id": "c-1", "entry_id": "e-1", "text": "Belafspraak gemaakt."},
    }


def test_pulled_row_never_overwrites_unsent_change(seeded):
    outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-1", "text": "Mijn notitie."})
    apply_page(seeded, make_page(cursor="cur-2", cases=[make_case(1, version=5)]))
    assert doc(seeded, "cases", "c-1")["journal"][-1]["text"] == "Mijn notitie."


@pytest.mark.parametrize(
    "kind,payload,check",
    [
        (
            "journal.add",
            {"case_id": "c-1", "entry_id": "e-9", "text": "x"},
            lambda c, t: c("cases", "c-1")["journal"][-1]["id"] == "e-9",
        ),
        (
            "step.complete",
            {"case_id": "c-1", "step_id": "s-1-3", "summary": "klaar"},
            lambda c, t: next(s for s in c("cases", "c-1")["steps"] if s["id"] == "s-1-3")["status"] == "closed",
        ),
        (
            "case.close",
            {"case_id": "c-1", "outcome": "administratieve_fout"},
            lambda c, t: c("cases", "c-1")["outcome"] == "administratieve_fout",
        ),
        (
            "case.set_coordinator",
            {"case_id": "c-1", "user_id": "u-2"},
            lambda c, t: c("cases", "c-1")["coordinator"] == {"id": "u-2", "display_name": "Bram Bakker"},
        ),
        (
            "case.add_supporter",
            {"case_id": "c-1", "user_id": "u-2"},
            lambda c, t: {"id": "u-2", "display_name": "Bram Bakker"} in c("cases", "c-1")["supporters"],
        ),
        (
            "case.remove_supporter",
            {"case_id": "c-2", "user_id": ME["id"]},
            lambda c, t: all(s["id"] != ME["id"] for s in c("cases", "c-2")["supporters"]),
        ),
        (
            "task.create",
            {
                "task_id": "task-new",
                "case_id": "c-1",
                "type": "Keuring",
                "description": "plannen",
                "deadline": "2026-12-24",
                "team_id": "t-1",
            },
            lambda c, t: c("tasks", "task-new")["team"]["name"] == "Wijkteam Noord",
        ),
        ("task.pickup", {"task_id": "task-1"}, lambda c, t: c("tasks", "task-1")["assignee"]["id"] == ME["id"]),
        ("task.release", {"task_id": "task-2"}, lambda c, t: c("tasks", "task-2")["status"] == "queued"),
        (
            "task.forward",
            {"task_id": "task-2", "user_id": "u-2"},
            lambda c, t: c("tasks", "task-2")["assignee"]["display_name"] == "Bram Bakker",
        ),
        ("task.complete", {"task_id": "task-2"}, lambda c, t: c("tasks", "task-2")["status"] == "completed"),
        (
            "preferences.set",
            {
                "team_queue_email": {"t-1": False},
                "email_on_assigned": True,
                "email_on_added_to_case": False,
                "desktop_notifications": True,
            },
            lambda c, t: (
                json.loads(t.execute("SELECT doc FROM preferences").fetchone()[0])["team_queue_email"] == {"t-1": False}
            ),
        ),
    ],
)
def test_every_kind_changes_the_local_copy_and_queues_one_entry(seeded, kind, payload, check):
    outbox.queue(seeded, kind, payload)
    assert check(lambda table, oid: doc(seeded, table, oid), seeded)
    assert [m.kind for m in outbox.pending(seeded)] == [kind]


@pytest.mark.parametrize(
    "kind,payload,code",
    [
        ("journal.add", {"case_id": "c-1", "entry_id": "e", "text": "   "}, "text-empty"),
        ("journal.add", {"case_id": "c-1", "entry_id": "e", "text": "x" * 20_001}, "text-too-long"),
        ("journal.add", {"case_id": "nope", "entry_id": "e", "text": "x"}, "unknown-case"),
        ("case.close", {"case_id": "c-1", "outcome": "weg"}, "invalid-outcome"),
        ("task.pickup", {"task_id": "nope"}, "unknown-task"),
        ("task.forward", {"task_id": "task-2", "user_id": "u-2", "team_id": "t-1"}, "task-needs-one-target"),
        ("task.create", {"task_id": "x", "case_id": "c-1", "type": 7, "team_id": "t-1"}, "invalid-input"),
        ("task.create", {"task_id": "x", "case_id": "c-1", "type": " ", "team_id": "t-1"}, "task-type-empty"),
        ("task.pickup", {"task_id": "task-1", "extra": 1}, "invalid-input"),
        (
            "task.create",
            {"task_id": "x", "case_id": "c-1", "type": "Keuring", "deadline": "morgen", "team_id": "t-1"},
            "invalid-input",
        ),
        (
            "preferences.set",
            {
                "team_queue_email": {"t-1": "ja"},
                "email_on_assigned": True,
                "email_on_added_to_case": True,
                "desktop_notifications": True,
            },
            "invalid-input",
        ),
        ("case.delete", {"case_id": "c-1"}, "unknown-kind"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(seeded, kind, payload, code):
    before = snapshot(seeded)
    with pytest.raises(outbox.OutboxError) as caught:
        outbox.queue(seeded, kind, payload)
    assert caught.value.code == code
    assert snapshot(seeded) == before


def test_a_change_the_capabilities_refuse_is_not_queued(seeded):
    case = make_case(3, role="none")
    case["capabilities"]["add_note"] = {"allowed": False, "reason": "not-case-member"}
    apply_page(seeded, make_page(cursor="cur-2", cases=[case]))
    before = snapshot(seeded)
    with pytest.raises(outbox.OutboxError) as caught:
        outbox.queue(seeded, "journal.add", {"case_id": "c-3", "entry_id": "e", "text": "overnemen"})
    assert (caught.value.code, caught.value.reason) == ("not-allowed", "not-case-member")
    assert snapshot(seeded) == before


def test_a_second_pickup_of_the_same_task_is_not_queued_twice(seeded):
    first = outbox.queue(seeded, "task.pickup", {"task_id": "task-1"})
    again = outbox.queue(seeded, "task.pickup", {"task_id": "task-1"})
    assert first.id == again.id and len(outbox.pending(seeded)) == 1


def test_after_an_unsent_change_the_service_decides_not_the_stale_capabilities(seeded):
    task = make_task(5, case_id="c-1")
    task["capabilities"]["release"] = {"allowed": False, "reason": "not-task-holder"}
    apply_page(seeded, make_page(cursor="cur-2", tasks=[task]))
    with pytest.raises(outbox.OutboxError):
        outbox.queue(seeded, "task.release", {"task_id": "task-5"})
    outbox.queue(seeded, "task.pickup", {"task_id": "task-5"})
    outbox.queue(seeded, "task.release", {"task_id": "task-5"})  # mine now, as far as I know
    assert [m.kind for m in outbox.pending(seeded)] == ["task.pickup", "task.release"]


def test_pickup_release_pickup_are_three_changes(seeded):
    kinds = ["task.pickup", "task.release", "task.pickup"]
    for kind in kinds:
        outbox.queue(seeded, kind, {"task_id": "task-1"})
    assert [m.kind for m in outbox.pending(seeded)] == kinds
    assert doc(seeded, "tasks", "task-1")["assignee"]["id"] == ME["id"]
    assert dirty(seeded, "tasks", "task-1") == 3


def test_applied_takes_the_services_state_and_clears_dirty(seeded):
    m = outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-1", "text": "Notitie."})
    current = make_case(1, version=2)
    current["journal"].append(
        {
            "id": "e-1",
            "text": "Notitie.",
            "author": person(ME["id"], ME["display_name"]),
            "created_at": "2026-11-27T10:00:00Z",
        }
    )
    outcome = outbox.resolve(seeded, [m], [{"id": m.id, "status": "applied", "current": current}], [])
    assert outcome.applied == 1 and not outcome.conflicts
    assert dirty(seeded, "cases", "c-1") == 0
    assert doc(seeded, "cases", "c-1")["version"] == 2
    assert outbox.pending(seeded) == []


def test_lost_pickup_restores_the_task_and_says_who_holds_it_seed_T4(seeded):
    m = outbox.queue(seeded, "task.pickup", {"task_id": "task-1"})
    holder = person("u-2", "Bram Bakker")
    current = make_task(
        1, case_id="c-1", status="assigned", team={"id": "t-1", "name": "Wijkteam Noord"}, assignee=holder, version=2
    )
    outcome = outbox.resolve(
        seeded,
        [m],
        [{"id": m.id, "status": "conflict", "code": "task-held-by-other", "held_by": holder, "current": current}],
        [],
    )
    assert outcome.conflicts == [
        {"id": "task-1", "kind": "task.pickup", "reason": "task-held-by-other", "mutation_id": m.id, "held_by": holder}
    ]
    assert doc(seeded, "tasks", "task-1")["assignee"] == holder
    assert dirty(seeded, "tasks", "task-1") == 0
    row = seeded.execute("SELECT status, reason, held_by FROM unprocessed WHERE id = ?", (m.id,)).fetchone()
    assert row[0] == "conflict" and json.loads(row[2]) == holder


def test_rejected_note_keeps_the_users_text_in_unprocessed(seeded):
    m = outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-1", "text": "Mijn eigen woorden."})
    current = make_case(1, version=4, status="closed")
    outcome = outbox.resolve(
        seeded, [m], [{"id": m.id, "status": "rejected", "code": "case-closed", "current": current}], []
    )
    assert outcome.rejected[0]["reason"] == "case-closed"
    assert all(e["text"] != "Mijn eigen woorden." for e in doc(seeded, "cases", "c-1")["journal"])
    payload = json.loads(seeded.execute("SELECT payload FROM unprocessed WHERE id = ?", (m.id,)).fetchone()[0])
    assert payload["text"] == "Mijn eigen woorden."


def test_unsent_changes_are_laid_over_the_services_state(seeded):
    first = outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-1", "text": "een"})
    outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-2", "text": "twee"})
    current = make_case(1, version=2)
    current["journal"].append({"id": "e-1", "text": "een", "author": None, "created_at": "2026-11-27T10:00:00Z"})
    outbox.resolve(seeded, [first], [{"id": first.id, "status": "applied", "current": current}], [])
    texts = [e["text"] for e in doc(seeded, "cases", "c-1")["journal"]]
    assert texts[-2:] == ["een", "twee"]
    assert dirty(seeded, "cases", "c-1") == 1


def test_rejected_task_create_removes_the_local_task(seeded):
    m = outbox.queue(
        seeded,
        "task.create",
        {
            "task_id": "task-new",
            "case_id": "c-1",
            "type": "Keuring",
            "description": "Mijn omschrijving",
            "deadline": None,
            "team_id": "t-1",
        },
    )
    outcome = outbox.resolve(seeded, [m], [{"id": m.id, "status": "rejected", "code": "forbidden"}], [])
    assert outcome.rejected[0]["id"] == "task-new"
    assert seeded.execute("SELECT count(*) FROM tasks WHERE id = 'task-new'").fetchone()[0] == 0
    payload = json.loads(seeded.execute("SELECT payload FROM unprocessed").fetchone()[0])
    assert payload["description"] == "Mijn omschrijving"


def test_unanswered_mutation_stays_queued(seeded):
    a = outbox.queue(seeded, "task.pickup", {"task_id": "task-1"})
    b = outbox.queue(seeded, "task.complete", {"task_id": "task-2"})
    outcome = outbox.resolve(seeded, [a, b], [{"id": a.id, "status": "applied"}], [])
    assert outcome.applied == 1 and outcome.unanswered == 1
    assert [m.id for m in outbox.pending(seeded)] == [b.id]


def test_malformed_current_is_not_written(seeded):
    m = outbox.queue(seeded, "task.pickup", {"task_id": "task-1"})
    outbox.resolve(seeded, [m], [{"id": m.id, "status": "applied", "current": {"id": "task-1", "status": 5}}], [])
    assert doc(seeded, "tasks", "task-1")["assignee"]["id"] == ME["id"]
    assert dirty(seeded, "tasks", "task-1") == 0


def test_batches_and_offline_reads(seeded):
    from desktop.cache import record_offline_read

    record_offline_read(seeded, "c-1", "2026-11-27T09:00:00Z")
    ms = [
        outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": f"e-{i}", "text": "x" * 1000})
        for i in range(5)
    ]
    batch, reads = outbox.next_batch(seeded, 0, 3, 10**6)
    assert [m.id for m in batch] == [m.id for m in ms[:3]] and [r.case_id for r in reads] == ["c-1"]
    batch2, reads2 = outbox.next_batch(seeded, batch[-1].seq, 3, 2000)
    assert [m.id for m in batch2] == [ms[3].id] and reads2 == []  # the byte limit cut it to one
    outbox.resolve(seeded, batch, [{"id": m.id, "status": "applied"} for m in batch], reads)
    assert seeded.execute("SELECT count(*) FROM offline_reads").fetchone()[0] == 0


def test_a_stuck_change_still_counts_as_unsent_a_wipe_would_lose_it(seeded):
    """The count a wipe or the lock sentence gives includes changes set aside as stuck (issue 12)."""
    first = outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-1", "text": "eerste"})
    outbox.queue(seeded, "journal.add", {"case_id": "c-1", "entry_id": "e-2", "text": "tweede"})
    outbox.mark_stuck(seeded, first, "request-too-large", None)
    assert [m.id for m in outbox.pending(seeded)] != [first.id] and len(outbox.pending(seeded)) == 1
    assert outbox.unsent_count(seeded) == 2
