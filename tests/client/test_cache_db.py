"""The cache file itself: encrypted on disk, refused with a wrong key, never replaced by plain SQLite."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from tests.client.factories import ME, make_case, make_page
from desktop.cache import (
    CacheKeyRejected,
    CacheMissing,
    MigrationError,
    PlainDatabaseRefused,
    apply_page,
    check_cache,
    cipher_integrity_check,
    close_cache,
    integrity_check,
    open_cache,
    schema_version,
    set_user,
)
from desktop.cache.db import SQLITE_HEADER, available_migrations, migrate_schema
from desktop.cache.writes import record_offline_read

CITIZEN = {"id": "p-x", "name": "Wilhelmina Zandvoort-Quist", "bsn": "918273645", "birth_date": "1961-04-02"}
NOTE = "Gesprek over de schuldsanering van mevrouw, vertrouwelijk."


def _fill(conn) -> None:
    set_user(conn, ME)
    case = make_case(1, citizens=[CITIZEN])
    case["journal"].append(
        {
            "id": "j-x",
            "text": NOTE,
            "author": {"id": "u-2", "display_name": "Karin Bos"},
            "created_at": "2026-11-01T10:00:00Z",
        }
    )
    apply_page(conn, make_page(cases=[case]))
    record_offline_read(conn, "c-1")


def _all_profile_bytes(profile) -> bytes:
    return b"".join(p.read_bytes() for p in profile.root.rglob("*") if p.is_file())


def test_cache_file_is_not_readable_as_sqlite(profile, data_key):
    profile.ensure_dir()
    conn = open_cache(profile.cache_path, data_key, create=True)
    _fill(conn)
    # Inspect while the WAL still holds fresh pages, and again after the checkpoint.
    for phase in ("open", "closed"):
        on_disk = _all_profile_bytes(profile)
        assert not profile.cache_path.read_bytes().startswith(SQLITE_HEADER)
        for secret in (CITIZEN["name"], CITIZEN["bsn"], NOTE, "Zandvoort"):
            assert secret.encode("utf-8") not in on_disk, phase
            assert secret.encode("utf-16-le") not in on_disk, phase
        if phase == "open":
            close_cache(conn)
    plain = sqlite3.connect(profile.cache_path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT * FROM sqlite_master").fetchall()
    plain.close()


def test_wrong_key_refused(profile, data_key):
    profile.ensure_dir()
    close_cache(open_cache(profile.cache_path, data_key, create=True))
    before = profile.cache_path.read_bytes()
    with pytest.raises(CacheKeyRejected):
        open_cache(profile.cache_path, os.urandom(32))
    assert profile.cache_path.read_bytes() == before
    close_cache(open_cache(profile.cache_path, data_key))  # the right key still works


def test_plain_sqlite_file_refused_and_not_overwritten(profile, data_key):
    profile.ensure_dir()
    plain = sqlite3.connect(profile.cache_path)
    plain.execute("CREATE TABLE planted (x)")
    plain.execute("INSERT INTO planted VALUES ('left alone')")
    plain.commit()
    plain.close()
    before = profile.cache_path.read_bytes()
    for create in (False, True):
        with pytest.raises(PlainDatabaseRefused):
            open_cache(profile.cache_path, data_key, create=create)
    assert profile.cache_path.read_bytes() == before
    assert not any(p.exists() for p in profile.cache_side_paths)


def test_missing_cache_is_not_created_without_create(profile, data_key):
    profile.ensure_dir()
    with pytest.raises(CacheMissing):
        open_cache(profile.cache_path, data_key)
    assert not profile.cache_path.exists()


def test_key_must_be_256_bits(profile):
    profile.ensure_dir()
    with pytest.raises(ValueError):
        open_cache(profile.cache_path, b"short", create=True)
    assert not profile.cache_path.exists()


def test_pragmas_protect_temp_data_and_deleted_rows(cache_conn):
    assert cache_conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
    assert cache_conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert cache_conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert cache_conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_integrity_checks_pass_on_a_filled_cache(cache_conn):
    _fill(cache_conn)
    assert integrity_check(cache_conn) == ["ok"]
    assert cipher_integrity_check(cache_conn) == []
    check_cache(cache_conn)


def test_cipher_integrity_check_detects_a_flipped_byte(profile, data_key):
    profile.ensure_dir()
    conn = open_cache(profile.cache_path, data_key, create=True)
    _fill(conn)
    close_cache(conn)
    raw = bytearray(profile.cache_path.read_bytes())
    raw[4096 + 100] ^= 0xFF  # inside page 2
    profile.cache_path.write_bytes(bytes(raw))
    conn = open_cache(profile.cache_path, data_key)
    try:
        assert cipher_integrity_check(conn) != []
    finally:
        conn.close()


def test_migrations_are_versioned_and_run_once(cache_conn):
    latest = available_migrations()[-1][0]
    assert schema_version(cache_conn) == latest
    assert migrate_schema(cache_conn) == latest  # nothing to do the second time
    tables = {r[0] for r in cache_conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "cases",
        "case_docs",
        "tasks",
        "teams",
        "case_types",
        "colleagues",
        "preferences",
        "organisation",
        "sync_state",
        "outbox",
        "unprocessed",
        "offline_reads",
    } <= tables


def test_a_failing_migration_changes_nothing(cache_conn):
    before = available_migrations()[-1][0]
    migrations = available_migrations() + [
        (before + 1, "999_broken.sql", "CREATE TABLE extra (x); SELECT nonsense FROM nowhere;")
    ]
    with pytest.raises(MigrationError):
        migrate_schema(cache_conn, migrations)
    assert schema_version(cache_conn) == before
    assert cache_conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0


def test_a_newer_cache_is_refused(cache_conn):
    cache_conn.execute("PRAGMA user_version = 99")
    with pytest.raises(MigrationError):
        migrate_schema(cache_conn)


def test_cache_files_are_readable_by_the_user_alone(profile, data_key):
    profile.ensure_dir()
    conn = open_cache(profile.cache_path, data_key, create=True)
    _fill(conn)
    assert stat.S_IMODE(profile.root.stat().st_mode) == 0o700
    for path in [profile.cache_path, *profile.cache_side_paths]:
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert (profile.root / "cache.db-wal").exists()
    close_cache(conn)
