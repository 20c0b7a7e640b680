"""A first sync fills the cache's secondary indexes once, after its last page (issue 19)."""

from __future__ import annotations

from desktop import wire
from desktop.cache import queries
from desktop.cache.pull import DEFERRED_INDEXES, apply_pulled_page, restore_indexes
from tests.client.factories import make_case, make_page, make_task


def _indexes(conn) -> dict[str, str]:
    return {name: sql for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")}


def test_deferred_indexes_are_the_migrations_own(cache_conn):
    present = _indexes(cache_conn)
    for name, sql in DEFERRED_INDEXES.items():
        assert present[name] == sql, name


def test_first_sync_builds_its_indexes_after_the_last_page_and_later_syncs_keep_them(cache_conn):
    migrated = _indexes(cache_conn)
    first = make_page(cursor="c-1", has_more=True, cases=[make_case(i) for i in range(1, 4)])
    apply_pulled_page(cache_conn, wire.check_page(first), {})
    assert not set(DEFERRED_INDEXES) & set(_indexes(cache_conn))  # filled later, in one pass
    last = make_page(cursor="c-2", cases=[make_case(i) for i in range(4, 7)], tasks=[make_task(1)])
    apply_pulled_page(cache_conn, wire.check_page(last), {})
    assert _indexes(cache_conn) == migrated
    plan = " ".join(
        row[3] for row in cache_conn.execute("EXPLAIN QUERY PLAN " + queries._my_case_chunk_sql(True, after=False))
    )
    assert "cases_mine_list" in plan
    assert len(queries.my_case_list(cache_conn)) == 6
    # An incremental sync into a cache with cases leaves the indexes where they are.
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-3", has_more=True, cases=[make_case(7)])), {})
    assert _indexes(cache_conn) == migrated
    assert restore_indexes(cache_conn) == []


def _pragmas(conn) -> tuple[int, int, int]:
    return tuple(
        conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("synchronous", "wal_autocheckpoint", "cache_size")
    )


def test_a_first_sync_writes_its_pages_without_fsync_and_every_other_write_stays_durable(cache_conn):
    """A first sync's page commits with synchronous = NORMAL (restartable: it is fetched again from
    the last durable cursor), with a larger page cache until its last page; any other write on the
    writer's connection between two pages (a user's edit) runs with FULL again."""
    normal = _pragmas(cache_conn)
    assert normal[0] == 2  # FULL
    statements: list[str] = []
    cache_conn.set_trace_callback(statements.append)
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-1", has_more=True, cases=[make_case(1)])), {})
    kinds = [s.split(" (")[0].split(" =")[0] for s in statements]
    normal_at = kinds.index("PRAGMA synchronous")
    insert_at = kinds.index("INSERT INTO cases", normal_at)
    commit_at = kinds.index("COMMIT", insert_at)
    assert statements[normal_at] == "PRAGMA synchronous = NORMAL"
    assert statements[kinds.index("PRAGMA synchronous", commit_at)] == "PRAGMA synchronous = FULL"
    assert _pragmas(cache_conn)[:2] == normal[:2]  # FULL and the usual checkpoints between pages
    assert _pragmas(cache_conn)[2] < normal[2]  # more pages cached (negative: KiB) while the sync runs
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-2", cases=[make_case(2)])), {})
    assert _pragmas(cache_conn) == normal
    statements.clear()
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-3", cases=[make_case(3)])), {})
    assert not [s for s in statements if s.startswith("PRAGMA")]  # a later sync: every page durable


def test_a_page_applies_its_rows_in_id_order_and_the_later_of_a_case_listed_twice_wins(cache_conn):
    cases = [make_case(i) for i in (5, 2, 9, 1)]
    again = make_case(2, version=2, status="closed")
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-1", cases=[*cases, again])), {})
    rows = dict(cache_conn.execute("SELECT id, status FROM cases").fetchall())
    assert len(rows) == 4 and rows[again["id"]] == "closed"
