"""A damaged cache is moved aside, never deleted, and its unsent changes are carried into a fresh one.

`replace_damaged(path, key)` reads what it still can of the outbox and of the refused changes
the user has not dismissed (both counted in what the user is told: their text is nowhere else)
from the damaged cache, builds a fresh cache holding the readable entries under their own
mutation ids (the service applies each id at most once, so an entry that had already arrived is
not applied twice), renames the damaged cache and its -wal/-shm files to
`cache.db.damaged-<UTC time>` and puts the fresh one in its place; a kill at any moment loses
nothing untold (`open_missing` finishes the trade). The first sync rebuilds the rest from the service.
Nothing here logs: payloads hold the user's own words.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from desktop.cache import db
from desktop.durable import fsync_dir

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
DAMAGED = ".damaged-"  # cache.db.damaged-<time>; a wipe removes every file named so (desktop.vault)
FRESH = ".fresh"  # cache.db.damaged-<time>.fresh: its fresh cache, until the two trade places
CARRIED_TABLES = ("outbox", "unprocessed")  # the user's own work; everything else the service resends
PROBE_LIMIT = 100_000  # rows looked up one by one when a scan breaks on a damaged page
# Each failed lookup costs a new connection (~2 ms): past this many, the rest counts as unreadable
# (a broken root page fails them all; the user is told how many were lost, the file is kept).
FAILED_PROBE_LIMIT = 2_000


@dataclass(frozen=True)
class Recovery:
    moved_to: Path
    # The user's own changes the damaged cache held: unsent ones and refused ones still listed
    # (their text is nowhere else); None when even that is unreadable.
    held: int | None
    recovered: int  # of those, queued or listed again in the fresh cache


def replace_damaged(
    path: Path, key: bytes, *, check_same_thread: bool = True, now: dt.datetime | None = None
) -> tuple[db.Connection, Recovery]:
    """Move the damaged cache at `path` aside and open a fresh one holding its readable unsent changes.

    The fresh cache is built whole under its own name first, and only then do the two files trade
    places: a kill before that leaves the damaged cache where it was (the next open starts over),
    a kill in between leaves no cache but the fresh one next to it, which `open_missing` finishes.
    A fresh cache holding nothing must never take the name while the changes sit aside untold.
    """
    for stale in path.parent.glob(f"{path.name}{DAMAGED}*{FRESH}*"):
        stale.unlink()  # from a recovery killed before the trade
    target = _aside_name(path, now)
    fresh = _fresh_name(target)
    held, tables = read_unsent(path, key)
    try:
        conn = db.open_cache(fresh, key, create=True)
        try:
            recovered = _carry_over(conn, tables)
        finally:
            db.close_cache(conn)  # checkpointed: the whole fresh cache is in its one file
        _rename_all(path, target)
    except BaseException:
        # A full disk, say: the damaged cache stays, so that the next open tries all this again.
        for suffix in ("", *SIDE_SUFFIXES):
            Path(f"{fresh}{suffix}").unlink(missing_ok=True)
        raise
    _rename_all(fresh, path)
    return db.open_cache(path, key, check_same_thread=check_same_thread), Recovery(target, held, recovered)


def open_missing(path: Path, key: bytes, *, check_same_thread: bool = True) -> tuple[db.Connection, Recovery | None]:
    """No cache at `path`: finish a recovery killed between moving the damaged cache aside and
    putting the fresh one in its place (told like any recovery), or else create an empty cache."""
    for fresh in sorted(path.parent.glob(f"{path.name}{DAMAGED}*{FRESH}")):
        target = fresh.with_name(fresh.name.removesuffix(FRESH))
        if not target.exists():
            continue
        _rename_all(fresh, path)
        held, _ = read_unsent(target, key)
        conn = db.open_cache(path, key, check_same_thread=check_same_thread)
        recovered = sum(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in CARRIED_TABLES)
        return conn, Recovery(target, held, recovered)
    return db.open_cache(path, key, create=True, check_same_thread=check_same_thread), None


def _fresh_name(target: Path) -> Path:
    return target.with_name(target.name + FRESH)


def _aside_name(path: Path, now: dt.datetime | None) -> Path:
    """`<name>.damaged-<UTC time>`, numbered when taken."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}{DAMAGED}{stamp}")
    n = 1
    while any(
        Path(f"{candidate}{s}").exists() for candidate in (target, _fresh_name(target)) for s in ("", *SIDE_SUFFIXES)
    ):
        n += 1
        target = path.with_name(f"{path.name}{DAMAGED}{stamp}-{n}")
    return target


def _rename_all(source: Path, target: Path) -> None:
    """The side files first: a fresh cache must never meet the old write-ahead log under its name."""
    for suffix in SIDE_SUFFIXES:
        side = Path(f"{source}{suffix}")
        if side.exists():
            os.rename(side, f"{target}{suffix}")
    os.rename(source, target)
    fsync_dir(source.parent)


