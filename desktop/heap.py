"""The process's C heap on Linux (glibc): fewer arenas, and free memory given back (issue 19).

Python's own small-object allocator returns its arenas; larger blocks (page buffers of the
cache, the sorts that build a first sync's indexes, the JSON of a page) come from glibc's
malloc, which keeps freed memory for reuse. Two things make that costly for an app that syncs
100,000 cases on a laptop:
- each thread that allocates gets an arena of its own (up to 8 per core), and memory freed in
  one arena is not reused by another thread: `limit_arenas` caps them, before the threads start;
- a first sync's index builds sort every case in memory (temp_store = MEMORY: a sort spilled to
  disk would be plain text) and free ~50 MiB at once, which glibc keeps while the lists are read
  on top: `give_back` returns the free pages to the system (`malloc_trim`).
Elsewhere (Windows, macOS, musl) both do nothing: their allocators behave otherwise.
"""

from __future__ import annotations

import ctypes
import functools
import sys

M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library the process already runs on, if it is glibc (no search: find_library runs ldconfig)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(None)
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def limit_arenas(count: int = 2) -> bool:
    """At most `count` malloc arenas for the process; call before the threads start."""
    libc = _glibc()
    return bool(libc is not None and libc.mallopt(M_ARENA_MAX, count))


def give_back() -> bool:
    """Return the heap's free pages to the system (a few ms; after a burst of freed memory)."""
    libc = _glibc()
    return bool(libc is not None and libc.malloc_trim(0))
