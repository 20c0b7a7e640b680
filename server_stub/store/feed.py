"""The change feed: what each user may see, what changed for them, and what left their view.

Two tables (002_work.sql) carry it:
- `visibility` (user, object) says who sees each case, task and team *now*. Every write calls
  `publish_*` in its own transaction, which recomputes the object's viewers, diffs them with
  `visibility`, and appends one `feed` row per viewer (an upsert) and per lost viewer (a removal).
- `feed` (seq, user, object, removed) keeps one row per (user, object), moved to a fresh seq on
  each change. A pull after cursor X is one range scan on (user_id, seq); a no-op pull is one
  indexed query that finds nothing.

First sync: a snapshot paged by object id out of `visibility`, after which the cursor continues
from the feed seq captured when the snapshot started (changes during the snapshot come again).
"""

from __future__ import annotations

import asyncio
import base64
import json
import sqlite3
import threading
from dataclasses import dataclass

from server_stub import rules
from server_stub.store import work, write_scope

DEFAULT_PAGE = 500
MAX_PAGE = 2000
MAX_WAIT_SECONDS = 25


class BadCursor(ValueError):
    """The cursor is not one this service handed out."""


class CursorExpired(ValueError):
    """The cursor is from another (older or reset) feed: start again with a first sync."""


# ---------------------------------------------------------------- cursors (opaque to clients)


@dataclass(frozen=True)
class Cursor:
    seq: int  # feed position; during a snapshot, the seq it started at
    phase: str = "feed"  # feed | cases | tasks (snapshot phases)
    after: str = ""  # snapshot: last object id sent in this phase

    def encode(self) -> str:
        raw = json.dumps([1, self.seq, self.phase, self.after], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def decode(text: str) -> "Cursor":
        try:
            padded = text + "=" * (-len(text) % 4)
            version, seq, phase, after = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, TypeError):
            raise BadCursor() from None
        # seq is a 64-bit SQLite integer and after an object id: anything else was never ours
        if (
            version != 1
            or type(seq) is not int
            or not 0 <= seq < 2**63
            or phase not in ("feed", "cases", "tasks")
            or not isinstance(after, str)
            or len(after) > 100
            or not _is_utf8(after)
        ):
            raise BadCursor()
        return Cursor(seq, phase, after)


def _is_utf8(text: str) -> bool:
    """False for lone surrogates, which JSON can spell but SQLite cannot store."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---------------------------------------------------------------- publishing changes


def _case_viewers(conn: sqlite3.Connection, case_id: str) -> set[str]:
    rows = conn.execute(
        "SELECT coordinator_id FROM cases WHERE id = ? UNION SELECT user_id FROM case_supporters WHERE case_id = ?",
        (case_id, case_id),
    )
    return {r[0] for r in rows}


def _task_viewers(conn: sqlite3.Connection, task_id: str) -> set[str]:
    """Case members, the holder, and (while queued) the active members of the queue's team."""
    row = conn.execute("SELECT case_id, status, assignee_id, team_id FROM tasks WHERE id = ?", (task_id,)).fetchone()
    if row is None:
        return set()
    case_id, status, assignee, team_id = row
    viewers = _case_viewers(conn, case_id)
    if status == "assigned" and assignee:
        viewers.add(assignee)
    if status == "queued" and team_id:
        viewers |= {
            r[0]
            for r in conn.execute(
                "SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id "
                "WHERE m.team_id = ? AND u.active = 1",
                (team_id,),
            )
        }
    return viewers


def _team_viewers(conn: sqlite3.Connection, team_id: str) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT m.user_id FROM team_members m JOIN users u ON u.id = m.user_id "
            "WHERE m.team_id = ? AND u.active = 1",
            (team_id,),
        )
    }


_VIEWERS = {"case": _case_viewers, "task": _task_viewers, "team": _team_viewers}


class OutsideScope(RuntimeError):
    """A feed row for another organisation's user in a transaction scoped to one organisation:
    its number could reach that user out of commit order (store/postgres.py). A bug, never data."""


def _check_scope(conn: sqlite3.Connection, users: set[str]) -> None:
    scope = write_scope.get()
    if scope is None or not users:
        return
    ids = sorted(users)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        outside = conn.execute(
            f"SELECT COUNT(*) FROM users WHERE id IN ({marks}) AND organisation_id <> ?", (*chunk, scope)
        ).fetchone()[0]
        if outside:
            raise OutsideScope(f"{outside} feed row(s) for users outside the write scope")


