"""Low-level cache writes the sync engine builds on: apply a feed page, purge, offline reads.

A page is checked completely (by `desktop.wire`, the one place that checks pages) before the
first write, then applied with its cursor in one
transaction: a malformed page changes nothing, a crash repeats at most that page, and a row with
unsent local changes (`dirty > 0`) is never overwritten by a pulled one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import itemgetter

import orjson

from desktop import wire
from desktop.cache import queries
from desktop.cache.db import Connection, transaction
from desktop.cache.errors import MalformedPage, NoCacheUser
from desktop.cache.search_text import fold

UPSERT_KINDS = ("cases", "tasks", "teams", "case_types", "colleagues", "preferences", "organisation")
REMOVAL_TYPES = ("case", "task", "team")


@dataclass
class PageResult:
    """What one page did to the cache."""

    upserted: dict[str, int] = field(default_factory=dict)
    removed: int = 0
    skipped_dirty: list[str] = field(default_factory=list)  # ids kept because of unsent changes
    cursor: str | None = None
    has_more: bool = False


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json(obj: object) -> str:
    """Compact JSON text, as the service sends it. orjson: a tenth of json.dumps's CPU for the
    20,000 documents of a first sync; what it refuses (integers beyond 64 bits, keys that are
    not text) goes through json.dumps as before."""
    try:
        return orjson.dumps(obj).decode()
    except TypeError:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class _Bad(Exception):
    """An object that does not have the shape of docs/API.md (outbox: refuse the change)."""


# --- row builders: a checked feed object → table row. The checks are desktop.wire's (one
# place, run once per page); these only read what they already checked. ---

CASE_COLUMNS = (
    "id",
    "number",
    "client_display",
    "client_sort",
    "group_id",
    "group_name",
    "case_type_id",
    "case_type_name",
    "status",
    "my_role",
    "coordinator_id",
    "coordinator_name",
    "current_step",
    "updated_at",
    "version",
    "search_text",
)


def case_row(case: dict, me: str | None) -> tuple:
    """The `cases` row (CASE_COLUMNS order) for one case object, checked here; _Bad when it is malformed."""
    try:
        wire.check_case(case)
    except wire.FeedError as exc:
        raise _Bad(exc.reason) from None
    return _build_case_row(case, me)


def task_row(task: dict) -> tuple:
    """The `tasks` row (TASK_COLUMNS order) for one task object, checked here; _Bad when it is malformed."""
    try:
        wire.check_task(task)
    except wire.FeedError as exc:
        raise _Bad(exc.reason) from None
    return _build_task_row(task)


def _build_case_row(case: dict, me: str | None) -> tuple:
    group = case.get("group") or {}
    names = [c["name"] for c in case["citizens"]]
    bsns = [c["bsn"] for c in case["citizens"] if c.get("bsn") is not None]
    coordinator = case.get("coordinator")
    supporters = case["supporters"]
    status = case["status"]
    group_name = group.get("name")
    client_display = ", ".join(names) if names else (group_name or "")
    current_step = None
    if status == "open":
        open_steps = [s for s in case["steps"] if s["status"] == "open"]
        if open_steps:
            current_step = min(open_steps, key=lambda s: s["position"])["name"]
    if coordinator and coordinator["id"] == me:
        my_role = "coordinator"
    elif any(s["id"] == me for s in supporters):
        my_role = "supporter"
    else:
        my_role = None
    number = case["number"]
    case_type = case["case_type"]
    searchable = [
        number,
        client_display,  # the names joined: each name once (issue 19: the filter searches every letter)
        *bsns,
        group_name or "",
        case_type["name"],
        current_step or "",
        coordinator["display_name"] if coordinator else "",
        *(s["display_name"] for s in supporters),
    ]
    return (
        case["id"],
        number,
        client_display,
        fold(client_display),
        group.get("id"),
        group_name,
        case_type.get("id"),
        case_type["name"],
        status,
        my_role,
        coordinator["id"] if coordinator else None,
        coordinator["display_name"] if coordinator else None,
        current_step,
        case["updated_at"],
        case["version"],
        fold(" | ".join(searchable)),
    )


TASK_COLUMNS = (
    "id",
    "case_id",
    "case_number",
    "case_type_name",
    "group_name",
    "citizen_name",
    "type",
    "description",
    "deadline",
    "queued_at",
    "status",
    "assignee_id",
    "assignee_name",
    "team_id",
    "team_name",
    "via_team_queue",
    "version",
    "doc",
)


def _build_task_row(task: dict) -> tuple:
    summary = task.get("case_summary") or {}
    assignee = task.get("assignee")
    team = task.get("team")
    return (
        task["id"],
        task["case_id"],
        summary.get("number"),
        summary.get("case_type"),
        summary.get("group_name"),
        summary.get("citizen_name"),
        task["type"],
        task.get("description"),
        task.get("deadline"),
        task.get("queued_at"),
        task["status"],
        assignee["id"] if assignee else None,
        assignee["display_name"] if assignee else None,
        team["id"] if team else None,
        team.get("name") if team else None,
        int(task["via_team_queue"]),
        task["version"],
        _json(task),
    )


def _team_row(team: dict) -> tuple:
    return team["id"], team["name"], team.get("organisation_id"), _json(team)


def _case_type_row(case_type: dict) -> tuple:
    return case_type["id"], case_type["name"]


def _colleague_row(colleague: dict) -> tuple:
    case_type_ids = colleague.get("case_type_ids")
    return (
        colleague["id"],
        colleague["display_name"],
        _json(colleague["team_ids"]),
        _json(case_type_ids) if case_type_ids is not None else None,
    )


def _preferences_row(preferences: dict) -> tuple:
    return _json(preferences), preferences["version"]


@dataclass
class _CheckedPage:
    cursor: str
    has_more: bool
    server_time: str | None
    rows: dict[str, list[tuple]]
    case_docs: list[tuple[str, int, str]]
    removals: list[tuple[str, str]]


def check_page(page: object, me: str | None, *, checked: bool = False) -> _CheckedPage:
    """Validate a whole page (desktop.wire, unless `checked` says the caller just did) and
    build its rows; MalformedPage, naming the place but never the data, before anything is written."""
    if not checked:
        try:
            wire.check_page(page)
        except wire.FeedError as exc:
            raise MalformedPage(f"sync page malformed at {exc.where}: {exc.reason}") from None
    upserts = page.get("upserts", {})
    builders = {
        "cases": lambda c: _build_case_row(c, me),
        "tasks": _build_task_row,
        "teams": _team_row,
        "case_types": _case_type_row,
        "colleagues": _colleague_row,
        "preferences": _preferences_row,
        "organisation": lambda o: (_json(o),),
    }
    rows: dict[str, list[tuple]] = {}
    for kind in UPSERT_KINDS:
        rows[kind] = [builders[kind](item) for item in upserts.get(kind, [])]
    case_docs = [
        (row[0], row[_CASE_VERSION], _json(case)) for row, case in zip(rows["cases"], upserts.get("cases", []))
    ]
    removals = [(removal["type"], removal["id"]) for removal in page.get("removals", [])]
    return _CheckedPage(page["cursor"], page["has_more"], page.get("server_time"), rows, case_docs, removals)


_CASE_VERSION = CASE_COLUMNS.index("version")
_by_id = itemgetter(0)


# --- applying ---


def _upsert_sql(table: str, columns: tuple[str, ...], versioned: bool) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "id")
    guard = f" WHERE excluded.version >= {table}.version" if versioned else ""
    placeholders = ", ".join("?" for _ in columns)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) "
        f"ON CONFLICT (id) DO UPDATE SET {updates}{guard}"
    )


_CASES_SQL = _upsert_sql("cases", CASE_COLUMNS, versioned=True)
_CASE_DOCS_SQL = (
    "INSERT INTO case_docs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc "
    "WHERE (SELECT version FROM cases WHERE cases.id = excluded.id) = ?"
)
_TASKS_SQL = _upsert_sql("tasks", TASK_COLUMNS, versioned=True)
_TEAMS_SQL = _upsert_sql("teams", ("id", "name", "organisation_id", "doc"), versioned=False)
_CASE_TYPES_SQL = _upsert_sql("case_types", ("id", "name"), versioned=False)
_COLLEAGUES_SQL = _upsert_sql("colleagues", ("id", "display_name", "team_ids", "case_type_ids"), versioned=False)


def current_user_id(conn: Connection) -> str | None:
    return conn.execute("SELECT user_id FROM sync_state").fetchone()[0]


def apply_page(
    conn: Connection, page: object, *, checked: bool = False, outcomes: dict[str, tuple[str, str | None]] | None = None
) -> PageResult:
    """Upsert a feed page, purge its removals and store its cursor, in one transaction.

    Raises MalformedPage (nothing written) for a page that does not have the documented shape.
    `checked=True`: the caller has just passed this very page through `desktop.wire.check_page`
    (the sync engine does, on its network thread), so it is not checked twice.
    `outcomes`: what the service said of the queued changes of removed objects (see `_purge`).
    """
    me = current_user_id(conn)
    if me is None:
        # Without the owner every case would land outside My Cases, and later pages would not fix it.
        raise NoCacheUser("set_user must run before the first page is applied")
    checked = check_page(page, me, checked=checked)
    result = PageResult(cursor=checked.cursor, has_more=checked.has_more)
    with transaction(conn):
        dirty_cases = {r[0] for r in conn.execute("SELECT id FROM cases WHERE dirty > 0")}
        dirty_tasks = {r[0] for r in conn.execute("SELECT id FROM tasks WHERE dirty > 0")}
        # In primary-key order: the ids are random, so each insert lands somewhere else in the
        # id index; sorted, one page's inserts walk it once, front to back (issue 19). Stable, on
        # the id alone: of one object listed twice the later still wins.
        cases = sorted((row for row in checked.rows["cases"] if row[0] not in dirty_cases), key=_by_id)
        tasks = sorted((row for row in checked.rows["tasks"] if row[0] not in dirty_tasks), key=_by_id)
        result.skipped_dirty = [row[0] for row in checked.rows["cases"] if row[0] in dirty_cases] + [
            row[0] for row in checked.rows["tasks"] if row[0] in dirty_tasks
        ]
        conn.executemany(_CASES_SQL, cases)
        # A case row the version guard kept older must keep its matching document too.
        conn.executemany(
            _CASE_DOCS_SQL,
            sorted(
                ((cid, doc, version) for cid, version, doc in checked.case_docs if cid not in dirty_cases), key=_by_id
            ),
        )
        conn.executemany(_TASKS_SQL, tasks)
        conn.executemany(_TEAMS_SQL, checked.rows["teams"])
        conn.executemany(_CASE_TYPES_SQL, checked.rows["case_types"])
        conn.executemany(_COLLEAGUES_SQL, checked.rows["colleagues"])
        for doc, version in checked.rows["preferences"][-1:]:
            conn.execute(
                "INSERT INTO preferences (singleton, doc, version) VALUES (1, ?, ?) "
                "ON CONFLICT (singleton) DO UPDATE SET doc = excluded.doc, version = excluded.version "
                "WHERE preferences.dirty = 0",
                (doc, version),
            )
        for (doc,) in checked.rows["organisation"][-1:]:
            conn.execute(
                "INSERT INTO organisation (singleton, doc) VALUES (1, ?) "
                "ON CONFLICT (singleton) DO UPDATE SET doc = excluded.doc",
                (doc,),
            )
        for kind in ("case", "task", "team"):
            ids = [object_id for removal_type, object_id in checked.removals if removal_type == kind]
            if ids:
                result.removed += _purge(conn, kind, ids, outcomes)
        conn.execute(
            "UPDATE sync_state SET cursor = ?, last_sync_at = coalesce(?, last_sync_at)",
            (checked.cursor, checked.server_time),
        )
    result.upserted = {kind: len(rows) for kind, rows in checked.rows.items() if rows}
    result.upserted["cases"] = len(cases)
    result.upserted["tasks"] = len(tasks)
    return result


def purge(
    conn: Connection, kind: str, ids: list[str], outcomes: dict[str, tuple[str, str | None]] | None = None
) -> int:
    """Remove objects that left the user's view; their unsent changes move to `unprocessed`."""
    if kind not in REMOVAL_TYPES:
        raise ValueError(f"unknown kind {kind!r}")
    with transaction(conn):
        return _purge(conn, kind, ids, outcomes)


