"""Task rules over real mutual TLS: the team queue and its mail (T3, T6), the atomic pick-up
(T4), hand back, forward and complete (T2, T5), and the feed never showing another team's queue."""

from __future__ import annotations

import threading
import uuid

from tests.server.work_client import case_of, one


def queued_task(service, team_id: str, *, not_member: tuple[str, ...] = ()) -> str:
    """A queued demo task of the team whose case none of `not_member` belongs to."""
    conn = service.db.conn()
    excluded = {service.user_id(u) for u in not_member}
    for task_id, case_id in conn.execute(
        "SELECT id, case_id FROM tasks WHERE team_id = ? AND status = 'queued' ORDER BY id", (team_id,)
    ):
        members = {
            r[0]
            for r in conn.execute(
                "SELECT coordinator_id FROM cases WHERE id = ? UNION SELECT user_id FROM case_supporters "
                "WHERE case_id = ?",
                (case_id, case_id),
            )
        }
        if not members & excluded:
            return task_id
    raise AssertionError("no queued demo task matches")


def outbox_recipients(service, subject_part: str) -> set[str]:
    return {
        r[0]
        for r in service.db.conn().execute(
            "SELECT to_address FROM mail_outbox WHERE subject LIKE ?", (f"%{subject_part}%",)
        )
    }


