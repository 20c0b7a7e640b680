"""The PostgreSQL engine: the store's hand-written SQL, run on PostgreSQL through a thin adapter.

Every query in `store/` and beside it is written once, in the SQLite dialect the service was born
with, and this module turns it into PostgreSQL at the edge (once per distinct text, cached):

- `?` placeholders become `%s` (a literal `%` is doubled); values are bound client-side
  (psycopg's ClientCursor), so `? IS NULL` and untyped literals behave as on SQLite.
- `x IS ?` / `x IS NOT ?` (null-safe) become `IS [NOT] DISTINCT FROM`.
- `INSERT OR IGNORE INTO ...` becomes `INSERT INTO ... ON CONFLICT DO NOTHING`; `ON CONFLICT
  ... DO UPDATE`, `RETURNING` and `EXISTS` are the same on both.
- `BEGIN IMMEDIATE` (a write transaction) becomes `BEGIN` plus transaction-scoped advisory locks:
  with no `write_scope` (store/__init__.py) `WRITE_LOCK` alone, exclusive: one writer at a time
  across every instance, as SQLite has one writer per file; scoped to an organisation, `WRITE_LOCK`
  shared plus that organisation's lock, exclusive: its writers take turns with each other and with
  every unscoped writer, while other organisations' write beside them. Read-check-write code stays
  correct at READ COMMITTED (what one transaction reads and changes is its organisation's), and
  the feed's numbers reach each reader in commit order: every row for a user is written under that
  user's organisation's turn (store/feed.py checks), the number is handed out under the lock and
  the lock is released only after the commit is visible, so a reader following its own rows never
  passes a number whose transaction commits later. (A first sync starts from the reader's own
  latest number, not the feed's: another organisation's numbers may run ahead of uncommitted ones.)
  A bare `BEGIN` (a consistent read) becomes `BEGIN ISOLATION LEVEL REPEATABLE READ`.
- `PRAGMA ...` is SQLite's own tuning: a no-op here that answers one row `(0,)`.
- In migrations: `INTEGER PRIMARY KEY AUTOINCREMENT` is a BIGINT identity, INTEGER is BIGINT,
  BLOB is BYTEA, TEXT compares byte-wise (`COLLATE "C"`, SQLite's order), `WITHOUT ROWID` goes.
Booleans bound as parameters are written 1/0 (the schema keeps INTEGER flags, as on SQLite).
`executemany` of a plain `INSERT ... VALUES` goes as multi-row INSERTs (one round trip per 500).

Connections come from a psycopg_pool pool; `Database` holds one per thread, as for SQLite, and
returns it to the pool when the thread ends. `Relay` carries messages between the instances on
one database (LISTEN/NOTIFY): the feed's long-poll wake-ups.
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
import zlib
from functools import lru_cache

import psycopg
from psycopg import ClientCursor, pq
from psycopg.adapt import Dumper
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from server_stub.store import DatabaseUnavailable, write_scope

CONNECT_SECONDS = 10
NOTIFY_BYTES = 7000  # PostgreSQL's payload limit is 8000
log = logging.getLogger("server_stub.store")


# pg_advisory_xact_lock key of the one-writer lock ("MC17" in ASCII); an organisation's lock is the
# pair (ORGANISATION_LOCK, organisation_key(id)) in the two-key space, which never meets the one-key one.
WRITE_LOCK = 0x4D433137
ORGANISATION_LOCK = 0x4D43


def organisation_key(organisation_id: str) -> int:
    """A stable int4 for an organisation (the same in every process; a collision only shares a turn)."""
    return zlib.crc32(organisation_id.encode("utf-8")) & 0x7FFFFFFF


ERRORS = (psycopg.Error,)

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|--[^\n]*|\?|%")
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_INSERT_OR_OTHER = re.compile(r"^\s*(INSERT|UPDATE)\s+OR\s+(REPLACE|ABORT|FAIL|ROLLBACK)\b", re.IGNORECASE)
_IS_PARAM = re.compile(r"\s+IS\s+(NOT\s+)?\?", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)


# INSERT INTO t (a, b) VALUES (%s, %s) [ON CONFLICT DO NOTHING]: safe to send many rows at once
# (not DO UPDATE: PostgreSQL refuses to update one row twice in one statement).
_MULTI_ROW = re.compile(
    r"^(\s*INSERT\s+INTO\s+\w+\s*\([^()]*\)\s*VALUES\s*)(\((?:\s*%s\s*,?)+\))"
    r"(\s+ON\s+CONFLICT\s+DO\s+NOTHING)?\s*$",
    re.IGNORECASE,
)
MULTI_ROW = 500


# ---------------------------------------------------------------- statements


@lru_cache(maxsize=2048)
def translate(sql: str, bound: bool) -> tuple[str, str]:
    """(kind, text): kind is "begin-write", "begin-read", "pragma" or "sql"; `bound` says whether
    parameters come with it (only then is `%` special to psycopg)."""
    head = sql.strip().rstrip(";").strip().upper()
    if head == "BEGIN IMMEDIATE" or head == "BEGIN EXCLUSIVE":
        return "begin-write", ""
    if head in ("BEGIN", "BEGIN DEFERRED", "BEGIN TRANSACTION"):
        return "begin-read", ""
    if head.startswith("PRAGMA"):
        return "pragma", ""
    if _INSERT_OR_OTHER.match(sql):
        raise ValueError("INSERT/UPDATE OR REPLACE|ABORT|FAIL|ROLLBACK is SQLite-only: write ON CONFLICT ... DO UPDATE")

    def token(match: re.Match) -> str:
        text = match.group(0)
        if text == "?":
            return "%s"
        # psycopg reads % everywhere, in string literals too
        return text.replace("%", "%%") if bound else text

    # SQLite's null-safe comparison with a parameter
    sql = _IS_PARAM.sub(lambda m: " IS DISTINCT FROM ?" if m.group(1) else " IS NOT DISTINCT FROM ?", sql)
    text = _TOKENS.sub(token, sql)
    if _INSERT_OR_IGNORE.match(text):
        text = _INSERT_OR_IGNORE.sub("INSERT INTO", text, count=1).rstrip().rstrip(";")
        returning = _RETURNING.search(text)
        if returning:
            text = text[: returning.start()] + "ON CONFLICT DO NOTHING " + text[returning.start() :]
        else:
            text += " ON CONFLICT DO NOTHING"
    return "sql", text


_DDL = [
    (
        re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.IGNORECASE),
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
    # the type after a column's name (a column may be called "text")
    (re.compile(r"(\b\w+\s+)TEXT\b(?!\s+COLLATE)", re.IGNORECASE), r'\1TEXT COLLATE "C"'),
    (re.compile(r"\)\s*WITHOUT\s+ROWID", re.IGNORECASE), ")"),
]
_COMMENT = re.compile(r"--[^\n]*")


def translate_ddl(script: str) -> str:
    """A migration script written for SQLite, as PostgreSQL DDL (see the module's docstring)."""
    script = _COMMENT.sub("", script)
    for pattern, replacement in _DDL:
        script = pattern.sub(replacement, script)
    return script


# ---------------------------------------------------------------- rows and values


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type:
    """A tuple that also answers row["column"] and .keys(), as sqlite3.Row does."""
    index = {name: i for i, name in enumerate(names)}

    class Row(tuple):
        __slots__ = ()

        def __getitem__(self, key):
            if isinstance(key, str):
                return tuple.__getitem__(self, index[key])
            return tuple.__getitem__(self, key)

        def keys(self):
            return list(names)

    return Row


def _row_factory(cursor):
    if cursor.description is None:
        return tuple
    return _row_class(tuple(column.name for column in cursor.description))


class _BoolAsInt(Dumper):
    """True/False as 1/0: flags are INTEGER columns on both engines."""

    def dump(self, obj):
        return b"1" if obj else b"0"

    def quote(self, obj):
        return b"1" if obj else b"0"


class _Answer:
    """The one-row answer of a no-op (PRAGMA) or a BEGIN."""

    rowcount = -1

    def __init__(self, rows):
        self._rows = list(rows)

    def fetchone(self):
        return self._rows.pop(0) if self._rows else None

    def fetchall(self):
        rows, self._rows = self._rows, []
        return rows

    def __iter__(self):
        return iter(self.fetchall())


# ---------------------------------------------------------------- connections


class PgConnection:
    """A psycopg connection that speaks the store's SQL (the subset of sqlite3.Connection it uses)."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw

    def execute(self, sql: str, params=()):
        params = tuple(params) if params else None
        kind, text = translate(sql, params is not None)
        if kind == "sql":
            return self.raw.execute(text, params)
        if kind == "begin-write":
            scope = write_scope.get()
            self.raw.execute("BEGIN")
            if scope is None:
                self.raw.execute("SELECT pg_advisory_xact_lock(%s)" % WRITE_LOCK)
            else:  # the shared lock first, always: no turn is taken in two orders
                self.raw.execute("SELECT pg_advisory_xact_lock_shared(%s)" % WRITE_LOCK)
                self.raw.execute("SELECT pg_advisory_xact_lock(%s, %s)" % (ORGANISATION_LOCK, organisation_key(scope)))
        elif kind == "begin-read":
            self.raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        else:
            return _Answer([(0,)])
        return _Answer([])

    def executemany(self, sql: str, rows):
        rows = [tuple(r) for r in rows]
        kind, text = translate(sql, True)
        cursor = self.raw.cursor()
        if not rows:
            return cursor
        values = _MULTI_ROW.match(text)
        if values is None or len(rows) == 1:
            cursor.executemany(text, rows)
            return cursor
        # A plain INSERT ... VALUES of many rows as multi-row INSERTs: one round trip per
        # MULTI_ROW rows instead of per row (the demo data, feed and audit batches).
        head, group, tail = values.group(1), values.group(2), values.group(3) or ""
        for start in range(0, len(rows), MULTI_ROW):
            chunk = rows[start : start + MULTI_ROW]
            cursor.execute(head + ", ".join([group] * len(chunk)) + tail, [v for row in chunk for v in row])
        return cursor

    def executescript(self, script: str) -> None:
        self.raw.execute(script)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != pq.TransactionStatus.IDLE

    def close(self) -> None:
        self.raw.close()


def _configure(raw: psycopg.Connection) -> None:
    raw.adapters.register_dumper(bool, _BoolAsInt)


class Engine:
    """A pool of connections to one PostgreSQL database."""

    kind = "postgresql"
    errors = ERRORS

    def __init__(self, url: str, pool_size: int = 60):
        self.url = url
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=True,
            timeout=30,
            configure=_configure,
            check=ConnectionPool.check_connection,
            name="menscentraal",
            kwargs={"autocommit": True, "cursor_factory": ClientCursor, "row_factory": _row_factory},
        )
        try:
            self.pool.wait(timeout=CONNECT_SECONDS)  # a wrong URL or a server down fails here, once
        except PoolTimeout:
            self.pool.close()
            raise DatabaseUnavailable(
                f"PostgreSQL op {conninfo_to_dict(url).get('host') or 'localhost'} is niet bereikbaar of weigert de "
                f'verbinding; controleer het adres in config.json ("database") en of de database draait.'
            ) from None

    def acquire(self) -> PgConnection:
        return PgConnection(self.pool.getconn())

    def release(self, conn: PgConnection) -> None:
        try:
            self.pool.putconn(conn.raw)
        except Exception:  # the pool is closed (service stopping): just close the connection
            conn.raw.close()

    def connect(self) -> PgConnection:
        """A connection outside the pool, owned (and closed) by the caller."""
        raw = psycopg.connect(self.url, autocommit=True, cursor_factory=ClientCursor, row_factory=_row_factory)
        _configure(raw)
        return PgConnection(raw)

    def close(self) -> None:
        self.pool.close()

    def tables(self, conn: PgConnection) -> list[str]:
        return [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
            )
        ]

    def drop_all(self, conn: PgConnection) -> None:
        """`init --force`: the service's database starts empty again (it holds nothing else)."""
        names = self.tables(conn)
        if names:
            conn.execute("DROP TABLE IF EXISTS " + ", ".join(f'"{n}"' for n in names) + " CASCADE")


class Relay:
    """Messages between the instances on one database over LISTEN/NOTIFY: `send(words)` reaches
    `on_words(words)` in every *other* instance (a dedicated listening connection, re-opened after
    a failure). The feed wakes long-polls with it (store/feed.py)."""

    def __init__(self, engine: Engine, channel: str, on_words):
        self.engine, self.channel, self.on_words = engine, channel, on_words
        self.instance = uuid.uuid4().hex[:12]
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._listen, name=f"listen-{channel}", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._listening.wait(CONNECT_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        try:  # an empty message of our own ends the listener's wait at once
            with self.engine.pool.connection(timeout=2) as raw:
                raw.execute("SELECT pg_notify(%s, %s)", (self.channel, self.instance + " "))
        except Exception:
            pass  # the database is away: the listener's own timeout ends it
        self._thread.join(timeout=5)

    def send(self, conn: PgConnection, words: list[str]) -> None:
        """Send on `conn` (autocommit: delivered at once; in a transaction: at its commit)."""
        batch, size = [], 0
        for word in words:
            if batch and size + len(word) + 1 > NOTIFY_BYTES:
                conn.raw.execute("SELECT pg_notify(%s, %s)", (self.channel, self.instance + " " + " ".join(batch)))
                batch, size = [], 0
            batch.append(word)
            size += len(word) + 1
        if batch:
            conn.raw.execute("SELECT pg_notify(%s, %s)", (self.channel, self.instance + " " + " ".join(batch)))

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.engine.url, autocommit=True) as conn:
                    conn.execute(f'LISTEN "{self.channel}"')
                    self._listening.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            sender, _, text = note.payload.partition(" ")
                            if self._stop.is_set():
                                break
                            if sender != self.instance and text:
                                self.on_words(text.split(" "))
            except psycopg.Error as exc:
                log.warning("listening on %s failed (%s); listening again", self.channel, type(exc).__name__)
                self._stop.wait(1.0)
