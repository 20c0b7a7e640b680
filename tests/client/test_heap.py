"""The C heap gives back what a burst of work freed (issue 19): on Linux, glibc keeps freed blocks
for reuse, so ~50 MiB of a first sync's index sorts stayed in the app's memory under the lists."""

from __future__ import annotations

import sys

import pytest

from desktop import heap, wire
from desktop.cache.pull import apply_pulled_page
from tests.client.factories import make_case, make_page

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


@linux
def test_give_back_returns_freed_heap_memory_to_the_system():
    blocks = [bytearray(96 * 1024) for _ in range(400)]  # ~38 MiB of heap blocks (below mmap's threshold)
    for block in blocks:
        block[::4096] = b"x" * len(block[::4096])  # touched: resident
    last = blocks.pop()  # kept: the freed ones lie below it, where free() alone does not return them
    del blocks
    before = _rss_mib()
    assert heap.give_back()
    assert before - _rss_mib() > 20
    del last


@linux
def test_the_arena_limit_is_accepted():
    assert heap.limit_arenas(2)


def test_a_first_sync_gives_the_memory_of_its_index_builds_back_once(cache_conn, monkeypatch):
    calls: list[str] = []
    monkeypatch.setattr(heap, "give_back", lambda: calls.append("give back"))
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-1", has_more=True, cases=[make_case(1)])), {})
    assert calls == []  # the indexes are built after the last page
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-2", cases=[make_case(2)])), {})
    assert calls == ["give back"]
    apply_pulled_page(cache_conn, wire.check_page(make_page(cursor="c-3", cases=[make_case(3)])), {})
    assert calls == ["give back"]  # a later sync builds nothing
