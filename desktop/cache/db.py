"""Opening the encrypted cache: SQLCipher with a raw 256-bit key, safe pragmas, migrations.

The cache is never created or opened without a key: a plain SQLite file in its place is refused
(and left alone), and a wrong key is refused before any statement touches the data.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

import sqlcipher3

from desktop.cache.errors import (
    STORAGE_REASONS,
    CacheCorrupt,
    CacheEmpty,
    CacheError,
    CacheKeyRejected,
    CacheMissing,
    CacheStorageFailed,
    MigrationError,
    PlainDatabaseRefused,
    storage_reason,
)

Connection = sqlcipher3.Connection
DatabaseError = sqlcipher3.DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
# 16 MiB of page cache: the My Cases list (20,000 compact rows) stays decrypted in memory.
CACHE_SIZE_KIB = 16384


def is_plain_sqlite(path: Path) -> bool:
    """True when the file starts with SQLite's clear-text header (an encrypted file never does)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def open_cache(
    path: Path | str,
    key: bytes,
    *,
    create: bool = False,
    migrate: bool = True,
    check_same_thread: bool = True,
    check: bool = False,
) -> Connection:
    """An open, migrated connection to the encrypted cache at `path`.

    `create=True` allows a new file; otherwise a missing file raises CacheMissing and a zero-length
    one CacheEmpty. `check=True` (the session's first open) runs the quick damage checks
    (`check_cache(quick=True)`). A full, read-only or forbidden file system raises
    CacheStorageFailed, never CacheKeyRejected or CacheCorrupt. The connection is in autocommit
    mode: write through `transaction(conn)`.
    """
    path = Path(path)
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError("the cache key must be 32 bytes")
    try:
        return _open(path, key, create, migrate, check_same_thread, check)
    except (OSError, DatabaseError, CacheError) as exc:
        failure = storage_failure(exc, path)
        if failure is None:
            raise
        raise failure from exc


