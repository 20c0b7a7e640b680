"""The pull as the cache takes it, each step one function run on the cache lane (`writer.py`).

The sync engine fetches and checks pages on its own thread and hands them here: a checked page
with its cursor in one transaction, the purge after a full snapshot, the "last synchronised" stamp.
"""

from __future__ import annotations

from desktop import wire
from desktop.cache.db import Connection
from desktop.cache.errors import MalformedPage
from desktop.cache.writes import apply_page, purge


def apply_pulled_page(conn: Connection, page: dict, outcomes: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    """One page and its cursor in one transaction (on the writer thread); counts for progress.
    The engine checked the page (wire.check_page) on the network thread: not checked again here.
    `outcomes`: the service's word on queued changes of removed objects (mutation id → outcome)."""
    try:
        applied = apply_page(conn, page, checked=True, outcomes=outcomes)
    except MalformedPage as exc:
        raise wire.FeedError("page") from exc
    counts = dict(applied.upserted)
    counts["upserted"] = sum(applied.upserted.values())
    counts["removed"] = applied.removed
    return counts


def stamp_sync_time(conn: Connection, server_time: str | None) -> None:
    """ "Last synchronised" moves on after a sync that brought nothing (nothing else wrote it)."""
    if server_time:
        conn.execute("UPDATE sync_state SET last_sync_at = ?", (server_time,))


def purge_unseen(conn: Connection, seen: dict[str, set[str]]) -> int:
    """After a full snapshot: remove cached objects the snapshot no longer lists (not dirty ones)."""
    removed = 0
    for kind, table in (("case", "cases"), ("task", "tasks"), ("team", "teams")):
        dirty = "dirty = 0" if kind != "team" else "1"
        stale = [row[0] for row in conn.execute(f"SELECT id FROM {table} WHERE {dirty}") if row[0] not in seen[kind]]
        if stale:
            removed += purge(conn, kind, stale, outcomes={})  # only stuck changes can be queued here
    return removed
