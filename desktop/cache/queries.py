"""Read-only queries over the cache, for the command line and the GUI's models.

Lists return small frozen rows. The command line filters and sorts in SQL (`my_cases`); the
GUI reads its whole list once per change off the GUI thread (`my_case_list`, rows plus their
folded search text) and filters keystrokes in memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import repeat
from typing import NamedTuple

import orjson

from desktop.cache.db import Connection, transaction
from desktop.cache.search_text import filter_terms, fold

# Sort keys the My Cases list offers → SQL column (never interpolate user text).
CASE_SORT_COLUMNS = {
    "number": "number",
    "client": "client_sort",
    "case_type": "case_type_name COLLATE NOCASE",
    "my_role": "my_role",
    "current_step": "current_step COLLATE NOCASE",
    "updated_at": "updated_at",
}


class CaseRow(NamedTuple):
    """One line of My Cases (a tuple: 20,000 of them cost the garbage collector nothing)."""

    id: str
    number: str
    client: str
    case_type: str
    my_role: str
    current_step: str | None
    updated_at: str
    status: str
    pending_changes: int


@dataclass(frozen=True)
class CaseDetail:
    """One case for the case view: the service's object plus its tasks and local state."""

    case: dict  # steps, journal, coordinator, supporters, capabilities, ... as the service sent it
    tasks: list["TaskRow"]
    my_role: str | None
    pending_changes: int

    @property
    def capabilities(self) -> dict:
        return self.case.get("capabilities", {})


@dataclass(frozen=True)
class TaskRow:
    id: str
    case_id: str
    case_number: str | None
    case_type: str | None
    group_name: str | None
    citizen_name: str | None
    type: str
    description: str | None
    deadline: str | None
    queued_at: str | None
    status: str
    assignee_id: str | None
    assignee_name: str | None
    team_id: str | None
    team_name: str | None
    via_team_queue: bool
    # The capabilities JSON is parsed on first use: the Werkbak and Mijn taken lists (2,000 tasks
    # at scale) are re-read on the GUI thread after sync pages, and parsing every row's
    # capabilities there tripled the query's time, while only a selected task's are ever read.
    capabilities_json: str = field(repr=False)
    pending_changes: int
    # issue 14: new since the user last left the Werkbak; the task's short history (parsed on
    # first use, as the capabilities); the team queues the service allows forwarding to
    new: bool = False
    history_json: str | None = field(default=None, repr=False)
    forward_teams_json: str | None = field(default=None, repr=False)

    @cached_property
    def capabilities(self) -> dict:
        return json.loads(self.capabilities_json or "{}")

    @cached_property
    def history(self) -> list[dict]:
        return json.loads(self.history_json or "[]")

    @cached_property
    def forward_teams(self) -> list[dict] | None:
        """None: an older service did not say (offer the organisation's teams we know)."""
        return json.loads(self.forward_teams_json) if self.forward_teams_json is not None else None

    @property
    def overdue(self) -> bool:
        """The deadline (a date) has passed: it was before today, in the user's local time."""
        return bool(self.deadline) and self.deadline[:10] < date.today().isoformat()


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    members: list[dict]


@dataclass(frozen=True)
class Colleague:
    id: str
    display_name: str
    team_ids: list[str]
    case_type_ids: list[str] | None = None  # None: the service did not say (offer for every case type)


@dataclass(frozen=True)
class UnprocessedChange:
    id: str
    kind: str
    case_id: str | None
    task_id: str | None
    payload: dict  # the user's own change (note text included) so it can be copied
    status: str  # conflict | rejected | removed | stuck (still in the outbox, set aside)
    reason: str | None
    detail: str | None
    held_by: dict | None
    created_at: str
    recorded_at: str


