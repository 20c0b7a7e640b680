"""All SQL about the work: cases, steps, journal, tasks, household groups, preferences.

Functions take an open sqlite3 connection; the caller owns the transaction. Reads build the API
objects of docs/API.md (without capabilities, which the caller adds from `rules`); writes change
rows and bump versions, and leave the change feed to `store.feed`.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from server_stub import rules


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _marks(values) -> str:
    return ",".join("?" * len(values))


def _chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


# ---------------------------------------------------------------- who asks


def team_ids_of(conn: sqlite3.Connection, user_id: str) -> frozenset[str]:
    rows = conn.execute("SELECT team_id FROM team_members WHERE user_id = ?", (user_id,))
    return frozenset(row[0] for row in rows)


def viewer_for(conn: sqlite3.Connection, user_id: str, role: str, organisation_id: str) -> rules.Viewer:
    teams = team_ids_of(conn, user_id)
    case_types = {
        row[0]
        for row in conn.execute("SELECT case_type_id FROM case_type_authorisations WHERE user_id = ?", (user_id,))
    }
    if teams:
        team_list = sorted(teams)
        case_types |= {
            row[0]
            for row in conn.execute(
                f"SELECT case_type_id FROM case_type_authorisations WHERE team_id IN ({_marks(team_list)})", team_list
            )
        }
    return rules.Viewer(
        user_id=user_id, role=role, organisation_id=organisation_id, team_ids=teams, case_type_ids=frozenset(case_types)
    )


def user_brief(conn: sqlite3.Connection, user_id: str | None) -> dict | None:
    if user_id is None:
        return None
    row = conn.execute("SELECT id, display_name FROM users WHERE id = ?", (user_id,)).fetchone()
    return {"id": row[0], "display_name": row[1]} if row else None


def active_user_in_organisation(conn: sqlite3.Connection, user_id: object, organisation_id: str) -> bool:
    if not isinstance(user_id, str):
        return False
    row = conn.execute(
        "SELECT 1 FROM users WHERE id = ? AND organisation_id = ? AND active = 1", (user_id, organisation_id)
    ).fetchone()
    return row is not None


def may_work_on_case_type(conn: sqlite3.Connection, user_id: str, case_type_id: str) -> bool:
    """Authorised for the case type, in person or through one of their teams (seed C6)."""
    row = conn.execute(
        "SELECT 1 FROM case_type_authorisations WHERE case_type_id = ? AND (user_id = ? OR "
        "team_id IN (SELECT team_id FROM team_members WHERE user_id = ?))",
        (case_type_id, user_id, user_id),
    ).fetchone()
    return row is not None


def team_in_organisation(conn: sqlite3.Connection, team_id: object, organisation_id: str) -> bool:
    if not isinstance(team_id, str):
        return False
    row = conn.execute(
        "SELECT 1 FROM teams WHERE id = ? AND organisation_id = ?", (team_id, organisation_id)
    ).fetchone()
    return row is not None


# ---------------------------------------------------------------- facts for the rules


def case_facts(conn: sqlite3.Connection, case_id: object) -> rules.CaseFacts | None:
    if not isinstance(case_id, str):
        return None
    row = conn.execute(
        "SELECT organisation_id, case_type_id, status, coordinator_id FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    if row is None:
        return None
    supporters = frozenset(
        r[0] for r in conn.execute("SELECT user_id FROM case_supporters WHERE case_id = ?", (case_id,))
    )
    return rules.CaseFacts(
        organisation_id=row[0], case_type_id=row[1], status=row[2], coordinator_id=row[3], supporter_ids=supporters
    )


def case_facts_many(conn: sqlite3.Connection, case_ids: list[str]) -> dict[str, rules.CaseFacts]:
    """`case_facts` of many cases in two set queries per 500 (a page of tasks names many cases)."""
    rows: dict[str, tuple] = {}
    supporters: dict[str, set[str]] = {}
    for chunk in _chunks(list(case_ids)):
        marks = _marks(chunk)
        for row in conn.execute(
            f"SELECT id, organisation_id, case_type_id, status, coordinator_id FROM cases WHERE id IN ({marks})", chunk
        ):
            rows[row[0]] = tuple(row[1:])
        for case_id, user_id in conn.execute(
            f"SELECT case_id, user_id FROM case_supporters WHERE case_id IN ({marks})", chunk
        ):
            supporters.setdefault(case_id, set()).add(user_id)
    return {
        cid: rules.CaseFacts(
            organisation_id=org,
            case_type_id=ct,
            status=status,
            coordinator_id=coord,
            supporter_ids=frozenset(supporters.get(cid, ())),
        )
        for cid, (org, ct, status, coord) in rows.items()
    }


def task_facts(conn: sqlite3.Connection, task_id: object) -> tuple[rules.TaskFacts, str] | None:
    """The task's facts and its case id."""
    if not isinstance(task_id, str):
        return None
    row = conn.execute("SELECT status, assignee_id, team_id, case_id FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        return None
    return rules.TaskFacts(status=row[0], assignee_id=row[1], team_id=row[2]), row[3]


def case_version(conn: sqlite3.Connection, case_id: str) -> tuple[int, int, str | None]:
    """(version, coordinator_version, device that last changed the coordinator) of a case."""
    row = conn.execute(
        "SELECT version, coordinator_version, coordinator_changed_by_device FROM cases WHERE id = ?", (case_id,)
    ).fetchone()
    return row[0], row[1], row[2]


# ---------------------------------------------------------------- reading API objects


def _user_names(conn: sqlite3.Connection, user_ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    ids = sorted(i for i in user_ids if i)
    for chunk in _chunks(ids):
        for uid, name in conn.execute(f"SELECT id, display_name FROM users WHERE id IN ({_marks(chunk)})", chunk):
            names[uid] = name
    return names


def load_cases(conn: sqlite3.Connection, case_ids: list[str]) -> dict[str, dict]:
    """Full case objects (without capabilities) by id, in a few set queries per 500 cases."""
    cases: dict[str, dict] = {}
    for chunk in _chunks(list(case_ids)):
        _load_case_chunk(conn, chunk, cases)
    return cases


def _load_case_chunk(conn: sqlite3.Connection, ids: list[str], cases: dict[str, dict]) -> None:
    marks = _marks(ids)
    user_ids: set[str] = set()
    for cid, number, ct_id, ct_name, g_id, g_name, status, outcome, coord, version, updated_at, org_id in conn.execute(
        f"""SELECT c.id, c.number, t.id, t.name, g.id, g.name, c.status, c.outcome,
                       c.coordinator_id, c.version, c.updated_at, c.organisation_id
                FROM cases c JOIN case_types t ON t.id = c.case_type_id
                JOIN household_groups g ON g.id = c.group_id
                WHERE c.id IN ({marks})""",
        ids,
    ):
        cases[cid] = {
            "id": cid,
            "number": number,
            "case_type": {"id": ct_id, "name": ct_name},
            "group": {"id": g_id, "name": g_name},
            "citizens": [],
            "status": status,
            "outcome": outcome,
            "coordinator": coord,
            "supporters": [],
            "steps": [],
            "journal": [],
            "version": version,
            "updated_at": updated_at,
            "organisation_id": org_id,
        }
        user_ids.add(coord)
    for cid, z_id, name, bsn, birth in conn.execute(
        f"""SELECT cc.case_id, z.id, z.name, z.bsn, z.birth_date FROM case_citizens cc
                JOIN citizens z ON z.id = cc.citizen_id WHERE cc.case_id IN ({marks})
                ORDER BY z.birth_date, z.id""",
        ids,
    ):
        cases[cid]["citizens"].append({"id": z_id, "name": name, "bsn": bsn, "birth_date": birth})
    for cid, uid in conn.execute(
        f"SELECT case_id, user_id FROM case_supporters WHERE case_id IN ({marks}) ORDER BY user_id", ids
    ):
        cases[cid]["supporters"].append(uid)
        user_ids.add(uid)
    for sid, cid, name, pos, status, closed_at, closed_by, summary in conn.execute(
        f"""SELECT id, case_id, name, position, status, closed_at, closed_by, summary
                FROM case_steps WHERE case_id IN ({marks}) ORDER BY case_id, position""",
        ids,
    ):
        cases[cid]["steps"].append(
            {
                "id": sid,
                "name": name,
                "position": pos,
                "status": status,
                "closed_at": closed_at,
                "closed_by": closed_by,
                "summary": summary,
            }
        )
        if closed_by:
            user_ids.add(closed_by)
    for eid, cid, text, author, created, written in conn.execute(
        f"""SELECT id, case_id, text, author_id, created_at, written_at FROM journal_entries
                WHERE case_id IN ({marks}) ORDER BY case_id, created_at, id""",
        ids,
    ):
        cases[cid]["journal"].append(
            {"id": eid, "text": text, "author": author, "created_at": created, "written_at": written or created}
        )
        user_ids.add(author)
    names = _user_names(conn, user_ids)
    # One brief per person, shared by every place that names them (read-only once built).
    briefs = {uid: {"id": uid, "display_name": names.get(uid, "")} for uid in user_ids if uid}

    def brief(uid):
        return briefs[uid] if uid else None

    for cid in ids:
        case = cases.get(cid)
        if case is None:
            continue
        case["coordinator"] = brief(case["coordinator"])
        case["supporters"] = [brief(u) for u in case["supporters"]]
        for step in case["steps"]:
            step["closed_by"] = brief(step["closed_by"])
        for entry in case["journal"]:
            entry["author"] = brief(entry["author"])


def facts_from_case(case: dict) -> rules.CaseFacts:
    return rules.CaseFacts(
        organisation_id=case["organisation_id"],
        case_type_id=case["case_type"]["id"],
        status=case["status"],
        coordinator_id=case["coordinator"]["id"],
        supporter_ids=frozenset(s["id"] for s in case["supporters"]),
    )


def closed_steps_view(case: dict) -> dict:
    """What a case-type-authorised non-member may see: the closed steps and nothing more (C6)."""
    return {
        "id": case["id"],
        "number": case["number"],
        "case_type": case["case_type"],
        "group": None,
        "citizens": [],
        "status": case["status"],
        "outcome": None,
        "coordinator": case["coordinator"],
        "supporters": [],
        "steps": [s for s in case["steps"] if s["status"] == "closed"],
        "journal": [],
        "version": case["version"],
        "updated_at": case["updated_at"],
        "organisation_id": case["organisation_id"],
    }


def load_tasks(conn: sqlite3.Connection, task_ids: list[str]) -> dict[str, dict]:
    """Task objects (without capabilities) by id, each with the case summary a task needs."""
    tasks: dict[str, dict] = {}
    user_ids: set[str] = set()
    for chunk in _chunks(list(task_ids)):
        marks = _marks(chunk)
        for row in conn.execute(
            f"""SELECT t.id, t.case_id, c.number, ct.name, g.name, t.type, t.description,
                           t.deadline, t.queued_at, t.created_by, t.assignee_id, t.team_id,
                           tm.name, t.status, t.via_team_queue, t.version,
                           (SELECT z.name FROM case_citizens cc JOIN citizens z
                              ON z.id = cc.citizen_id WHERE cc.case_id = t.case_id
                              ORDER BY z.birth_date, z.id LIMIT 1)
                    FROM tasks t JOIN cases c ON c.id = t.case_id
                    JOIN case_types ct ON ct.id = c.case_type_id
                    JOIN household_groups g ON g.id = c.group_id
                    LEFT JOIN teams tm ON tm.id = t.team_id
                    WHERE t.id IN ({marks})""",
            chunk,
        ):
            (
                tid,
                case_id,
                number,
                ct_name,
                g_name,
                ttype,
                desc,
                deadline,
                queued_at,
                created_by,
                assignee,
                team_id,
                team_name,
                status,
                via_queue,
                version,
                citizen,
            ) = row
            tasks[tid] = {
                "id": tid,
                "case_id": case_id,
                "case_summary": {"number": number, "case_type": ct_name, "group_name": g_name, "citizen_name": citizen},
                "type": ttype,
                "description": desc,
                "deadline": deadline,
                "queued_at": queued_at,
                "created_by": created_by,
                "assignee": assignee,
                "team": {"id": team_id, "name": team_name} if team_id else None,
                "status": status,
                "via_team_queue": bool(via_queue),
                "version": version,
            }
            user_ids.update(u for u in (created_by, assignee) if u)
    events = _task_events(conn, list(tasks))
    for task_events in events.values():
        for event in task_events:
            user_ids.update(u for u in (event["actor"], event["to_user"]) if u)
    names = _user_names(conn, user_ids)

    def brief(uid):
        return {"id": uid, "display_name": names.get(uid, "")} if uid else None

    for task in tasks.values():
        for key in ("created_by", "assignee"):
            task[key] = brief(task[key])
        task["history"] = events.get(task["id"], [])
        for event in task["history"]:
            event["actor"], event["to_user"] = brief(event["actor"]), brief(event["to_user"])
    return tasks


HISTORY_SHOWN = 20  # a short history: the newest events of a task


def _task_events(conn: sqlite3.Connection, task_ids: list[str]) -> dict[str, list[dict]]:
    """The newest HISTORY_SHOWN events per task, oldest first (people as ids, for the caller)."""
    events: dict[str, list[dict]] = {}
    for chunk in _chunks(task_ids):
        for task_id, event, actor, to_user, team_id, team_name, note, at in conn.execute(
            f"""SELECT e.task_id, e.event, e.actor_id, e.to_user_id, e.to_team_id, tm.name, e.note, e.at
                    FROM task_events e LEFT JOIN teams tm ON tm.id = e.to_team_id
                    WHERE e.task_id IN ({_marks(chunk)}) ORDER BY e.task_id, e.position""",
            chunk,
        ):
            events.setdefault(task_id, []).append(
                {
                    "event": event,
                    "at": at,
                    "actor": actor,
                    "to_user": to_user,
                    "to_team": {"id": team_id, "name": team_name} if team_id else None,
                    "note": note,
                }
            )
    return {tid: found[-HISTORY_SHOWN:] for tid, found in events.items()}


def team_case_types(conn: sqlite3.Connection, organisation_id: str) -> dict[str, tuple[str, frozenset[str]]]:
    """The organisation's teams: id → (name, the case types the team works on)."""
    teams: dict[str, tuple[str, set[str]]] = {
        tid: (name, set())
        for tid, name in conn.execute(
            "SELECT id, name FROM teams WHERE organisation_id = ? ORDER BY name, id", (organisation_id,)
        )
    }
    for tid, case_type_id in conn.execute(
        "SELECT a.team_id, a.case_type_id FROM case_type_authorisations a JOIN teams t ON t.id = a.team_id "
        "WHERE t.organisation_id = ?",
        (organisation_id,),
    ):
        teams[tid][1].add(case_type_id)
    return {tid: (name, frozenset(types)) for tid, (name, types) in teams.items()}


def dismissed_versions(conn: sqlite3.Connection, user_id: str, task_ids: list[str]) -> dict[str, int]:
    """task id → the task's version when this user said "niet voor mij"."""
    found: dict[str, int] = {}
    for chunk in _chunks(task_ids):
        found.update(
            conn.execute(
                f"SELECT task_id, task_version FROM task_dismissals WHERE user_id = ? AND task_id IN ({_marks(chunk)})",
                [user_id, *chunk],
            ).fetchall()
        )
    return found


def forward_target(
    conn: sqlite3.Connection, organisation_id: str, *, user_id: str | None, team_id: str | None
) -> rules.ForwardTarget:
    """The facts `rules.forward_refusal` needs about a colleague or a team queue."""
    if user_id is not None:
        row = conn.execute(
            "SELECT service_account FROM users WHERE id = ? AND organisation_id = ? AND active = 1",
            (user_id, organisation_id),
        ).fetchone()
        return rules.ForwardTarget(
            user_id=user_id, active_in_organisation=row is not None, service_account=bool(row and row[0])
        )
    exists = team_in_organisation(conn, team_id, organisation_id)
    types = (
        frozenset(
            r[0]
            for r in conn.execute("SELECT case_type_id FROM case_type_authorisations WHERE team_id = ?", (team_id,))
        )
        if exists
        else frozenset()
    )
    return rules.ForwardTarget(team_id=team_id, active_in_organisation=exists, team_case_type_ids=types)


def task_facts_from(task: dict) -> rules.TaskFacts:
    return rules.TaskFacts(
        status=task["status"],
        assignee_id=task["assignee"]["id"] if task["assignee"] else None,
        team_id=task["team"]["id"] if task["team"] else None,
    )


def load_case_types(conn: sqlite3.Connection) -> list[dict]:
    return [{"id": i, "name": n} for i, n in conn.execute("SELECT id, name FROM case_types ORDER BY name")]


def load_teams(conn: sqlite3.Connection, team_ids) -> list[dict]:
    ids = sorted(team_ids)
    if not ids:
        return []
    teams = {
        tid: {"id": tid, "name": name, "organisation_id": org, "members": []}
        for tid, name, org in conn.execute(
            f"SELECT id, name, organisation_id FROM teams WHERE id IN ({_marks(ids)})", ids
        )
    }
    for tid, uid, name in conn.execute(
        f"""SELECT m.team_id, u.id, u.display_name FROM team_members m
                JOIN users u ON u.id = m.user_id
                WHERE m.team_id IN ({_marks(ids)}) AND u.active = 1
                ORDER BY u.display_name""",
        ids,
    ):
        teams[tid]["members"].append({"id": uid, "display_name": name})
    return [teams[t] for t in ids if t in teams]


def load_colleagues(conn: sqlite3.Connection, organisation_id: str) -> list[dict]:
    """Active users of the organisation, service accounts left out: whom a task can be forwarded
    to, and the case types each may work on (whom a case's coordinator can be)."""
    colleagues = {
        uid: {"id": uid, "display_name": name, "team_ids": [], "case_type_ids": []}
        for uid, name in conn.execute(
            "SELECT id, display_name FROM users WHERE organisation_id = ? AND active = 1 AND service_account = 0",
            (organisation_id,),
        )
    }
    for uid, tid in conn.execute(
        """SELECT m.user_id, m.team_id FROM team_members m JOIN users u ON u.id = m.user_id
               WHERE u.organisation_id = ? ORDER BY m.team_id""",
        (organisation_id,),
    ):
        if uid in colleagues:
            colleagues[uid]["team_ids"].append(tid)
    for uid, case_type_id in conn.execute(
        """SELECT a.user_id, a.case_type_id FROM case_type_authorisations a JOIN users u ON u.id = a.user_id
               WHERE u.organisation_id = ?
               UNION SELECT m.user_id, a.case_type_id FROM case_type_authorisations a
               JOIN team_members m ON m.team_id = a.team_id JOIN users u ON u.id = m.user_id
               WHERE u.organisation_id = ? ORDER BY 2""",
        (organisation_id, organisation_id),
    ):
        if uid in colleagues:
            colleagues[uid]["case_type_ids"].append(case_type_id)
    return sorted(colleagues.values(), key=lambda c: (c["display_name"], c["id"]))


# ---------------------------------------------------------------- preferences


def load_preferences(conn: sqlite3.Connection, user_id: str) -> dict:
    row = conn.execute(
        """SELECT email_on_assigned, email_on_added_to_case, desktop_notifications, version
           FROM preferences WHERE user_id = ?""",
        (user_id,),
    ).fetchone()
    assigned, added, desktop, version = row if row else (1, 1, 1, 1)
    chosen = dict(
        conn.execute("SELECT team_id, enabled FROM team_queue_email WHERE user_id = ?", (user_id,)).fetchall()
    )
    per_team = {tid: bool(chosen.get(tid, 1)) for tid in sorted(team_ids_of(conn, user_id))}
    return {
        "team_queue_email": per_team,
        "email_on_assigned": bool(assigned),
        "email_on_added_to_case": bool(added),
        "desktop_notifications": bool(desktop),
        "version": version,
    }


def preferences_changed_by_device(conn: sqlite3.Connection, user_id: str) -> str | None:
    row = conn.execute("SELECT changed_by_device FROM preferences WHERE user_id = ?", (user_id,)).fetchone()
    return row[0] if row else None


def save_preferences(conn: sqlite3.Connection, user_id: str, prefs: dict, device_id: str | None) -> None:
    conn.execute(
        """INSERT INTO preferences (user_id, email_on_assigned, email_on_added_to_case,
                                    desktop_notifications, version, changed_by_device)
           VALUES (?, ?, ?, ?, 2, ?)
           ON CONFLICT(user_id) DO UPDATE SET email_on_assigned = excluded.email_on_assigned,
               email_on_added_to_case = excluded.email_on_added_to_case,
               desktop_notifications = excluded.desktop_notifications,
               changed_by_device = excluded.changed_by_device,
               version = preferences.version + 1""",
        (
            user_id,
            int(prefs["email_on_assigned"]),
            int(prefs["email_on_added_to_case"]),
            int(prefs["desktop_notifications"]),
            device_id,
        ),
    )
    conn.executemany(
        """INSERT INTO team_queue_email (user_id, team_id, enabled) VALUES (?, ?, ?)
           ON CONFLICT(user_id, team_id) DO UPDATE SET enabled = excluded.enabled""",
        [(user_id, tid, int(on)) for tid, on in prefs["team_queue_email"].items()],
    )


def wants_team_queue_email(conn: sqlite3.Connection, team_id: str) -> list[tuple[str, str]]:
    """(user id, e-mail) of the team's active members whose preference allows the mail (T3, T6)."""
    return conn.execute(
        """SELECT u.id, u.email FROM team_members m JOIN users u ON u.id = m.user_id
           LEFT JOIN team_queue_email q ON q.user_id = u.id AND q.team_id = m.team_id
           WHERE m.team_id = ? AND u.active = 1 AND COALESCE(q.enabled, 1) = 1
           ORDER BY u.id""",
        (team_id,),
    ).fetchall()


def email_if_wanted(conn: sqlite3.Connection, user_id: str, preference: str) -> str | None:
    """The user's e-mail address when the event preference allows it, else None."""
    assert preference in ("email_on_assigned", "email_on_added_to_case")
    row = conn.execute(
        f"""SELECT u.email, COALESCE(p.{preference}, 1) FROM users u
            LEFT JOIN preferences p ON p.user_id = u.id WHERE u.id = ? AND u.active = 1""",
        (user_id,),
    ).fetchone()
    return row[0] if row and row[1] else None


# ---------------------------------------------------------------- writing cases


def bump_case(conn: sqlite3.Connection, case_id: str, at: str) -> None:
    conn.execute("UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ?", (at, case_id))


def journal_entry_exists(conn: sqlite3.Connection, entry_id: str) -> str | None:
    """The case id of an existing entry with this id, or None."""
    row = conn.execute("SELECT case_id FROM journal_entries WHERE id = ?", (entry_id,)).fetchone()
    return row[0] if row else None


def add_journal_entry(
    conn, case_id: str, entry_id: str, text: str, author_id: str, at: str, written_at: str | None = None
) -> None:
    """`at`: received by the service; `written_at`: written on the device (offline), when known."""
    conn.execute(
        "INSERT INTO journal_entries (id, case_id, text, author_id, created_at, written_at) VALUES (?, ?, ?, ?, ?, ?)",
        (entry_id, case_id, text, author_id, at, written_at),
    )
    bump_case(conn, case_id, at)


def step_status(conn, case_id: str, step_id: object) -> str | None:
    if not isinstance(step_id, str):
        return None
    row = conn.execute("SELECT status FROM case_steps WHERE id = ? AND case_id = ?", (step_id, case_id)).fetchone()
    return row[0] if row else None


def complete_step(conn, case_id: str, step_id: str, summary: str, user_id: str, at: str) -> None:
    conn.execute(
        "UPDATE case_steps SET status = 'closed', closed_at = ?, closed_by = ?, "
        "summary = ? WHERE id = ? AND status = 'open'",
        (at, user_id, summary, step_id),
    )
    bump_case(conn, case_id, at)


def close_case(conn, case_id: str, outcome: str, at: str) -> list[str]:
    """Close the case (D3) and complete its open tasks; returns the ids of those tasks."""
    conn.execute("UPDATE cases SET status = 'closed', outcome = ?, closed_at = ? WHERE id = ?", (outcome, at, case_id))
    open_tasks = [
        r[0] for r in conn.execute("SELECT id FROM tasks WHERE case_id = ? AND status <> 'completed'", (case_id,))
    ]
    conn.execute(
        "UPDATE tasks SET status = 'completed', completed_at = ?, updated_at = ?, "
        "version = version + 1 WHERE case_id = ? AND status <> 'completed'",
        (at, at, case_id),
    )
    bump_case(conn, case_id, at)
    return open_tasks


def set_coordinator(conn, case_id: str, user_id: str, at: str, device_id: str | None) -> None:
    """Exactly one coordinator (C2): the new one leaves the supporters, the old one the case."""
    conn.execute("DELETE FROM case_supporters WHERE case_id = ? AND user_id = ?", (case_id, user_id))
    conn.execute(
        "UPDATE cases SET coordinator_id = ?, version = version + 1, "
        "coordinator_version = version + 1, coordinator_changed_by_device = ?, "
        "updated_at = ? WHERE id = ?",
        (user_id, device_id, at, case_id),
    )


def add_supporter(conn, case_id: str, user_id: str, at: str) -> None:
    conn.execute("INSERT OR IGNORE INTO case_supporters (case_id, user_id) VALUES (?, ?)", (case_id, user_id))
    bump_case(conn, case_id, at)


def remove_supporter(conn, case_id: str, user_id: str, at: str) -> None:
    conn.execute("DELETE FROM case_supporters WHERE case_id = ? AND user_id = ?", (case_id, user_id))
    bump_case(conn, case_id, at)


# ---------------------------------------------------------------- writing tasks


def task_exists(conn, task_id: str) -> bool:
    return conn.execute("SELECT 1 FROM tasks WHERE id = ?", (task_id,)).fetchone() is not None


def add_task_event(
    conn,
    task_id: str,
    event: str,
    actor_id: str | None,
    at: str,
    *,
    to_user_id: str | None = None,
    to_team_id: str | None = None,
    note: str | None = None,
) -> None:
    """One line of the task's history, numbered after the last one (in the caller's transaction)."""
    conn.execute(
        "INSERT INTO task_events (task_id, position, event, actor_id, to_user_id, to_team_id, note, at) "
        "SELECT ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ?, ?, ? FROM task_events WHERE task_id = ?",
        (task_id, event, actor_id, to_user_id, to_team_id, note, at, task_id),
    )


def dismiss_task(conn, task_id: str, user_id: str) -> None:
    """ "Niet voor mij": hidden for this user until the task's version moves on."""
    conn.execute(
        "INSERT INTO task_dismissals (user_id, task_id, task_version) "
        "SELECT ?, id, version FROM tasks WHERE id = ? "
        "ON CONFLICT (user_id, task_id) DO UPDATE SET task_version = excluded.task_version",
        (user_id, task_id),
    )


def create_task(
    conn,
    *,
    task_id: str,
    case_id: str,
    task_type: str,
    description: str,
    deadline: str | None,
    created_by: str,
    assignee_id: str | None,
    team_id: str | None,
    at: str,
) -> None:
    queued = team_id is not None and assignee_id is None
    conn.execute(
        """INSERT INTO tasks (id, case_id, type, description, deadline, queued_at, created_by,
                              assignee_id, team_id, status, via_team_queue, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            task_id,
            case_id,
            task_type,
            description,
            deadline,
            at if queued else None,
            created_by,
            assignee_id,
            team_id if queued else None,
            "queued" if queued else "assigned",
            int(queued),
            at,
            at,
        ),
    )
    add_task_event(
        conn, task_id, "created", created_by, at, to_user_id=assignee_id, to_team_id=team_id if queued else None
    )


def pickup_task(conn, task_id: str, user_id: str, at: str) -> bool:
    """The atomic compare-and-set of T4: True for the one who wins."""
    cursor = conn.execute(
        "UPDATE tasks SET assignee_id = ?, status = 'assigned', version = version + 1, "
        "updated_at = ? WHERE id = ? AND status = 'queued'",
        (user_id, at, task_id),
    )
    if cursor.rowcount != 1:
        return False
    add_task_event(conn, task_id, "picked_up", user_id, at)
    return True


def release_task(conn, task_id: str, user_id: str, at: str) -> bool:
    cursor = conn.execute(
        "UPDATE tasks SET assignee_id = NULL, status = 'queued', queued_at = ?, "
        "version = version + 1, updated_at = ? "
        "WHERE id = ? AND status = 'assigned' AND assignee_id = ? AND team_id IS NOT NULL RETURNING team_id",
        (at, at, task_id, user_id),
    )
    row = cursor.fetchone()
    if row is None:
        return False
    add_task_event(conn, task_id, "handed_back", user_id, at, to_team_id=row[0])
    return True


def complete_task(conn, task_id: str, user_id: str, at: str) -> bool:
    cursor = conn.execute(
        "UPDATE tasks SET status = 'completed', completed_at = ?, version = version + 1, "
        "updated_at = ? WHERE id = ? AND status = 'assigned' AND assignee_id = ?",
        (at, at, task_id, user_id),
    )
    if cursor.rowcount != 1:
        return False
    add_task_event(conn, task_id, "completed", user_id, at)
    return True


def forward_task(
    conn, task_id: str, *, user_id: str | None, team_id: str | None, at: str, by: str, note: str | None = None
) -> None:
    """To a colleague (assigned, no queue) or to a team's queue (queued, nobody holds it); the
    note travels with the task in its history."""
    add_task_event(conn, task_id, "forwarded", by, at, to_user_id=user_id, to_team_id=team_id, note=note)
    if team_id is not None:
        conn.execute(
            "UPDATE tasks SET team_id = ?, assignee_id = NULL, status = 'queued', "
            "via_team_queue = 1, queued_at = ?, version = version + 1, updated_at = ? "
            "WHERE id = ?",
            (team_id, at, at, task_id),
        )
    else:
        conn.execute(
            "UPDATE tasks SET team_id = NULL, assignee_id = ?, status = 'assigned', "
            "version = version + 1, updated_at = ? WHERE id = ?",
            (user_id, at, task_id),
        )


# ---------------------------------------------------------------- household groups


def load_groups(conn, organisation_id: str | None) -> list[dict]:
    """Groups of one organisation (None: all), with how many cases and citizens each holds."""
    where, args = ("WHERE g.organisation_id = ?", (organisation_id,)) if organisation_id else ("", ())
    return [
        {"id": gid, "name": name, "organisation_id": org, "case_count": cases, "citizen_count": citizens}
        for gid, name, org, cases, citizens in conn.execute(
            f"""SELECT g.id, g.name, g.organisation_id,
                           (SELECT COUNT(*) FROM cases c WHERE c.group_id = g.id),
                           (SELECT COUNT(*) FROM citizens z WHERE z.group_id = g.id)
                    FROM household_groups g {where} ORDER BY g.name, g.id""",
            args,
        )
    ]


def group_organisation(conn, group_id: str) -> str | None:
    row = conn.execute("SELECT organisation_id FROM household_groups WHERE id = ?", (group_id,)).fetchone()
    return row[0] if row else None


def group_case_ids(conn, group_id: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM cases WHERE group_id = ? ORDER BY id", (group_id,))]


def group_holds_anything(conn, group_id: str) -> bool:
    row = conn.execute(
        "SELECT EXISTS(SELECT 1 FROM cases WHERE group_id = ?) OR EXISTS(SELECT 1 FROM citizens WHERE group_id = ?)",
        (group_id, group_id),
    ).fetchone()
    return bool(row[0])


def transfer_group(conn, source_id: str, target_id: str, at: str) -> list[str]:
    """Move every case and citizen of one group to another (D2); returns the moved case ids."""
    moved = group_case_ids(conn, source_id)
    conn.execute(
        "UPDATE cases SET group_id = ?, version = version + 1, updated_at = ? WHERE group_id = ?",
        (target_id, at, source_id),
    )
    conn.execute("UPDATE citizens SET group_id = ? WHERE group_id = ?", (target_id, source_id))
    return moved


def delete_group(conn, group_id: str) -> None:
    conn.execute("DELETE FROM household_groups WHERE id = ?", (group_id,))


# ---------------------------------------------------------------- search (C6)


def find_case_ids(conn, *, case_number: str | None, bsn: str | None, organisation_id: str | None) -> list[str]:
    """Cases by number or citizen number, within one organisation (None: every organisation)."""
    if case_number is not None:
        rows = conn.execute(
            "SELECT id FROM cases WHERE number = ? AND (? IS NULL OR organisation_id = ?)",
            (case_number, organisation_id, organisation_id),
        )
    else:
        rows = conn.execute(
            """SELECT c.id FROM citizens z JOIN case_citizens cc ON cc.citizen_id = z.id
               JOIN cases c ON c.id = cc.case_id
               WHERE z.bsn = ? AND (? IS NULL OR c.organisation_id = ?) ORDER BY c.number""",
            (bsn, organisation_id, organisation_id),
        )
    return [r[0] for r in rows]


def record_coordinator_replacement(
    conn, *, replacement_id: str, case_id: str, previous_id: str, new_id: str, replaced_by: str, reason: str, at: str
) -> None:
    conn.execute(
        "INSERT INTO coordinator_replacements (id, case_id, previous_coordinator_id, "
        "new_coordinator_id, replaced_by, reason, replaced_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (replacement_id, case_id, previous_id, new_id, replaced_by, reason, at),
    )