def _append(conn: sqlite3.Connection, rows: list[tuple[str, str, str, int]]) -> None:
    """Move each (user, type, id) to a fresh seq: one row per user and object, newest wins."""
    _check_scope(conn, {r[0] for r in rows})
    conn.executemany("DELETE FROM feed WHERE user_id = ? AND object_type = ? AND object_id = ?", [r[:3] for r in rows])
    conn.executemany("INSERT INTO feed (user_id, object_type, object_id, removed) VALUES (?, ?, ?, ?)", rows)


def publish(conn: sqlite3.Connection, object_type: str, object_id: str) -> set[str]:
    """Record a change of one case, task or team; returns the users whose feed moved."""
    now = _VIEWERS[object_type](conn, object_id)
    before = {
        r[0]
        for r in conn.execute(
            "SELECT user_id FROM visibility WHERE object_type = ? AND object_id = ?", (object_type, object_id)
        )
    }
    lost = before - now
    conn.executemany(
        "INSERT INTO visibility (user_id, object_type, object_id) VALUES (?, ?, ?)",
        [(u, object_type, object_id) for u in now - before],
    )
    conn.executemany(
        "DELETE FROM visibility WHERE user_id = ? AND object_type = ? AND object_id = ?",
        [(u, object_type, object_id) for u in lost],
    )
    _append(
        conn,
        [(u, object_type, object_id, 0) for u in sorted(now)] + [(u, object_type, object_id, 1) for u in sorted(lost)],
    )
    return now | lost


def publish_case(conn: sqlite3.Connection, case_id: str) -> set[str]:
    """A case changed: its viewers, and its tasks' (whose visibility follows case membership)."""
    users = publish(conn, "case", case_id)
    for (task_id,) in conn.execute("SELECT id FROM tasks WHERE case_id = ?", (case_id,)).fetchall():
        users |= publish(conn, "task", task_id)
    return users


def publish_to(conn: sqlite3.Connection, user_id: str, object_type: str, object_id: str) -> set[str]:
    """A change only one viewer sees (their own "niet voor mij"): only their feed moves."""
    _append(conn, [(user_id, object_type, object_id, 0)])
    return {user_id}


def publish_preferences(conn: sqlite3.Connection, user_id: str) -> set[str]:
    _append(conn, [(user_id, "preferences", user_id, 0)])
    return {user_id}


def publish_directory(conn: sqlite3.Connection, organisation_id: str) -> set[str]:
    """Teams, members or settings of an organisation changed: re-send them to its users.

    Call this after changing teams, team membership, users or organisation settings.
    """
    users = [r[0] for r in conn.execute("SELECT id FROM users WHERE organisation_id = ?", (organisation_id,))]
    touched = set(users)
    for (team_id,) in conn.execute("SELECT id FROM teams WHERE organisation_id = ?", (organisation_id,)).fetchall():
        touched |= publish(conn, "team", team_id)
        # who sees a team's queue follows who is in the team
        for (task_id,) in conn.execute(
            "SELECT id FROM tasks WHERE team_id = ? AND status = 'queued'", (team_id,)
        ).fetchall():
            touched |= publish(conn, "task", task_id)
    _append(conn, [(u, "directory", organisation_id, 0) for u in users])
    return touched