class CaseList:
    """All of My Cases in one order, held in columns (as Anki's browser holds ids, not row objects):
    one list per column, the few distinct values of a column (role, type, step, status) shared,
    and each case's folded search text at the same position, in three parts (`numbers`, `heads`,
    `tails`: `split_search_texts`). No object per case: 100,000 cases are the strings themselves (~55 MB less
    than a row tuple each) and nothing the garbage collector walks but the lists. `rows` gives
    `CaseRow`s, made on demand."""

    __slots__ = ("columns", "numbers", "heads", "tails", "distinct_tails", "number_letters")
    SHARED = frozenset({"case_type", "my_role", "current_step", "status"})

    def __init__(
        self,
        columns: dict[str, list] | None = None,
        heads: list[str] | None = None,
        tails: list[str] | None = None,
        numbers: list[str] | None = None,
    ) -> None:
        self.columns = columns or {name: [] for name in CaseRow._fields}
        self.heads = heads if heads is not None else []
        self.numbers = numbers if numbers is not None else [""] * len(self.heads)
        self.tails = tails if tails is not None else [""] * len(self.heads)
        self.distinct_tails: list[str] = list(dict.fromkeys(self.tails))  # each shared tail once
        self.number_letters = frozenset("".join(self.numbers))  # every letter some case number holds

    @classmethod
    def from_rows(cls, rows: list[CaseRow], search_texts: list[str] | None = None) -> "CaseList":
        """A list of `rows` whose whole search texts are `search_texts` (the heads; no tails)."""
        return cls(
            {name: list(values) for name, values in zip(CaseRow._fields, zip(*rows))} if rows else None, search_texts
        )

    def __len__(self) -> int:
        return len(self.columns["id"])

    def column(self, name: str) -> list:
        return self.columns[name]

    def row(self, position: int) -> CaseRow:
        return CaseRow._make(self.columns[name][position] for name in CaseRow._fields)

    @property
    def ids(self) -> list[str]:
        return self.columns["id"]

    @property
    def rows(self) -> list[CaseRow]:
        """Every row as a `CaseRow` (made now: for tests and small lists, not for the GUI's model)."""
        return list(map(CaseRow._make, zip(*(self.columns[name] for name in CaseRow._fields))))

    @property
    def search_texts(self) -> list[str]:
        """Each case's searched text, its parts joined again (made now: for tests)."""
        return list(map(str.__add__, map(str.__add__, self.numbers, self.heads), self.tails))


@dataclass(frozen=True)
class StatusSummary:
    """What the status bar shows: the last sync and how many changes wait or were not processed."""

    last_sync_at: str | None
    waiting: int
    unprocessed: int


@dataclass(frozen=True)
class SyncState:
    cursor: str | None
    last_sync_at: str | None
    last_contact_at: str | None
    user: dict | None


# --- My Cases ---


def _my_cases_where(filter_text: str) -> tuple[str, list]:
    clauses = ["my_role IS NOT NULL"]
    params: list = []
    for term in filter_terms(filter_text):
        # instr on pre-folded text: no LIKE wildcards to escape, no per-row case folding.
        clauses.append("instr(search_text, ?) > 0")
        params.append(term)
    return " AND ".join(clauses), params


def _order_by(sort: str, descending: bool) -> str:
    if sort not in CASE_SORT_COLUMNS:
        raise ValueError(f"unknown sort column {sort!r}")
    direction = "DESC" if descending else "ASC"
    return f"{CASE_SORT_COLUMNS[sort]} {direction}, number {direction}, id {direction}"


_CASE_ROW_COLUMNS = "id, number, client_display, case_type_name, my_role, current_step, updated_at, status, dirty"


def my_cases(
    conn: Connection,
    filter_text: str = "",
    sort: str = "updated_at",
    descending: bool = True,
    limit: int | None = 200,
    offset: int = 0,
) -> list[CaseRow]:
    """Cases where the user is coordinator or supporter (seed C2, C3), filtered and sorted."""
    where, params = _my_cases_where(filter_text)
    sql = f"SELECT {_CASE_ROW_COLUMNS} FROM cases WHERE {where} ORDER BY {_order_by(sort, descending)}"
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [CaseRow(*row) for row in conn.execute(sql, params)]


def count_my_cases(conn: Connection, filter_text: str = "") -> int:
    where, params = _my_cases_where(filter_text)
    return conn.execute(f"SELECT count(*) FROM cases WHERE {where}", params).fetchone()[0]


# My Cases is read in chunks of this many rows, each one JSON text (one step, one parse):
LIST_CHUNK = 2_000
_LIST_COLUMNS = [column.strip() for column in _CASE_ROW_COLUMNS.split(",")] + ["search_text"]
# The order the covering index of migration 007 holds (both directions): read chunk by chunk from it.
INDEX_SORT = "updated_at"
LIST_CACHE_KIB = 2048  # the page cache while the whole list is read


def _my_case_list_sql(sort: str, descending: bool) -> str:
    # Another order than the index's: every case is sorted once (SQLite's sorter holds them all),
    # numbered, and each chunk aggregated in that order, one JSON array per column.
    arrays = ", ".join(f"json_group_array({column} ORDER BY position)" for column in _LIST_COLUMNS)
    return (
        f"WITH mine AS (SELECT {_CASE_ROW_COLUMNS}, search_text, "
        f"row_number() OVER (ORDER BY {_order_by(sort, descending)}) - 1 AS position "
        f"FROM cases WHERE my_role IS NOT NULL) "
        f"SELECT {arrays} FROM mine "
        f"GROUP BY position / {LIST_CHUNK} ORDER BY position / {LIST_CHUNK}"
    )


