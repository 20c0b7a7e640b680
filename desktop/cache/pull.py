"""The pull as the cache takes it, each step one function run on the cache lane (`writer.py`).

The sync engine fetches and checks pages on its own thread and hands them here: a checked page
with its cursor in one transaction, the purge after a full snapshot, the "last synchronised" stamp.

A first sync into an empty cache fills its secondary indexes once, after the last page, instead
of row by row: pages arrive in the service's order, not the indexes', so every page dirtied pages
all over each index and each COMMIT wrote (and encrypted) them again, more with every page (a
py-spy profile of a 100,000-case first sync put 56% of the writer thread in COMMIT; issue 19).
"""

from __future__ import annotations

from desktop import heap, wire
from desktop.cache.db import CACHE_SIZE_KIB, Connection, transaction
from desktop.cache.errors import MalformedPage
from desktop.cache.writes import apply_page, purge


# A first sync's pages, into an empty cache, run with three settings of their own (issue 19):
# - a larger page cache (32 MiB): the id indexes of 100,000 random-id cases, tasks and documents (~12 MB)
#   stay in memory instead of being decrypted again for every page (the per-page apply cost grew
#   from 268 to 449 ms over a 100,000-case sync); back to CACHE_SIZE_KIB after the last page.
# - synchronous = NORMAL for a page's own transaction: no fsync per page. Safe because such a
#   sync is restartable: a page and its cursor commit together (WAL keeps them atomic), so a power
#   cut loses at most the last pages and the next sync fetches them again from the last cursor
#   that reached the disk. Nothing else of the user's is in an empty cache yet, and every other
#   write on this connection (a user's edit meanwhile) runs with FULL, which also makes the
#   pages before it durable.
# - a checkpoint every SNAPSHOT_CHECKPOINT_PAGES WAL pages instead of 1,000: index pages that
#   every page rewrites are copied into the database once, not after nearly every page.
SNAPSHOT_CACHE_KIB = 32768
SNAPSHOT_CHECKPOINT_PAGES = 10000

# The indexes a first sync builds at its end (name → definition, as the migrations make them;
# tests/client/test_cache_pull.py checks they match). The `dirty` ones stay: apply_page reads them.
DEFERRED_INDEXES = {
    "cases_my_number": "CREATE INDEX cases_my_number ON cases (my_role, number)",
    "cases_mine_list": (
        "CREATE INDEX cases_mine_list ON cases (updated_at, number, id, client_display, case_type_name, my_role, "
        "current_step, status, dirty, search_text) WHERE my_role IS NOT NULL"
    ),
    "tasks_team_status": "CREATE INDEX tasks_team_status ON tasks (team_id, status)",
    "tasks_assignee_status": "CREATE INDEX tasks_assignee_status ON tasks (assignee_id, status)",
    "tasks_case": "CREATE INDEX tasks_case ON tasks (case_id)",
}


def apply_pulled_page(conn: Connection, page: dict, outcomes: dict[str, tuple[str, str | None]]) -> dict[str, int]:
    """One page and its cursor in one transaction (on the writer thread); counts for progress.
    The engine checked the page's envelope (wire.check_envelope) on the network thread; its
    objects are checked here, before anything is written (FeedError: nothing of the page stays).
    `outcomes`: the service's word on queued changes of removed objects (mutation id → outcome).
    The first page into an empty cache drops the deferred indexes; a last page builds any missing."""
    wire.check_objects(page)
    if _empty(conn):
        with transaction(conn):
            for name in DEFERRED_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.execute(f"PRAGMA cache_size = -{SNAPSHOT_CACHE_KIB}")
    filling = _filling(conn)
    if filling:
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA wal_autocheckpoint = {SNAPSHOT_CHECKPOINT_PAGES}")
    try:
        applied = apply_page(conn, page, checked=True, outcomes=outcomes)
    except MalformedPage as exc:
        raise wire.FeedError("page") from exc
    finally:
        if filling:  # whatever runs next on this connection (a user's edit) is durable again
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
    if not page.get("has_more") and restore_indexes(conn):
        conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
        heap.give_back()  # the index builds' in-memory sorts (~50 MiB at 100,000 cases), before the lists are read
    counts = dict(applied.upserted)
    counts["upserted"] = sum(applied.upserted.values())
    counts["removed"] = applied.removed
    return counts


def restore_indexes(conn: Connection) -> list[str]:
    """Build the deferred indexes that are missing (after a first sync, or one cut off); their names."""
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    missing = [name for name in DEFERRED_INDEXES if name not in present]
    if missing:
        with transaction(conn):
            for name in missing:
                conn.execute(DEFERRED_INDEXES[name])
    return missing


def _filling(conn: Connection) -> bool:
    """A first sync's snapshot is under way (or was cut off): its deferred indexes are not there."""
    return (
        conn.execute("SELECT NOT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'cases_my_number')").fetchone()[0]
        == 1
    )


def _empty(conn: Connection) -> bool:
    """No position in the feed and no case or task: a first sync's first page."""
    return (
        conn.execute(
            "SELECT (SELECT cursor FROM sync_state) IS NULL AND NOT EXISTS (SELECT 1 FROM cases) "
            "AND NOT EXISTS (SELECT 1 FROM tasks)"
        ).fetchone()[0]
        == 1
    )


def stamp_sync_time(conn: Connection, server_time: str | None) -> None:
    """ "Last synchronised" moves on after a sync that brought nothing (nothing else wrote it)."""
    if server_time:
        conn.execute("UPDATE sync_state SET last_sync_at = ?", (server_time,))


def holds_nothing_to_purge(conn: Connection) -> bool:
    """No case, task or team cached: a snapshot into this cache leaves nothing behind to purge,
    so the engine need not remember the ids it lists (~125,000 strings at 100,000 cases)."""
    return (
        conn.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM cases) AND NOT EXISTS (SELECT 1 FROM tasks) "
            "AND NOT EXISTS (SELECT 1 FROM teams)"
        ).fetchone()[0]
        == 1
    )


def purge_unseen(conn: Connection, seen: dict[str, set[str]]) -> int:
    """After a full snapshot: remove cached objects the snapshot no longer lists (not dirty ones)."""
    removed = 0
    for kind, table in (("case", "cases"), ("task", "tasks"), ("team", "teams")):
        dirty = "dirty = 0" if kind != "team" else "1"
        stale = [row[0] for row in conn.execute(f"SELECT id FROM {table} WHERE {dirty}") if row[0] not in seen[kind]]
        if stale:
            removed += purge(conn, kind, stale, outcomes={})  # only stuck changes can be queued here
    return removed
