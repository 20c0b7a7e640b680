"""The garbage collector's full passes paused while a pull runs (issue 19).

A first sync parses ~60 MB of pages into short-lived objects with no reference cycles (freed by
their counts); a full pass over the heap in the middle of it (every ~6 pages at 20,000 cases)
held the interpreter lock 65-80 ms, inside the page's orjson parse: the parse budget read that
as a slow parse and shrank the next pages to ~100 objects (twice the requests). The young
generations still run, so HTTP objects' cycles are still freed.

Counted: the engine's pull and the GUI's SyncBridge (which pauses from a sync's start to its
end) nest, on any thread; the thresholds come back when the last one resumes.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from typing import Iterator

OUT_OF_REACH = 1_000_000  # the oldest generation's threshold while paused

_lock = threading.Lock()
_holders = 0
_saved: tuple[int, ...] = gc.get_threshold()


def pause() -> None:
    """No full collection until the matching `resume`."""
    global _holders, _saved
    with _lock:
        if _holders == 0:
            _saved = gc.get_threshold()
            young, middle = _saved[0], _saved[1]
            gc.set_threshold(young, middle, OUT_OF_REACH)
        _holders += 1


def resume() -> None:
    global _holders
    with _lock:
        if _holders == 0:
            return  # nothing paused: a resume without its pause changes nothing
        _holders -= 1
        if _holders == 0:
            gc.set_threshold(*_saved)


@contextlib.contextmanager
def full_collections_paused() -> Iterator[None]:
    pause()
    try:
        yield
    finally:
        resume()