def _my_case_chunk_sql(descending: bool, after: bool) -> str:
    # The index's order: each chunk starts where the last one ended (its last key: updated_at,
    # number, id) and walks the covering index for LIST_CHUNK rows, aggregated as they come. No
    # sorter: the GROUP BY of the query above held every case's columns in memory (~55 MiB of
    # SQLite's heap at 100,000 cases, beside the list being replaced) and took twice as long.
    arrays = ", ".join(f"json_group_array({column})" for column in _LIST_COLUMNS)
    start = f" AND (updated_at, number, id) {'<' if descending else '>'} (?, ?, ?)" if after else ""
    return (
        f"SELECT {arrays} FROM (SELECT {_CASE_ROW_COLUMNS}, search_text FROM cases "
        f"WHERE my_role IS NOT NULL{start} ORDER BY {_order_by(INDEX_SORT, descending)} LIMIT {LIST_CHUNK})"
    )


def split_search_texts(
    texts: list[str], case_types: list[str], patterns: dict[str, str]
) -> tuple[list[str], list[str], list[str]]:
    """Each folded search text in three parts, for the filter in memory (issue 19:
    filter_100k_p90_ms): the case number (the first piece), the head (client, citizen numbers,
    group) and the tail from the case type's piece on (case type, current step, coordinator,
    supporters). Tails repeat from case to case: a few thousand distinct at 100,000 cases, each
    searched once per word. A word is looked for in a number only when the numbers hold all its
    letters, so "zo" looks for the rare "z" first in the heads, not in every "z2026-…". A filter
    word has no white space, so it is in the text exactly when it is in one of the parts: they
    meet at a " | ". Where the type's piece is not found the tail is empty. `patterns` keeps each
    type's piece between calls. In C but for the dict: ~90 ms at 100,000 cases."""
    for case_type in set(case_types).difference(patterns):
        patterns[case_type] = f" | {fold(case_type or '')} | "
    wanted = list(map(patterns.__getitem__, case_types))
    cuts = list(map(str.find, map(str.__add__, texts, wanted), wanted))  # the text's length when absent
    firsts = list(map(str.find, texts, repeat(" | ")))
    if -1 in firsts:  # a text of one piece: all number
        firsts = [len(text) if first < 0 else first for text, first in zip(texts, firsts)]
    return (
        list(map(str.__getitem__, texts, map(slice, firsts))),
        list(map(str.__getitem__, texts, map(slice, firsts, cuts))),
        list(map(str.__getitem__, texts, map(slice, cuts, repeat(None)))),
    )


def my_case_list(conn: Connection, sort: str = "updated_at", descending: bool = True) -> CaseList:
    """Every case of My Cases in display order with its search text, split (`split_search_texts`):
    what the GUI's model holds.

    A row-by-row fetch hands the interpreter lock back and forth 20,000 times; with the GUI
    thread busy that took 0.9 s (20 s at Python's default switch interval) instead of 85 ms.
    Chunks of JSON, one array per column (SQLite builds them, orjson parses them), hand it back
    once per chunk; a column's repeated values become one shared object (`dict.setdefault`, in C).
    """
    listing = CaseList()
    columns = listing.columns
    targets = [(columns[name], {} if name in CaseList.SHARED else None) for name in CaseRow._fields]
    tails: dict[str, str] = {}  # each distinct tail once
    letters: set[str] = set()
    patterns: dict[str, str] = {}  # case type → its piece as the text holds it

    def add(chunk: tuple) -> None:
        for (target, shared), text in zip(targets, chunk):  # the columns; the search text is the last
            values = orjson.loads(text)
            target.extend(values if shared is None else map(shared.setdefault, values, values))
        texts = orjson.loads(chunk[-1])
        numbers, heads, chunk_tails = split_search_texts(texts, columns["case_type"][len(listing.heads) :], patterns)
        listing.numbers.extend(numbers)
        letters.update("".join(numbers))
        listing.heads.extend(heads)
        listing.tails.extend(map(tails.setdefault, chunk_tails, chunk_tails))

    # Each page is read once: a small page cache for the walk, so the connection does not keep
    # 16 MiB of the index's pages beside the list (peak_rss_100k_mb); shrinking it frees them.
    page_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{LIST_CACHE_KIB}")
    try:
        with transaction(conn, immediate=False):  # every chunk from one snapshot of the cache
            if sort != INDEX_SORT:
                for chunk in conn.execute(_my_case_list_sql(sort, descending)):
                    add(chunk)
            else:
                after: list = []
                while True:
                    before = len(listing)
                    add(conn.execute(_my_case_chunk_sql(descending, bool(after)), after).fetchone())
                    if len(listing) - before < LIST_CHUNK:  # the last chunk (an empty one: json_group_array gives "[]")
                        break
                    after = [columns["updated_at"][-1], columns["number"][-1], columns["id"][-1]]
    finally:
        conn.execute(f"PRAGMA cache_size = {int(page_cache)}")
    listing.distinct_tails = list(tails)
    listing.number_letters = frozenset(letters)
    return listing


