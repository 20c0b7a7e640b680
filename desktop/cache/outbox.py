"""The local side of every mutation: the optimistic change and its outbox entry, in one transaction.

`queue(...)` writes what the user did to the cached row (marked dirty, so a pulled row does not
overwrite it) together with the outbox entry the engine will push (a client uuid, so the service
applies it at most once). `resolve(...)` takes the service's answers: applied → the row becomes the
service's `current`; conflict or rejected → the row returns to the service's state and the user's
own change is kept in `unprocessed` with the reason (and who holds a task lost to a colleague).
Changes still unsent for the same row are laid again over the service's state, so they never
flicker away. Nothing here logs: payloads hold the user's own words.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from desktop import wire
from desktop.cache import mutations
from desktop.cache.db import Connection, transaction
from desktop.cache.writes import CASE_COLUMNS, TASK_COLUMNS, _Bad, case_row, current_user_id, task_row, utc_now

MAX_TEXT_CHARS = 20_000  # one note or summary; the push body limit is 1 MiB for a whole batch
MAX_FORWARD_NOTE = 2_000  # the note that travels with a forwarded task (the service's limit)
# Which capability of the cached object allows a kind (docs/API.md; the service decides).
CAPABILITY = {
    "journal.add": "add_note",
    "step.complete": "complete_step",
    "case.close": "close",
    "case.set_coordinator": "change_coordinator",
    "case.add_supporter": "add_supporter",
    "case.remove_supporter": "remove_supporter",
    "task.create": "create_task",
    "task.pickup": "pickup",
    "task.release": "release",
    "task.forward": "forward",
    "task.complete": "complete",
    "task.dismiss": "dismiss",
}
# Asking twice for these changes nothing the second time; queue them once.
IDEMPOTENT_KINDS = frozenset({"task.pickup", "task.release", "task.complete", "case.close", "task.dismiss"})


class OutboxError(Exception):
    """A change was refused before anything was written. `code` says why (never personal data)."""

    def __init__(self, code: str, reason: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.reason = reason  # the service's reason code when a capability said no


@dataclass(frozen=True)
class Mutation:
    seq: int
    id: str
    kind: str
    payload: dict
    base_version: int | None
    case_id: str | None
    task_id: str | None
    created_at: str

    @property
    def position(self) -> int:
        return self.seq

    def wire(self) -> dict:
        """The mutation as docs/API.md pushes it."""
        return {"id": self.id, "kind": self.kind, "base_version": self.base_version, "payload": self.payload}

    def object_key(self) -> tuple[str, str]:
        return mutations.object_of(self.kind, self.payload)


@dataclass(frozen=True)
class OfflineRead:
    seq: int
    case_id: str
    opened_at: str  # the local clock's time
    estimated_at: str | None = None  # server-anchored (desktop.clock); None from before it

    def wire(self) -> dict:
        return {
            "case_id": self.case_id,
            "local_time": self.opened_at,
            "estimated_time": self.estimated_at or self.opened_at,
        }


@dataclass
class PushOutcome:
    """What the service's answers to one batch did; lists use the `sync --json` shape."""

    applied: int = 0
    conflicts: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    unanswered: int = 0


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _mutation(row: tuple) -> Mutation:
    seq, mid, kind, payload, base_version, case_id, task_id, created_at = row
    return Mutation(seq, mid, kind, json.loads(payload), base_version, case_id, task_id, created_at)


# --- reading the cached objects ------------------------------------------------------------------


def _load(conn: Connection, object_type: str, object_id: str) -> dict | None:
    if object_type == "case":
        row = conn.execute("SELECT doc FROM case_docs WHERE id = ?", (object_id,)).fetchone()
    elif object_type == "task":
        row = conn.execute("SELECT doc FROM tasks WHERE id = ?", (object_id,)).fetchone()
    else:
        row = conn.execute("SELECT doc FROM preferences WHERE singleton = 1").fetchone()
    return json.loads(row[0]) if row else None