def _purge(
    conn: Connection, kind: str, ids: list[str], outcomes: dict[str, tuple[str, str | None]] | None = None
) -> int:
    """`outcomes` (mutation id -> ("applied" | "refused" | "unknown", code)) is the service's word
    on the queued changes of these objects: applied ones go quietly, refused ones to `unprocessed`
    with the code, and unknown (or unasked) ones stay queued to be retried: a change whose fate is
    unknown is never shown as lost. Stuck changes stay for the user. Without `outcomes` (no
    service to ask) every queued change moves to `unprocessed` as "removed"."""
    table = {"case": "cases", "task": "tasks", "team": "teams"}[kind]
    removed = 0
    for object_id in ids:
        if kind in ("case", "task") and outcomes is not None:
            column = f"{kind}_id"
            queued = conn.execute(
                f"SELECT id FROM outbox WHERE {column} = ? AND stuck_reason IS NULL", (object_id,)
            ).fetchall()
            for (mutation_id,) in queued:
                outcome, code = outcomes.get(mutation_id, ("unknown", None))
                if outcome == "refused":
                    conn.execute(
                        "INSERT OR IGNORE INTO unprocessed (id, kind, case_id, task_id, payload, status, reason, "
                        "created_at, recorded_at) SELECT id, kind, case_id, task_id, payload, 'rejected', ?, "
                        "created_at, ? FROM outbox WHERE id = ?",
                        (code or "refused", utc_now(), mutation_id),
                    )
                if outcome in ("applied", "refused"):
                    conn.execute("DELETE FROM outbox WHERE id = ?", (mutation_id,))
        elif kind in ("case", "task"):
            column = f"{kind}_id"
            # The user's text survives in `unprocessed`: never silently dropped.
            conn.execute(
                "INSERT OR IGNORE INTO unprocessed (id, kind, case_id, task_id, payload, status, reason, created_at, "
                f"recorded_at) SELECT id, kind, case_id, task_id, payload, 'removed', 'removed-from-view', created_at, ? "
                f"FROM outbox WHERE {column} = ? AND stuck_reason IS NULL",
                (utc_now(), object_id),
            )
            conn.execute(f"DELETE FROM outbox WHERE {column} = ? AND stuck_reason IS NULL", (object_id,))
        removed += conn.execute(f"DELETE FROM {table} WHERE id = ?", (object_id,)).rowcount
    return removed


