"""When the cache's damage checks run: on the login path only when the file changed outside us.

The full checks (`db.check_cache(quick=True)`: quick_check and every page's HMAC) read and decrypt
the whole file: ~5 s at 20,000 cases and ~26 s at 100,000 from a cold disk. So a login runs them
only when the file is not the one this program closed cleanly: after an unclean exit (a crash, a
power cut: no stamp), when the stamp below differs (written by something else, or restored), when
there is no state at all, or when damage was found or met since. Otherwise they run in the
background after the list is shown (`BackgroundCheck`: its own connection, a low-priority thread)
once the last clean check is older than a day; damage found there is told to the user and the
next login runs the recovery (docs/ARCHITECTURE.md "Disk faults and damage"). Between checks
SQLCipher still refuses any page whose HMAC fails on read.

The state (`cache-check.json`, beside the cache) holds no personal data: times, a size, an inode.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

from desktop.cache import db
from desktop.cache.errors import CacheCorrupt

STATE_NAME = "cache-check.json"
CHECK_EVERY_S = 24 * 3600  # a clean file is checked in the background at most once a day


@dataclass
class CheckState:
    checked_at: float = 0.0  # wall time of the last check that passed (0: never)
    damage: bool = False  # found by a check or met while open: the next login checks
    closed: list[int] | None = None  # [size, mtime_ns, inode] at our last clean close; None: open


def state_path(cache_path: Path) -> Path:
    return cache_path.with_name(STATE_NAME)


def read_state(cache_path: Path) -> CheckState | None:
    """None when there is none or it does not read: a file we know nothing about."""
    try:
        raw = json.loads(state_path(cache_path).read_text(encoding="utf-8"))
        closed = raw.get("closed")
        return CheckState(
            checked_at=float(raw.get("checked_at", 0.0)),
            damage=bool(raw.get("damage", False)),
            closed=[int(v) for v in closed] if isinstance(closed, list) and len(closed) == 3 else None,
        )
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def encode_state(state: CheckState) -> bytes:
    """What `state_path` holds; written atomically and privately by the session (Profile.write_private)."""
    return json.dumps(asdict(state)).encode("utf-8")


def _stat(cache_path: Path) -> list[int] | None:
    try:
        st = os.stat(cache_path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def stamp_closed(cache_path: Path) -> list[int] | None:
    """After the last connection closed: give the file a modification time of our own (a second
    back, random nanoseconds), so any later write (whose time is "now") changes it, even within the
    file system's clock tick; returns the stamp to keep."""
    try:
        st = os.stat(cache_path)
        mark = time.time_ns() - 1_000_000_000 - secrets.randbelow(1_000_000)
        os.utime(cache_path, ns=(st.st_atime_ns, mark))
    except OSError:
        return None
    return _stat(cache_path)


def login_check_needed(cache_path: Path, state: CheckState | None) -> bool:
    """True when the login must run the full check before using the file: no state (a cache made
    by an older version or elsewhere), damage found or met, an unclean exit (no stamp: what a crash
    or a power cut left, or what was damaged after it, is checked before use and recovered at once),
    or a file changed since our clean close."""
    if state is None or state.damage or state.closed is None:
        return True
    return _stat(cache_path) != state.closed


def background_check_due(state: CheckState, now: float) -> bool:
    """When the last check passed more than a day ago (or the clock went back past it)."""
    return not (0 <= now - state.checked_at < CHECK_EVERY_S)


class BackgroundCheck:
    """The full check on its own connection and thread, at the lowest CPU priority.

    `on_done(ok)` is called on that thread: True (healthy), False (damage); not at all when it was
    stopped or the disk failed (the next due check tries again)."""

    def __init__(self, cache_path: Path, key: bytes, on_done: Callable[[bool], None]) -> None:
        self._path, self._key, self._on_done = cache_path, bytes(key), on_done
        self._conn: db.Connection | None = None
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="cache-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Interrupt the running PRAGMA and wait for the thread (it ends at the next page)."""
        self._stopped.set()
        with self._lock:
            if self._conn is not None:
                self._conn.interrupt()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)  # this thread only (Linux)
        except (AttributeError, OSError):
            pass
        try:
            with self._lock:
                if self._stopped.is_set():
                    return
                self._conn = db.open_cache(self._path, self._key, migrate=False, check_same_thread=False)
                self._conn.execute("PRAGMA cache_size = -2048")  # each page is read once: 2 MiB, not 16
            try:
                db.check_cache(self._conn, quick=True)
                ok = True
            except CacheCorrupt:
                ok = False
        except (db.DatabaseError, OSError, db.CacheError):
            return  # interrupted, or a disk fault: no verdict
        finally:
            with self._lock:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
        if not self._stopped.is_set():
            self._on_done(ok)