def _store(conn: Connection, object_type: str, obj: dict, dirty: int) -> None:
    """Write an object's row and document as a whole, with its count of unsent changes."""
    if object_type == "case":
        row = case_row(obj, current_user_id(conn))
        columns = ", ".join(CASE_COLUMNS + ("dirty",))
        marks = ", ".join("?" for _ in CASE_COLUMNS + ("dirty",))
        conn.execute(
            f"INSERT INTO cases ({columns}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET " + _updates(CASE_COLUMNS),
            row + (dirty,),
        )
        conn.execute(
            "INSERT INTO case_docs (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
            (obj["id"], _json(obj)),
        )
    elif object_type == "task":
        row = task_row(obj)
        columns = ", ".join(TASK_COLUMNS + ("dirty",))
        marks = ", ".join("?" for _ in TASK_COLUMNS + ("dirty",))
        conn.execute(
            f"INSERT INTO tasks ({columns}) VALUES ({marks}) ON CONFLICT (id) DO UPDATE SET " + _updates(TASK_COLUMNS),
            row + (dirty,),
        )
    else:
        conn.execute(
            "INSERT INTO preferences (singleton, doc, version, dirty) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (singleton) DO UPDATE SET doc = excluded.doc, version = excluded.version, "
            "dirty = excluded.dirty",
            (_json(obj), obj.get("version"), dirty),
        )


def _updates(columns: tuple[str, ...]) -> str:
    return ", ".join(f"{c} = excluded.{c}" for c in columns + ("dirty",) if c != "id")


def _names(conn: Connection) -> dict[str, dict]:
    """Display names of colleagues and teams, for the optimistic rows of forward/supporter changes."""
    names: dict[str, dict] = {}
    for uid, display_name in conn.execute("SELECT id, display_name FROM colleagues"):
        names[uid] = {"id": uid, "display_name": display_name}
    for tid, name in conn.execute("SELECT id, name FROM teams"):
        names[tid] = {"id": tid, "name": name}
    return names


def _me(conn: Connection) -> dict:
    row = conn.execute("SELECT user_id, user_doc FROM sync_state").fetchone()
    if not row or not row[0]:
        raise OutboxError("no-user")
    user = json.loads(row[1]) if row[1] else {}
    return {"id": row[0], "display_name": user.get("display_name") or user.get("username") or row[0]}


# --- queueing a change -----------------------------------------------------------------------------


def _id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 100


def _date(value: Any) -> bool:
    return value is None or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None)


