"""Team work as people know it (issue 14), over real mutual TLS: the service decides where a task
may be forwarded, keeps its short history with the forwarder's note, and "niet voor mij" hides a
task from one user's Werkbak until the task changes."""

from __future__ import annotations

from tests.server.work_client import case_of, one


def queued(service, team_id: str, case_types: tuple[str, ...]) -> str:
    return one(
        service,
        "SELECT t.id FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.team_id = ? "
        f"AND t.status = 'queued' AND c.case_type_id IN ({','.join('?' * len(case_types))}) ORDER BY t.id",
        team_id,
        *case_types,
    )


def refusal(result: dict) -> str:
    assert result["status"] == "rejected" and result["code"] == "invalid-request", result
    assert result["detail"] and "-" not in result["detail"].split()[0]  # a sentence, not a code
    return result["invalidParams"][0]["reason"]


def test_service_decides_where_a_task_may_be_forwarded_seed_T2(service, workers):
    anouk = workers("anouk")
    jeugd = queued(service, "team-jgn", ("ct-jeugd", "ct-participatie"))  # team-wmo does not work on these
    schuld = queued(service, "team-jgn", ("ct-schuld",))  # team-wmo does
    pulled = anouk.pull_all()
    assert "usr-bench" not in {c["id"] for c in pulled["colleagues"]}  # a service account is no colleague
    assert pulled["tasks"][jeugd]["forward_teams"] == []
    assert pulled["tasks"][schuld]["forward_teams"] == [{"id": "team-wmo", "name": "Wmo-team Centrum"}]

    def forward(task_id, **target):
        return anouk.push_one("task.forward", {"task_id": task_id, **target})

    assert refusal(forward(jeugd, user_id=anouk.user_id)) == "forward-to-self"
    assert refusal(forward(jeugd, user_id="usr-bench")) == "service-account"
    assert refusal(forward(jeugd, team_id="team-jgn")) == "already-in-queue"
    assert refusal(forward(jeugd, team_id="team-wmo")) == "team-not-authorised-for-case-type"
    assert refusal(forward(jeugd, team_id="team-swo")) == "unknown-team"  # another organisation's
    assert refusal(forward(jeugd, user_id="usr-ilse")) == "unknown-user"
    assert one(service, "SELECT status FROM tasks WHERE id = ?", jeugd) == "queued"  # nothing changed
    moved = forward(schuld, team_id="team-wmo")
    assert moved["status"] == "applied" and moved["current"] is None  # out of anouk's view now


def test_history_keeps_who_did_what_and_the_note_travels_with_the_task(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    task_id = queued(service, "team-jgn", ("ct-jeugd", "ct-schuld", "ct-participatie"))
    assert bram.push_one("task.pickup", {"task_id": task_id})["status"] == "applied"
    assert bram.push_one("task.release", {"task_id": task_id})["status"] == "applied"
    note = "Bram kent dit gezin al van het vorige traject."
    result = anouk.push_one("task.forward", {"task_id": task_id, "user_id": bram.user_id, "note": note})
    assert result["status"] == "applied"
    task = bram.pull_all()["tasks"][task_id]
    events = [
        (
            e["event"],
            (e["actor"] or {}).get("id"),
            (e["to_user"] or {}).get("id"),
            (e["to_team"] or {}).get("id"),
            e["note"],
        )
        for e in task["history"]
    ]
    assert events[0][0] == "created"
    assert events[1:] == [
        ("picked_up", bram.user_id, None, None, None),
        ("handed_back", bram.user_id, None, "team-jgn", None),
        ("forwarded", anouk.user_id, bram.user_id, None, note),
    ]
    assert task["history"][-1]["actor"]["display_name"] == "Anouk Testbergen"
    assert task["assignee"]["id"] == bram.user_id
    # The note is the users' own text: stored beside the task, never copied into the audit log.
    assert all(note not in str(entry) for entry in service.audit_entries())


def test_niet_voor_mij_hides_for_that_user_only_until_the_task_changes_seed_T5(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    task_id = queued(service, "team-jgn", ("ct-jeugd", "ct-schuld", "ct-participatie"))
    anouk.pull_all(), bram.pull_all()
    hidden = anouk.push_one("task.dismiss", {"task_id": task_id})
    assert hidden["status"] == "applied" and hidden["current"]["dismissed"] is True
    assert anouk.pull()["upserts"]["tasks"][0]["dismissed"] is True  # her other devices hear it too
    assert all(t["id"] != task_id for t in bram.pull()["upserts"]["tasks"])  # nobody else's feed moved
    bram.push_one("task.pickup", {"task_id": task_id})
    assert bram.push_one("task.dismiss", {"task_id": task_id})["reason"] == "task-not-in-queue"
    bram.push_one("task.release", {"task_id": task_id})
    back = {t["id"]: t for t in anouk.pull_all()["tasks"].values()}
    assert back[task_id]["status"] == "queued" and back[task_id]["dismissed"] is False


def test_closing_a_case_adds_a_history_line_to_each_of_its_open_tasks_issue14(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    for n in range(2):
        created = anouk.push_one(
            "task.create",
            {"task_id": f"task-close-{n}", "case_id": case_id, "type": "Huisbezoek", "assignee_id": anouk.user_id},
        )
        assert created["status"] == "applied", created
    assert anouk.push_one("task.complete", {"task_id": "task-close-0"})["status"] == "applied"
    assert anouk.push_one("case.close", {"case_id": case_id, "outcome": "afgerond"})["status"] == "applied"
    tasks = anouk.pull_all()["tasks"]
    done_before, open_then = tasks["task-close-0"]["history"], tasks["task-close-1"]["history"]
    assert [e["event"] for e in done_before] == ["created", "completed"]  # finished before: no new line
    assert [e["event"] for e in open_then] == ["created", "case_closed"]
    assert open_then[-1]["actor"]["id"] == anouk.user_id and tasks["task-close-1"]["status"] == "completed"