def record_offline_read(
    conn: Connection, case_id: str, opened_at: str | None = None, estimated_at: str | None = None
) -> None:
    """Remember that a case was opened without a connection (reported at the next sync).

    `opened_at` is the local clock's time, `estimated_at` the server-anchored one (desktop.clock)."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO offline_reads (case_id, opened_at, estimated_at) VALUES (?, ?, ?)",
            (case_id, opened_at or utc_now(), estimated_at),
        )


def take_offline_reads(conn: Connection) -> list[dict]:
    """The recorded offline reads in push format, oldest first (delete them once pushed)."""
    return [
        {"seq": seq, "case_id": case_id, "opened_at": opened_at}
        for seq, case_id, opened_at in conn.execute("SELECT seq, case_id, opened_at FROM offline_reads ORDER BY seq")
    ]


def delete_offline_reads(conn: Connection, up_to_seq: int) -> None:
    with transaction(conn):
        conn.execute("DELETE FROM offline_reads WHERE seq <= ?", (up_to_seq,))


RECENT_COLLEAGUES = 8


def set_view_mark(conn: Connection, name: str, value: str) -> None:
    """Remember what this user looked at (issue 14), inside the encrypted cache."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO view_marks (user_id, name, value) SELECT user_id, ?, ? FROM sync_state "
            "WHERE user_id IS NOT NULL ON CONFLICT (user_id, name) DO UPDATE SET value = excluded.value",
            (name, value),
        )


def mark_werkbak_seen(conn: Connection, when: str | None = None) -> None:
    """The user left the Werkbak: what was queued until now is no longer new."""
    set_view_mark(conn, "werkbak_seen", when or utc_now())


def remember_colleague(conn: Connection, user_id: str) -> None:
    """A task was forwarded to this colleague: offer them first next time."""
    recent = [user_id] + [u for u in queries.recent_colleagues(conn) if u != user_id]
    set_view_mark(conn, "recent_colleagues", json.dumps(recent[:RECENT_COLLEAGUES]))


def set_user(conn: Connection, user: dict) -> None:
    """Whose cache this is (the login answer's user object); decides `my_role` for later pages."""
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise ValueError("user must be an object with a text id")
    with transaction(conn):
        conn.execute("UPDATE sync_state SET user_id = ?, user_doc = ?", (user["id"], _json(user)))


def set_last_contact(conn: Connection, when: str | None = None) -> None:
    with transaction(conn):
        conn.execute("UPDATE sync_state SET last_contact_at = ?", (when or utc_now(),))


def reset_cursor(conn: Connection) -> None:
    """Forget the cursor so that the next pull is a full snapshot."""
    with transaction(conn):
        conn.execute("UPDATE sync_state SET cursor = NULL")