def _task_type(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 200


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT_CHARS


def _opt_text(value: Any) -> bool:
    return value is None or _text(value)


def _opt_id(value: Any) -> bool:
    return value is None or _id(value)


def _flags(value: Any) -> bool:
    return isinstance(value, dict) and all(_id(k) and isinstance(v, bool) for k, v in value.items())


def _flag(value: Any) -> bool:
    return isinstance(value, bool)


# Per kind: each payload field and its check (docs/API.md). Unknown fields are refused, as the
# service would; refusing here keeps a doomed change out of the outbox.
def _written(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and set(value) == {"local_time", "estimated_time"}
        and all(isinstance(v, str) and 0 < len(v) <= 40 for v in value.values())
    )


def _forward_note(value: Any) -> bool:
    return isinstance(value, str)


_FIELDS: dict[str, dict[str, Any]] = {
    "journal.add": {"case_id": _id, "entry_id": _id, "text": _text, "written": _written},
    "step.complete": {"case_id": _id, "step_id": _id, "summary": _opt_text},
    "case.close": {"case_id": _id, "outcome": lambda v: v in mutations.OUTCOMES},
    "case.set_coordinator": {"case_id": _id, "user_id": _id},
    "case.add_supporter": {"case_id": _id, "user_id": _id},
    "case.remove_supporter": {"case_id": _id, "user_id": _id},
    "task.create": {
        "task_id": _id,
        "case_id": _id,
        "type": _task_type,
        "description": _opt_text,
        "deadline": _date,
        "assignee_id": _opt_id,
        "team_id": _opt_id,
    },
    "task.pickup": {"task_id": _id},
    "task.release": {"task_id": _id},
    "task.complete": {"task_id": _id},
    "task.forward": {"task_id": _id, "user_id": _opt_id, "team_id": _opt_id, "note": _forward_note},
    "task.dismiss": {"task_id": _id},
    "preferences.set": {
        "team_queue_email": _flags,
        "email_on_assigned": _flag,
        "email_on_added_to_case": _flag,
        "desktop_notifications": _flag,
    },
}
_OPTIONAL = {"summary", "description", "deadline", "assignee_id", "team_id", "user_id", "written", "note"}


def _check_payload(kind: str, payload: dict) -> None:
    fields = _FIELDS.get(kind)
    if fields is None:
        raise OutboxError("unknown-kind")
    if not isinstance(payload, dict) or set(payload) - set(fields):
        raise OutboxError("invalid-input")
    for name, value in payload.items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            raise OutboxError("text-too-long")
    for name, check in fields.items():
        if name not in payload and name in _OPTIONAL:
            continue
        if name not in payload or not check(payload[name]):
            raise OutboxError("invalid-outcome" if name == "outcome" else "invalid-input")
    if kind == "task.forward" and len(payload.get("note") or "") > MAX_FORWARD_NOTE:
        raise OutboxError("text-too-long")
    if kind == "journal.add" and not payload["text"].strip():
        raise OutboxError("text-empty")
    if kind == "task.create" and not payload["type"].strip():
        raise OutboxError("task-type-empty")
    if kind in ("task.create", "task.forward"):
        person_field = "assignee_id" if kind == "task.create" else "user_id"
        if bool(payload.get("team_id")) == bool(payload.get(person_field)):
            raise OutboxError("task-needs-one-target")


def _allowed(obj: dict, kind: str) -> None:
    capability = CAPABILITY.get(kind)
    verdict = (obj.get("capabilities") or {}).get(capability) if capability else None
    if verdict is not None and not verdict.get("allowed", False):
        raise OutboxError("not-allowed", verdict.get("reason"))


def queue(conn: Connection, kind: str, payload: dict, *, now: str | None = None) -> Mutation:
    """Make the change locally and queue it for the service, atomically. Returns the entry.

    Raises OutboxError (nothing written) for an unknown object, a change its capabilities refuse,
    or malformed input.
    """
    _check_payload(kind, payload)
    now = now or utc_now()
    with transaction(conn):
        me = _me(conn)
        object_type, object_id = mutations.object_of(kind, payload)
        if kind == "task.create":
            case = _load(conn, "case", payload["case_id"])
            if case is None:
                raise OutboxError("unknown-case")
            _allowed(case, kind)
            if _load(conn, "task", object_id) is not None:
                raise OutboxError("task-exists")
            current, base_version = None, None
            changed = mutations.new_task(payload, case, me, now, _names(conn))
        else:
            current = _load(conn, object_type, object_id)
            if current is None:
                raise OutboxError(f"unknown-{object_type}")
            if not _pending_rows(conn, object_type, object_id):
                # The capabilities describe the service's state; after an unsent change of our
                # own they are stale, so the service decides at the push (never the client).
                _allowed(current, kind)
            if kind in IDEMPOTENT_KINDS:
                # The same request twice in a row (a double click) is one change; pick up, hand
                # back, pick up again is three.
                latest = _pending_rows(conn, object_type, object_id)[-1:]
                if latest and latest[0].kind == kind and latest[0].payload == payload:
                    return latest[0]
            base_version = current.get("version")
            changed = mutations.apply(kind, current, payload, me, now, _names(conn))
        dirty = _pending_count(conn, object_type, object_id) + 1
        try:
            _store(conn, object_type, changed, dirty)
        except (_Bad, KeyError, TypeError, ValueError):
            raise OutboxError("invalid-input") from None
        mutation_id = str(uuid.uuid4())
        case_id = payload.get("case_id") if object_type != "preferences" else None
        task_id = payload.get("task_id")
        cursor = conn.execute(
            "INSERT INTO outbox (id, kind, case_id, task_id, payload, base_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                mutation_id,
                kind,
                case_id if object_type == "case" or kind == "task.create" else None,
                task_id,
                _json(payload),
                base_version,
                now,
            ),
        )
        return Mutation(
            cursor.lastrowid,
            mutation_id,
            kind,
            payload,
            base_version,
            case_id if object_type == "case" or kind == "task.create" else None,
            task_id,
            now,
        )


# A stuck change (refused as a whole request, see migration 004) is set aside: not pushed, not
# laid over the cached row and not counted as dirty, so the row shows the service's state.
_WAITING = "AND stuck_reason IS NULL"


def _pending_rows(conn: Connection, object_type: str, object_id: str) -> list[Mutation]:
    columns = "seq, id, kind, payload, base_version, case_id, task_id, created_at"
    if object_type == "case":
        rows = conn.execute(
            f"SELECT {columns} FROM outbox WHERE case_id = ? AND task_id IS NULL {_WAITING} ORDER BY seq", (object_id,)
        )
    elif object_type == "task":
        rows = conn.execute(f"SELECT {columns} FROM outbox WHERE task_id = ? {_WAITING} ORDER BY seq", (object_id,))
    else:
        rows = conn.execute(f"SELECT {columns} FROM outbox WHERE kind = 'preferences.set' {_WAITING} ORDER BY seq")
    return [_mutation(row) for row in rows]


