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
        row[3]
        for row in cache_conn.execute(
            "EXPLAIN QUERY PLAN " + queries._my_case_list_sql("updated_at", True).replace("json_group_array", "max")
        )
    )
    assert "cases_mine_by_updated" in plan
    assert len(queries.my_case_list(cache_conn)) == 6
    # An incremental sync into a cache with cases leaves the indexes where they are.
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-3", has_more=True, cases=[make_case(7)])), {})
    assert _indexes(cache_conn) == migrated
    assert restore_indexes(cache_conn) == []