def _open(path: Path, key: bytes, create: bool, migrate: bool, check_same_thread: bool, check: bool) -> Connection:
    if path.exists():
        if is_plain_sqlite(path):
            raise PlainDatabaseRefused("the cache file is not encrypted")
        if path.stat().st_size == 0 and not create:
            raise CacheEmpty("the cache file is empty")
    elif not create:
        raise CacheMissing("there is no cache file")
    else:
        # Created 0600 here; SQLite gives its -wal and -shm files the same mode.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))

    conn = connect_keyed(str(path), key, check_same_thread=check_same_thread)
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as exc:
            # A disk fault is not a wrong key (open_cache turns it into CacheStorageFailed).
            if storage_failure(exc, path) is not None:
                raise
            raise CacheKeyRejected("the key does not open the cache") from None
        try:
            _set_pragmas(conn)
        except CacheCorrupt:
            # No WAL: usually a read-only or full directory, where the -shm file cannot be made.
            reason = _probe_directory(path)
            if reason:
                raise CacheStorageFailed(reason) from None
            raise
        if check:
            check_cache(conn, quick=True)
        if migrate:
            migrate_schema(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_keyed(target: str, key: bytes, *, check_same_thread: bool = True, uri: bool = False) -> Connection:
    """A connection with the key set and nothing read yet (no checks, pragmas or migrations)."""
    conn = sqlcipher3.connect(target, isolation_level=None, check_same_thread=check_same_thread, uri=uri)
    try:
        # SQLCipher logs decryption failures to stderr; the typed errors of open_cache say it better.
        conn.execute("PRAGMA cipher_log_level = NONE")
        # Raw key: SQLCipher's own PBKDF2 is skipped; the key already has 256 random bits.
        conn.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
    except BaseException:
        conn.close()
        raise
    return conn


def storage_failure(exc: BaseException, path: Path) -> CacheStorageFailed | None:
    """CacheStorageFailed when `exc` comes from the file system rather than from the file's content.

    SQLite says only "disk I/O error" or "unable to open database file" for several causes; the
    directory then tells which (read-only mount, permissions, no space left)."""
    reason = storage_reason(exc)
    if reason in ("io", "cantopen"):
        reason = _probe_directory(path) or "io"
    return CacheStorageFailed(reason) if reason in STORAGE_REASONS else None


def _probe_directory(path: Path) -> str | None:
    try:
        stats = os.statvfs(path.parent)
    except OSError as exc:
        return storage_reason(exc)
    if stats.f_flag & os.ST_RDONLY:
        return "read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.R_OK | os.W_OK)):
        return "permission"
    if stats.f_bavail * stats.f_frsize < 64 * 1024:
        return "full"
    return None


def _set_pragmas(conn: Connection) -> None:
    # Temp tables and sort spills in memory: on disk they would be written in the clear.
    conn.execute("PRAGMA temp_store = MEMORY")
    # Freed pages are zeroed, so deleted rows do not linger in the file.
    conn.execute("PRAGMA secure_delete = ON")
    if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
        raise CacheCorrupt("the cache cannot switch to write-ahead logging")
    # FULL: a committed outbox entry survives a power cut, not only a crash.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_SIZE_KIB}")
    conn.execute("PRAGMA busy_timeout = 5000")


def close_cache(conn: Connection | None) -> None:
    """Checkpoint and close. Locking the cache is this plus dropping the data key reference."""
    if conn is None:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        pass  # closing matters more than a tidy WAL
    conn.close()


@contextmanager
def transaction(conn: Connection, immediate: bool = True) -> Iterator[Connection]:
    """One atomic unit: committed at the end of the block, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:  # some errors (disk full, I/O) already rolled back
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def integrity_check(conn: Connection) -> list[str]:
    """SQLite's structural check; ["ok"] when healthy."""
    return [row[0] for row in conn.execute("PRAGMA integrity_check")]


def cipher_integrity_check(conn: Connection) -> list[str]:
    """SQLCipher's page-HMAC check; [] when every page authenticates."""
    return [row[0] for row in conn.execute("PRAGMA cipher_integrity_check")]


def check_cache(conn: Connection, quick: bool = False) -> None:
    """Both checks; CacheCorrupt when either finds a problem (a page that does not decrypt too).

    `quick=True` runs `quick_check` instead of `integrity_check` (it skips matching index entries to
    rows): on a 20,000-case cache both checks together cost about 0.6 s (docs/ARCHITECTURE.md).
    """
    try:
        if (quick_check(conn) if quick else integrity_check(conn)) != ["ok"]:
            raise CacheCorrupt("the cache failed SQLite's integrity check")
        if cipher_integrity_check(conn):
            raise CacheCorrupt("the cache failed SQLCipher's integrity check")
    except DatabaseError as exc:
        if storage_reason(exc) not in (None, "damaged"):
            raise  # a disk fault while reading, not damage
        raise CacheCorrupt("the cache could not be read to the end") from None


def quick_check(conn: Connection) -> list[str]:
    """SQLite's structural check without the index-to-row cross check; ["ok"] when healthy."""
    return [row[0] for row in conn.execute("PRAGMA quick_check")]


# --- migrations ---


def available_migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) for every migrations/NNN_name.sql, in order."""
    found = []
    for entry in resources.files("desktop.cache").joinpath("migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise MigrationError("migration files are not numbered 001, 002, ... without gaps")
    return found


def schema_version(conn: Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate_schema(conn: Connection, migrations: list[tuple[int, str, str]] | None = None) -> int:
    """Apply each migration newer than the cache's user_version, each in its own transaction."""
    migrations = available_migrations() if migrations is None else migrations
    current = schema_version(conn)
    latest = migrations[-1][0] if migrations else 0
    if current > latest:
        raise MigrationError("the cache was written by a newer version of the program")
    for version, name, sql in migrations:
        if version <= current:
            continue
        try:
            # executescript runs the whole file; BEGIN/COMMIT around it make file + version atomic.
            conn.executescript(f"BEGIN IMMEDIATE;\n{sql}\n;PRAGMA user_version = {version};\nCOMMIT;")
        except DatabaseError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise MigrationError(f"migration {name} failed") from exc
    return schema_version(conn)