def test_team_queue_mail_goes_to_each_member_who_wants_it_not_the_sender_seed_T3_T6(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    # bram switches the team-queue mail off (T6)
    prefs = bram.pull_all()["preferences"][0]
    assert prefs["team_queue_email"] == {"team-jgn": True}
    off = bram.push_one(
        "preferences.set",
        {
            "team_queue_email": {"team-jgn": False},
            "email_on_assigned": True,
            "email_on_added_to_case": True,
            "desktop_notifications": True,
        },
        base_version=prefs["version"],
    )
    assert off["status"] == "applied" and off["current"]["team_queue_email"] == {"team-jgn": False}
    case_id = case_of(service, "anouk")
    number = one(service, "SELECT number FROM cases WHERE id = ?", case_id)
    citizen, bsn = (
        service.db.conn()
        .execute(
            "SELECT z.name, z.bsn FROM case_citizens cc JOIN citizens z ON z.id = cc.citizen_id WHERE cc.case_id = ?",
            (case_id,),
        )
        .fetchone()
    )
    task_id = str(uuid.uuid4())
    created = anouk.push_one(
        "task.create",
        {
            "task_id": task_id,
            "case_id": case_id,
            "type": "Medische keuring uitvoeren",
            "description": f"Keuring voor {citizen} regelen",
            "deadline": "2026-12-24",
            "team_id": "team-jgn",
        },
    )
    assert created["status"] == "applied", created
    assert created["current"]["status"] == "queued" and created["current"]["via_team_queue"]
    members = {u.email for u in service.people.members("team-jgn")}
    expected = members - {service.people.user("anouk").email, service.people.user("bram").email}
    assert len(expected) >= 2
    for address in expected:
        [message] = service.wait_for_mail(to=address)
        text = message.get_content()
        assert task_id in text and number in text
        assert f"menscentraal://taak/{task_id}" in text  # opens the task in the app (the client's URL scheme)
        for secret in (citizen, bsn, "Keuring voor"):
            assert secret not in text and secret not in str(message["Subject"])
    # the outbox holds every mail the service decided to send: nobody else got one
    assert outbox_recipients(service, "werkbak") == expected


def test_pickup_race_first_wins_second_sees_holder_seed_T4(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    task_id = queued_task(service, "team-jgn")
    barrier = threading.Barrier(2)
    results = {}

    def pick(worker):
        barrier.wait()
        results[worker.username] = worker.push_one("task.pickup", {"task_id": task_id})

    threads = [threading.Thread(target=pick, args=(w,)) for w in (anouk, bram)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    statuses = sorted(r["status"] for r in results.values())
    assert statuses == ["applied", "conflict"], results
    winner = next(name for name, r in results.items() if r["status"] == "applied")
    loser = next(r for r in results.values() if r["status"] == "conflict")
    assert loser["reason"] == "task-held-by-other"
    assert loser["held_by"] == {"id": service.user_id(winner), "display_name": service.people.user(winner).display_name}
    assert one(service, "SELECT assignee_id FROM tasks WHERE id = ?", task_id) == service.user_id(winner)


def test_taken_task_leaves_the_queue_of_the_others_seed_T4(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    task_id = queued_task(service, "team-jgn", not_member=("bram",))
    assert task_id in bram.pull_all()["tasks"]
    picked = anouk.push_one("task.pickup", {"task_id": task_id})
    assert picked["status"] == "applied"
    assert picked["current"]["assignee"]["id"] == anouk.user_id
    assert picked["current"]["capabilities"]["release"] == {"allowed": True, "reason": None}
    after = bram.pull_all()
    assert {"type": "task", "id": task_id} in after["removals"]
    late = bram.push_one("task.pickup", {"task_id": task_id})
    assert late["status"] == "conflict" and late["held_by"]["id"] == anouk.user_id


def test_holder_hands_back_forwards_and_completes_seed_T2_T5(service, workers):
    anouk, bram, daan = workers("anouk"), workers("bram"), workers("daan")
    task_id = queued_task(service, "team-jgn", not_member=("bram", "daan"))
    assert anouk.push_one("task.pickup", {"task_id": task_id})["status"] == "applied"
    # only the holder hands it back
    assert bram.push_one("task.release", {"task_id": task_id})["status"] == "conflict"
    released = anouk.push_one("task.release", {"task_id": task_id})
    assert released["status"] == "applied" and released["current"]["status"] == "queued"
    assert task_id in bram.pull_all()["tasks"]
    # a team member forwards it to a colleague of another team, who gets a mail
    forwarded = bram.push_one("task.forward", {"task_id": task_id, "user_id": daan.user_id})
    assert forwarded["status"] == "applied", forwarded
    assert task_id in daan.pull_all()["tasks"]
    [assigned] = service.wait_for_mail(to=service.people.user("daan").email)
    assert f"menscentraal://taak/{task_id}" in assigned.get_content()
    # bram passed it on and no longer sees it: as if it did not exist (issue 13 item 8)
    assert bram.push_one("task.complete", {"task_id": task_id})["code"] == "not-found"
    done = daan.push_one("task.complete", {"task_id": task_id})
    assert done["status"] == "applied"
    assert one(service, "SELECT status FROM tasks WHERE id = ?", task_id) == "completed"
    again = daan.push_one("task.complete", {"task_id": task_id})
    assert (again["status"], again["reason"]) == ("conflict", "task-completed")


def test_non_team_member_cannot_pick_up_and_feed_never_carries_another_teams_queue(service, workers):
    daan = workers("daan")  # team-wmo
    seen = daan.pull_all()
    conn = service.db.conn()
    for task in seen["tasks"].values():
        members = {
            r[0]
            for r in conn.execute(
                "SELECT coordinator_id FROM cases WHERE id = ? UNION SELECT user_id FROM case_supporters "
                "WHERE case_id = ?",
                (task["case_id"], task["case_id"]),
            )
        }
        if task["status"] == "queued" and daan.user_id not in members:
            assert task["team"]["id"] == "team-wmo", task["id"]
    jgn_task = queued_task(service, "team-jgn", not_member=("daan",))
    assert jgn_task not in seen["tasks"]
    refused = daan.push_one("task.pickup", {"task_id": jgn_task})
    # another team's queue is out of daan's view: as if it did not exist (issue 13 item 8)
    assert (refused["status"], refused["code"], refused["reason"]) == ("rejected", "not-found", None)
    assert refused["current"] is None and refused["held_by"] is None  # nothing of that task is shown
    assert one(service, "SELECT status FROM tasks WHERE id = ?", jgn_task) == "queued"
    ilse = workers("ilse")  # another organisation: the task does not exist for her
    assert ilse.push_one("task.pickup", {"task_id": jgn_task})["code"] == "not-found"