def _pending_count(conn: Connection, object_type: str, object_id: str) -> int:
    return len(_pending_rows(conn, object_type, object_id))


# --- pushing --------------------------------------------------------------------------------------


def next_batch(
    conn: Connection, after_seq: int | str, limit: int, max_bytes: int
) -> tuple[list[Mutation], list[OfflineRead]]:
    """The next mutations after `after_seq` (in order, at most `limit` / about `max_bytes`) and,
    with the first batch, the offline reads to report."""
    after = int(after_seq or 0)
    rows = conn.execute(
        "SELECT seq, id, kind, payload, base_version, case_id, task_id, created_at FROM outbox "
        f"WHERE seq > ? {_WAITING} ORDER BY seq LIMIT ?",
        (after, limit),
    ).fetchall()
    batch: list[Mutation] = []
    size = 0
    for row in rows:
        size += len(row[3]) + 200
        if batch and size > max_bytes:
            break
        batch.append(_mutation(row))
    reads: list[OfflineRead] = []
    if after == 0:
        reads = [
            OfflineRead(*row)
            for row in conn.execute(
                "SELECT seq, case_id, opened_at, estimated_at FROM offline_reads ORDER BY seq LIMIT 5000"
            )
        ]
    return batch, reads


def unsent_count(conn: Connection) -> int:
    """Queued changes the service has not accepted, the stuck ones included (a wipe would lose them)."""
    return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]


def pending(conn: Connection) -> list[Mutation]:
    """Every queued mutation waiting to be sent (not the stuck ones), oldest first."""
    return [
        _mutation(row)
        for row in conn.execute(
            f"SELECT seq, id, kind, payload, base_version, case_id, task_id, created_at FROM outbox WHERE 1 {_WAITING} "
            "ORDER BY seq"
        )
    ]


def resolve(
    conn: Connection,
    batch: list[Mutation],
    results: list[dict],
    reads: list[OfflineRead],
    fetched: dict[tuple[str, str], dict | None] | None = None,
) -> PushOutcome:
    """Apply the service's answers to one pushed batch, in one transaction.

    `fetched`: the service's state of objects whose refusal came without it (`needs_state`),
    fetched by the engine (None: not in view, or a proxy's 404: the feed's removal decides)."""
    fetched = fetched or {}
    outcome = PushOutcome()
    by_id = {r["id"]: r for r in results}
    latest: dict[tuple[str, str], dict | None] = {}  # object → the service's newest state we were told
    deleted_tasks: set[str] = set()
    now = utc_now()
    with transaction(conn):
        for mutation in batch:
            result = by_id.get(mutation.id)
            if result is None:  # not answered (the service stopped mid-batch): retried next sync
                outcome.unanswered += 1
                conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = 'no-answer' WHERE id = ?", (mutation.id,)
                )
                continue
            conn.execute("DELETE FROM outbox WHERE id = ?", (mutation.id,))
            key = mutation.object_key()
            current = result.get("current")
            if result["status"] != "applied" and not isinstance(current, dict):
                current = fetched.get(key)  # so that a refused optimistic edit is rolled back
            if isinstance(current, dict) and _current_fits(key[0], current, key[1]):
                latest[key] = current
            else:
                latest.setdefault(key, None)
            status = result["status"]
            if status == "applied":
                outcome.applied += 1
                continue
            entry = {
                "id": key[1] if key[0] != "preferences" else "preferences",
                "kind": mutation.kind,
                "reason": result.get("reason") or result.get("code") or status,
                "mutation_id": mutation.id,
            }
            if result.get("held_by"):
                entry["held_by"] = result["held_by"]
            (outcome.conflicts if status == "conflict" else outcome.rejected).append(entry)
            conn.execute(
                "INSERT OR REPLACE INTO unprocessed (id, kind, case_id, task_id, payload, status, reason, detail, "
                "held_by, created_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    mutation.id,
                    mutation.kind,
                    mutation.case_id,
                    mutation.task_id,
                    _json(mutation.payload),
                    status,
                    entry["reason"],
                    result.get("detail"),
                    _json(result["held_by"]) if result.get("held_by") else None,
                    mutation.created_at,
                    now,
                ),
            )
            if mutation.kind == "task.create" and latest[key] is None:
                deleted_tasks.add(key[1])  # the service never made it: the local copy goes
        for (object_type, object_id), current in latest.items():
            _settle(conn, object_type, object_id, current, object_id in deleted_tasks and object_type == "task")
        if reads:
            conn.execute("DELETE FROM offline_reads WHERE seq <= ?", (max(r.seq for r in reads),))
    return outcome


