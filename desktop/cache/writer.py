"""The cache lane: one thread that owns the cache's only writer connection.

Every write to the cache (a feed page, push results, the user's own edits through
`desktop.actions`) is a function run there, in order, so writes never interleave and a long sync
never blocks a read (WAL). The sync engine and the user's actions share one writer per profile.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future
from typing import Any, Callable


class CacheWriter:
    """One thread that owns the cache's only writer connection and runs work on it in order.

    `connect` is called on that thread (SQLite connections belong to the thread that made them).
    """

    def __init__(self, connect: Callable[[], Any], name: str = "cache-writer") -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        # A job queued after close()'s end mark would wait forever: the check and the put are one step.
        self._closing = threading.Lock()
        self._closed = False
        self._ready: Future = Future()
        self._thread = threading.Thread(target=self._run, args=(connect,), name=name, daemon=True)
        self._thread.start()
        self._ready.result()  # a key or file problem surfaces here, in the caller

    def _run(self, connect: Callable[[], Any]) -> None:
        try:
            conn = connect()
        except BaseException as exc:  # handed to the constructor's caller
            self._ready.set_exception(exc)
            return
        self._ready.set_result(None)
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    break
                future, fn, args = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    future.set_result(fn(conn, *args))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            conn.close()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run `fn(conn, *args)` on the writer thread; its result or exception in the future."""
        future: Future = Future()
        with self._closing:
            if self._closed or not self._thread.is_alive():
                raise RuntimeError("the cache writer is closed")
            self._jobs.put((future, fn, args))
        return future

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """`submit` and wait. Never call this from the writer thread itself."""
        return self.submit(fn, *args).result()

    def close(self) -> None:
        """Finish the queued work, then close the connection. Idempotent."""
        with self._closing:
            if not self._closed:
                self._closed = True
                self._jobs.put(None)
        self._thread.join()