def latest_seq(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT COALESCE(MAX(seq), 0) FROM feed").fetchone()[0]


def latest_seq_of(conn: sqlite3.Connection, user_id: str) -> int:
    return conn.execute("SELECT COALESCE(MAX(seq), 0) FROM feed WHERE user_id = ?", (user_id,)).fetchone()[0]


# ---------------------------------------------------------------- building pages


def empty_page(cursor: Cursor, server_time: str) -> dict:
    return {
        "cursor": cursor.encode(),
        "has_more": False,
        "server_time": server_time,
        "upserts": {
            "cases": [],
            "tasks": [],
            "teams": [],
            "case_types": [],
            "colleagues": [],
            "preferences": [],
            "organisation": [],
        },
        "removals": [],
    }


def organisation_settings(conn: sqlite3.Connection, organisation_id: str) -> dict:
    row = conn.execute(
        "SELECT id, name, contacts, offline_lock_hours, offline_wipe_days, auto_lock_minutes "
        "FROM organisations WHERE id = ?",
        (organisation_id,),
    ).fetchone()
    return {
        "id": row[0],
        "name": row[1],
        "contacts": json.loads(row[2]),
        "offline_lock_hours": row[3],
        "offline_wipe_days": row[4],
        "auto_lock_minutes": row[5],
    }


def _add_directory(conn, viewer: rules.Viewer, page: dict) -> None:
    ups = page["upserts"]
    ups["organisation"] = [organisation_settings(conn, viewer.organisation_id)]
    ups["case_types"] = work.load_case_types(conn)
    ups["teams"] = work.load_teams(conn, viewer.team_ids)
    ups["colleagues"] = work.load_colleagues(conn, viewer.organisation_id)


def case_for(viewer: rules.Viewer, case: dict, facts: rules.CaseFacts | None = None) -> dict | None:
    """The case as this viewer may see it, with capabilities; None when out of view."""
    facts = facts or work.facts_from_case(case)
    if rules.is_case_member(viewer, facts):
        shown = dict(case)
    elif rules.may_read_closed_steps(viewer, facts):
        shown = work.closed_steps_view(case)
    elif rules.is_organisation_admin(viewer, facts.organisation_id):
        # enough to find the case and replace its coordinator, and nothing of its content
        shown = dict(work.closed_steps_view(case), steps=[])
    else:
        return None
    shown.pop("organisation_id", None)
    shown["capabilities"] = rules.case_capabilities(viewer, facts)
    return shown


def tasks_for(conn, viewer: rules.Viewer, task_ids: list[str]) -> list[dict]:
    """Tasks in view for this viewer, with capabilities, whether the viewer said "niet voor mij"
    to this version (`dismissed`), and the team queues the service allows it to be forwarded to."""
    tasks = work.load_tasks(conn, task_ids)
    facts = work.case_facts_many(conn, sorted({t["case_id"] for t in tasks.values()}))
    dismissed = work.dismissed_versions(conn, viewer.user_id, list(tasks)) if tasks else {}
    teams = work.team_case_types(conn, viewer.organisation_id) if tasks else {}
    targets: dict[tuple[str, str | None], list[dict]] = {}  # (case type, queue it waits in) → teams
    shown = []
    for task_id in task_ids:
        task = tasks.get(task_id)
        if task is None:
            continue
        case = facts[task["case_id"]]
        task_facts = work.task_facts_from(task)
        if not rules.may_see_task(viewer.user_id, viewer.team_ids, task_facts, case):
            continue
        key = (case.case_type_id, task_facts.team_id if task_facts.status == "queued" else None)
        if key not in targets:
            targets[key] = [
                {"id": tid, "name": name}
                for tid, (name, types) in teams.items()
                if rules.forward_refusal(
                    viewer,
                    task_facts,
                    case,
                    rules.ForwardTarget(team_id=tid, active_in_organisation=True, team_case_type_ids=types),
                )
                is None
            ]
        shown.append(
            dict(
                task,
                capabilities=rules.task_capabilities(viewer, task_facts, case),
                dismissed=dismissed.get(task_id) == task["version"],
                forward_teams=targets[key],
            )
        )
    return shown


def _cases_for(conn, viewer: rules.Viewer, case_ids: list[str]) -> list[dict]:
    """Cases in the viewer's My Cases (member), with capabilities."""
    loaded = work.load_cases(conn, case_ids)
    shown = []
    for case_id in case_ids:
        case = loaded.get(case_id)
        if case is None:
            continue
        facts = work.facts_from_case(case)
        if rules.is_case_member(viewer, facts):
            shown.append(case_for(viewer, case, facts))
    return shown


def pull(conn: sqlite3.Connection, viewer: rules.Viewer, cursor: Cursor | None, limit: int, server_time: str) -> dict:
    """One page of the feed for this viewer. Read-only: the caller audits the cases sent."""
    limit = max(1, min(limit, MAX_PAGE))
    if cursor is None:
        # The reader's own latest number, not the feed's: on PostgreSQL another organisation's
        # numbers may already be ahead of one of this reader's that has yet to commit.
        snapshot_seq = latest_seq_of(conn, viewer.user_id)
        page = empty_page(Cursor(snapshot_seq, "cases"), server_time)
        _add_directory(conn, viewer, page)
        page["upserts"]["preferences"] = [work.load_preferences(conn, viewer.user_id)]
        return _snapshot_page(conn, viewer, Cursor(snapshot_seq, "cases"), limit, page)
    if cursor.seq > latest_seq(conn):
        raise CursorExpired()
    if cursor.phase != "feed":
        return _snapshot_page(conn, viewer, cursor, limit, empty_page(cursor, server_time))
    return _feed_page(conn, viewer, cursor, limit, empty_page(cursor, server_time))


def _snapshot_page(conn, viewer: rules.Viewer, cursor: Cursor, limit: int, page: dict) -> dict:
    room = limit
    phase, after = cursor.phase, cursor.after
    while room > 0 and phase != "feed":
        object_type = "case" if phase == "cases" else "task"
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT object_id FROM visibility WHERE user_id = ? AND object_type = ? "
                "AND object_id > ? ORDER BY object_id LIMIT ?",
                (viewer.user_id, object_type, after, room),
            )
        ]
        if phase == "cases":
            page["upserts"]["cases"].extend(_cases_for(conn, viewer, ids))
        else:
            page["upserts"]["tasks"].extend(tasks_for(conn, viewer, ids))
        room -= len(ids)
        if len(ids) == 0 or room > 0:
            # this phase is done (fewer than asked): go on with the next one
            phase, after = ("tasks", "") if phase == "cases" else ("feed", "")
        else:
            after = ids[-1]
    next_cursor = Cursor(cursor.seq, phase, after)
    page["cursor"] = next_cursor.encode()
    if phase == "feed":
        page["has_more"] = (
            conn.execute(
                "SELECT EXISTS(SELECT 1 FROM feed WHERE user_id = ? AND seq > ?)", (viewer.user_id, cursor.seq)
            ).fetchone()[0]
            == 1
        )
    else:
        page["has_more"] = True
    return page