def _current_fits(object_type: str, current: dict, object_id: str) -> bool:
    """Only a well-formed object of the right kind and id may replace the cached one."""
    try:
        if object_type == "case":
            wire.check_case(current)
        elif object_type == "task":
            wire.check_task(current)
        else:
            return isinstance(current.get("version"), int)
    except wire.FeedError:
        return False
    return current.get("id") == object_id


def _settle(conn: Connection, object_type: str, object_id: str, current: dict | None, drop: bool) -> None:
    """The row after its answers: the service's state, with still-unsent changes laid over it."""
    cached = _load(conn, object_type, object_id)
    if object_type != "preferences" and cached is None:
        return  # purged meanwhile (left the view): an answer does not bring it back; the feed decides
    remaining = _pending_rows(conn, object_type, object_id)
    if drop and not remaining:
        conn.execute("DELETE FROM tasks WHERE id = ?", (object_id,))
        return
    base = current if current is not None else cached
    if base is None:
        return
    if current is None and not remaining:
        # No service state to restore from: keep the row, no longer dirty; the feed corrects it.
        _set_dirty(conn, object_type, object_id, 0)
        return
    me, names = _me(conn), _names(conn)
    obj = base
    for mutation in remaining:
        if mutation.kind != "task.create":
            obj = mutations.apply(mutation.kind, obj, mutation.payload, me, mutation.created_at, names)
    try:
        _store(conn, object_type, obj, len(remaining))
    except (_Bad, KeyError, TypeError, ValueError):
        _set_dirty(conn, object_type, object_id, len(remaining))


def _set_dirty(conn: Connection, object_type: str, object_id: str, dirty: int) -> None:
    if object_type == "case":
        conn.execute("UPDATE cases SET dirty = ? WHERE id = ?", (dirty, object_id))
    elif object_type == "task":
        conn.execute("UPDATE tasks SET dirty = ? WHERE id = ?", (dirty, object_id))
    else:
        conn.execute("UPDATE preferences SET dirty = ?", (dirty,))


# --- small reads the engine needs ------------------------------------------------------------------


def read_cursor(conn: Connection) -> str | None:
    row = conn.execute("SELECT cursor FROM sync_state").fetchone()
    return row[0] if row else None


_EXPORT_COLUMNS = ("id", "kind", "case_id", "task_id", "payload", "base_version", "created_at")


_REFUSED_COLUMNS = (
    "id",
    "kind",
    "case_id",
    "task_id",
    "payload",
    "status",
    "reason",
    "detail",
    "held_by",
    "created_at",
    "recorded_at",
)
REFUSED = "unprocessed"  # the `list` of an exported refused change (outbox rows have none)


def export_rows(conn: Connection) -> list[dict]:
    """Every queued mutation as stored, oldest first, then the refused changes the user has not
    dismissed, marked `list: unprocessed` (for the export an offline-expiry wipe writes: both are
    the user's own words that the service does not hold)."""
    queued = [
        dict(zip(_EXPORT_COLUMNS, row))
        for row in conn.execute(f"SELECT {', '.join(_EXPORT_COLUMNS)} FROM outbox ORDER BY seq")
    ]
    refused = [
        {**dict(zip(_REFUSED_COLUMNS, row)), "list": REFUSED}
        for row in conn.execute(f"SELECT {', '.join(_REFUSED_COLUMNS)} FROM unprocessed ORDER BY recorded_at, id")
    ]
    return queued + refused


def import_rows(conn: Connection, rows: list[dict]) -> int:
    """Queue exported mutations again, unchanged (same ids: the service applies each at most once),
    and put exported refused changes back in their list; returns how many were queued."""
    added = 0
    with transaction(conn):
        for row in rows:
            if not isinstance(row, dict) or not all(
                isinstance(row.get(c), str) for c in ("id", "kind", "payload", "created_at")
            ):
                continue
            if row.get("list") == REFUSED:
                if isinstance(row.get("status"), str) and isinstance(row.get("recorded_at"), str):
                    conn.execute(
                        f"INSERT OR IGNORE INTO unprocessed ({', '.join(_REFUSED_COLUMNS)}) "
                        f"VALUES ({', '.join('?' for _ in _REFUSED_COLUMNS)})",
                        tuple(row.get(c) for c in _REFUSED_COLUMNS),
                    )
                continue
            added += conn.execute(
                f"INSERT OR IGNORE INTO outbox ({', '.join(_EXPORT_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                tuple(row.get(c) for c in _EXPORT_COLUMNS),
            ).rowcount
    return added


