"""The service's database: SQLite in WAL mode (the default, one file in DATA_DIR) or PostgreSQL
(`Database("postgresql://...")`, see store/postgres.py), migrations, transactions and the audit trail.

Every module that holds SQL (`store/accounts.py`, `store/work.py`, ...) takes a `Database` and
uses `db.conn()` (one connection per thread, created on first use and closed, or given back to
the pool, when the thread ends) or `db.transaction()`. SQL is written once, in portable SQLite:
`?` placeholders, INTEGER/TEXT/BLOB, `INSERT OR IGNORE` or `ON CONFLICT`, RETURNING, times as ISO
text made in Python; store/postgres.py translates it for PostgreSQL.
Migrations are the files `migrations/NNN_*.sql`, applied once each, in order; the applied
versions are recorded in `schema_migrations`.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

log = logging.getLogger("server_stub.store")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")

# Audit entries written outside a transaction wait at most this long (or this many) before
# they are written together: a read-heavy route should not pay a commit per request.
AUDIT_FLUSH_SECONDS = 0.5
AUDIT_FLUSH_COUNT = 200


# Whose data this context's write transactions change: an organisation's id (the signed-in user of a
# request, set by deps.require_session; the helpdesk acts for every organisation and sets none) or
# None (anything: logins, enrollment, the service's own work). On PostgreSQL it picks the write lock
# (store/postgres.py): one organisation's writers take turns, different organisations' run side by
# side. On both engines the feed refuses a row for another organisation's user under a scope (feed.py).
write_scope: ContextVar[str | None] = ContextVar("write_scope", default=None)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached at start: one sentence for the operator, no password in it."""


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def to_iso(moment: datetime) -> str:
    """ISO 8601 UTC with Z, to the second's microseconds, as the API writes times."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _actor_of(principal) -> tuple[str | None, str | None]:
    if principal is None:
        return None, None
    return getattr(principal, "user_id", None), getattr(principal, "device_id", None) or None


def _close_quietly(conn) -> None:
    try:
        conn.close()
    except Exception:
        pass  # closing is all that is left to do; an error here changes nothing


class _ThreadConnection:
    """One thread's connection. Only that thread's `threading.local` holds it, so it is freed, and
    the connection closed, when the thread ends: the server's worker threads come and go (anyio
    ends a worker after 10 s idle), and a service that runs for weeks must not keep their files."""

    __slots__ = ("conn", "__weakref__")

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn


class Database:
    """One database shared by all threads of the service: a SQLite file (a path) or a PostgreSQL
    database (a postgresql:// URL; `pool_size` connections at most)."""

    def __init__(self, target: Path | str, *, pool_size: int = 60):
        self._engine = None
        if _is_postgres(target):
            from server_stub.store import postgres  # psycopg only when PostgreSQL is used

            self._engine = postgres.Engine(str(target), pool_size)
            self.kind, self.path, self.errors = "postgresql", None, postgres.ERRORS
        else:
            self.kind, self.path, self.errors = "sqlite", Path(target), (sqlite3.Error,)
        self._local = threading.local()
        # Weak: a live thread's holder is kept by that thread alone (see `_ThreadConnection`).
        self._holders: weakref.WeakSet[_ThreadConnection] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._audit_buffer: list[tuple] = []
        self._audit_lock = threading.Lock()
        self._audit_wakeup = threading.Event()
        self._closing = threading.Event()
        self._audit_thread: threading.Thread | None = None
        self._files_private = False

    def _make_files_private(self) -> None:
        """The database and its WAL/SHM are 0600 whatever the umask: create the file 0600 before
        SQLite opens it (SQLite gives -wal and -shm the database file's mode), and repair files
        an older version or another umask left readable."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.chmod(side, 0o600)
        self._files_private = True

    # --- connections -------------------------------------------------------------------
    def connect(self) -> sqlite3.Connection:
        """A new connection with the service's pragmas. Callers own and close it."""
        if self._engine is not None:
            return self._engine.connect()
        if not self._files_private:
            self._make_files_private()
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=10)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        return conn

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (autocommit unless inside `transaction()`)."""
        holder = getattr(self._local, "holder", None)
        if holder is None:
            if self._engine is not None:
                conn = self._engine.acquire()
                holder = _ThreadConnection(conn)
                weakref.finalize(holder, self._engine.release, conn)  # back to the pool at thread end
            else:
                conn = self.connect()
                holder = _ThreadConnection(conn)
                weakref.finalize(holder, _close_quietly, conn)  # runs as the thread's locals are freed
            self._local.holder = holder
            self._local.depth = 0
            with self._lock:
                self._holders.add(holder)
        return holder.conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT on this thread's connection; nested calls join the outer one."""
        conn = self.conn()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield conn
            finally:
                self._local.depth -= 1
            return
        conn.execute("BEGIN IMMEDIATE")
        self._local.depth = 1
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def in_transaction(self) -> bool:
        return bool(getattr(self._local, "depth", 0))

    # --- migrations ----------------------------------------------------------------------
    def migrate(self, migrations_dir: Path = MIGRATIONS_DIR) -> list[int]:
        """Apply every migration not yet applied, each in its own transaction; return those applied."""
        if self._engine is not None:
            return self._migrate_postgres(migrations_dir)
        conn = self.conn()
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, path in _migration_files(migrations_dir):
            if version in done:
                continue
            script = path.read_text(encoding="utf-8")
            # executescript commits first, so wrap the script in its own BEGIN/COMMIT.
            try:
                conn.executescript(
                    "BEGIN IMMEDIATE;\n" + script + "\n"
                    f"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({version}, '{path.name}', '{to_iso(utc_now())}');\n"
                    "COMMIT;"
                )
            except sqlite3.Error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")  # a failed migration leaves nothing half applied
                raise
            applied.append(version)
        return applied

    def _migrate_postgres(self, migrations_dir: Path) -> list[int]:
        """The same files as PostgreSQL DDL, in one transaction under the write lock (DDL is
        transactional there): instances started together migrate once, and never half."""
        from server_stub.store.postgres import translate_ddl

        applied = []
        with self.transaction() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM schema_migrations")}
            for version, path in _migration_files(migrations_dir):
                if version in done:
                    continue
                conn.execute(translate_ddl(path.read_text(encoding="utf-8")))
                conn.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, path.name, to_iso(utc_now())),
                )
                applied.append(version)
        return applied

    def tables(self) -> list[str]:
        """The names of the tables in the database (the engine's catalogue), sorted."""
        if self._engine is not None:
            return self._engine.tables(self.conn())
        return [
            r[0]
            for r in self.conn().execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]

    def relay(self, channel: str, on_words):
        """PostgreSQL: a started `postgres.Relay` on `channel`, whose `send(words)` reaches
        `on_words` in the other instances on this database; None on SQLite (one instance)."""
        if self._engine is None:
            return None
        from server_stub.store.postgres import Relay

        relay = Relay(self._engine, channel, on_words)
        relay.start()
        return relay

    def drop_all(self) -> None:
        """Empty a PostgreSQL database of the service's tables (`init --force`)."""
        if self._engine is not None:
            self._engine.drop_all(self.conn())

    def schema_versions(self) -> list[int]:
        return [row[0] for row in self.conn().execute("SELECT version FROM schema_migrations ORDER BY version")]

    # --- audit -----------------------------------------------------------------------------
    def audit(
        self,
        principal,
        action: str,
        object_type: str,
        object_id: str | None,
        detail: dict | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record who did what to which object. `detail` must never hold personal data (no names,
        citizen numbers or note text): ids, codes and counts only.

        Inside `transaction()` the entry is written in that transaction (it commits or rolls back
        with the change it describes); otherwise it is buffered and written in batches.
        """
        self.audit_many(principal, [(action, object_type, object_id)], detail, at)

    def audit_many(
        self,
        principal,
        entries: list[tuple[str, str, str | None]],
        detail: dict | None = None,
        at: datetime | None = None,
    ) -> None:
        """`audit` for many objects at one moment with the same `detail`: (action, object_type,
        object_id) each; one timestamp and one `detail` text for all (a 1,000-case sync page is
        one event, not 1,000)."""
        actor_id, device_id = _actor_of(principal)
        moment = to_iso(at or utc_now())
        detail_text = json.dumps(detail, sort_keys=True) if detail is not None else None
        rows = [
            (moment, actor_id, device_id, action, object_type, object_id, detail_text)
            for action, object_type, object_id in entries
        ]
        if self.in_transaction():
            self.conn().executemany(_AUDIT_INSERT, rows)
            return
        with self._audit_lock:
            self._audit_buffer.extend(rows)
            full = len(self._audit_buffer) >= AUDIT_FLUSH_COUNT
        self._ensure_audit_thread()
        if full:
            self._audit_wakeup.set()

    def flush_audit(self) -> None:
        """Write buffered audit entries now (tests call this before they assert on the log)."""
        with self._audit_lock:
            rows, self._audit_buffer = self._audit_buffer, []
        if rows:
            try:
                with self.transaction() as conn:
                    conn.executemany(_AUDIT_INSERT, rows)
            except BaseException:
                with self._audit_lock:  # kept, in order, for the next flush
                    self._audit_buffer[:0] = rows
                raise

    def audit_entries(self, object_type: str | None = None, object_id: str | None = None) -> list[sqlite3.Row]:
        self.flush_audit()
        sql, args = "SELECT * FROM audit_log", []
        if object_type is not None:
            sql += " WHERE object_type = ?"
            args.append(object_type)
            if object_id is not None:
                sql += " AND object_id = ?"
                args.append(object_id)
        return list(self.conn().execute(sql + " ORDER BY seq", args))

    def _ensure_audit_thread(self) -> None:
        if self._audit_thread is not None:
            return
        with self._lock:
            if self._audit_thread is None and not self._closing.is_set():
                self._audit_thread = threading.Thread(target=self._audit_writer, name="audit-writer", daemon=True)
                self._audit_thread.start()

    def _audit_writer(self) -> None:
        while not self._closing.is_set():
            self._audit_wakeup.wait(AUDIT_FLUSH_SECONDS)
            self._audit_wakeup.clear()
            try:
                self.flush_audit()
            except self.errors as exc:
                # A busy or failing database must not end the writer: the entries would pile up
                # in memory for the life of the service, and never reach the audit log.
                log.warning("audit entries not written yet (%s); retrying", type(exc).__name__)

    # --- life cycle ----------------------------------------------------------------------
    def close(self) -> None:
        """Write pending audit entries and close every connection. Idempotent."""
        self._closing.set()
        self._audit_wakeup.set()
        if self._audit_thread is not None:
            self._audit_thread.join(timeout=5)
        self.flush_audit()
        with self._lock:
            holders = list(self._holders)
            self._holders = weakref.WeakSet()
        for holder in holders:
            _close_quietly(holder.conn)  # live threads' connections; ended threads closed theirs
        self._local = threading.local()
        if self._engine is not None:
            self._engine.close()  # the pool closes every connection, lent or not


def _is_postgres(target) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def _migration_files(migrations_dir: Path) -> list[tuple[int, Path]]:
    found = []
    for path in sorted(migrations_dir.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise ValueError(f"migration file name must look like 001_name.sql: {path.name}")
        found.append((int(match.group(1)), path))
    return found


_AUDIT_INSERT = (
    "INSERT INTO audit_log (at, actor_id, device_id, action, object_type, object_id, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