def case_detail(conn: Connection, case_id: str) -> CaseDetail | None:
    row = conn.execute(
        "SELECT d.doc, c.my_role, c.dirty FROM cases c JOIN case_docs d ON d.id = c.id WHERE c.id = ?", (case_id,)
    ).fetchone()
    if row is None:
        return None
    tasks = _tasks(conn, "case_id = ?", [case_id], "coalesce(deadline, '9999'), id")
    return CaseDetail(case=json.loads(row[0]), tasks=tasks, my_role=row[1], pending_changes=row[2])


# --- tasks ---

_NEW = (
    "coalesce(queued_at > (SELECT value FROM view_marks WHERE name = 'werkbak_seen' "
    "AND user_id = (SELECT user_id FROM sync_state)), 1)"
)


def _tasks(conn: Connection, where: str, params: list, order: str, new: str = "0") -> list[TaskRow]:
    sql = (
        "SELECT id, case_id, case_number, case_type_name, group_name, citizen_name, type, description, "
        "deadline, queued_at, status, assignee_id, assignee_name, team_id, team_name, via_team_queue, "
        f"json_extract(doc, '$.capabilities'), dirty, {new}, json_extract(doc, '$.history'), "
        f"json_extract(doc, '$.forward_teams') FROM tasks WHERE {where} ORDER BY {order}"
    )
    shared: dict[str, str] = {}  # one object per distinct value of the columns that repeat
    tasks = []
    for row in conn.execute(sql, params):
        values = [shared.setdefault(v, v) if i in _REPEATING and v is not None else v for i, v in enumerate(row)]
        tasks.append(TaskRow(*values[:15], bool(values[15]), values[16], values[17], bool(values[18]), *values[19:]))
    return tasks


# Columns of `_tasks` whose values repeat from task to task (case type, task type, status, team,
# assignee, deadline, the capabilities and forward teams' JSON): shared, each of the Werkbak's and
# Mijn taken's ~9,000 tasks at 100,000 cases held ~1 KB of copies of the same strings (issue 19).
_REPEATING = frozenset({3, 4, 6, 8, 10, 11, 12, 13, 14, 16, 20})


# The Werkbak: queued tasks of the user's own teams' queues only (a case member also sees tasks
# queued for other teams: those are no work of theirs), minus what they said "niet voor mij" to.
_WERKBAK = (
    "status = 'queued' AND team_id IN (SELECT id FROM teams) AND coalesce(json_extract(doc, '$.dismissed'), 0) = 0"
)


def team_queue(conn: Connection, team_id: str | None = None) -> list[TaskRow]:
    """The Werkbak (seed T3): longest waiting first, each marked when it is new since the user
    last left the Werkbak (never looked: all new); all my teams' queues when no team is given."""
    if team_id is None:
        return _tasks(conn, _WERKBAK, [], "queued_at, id", new=_NEW)
    return _tasks(conn, _WERKBAK + " AND team_id = ?", [team_id], "queued_at, id", new=_NEW)


def view_mark(conn: Connection, name: str) -> str | None:
    """A mark of what this user has looked at (`werkbak_seen`, `recent_colleagues`), or None."""
    row = conn.execute(
        "SELECT value FROM view_marks WHERE name = ? AND user_id = (SELECT user_id FROM sync_state)", (name,)
    ).fetchone()
    return row[0] if row else None


def recent_colleagues(conn: Connection) -> list[str]:
    """Ids of the colleagues this user forwarded to, most recent first."""
    return json.loads(view_mark(conn, "recent_colleagues") or "[]")


def my_tasks(conn: Connection) -> list[TaskRow]:
    """Open tasks assigned to the user, earliest deadline first."""
    me = conn.execute("SELECT user_id FROM sync_state").fetchone()[0]
    return _tasks(conn, "status = 'assigned' AND assignee_id = ?", [me], "coalesce(deadline, '9999'), id")


def task(conn: Connection, task_id: str) -> TaskRow | None:
    found = _tasks(conn, "id = ?", [task_id], "id")
    return found[0] if found else None