def dismiss_unprocessed(conn: Connection, mutation_id: str) -> None:
    """The user has read a refused change and lets it go (a stuck one leaves the outbox: only the
    user removes it)."""
    with transaction(conn):
        conn.execute("DELETE FROM unprocessed WHERE id = ?", (mutation_id,))
        conn.execute("DELETE FROM outbox WHERE id = ? AND stuck_reason IS NOT NULL", (mutation_id,))


# --- stuck changes ------------------------------------------------------------------------------------


def mark_stuck(conn: Connection, mutation: Mutation, code: str, current: dict | None) -> tuple[str, str]:
    """Set a change aside that the service refused as a whole request on its own (413, 400 with a
    code): it stays in the outbox, is no longer pushed, and its optimistic edit is rolled back to
    `current`, the service's state fetched by the engine. None (not in view, or a proxy's 404):
    the row stays as it is, no longer dirty, and the feed corrects it (a removal purges it)."""
    key = mutation.object_key()
    with transaction(conn):
        conn.execute(
            "UPDATE outbox SET stuck_reason = ?, stuck_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
            (code, utc_now(), code, mutation.id),
        )
        if current is not None and _current_fits(key[0], current, key[1]):
            _settle(conn, key[0], key[1], current, False)
        elif mutation.kind == "task.create":
            _settle(conn, key[0], key[1], None, True)  # never made on the service: the local copy goes
        else:
            _set_dirty(conn, key[0], key[1], _pending_count(conn, *key))
    return key


def stuck_count(conn: Connection) -> int:
    return conn.execute("SELECT count(*) FROM outbox WHERE stuck_reason IS NOT NULL").fetchone()[0]


def retry_stuck(conn: Connection, mutation_id: str) -> bool:
    """The user sends a stuck change again: back in the queue, its edit shown again."""
    with transaction(conn):
        row = conn.execute(
            "SELECT seq, id, kind, payload, base_version, case_id, task_id, created_at FROM outbox "
            "WHERE id = ? AND stuck_reason IS NOT NULL",
            (mutation_id,),
        ).fetchone()
        if row is None:
            return False
        mutation = _mutation(row)
        conn.execute("UPDATE outbox SET stuck_reason = NULL, stuck_at = NULL WHERE id = ?", (mutation_id,))
        object_type, object_id = mutation.object_key()
        current = _load(conn, object_type, object_id)
        dirty = _pending_count(conn, object_type, object_id)
        try:
            if mutation.kind == "task.create" and current is None:
                case = _load(conn, "case", mutation.payload["case_id"])
                if case is not None:
                    _store(
                        conn,
                        "task",
                        mutations.new_task(mutation.payload, case, _me(conn), mutation.created_at, _names(conn)),
                        dirty,
                    )
            elif current is not None:
                _store(
                    conn,
                    object_type,
                    mutations.apply(
                        mutation.kind, current, mutation.payload, _me(conn), mutation.created_at, _names(conn)
                    ),
                    dirty,
                )
        except (_Bad, KeyError, TypeError, ValueError):
            _set_dirty(conn, object_type, object_id, dirty)
    return True


def needs_state(batch: list[Mutation], results: list[dict]) -> list[tuple[str, str]]:
    """Objects whose change the service refused without sending its state along: the engine
    fetches them before `resolve`, so the optimistic edit is rolled back (a created task that the
    service refused is simply dropped)."""
    by_id = {r["id"]: r for r in results}
    wanted: list[tuple[str, str]] = []
    for mutation in batch:
        result = by_id.get(mutation.id)
        if result is None or result["status"] == "applied" or isinstance(result.get("current"), dict):
            continue
        key = mutation.object_key()
        if mutation.kind != "task.create" and key not in wanted:
            wanted.append(key)
    return wanted


def queued_for(conn: Connection, objects: list[tuple[str, str]]) -> list[str]:
    """The ids of waiting changes of these objects (case or task): before they are purged, the
    engine asks the service what became of them."""
    ids: list[str] = []
    for object_type, object_id in objects:
        if object_type in ("case", "task"):
            ids += [
                row[0]
                for row in conn.execute(
                    f"SELECT id FROM outbox WHERE {object_type}_id = ? {_WAITING} ORDER BY seq", (object_id,)
                )
            ]
    return ids