def read_unsent(moved: Path, key: bytes) -> tuple[int | None, dict[str, tuple[list[str], list[tuple]]]]:
    """(the user's changes the file held, unsent or listed as refused, or None when a count is
    unreadable; {table: (columns, readable rows)}), read-only."""
    try:
        size = moved.stat().st_size
    except OSError:
        return None, {}
    if size == 0:
        # SQLite deletes the -wal of a zero-page database on open, so it is not opened: a log with
        # committed changes in it stays next to the file for the helpdesk, counted as unknown.
        wal = Path(f"{moved}-wal")
        return (None if wal.exists() and wal.stat().st_size > 0 else 0), {}
    reader = _Reader(moved, key)
    try:
        held: int | None = 0
        tables = {}
        for table in CARRIED_TABLES:
            count, columns, rows = _read_table(reader, table)
            if columns:
                tables[table] = (columns, rows)
            held = None if held is None or count is None else held + count
        return held, tables
    finally:
        reader.close()


class _Reader:
    """Read-only queries on the damaged file. A page that fails SQLCipher's check leaves the
    connection failing every later read of a page not yet cached, so each failure opens a new
    one: otherwise one bad page of the outbox hides every row after it, and all the refused changes."""

    def __init__(self, path: Path, key: bytes) -> None:
        # Read-only: no checkpoint writes into the damaged file and its -wal stays where it is.
        self._target, self._key = f"{path.absolute().as_uri()}?mode=ro", key
        self._conn: db.Connection | None = None

    def _connection(self) -> db.Connection:
        if self._conn is None:
            self._conn = db.connect_keyed(self._target, self._key, uri=True)
        return self._conn

    def query(self, sql: str, args: tuple = ()) -> list[tuple]:
        """All rows, or DatabaseError (after which the next query runs on a new connection)."""
        conn = self._connection()
        try:
            return conn.execute(sql, args).fetchall()
        except db.DatabaseError:
            self.close()
            raise

    def scan(self, sql: str) -> tuple[list[tuple], bool]:
        """The rows a scan reads up to the first broken page, and whether it read them all."""
        conn, rows = self._connection(), []
        try:
            for row in conn.execute(sql):
                rows.append(row)
        except db.DatabaseError:
            self.close()
            return rows, False
        return rows, True

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _read_table(reader: _Reader, table: str) -> tuple[int | None, list[str], list[tuple]]:
    """(row count or None, columns, the rows that still decrypt and parse), in rowid order."""
    try:
        columns = [row[1] for row in reader.query(f"PRAGMA table_info({table})")]
    except db.DatabaseError:
        return None, [], []
    if not columns:
        return None, [], []
    try:
        count = reader.query(f"SELECT count(*) FROM {table}")[0][0]
    except db.DatabaseError:
        count = None
    scanned, complete = reader.scan(f"SELECT rowid, * FROM {table}")
    rows: dict[int, tuple] = {row[0]: row[1:] for row in scanned}
    if not complete:
        # A broken page ends the scan; rows on the pages after it are still reachable by rowid.
        failed = 0
        for rowid in range(1, _highest_rowid(reader, table, rows) + 1):
            if rowid not in rows:
                try:
                    found = reader.query(f"SELECT rowid, * FROM {table} WHERE rowid = ?", (rowid,))
                except db.DatabaseError:
                    failed += 1
                    if failed >= FAILED_PROBE_LIMIT:
                        break
                    continue
                if found:
                    rows[found[0][0]] = found[0][1:]
    if count is None and complete:
        count = len(rows)
    payload = columns.index("payload") if "payload" in columns else None
    readable = [row for _, row in sorted(rows.items()) if payload is None or _is_json(row[payload])]
    return count, columns, readable


def _highest_rowid(reader: _Reader, table: str, found: dict[int, tuple]) -> int:
    for query, args in (
        (f"SELECT max(rowid) FROM {table}", ()),
        ("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)),
    ):
        try:
            rows = reader.query(query, args)
        except db.DatabaseError:
            continue
        if rows and isinstance(rows[0][0], int):
            return min(rows[0][0], PROBE_LIMIT)
    return min(max(found, default=0) + 1000, PROBE_LIMIT)


def _is_json(text: object) -> bool:
    try:
        json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def _carry_over(conn: db.Connection, tables: dict[str, tuple[list[str], list[tuple]]]) -> int:
    """Insert the carried rows (columns both schemas know); returns how many."""
    recovered = 0
    with db.transaction(conn):
        for table, (columns, rows) in tables.items():
            fresh = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            keep = [i for i, name in enumerate(columns) if name in fresh]
            names = ", ".join(columns[i] for i in keep)
            marks = ", ".join("?" for _ in keep)
            for row in rows:
                recovered += conn.execute(
                    f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({marks})", [row[i] for i in keep]
                ).rowcount
    return recovered