# --- reference data ---


def teams(conn: Connection) -> list[Team]:
    return [
        Team(tid, name, json.loads(doc).get("members", []))
        for tid, name, doc in conn.execute("SELECT id, name, doc FROM teams ORDER BY name COLLATE NOCASE, id")
    ]


def colleagues(conn: Connection) -> list[Colleague]:
    return [
        Colleague(cid, name, json.loads(team_ids), json.loads(case_types) if case_types is not None else None)
        for cid, name, team_ids, case_types in conn.execute(
            "SELECT id, display_name, team_ids, case_type_ids FROM colleagues ORDER BY display_name COLLATE NOCASE, id"
        )
    ]


def coordinator_candidates(colleagues: list[Colleague], case_type_id: str | None) -> list[Colleague]:
    """The colleagues the service would accept as this case's coordinator: those who may work on
    its case type (issue 13 item 1; the service decides, this only keeps the offer honest)."""
    return [c for c in colleagues if c.case_type_ids is None or case_type_id is None or case_type_id in c.case_type_ids]


def case_types(conn: Connection) -> list[tuple[str, str]]:
    return list(conn.execute("SELECT id, name FROM case_types ORDER BY name COLLATE NOCASE, id"))


def preferences(conn: Connection) -> dict | None:
    row = conn.execute("SELECT doc FROM preferences").fetchone()
    return json.loads(row[0]) if row else None


def organisation_settings(conn: Connection) -> dict | None:
    row = conn.execute("SELECT doc FROM organisation").fetchone()
    return json.loads(row[0]) if row else None


# --- sync status ---


def outbox_count(conn: Connection) -> int:
    return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]


def status_summary(conn: Connection) -> StatusSummary:
    return StatusSummary(
        *conn.execute(
            "SELECT last_sync_at, (SELECT count(*) FROM outbox WHERE stuck_reason IS NULL), "
            "(SELECT count(*) FROM unprocessed) + (SELECT count(*) FROM outbox WHERE stuck_reason IS NOT NULL) "
            "FROM sync_state"
        ).fetchone()
    )


def unprocessed_changes(conn: Connection) -> list[UnprocessedChange]:
    # Stuck changes are listed with them: refused as a whole request, kept until the user acts.
    rows = conn.execute(
        "SELECT id, kind, case_id, task_id, payload, status, reason, detail, held_by, created_at, "
        "recorded_at FROM unprocessed UNION ALL "
        "SELECT id, kind, case_id, task_id, payload, 'stuck', stuck_reason, NULL, NULL, created_at, "
        "stuck_at FROM outbox WHERE stuck_reason IS NOT NULL ORDER BY 11, 1"
    )
    return [
        UnprocessedChange(
            r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], r[6], r[7], json.loads(r[8]) if r[8] else None, r[9], r[10]
        )
        for r in rows
    ]


def sync_state(conn: Connection) -> SyncState:
    cursor, last_sync_at, last_contact_at, user_doc = conn.execute(
        "SELECT cursor, last_sync_at, last_contact_at, user_doc FROM sync_state"
    ).fetchone()
    return SyncState(cursor, last_sync_at, last_contact_at, json.loads(user_doc) if user_doc else None)


def last_sync_time(conn: Connection) -> str | None:
    return conn.execute("SELECT last_sync_at FROM sync_state").fetchone()[0]


def current_user(conn: Connection) -> dict | None:
    return sync_state(conn).user


@dataclass(frozen=True)
class ChangeSubject:
    """What a queued or refused change is about, to name it in a list and open it."""

    case_id: str | None  # the case to open (a task's own case); None: neither is in the cache
    case_number: str | None
    task_type: str | None


def change_subject(conn: Connection, case_id: str | None, task_id: str | None) -> ChangeSubject:
    task = (
        conn.execute("SELECT case_id, case_number, type FROM tasks WHERE id = ?", (task_id,)).fetchone()
        if task_id
        else None
    )
    if task is not None:
        case_id = case_id or task[0]
    case = conn.execute("SELECT number FROM cases WHERE id = ?", (case_id,)).fetchone() if case_id else None
    number = case[0] if case is not None else (task[1] if task is not None else None)
    return ChangeSubject(case_id if case is not None else None, number, task[2] if task is not None else None)


def task_holder(conn: Connection, task_id: str) -> str | None:
    """The display name of whoever holds a task now, as the cache last heard (None: nobody)."""
    row = conn.execute("SELECT assignee_name FROM tasks WHERE id = ? AND status = 'assigned'", (task_id,)).fetchone()
    return row[0] if row and row[0] else None