def _feed_page(conn, viewer: rules.Viewer, cursor: Cursor, limit: int, page: dict) -> dict:
    rows = conn.execute(
        "SELECT seq, object_type, object_id, removed FROM feed WHERE user_id = ? AND seq > ? ORDER BY seq LIMIT ?",
        (viewer.user_id, cursor.seq, limit + 1),
    ).fetchall()
    if not rows:
        return page
    page["has_more"] = len(rows) > limit
    rows = rows[:limit]
    page["cursor"] = Cursor(rows[-1][0]).encode()
    wanted: dict[str, list[str]] = {"case": [], "task": [], "team": []}
    for _seq, object_type, object_id, removed in rows:
        if removed:
            page["removals"].append({"type": object_type, "id": object_id})
        elif object_type in wanted:
            wanted[object_type].append(object_id)
        elif object_type == "preferences":
            page["upserts"]["preferences"] = [work.load_preferences(conn, viewer.user_id)]
        elif object_type == "directory":
            _add_directory(conn, viewer, page)
    # Content is read now, so it may be newer than the row; anything that has meanwhile left
    # this user's view is left out here (its removal row follows in a later page).
    page["upserts"]["cases"] = _cases_for(conn, viewer, wanted["case"])
    page["upserts"]["tasks"] = tasks_for(conn, viewer, wanted["task"])
    if wanted["team"] and not page["upserts"]["teams"]:
        page["upserts"]["teams"] = work.load_teams(conn, set(wanted["team"]) & viewer.team_ids)
    return page


def page_is_empty(page: dict) -> bool:
    return not page["removals"] and not any(page["upserts"].values())


# ---------------------------------------------------------------- long-poll wake-ups


class FeedSignal:
    """Wakes a user's waiting pulls when their feed moves, from any thread, without polling.

    A pull registers before it reads the feed, so a change committed in between is not missed.
    With `broadcast` (instances sharing a PostgreSQL database: `db.relay`), the user ids are sent
    to the other instances too, which `wake` their own waiting pulls.
    """

    CHANNEL = "menscentraal_feed"

    def __init__(self):
        self._lock = threading.Lock()
        self._waiters: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = {}
        self.broadcast = None  # set by the app on PostgreSQL: tell the other instances too

    def register(self, user_id: str) -> tuple[asyncio.AbstractEventLoop, asyncio.Event]:
        waiter = (asyncio.get_running_loop(), asyncio.Event())
        with self._lock:
            self._waiters.setdefault(user_id, set()).add(waiter)
        return waiter

    def unregister(self, user_id: str, waiter) -> None:
        with self._lock:
            waiters = self._waiters.get(user_id)
            if waiters is not None:
                waiters.discard(waiter)
                if not waiters:
                    del self._waiters[user_id]

    def notify(self, user_ids) -> None:
        """Call after the change committed: wake the users' pulls here and in other instances."""
        user_ids = set(user_ids)
        self.wake(user_ids)
        if self.broadcast is not None and user_ids:
            self.broadcast(sorted(user_ids))

    def wake(self, user_ids) -> None:
        with self._lock:
            waiters = [w for u in user_ids for w in self._waiters.get(u, ())]
        for loop, event in waiters:
            loop.call_soon_threadsafe(event.set)
