"""The views' reads of the cache: their own connection, used only on the READ lane's thread.

My Cases at 20,000 cases takes ~80 ms to read, several times that while a sync writes and holds
the interpreter: run on the GUI thread, that froze the window for a quarter of a second after
sync pages. Here every list query runs on the READ lane and its answer comes back to the GUI
thread as an operation result (desktop.ui.operations), so the window keeps painting.
"""

from __future__ import annotations

from typing import Any, Callable

from desktop.ui.operations import Lane, OperationRunner


class ViewReader:
    """`read(query, deliver)`: `query(connection)` on the READ lane, `deliver(result)` on the GUI thread."""

    def __init__(self, runner: OperationRunner, connect: Callable[..., Any]) -> None:
        self._runner = runner
        # One connection for one thread (the lane is serial), opened here: a raw key, no KDF.
        self._conn: Any = connect(check_same_thread=False)

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def read(self, query: Callable[[Any], Any], deliver: Callable[[Any], None]) -> None:
        conn = self._conn
        if conn is None:
            return  # locked or closed: there is nothing to show until the cache opens again
        self._runner.submit(lambda token: query(conn), lane=Lane.READ, on_success=deliver, label="view read")

    def close(self) -> None:
        """Close the connection after the read in progress (if any); answers still on their way are dropped."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        self._runner.cancel_lane(Lane.READ)
        if self._runner.accepting:
            self._runner.submit(lambda token: conn.close(), lane=Lane.READ, label="close view reader")
        else:
            conn.close()  # the runner has stopped its workers: no read can be running
