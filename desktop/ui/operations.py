"""Slow work off the GUI thread: operation objects on two lanes.

Every slow action (network, key derivation, bulk cache work) is an `Operation`: a plain callable
run on a worker thread, whose result or failure comes back to the GUI thread by a queued signal
(the operation object lives in the GUI thread; the worker only emits). Three lanes, one thread
each: a serial lane for the cache writer, one for the network, so a long sync never blocks a
quick cache write, and one for the views' list reads. Cancelling is silent: a cancelled operation calls no callback at all.
"""

from __future__ import annotations

import enum
import threading
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.ui.failures import show_failure


class Lane(enum.Enum):
    CACHE = "cache"  # the single cache writer: serial, so writes never interleave
    NETWORK = "network"  # requests to the service; never held up by cache work
    READ = "read"  # the views' list queries (desktop.ui.view_reader), on their own connection


class Cancelled(Exception):
    """Raised by `CancelToken.raise_if_cancelled`; ends an operation silently."""


class CancelToken:
    """Handed to the work callable so long loops can stop early."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class Operation(QObject):
    """One piece of slow work with a success and a failure callback.

    `work` receives a `CancelToken`. `on_success(result)` and `on_failure(exc)` run on the GUI
    thread; without `on_failure` the failure is shown to the user as one sentence (or as a bug
    report for unexpected errors) over `parent_widget`.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()  # after success or failure, and after a cancel once the worker stopped

    _delivered = Signal(str, object)  # worker → GUI thread (queued: the receiver lives here)

    def __init__(
        self,
        work: Callable[[CancelToken], Any],
        *,
        lane: Lane,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None = None,
        parent_widget=None,
        label: str = "",
    ) -> None:
        super().__init__()
        self.lane = lane
        self.label = label  # for diagnostics only; never personal data
        self.token = CancelToken()
        self._work = work
        self._on_success = on_success
        self._on_failure = on_failure
        self._parent_widget = parent_widget
        self._done = False
        self._delivered.connect(self._deliver)

    @property
    def is_cancelled(self) -> bool:
        return self.token.cancelled

    @property
    def is_done(self) -> bool:
        return self._done

    def success(self, on_success: Callable[[Any], None]) -> Operation:
        """What to do with the result (on the GUI thread); returns the operation, to chain."""
        self._on_success = on_success
        return self

    def failure(self, on_failure: Callable[[BaseException], None]) -> Operation:
        """Instead of showing the failure to the user; returns the operation, to chain."""
        self._on_failure = on_failure
        return self

    def run_in(self, runner: OperationRunner) -> Operation:
        return runner.run(self)

    def cancel(self) -> None:
        """Stop caring about the result; the worker stops at its next check."""
        self.token.cancel()

    # Runs on the worker thread: touch nothing but the token and the signal.
    def _run(self) -> None:
        if self.token.cancelled:
            self._delivered.emit("cancelled", None)
            return
        try:
            result = self._work(self.token)
        except Cancelled:
            self._delivered.emit("cancelled", None)
        except BaseException as exc:  # noqa: BLE001 - every failure goes to the GUI thread
            self._delivered.emit("failed", exc)
        else:
            self._delivered.emit("succeeded", result)

    @Slot(str, object)
    def _deliver(self, outcome: str, value: object) -> None:
        self._done = True
        try:
            if outcome == "cancelled" or self.token.cancelled:
                return
            if outcome == "succeeded":
                self.succeeded.emit(value)
                if self._on_success is not None:
                    self._on_success(value)
            else:
                self.failed.emit(value)
                if self._on_failure is not None:
                    self._on_failure(value)
                else:
                    show_failure(self._parent_widget, value)
        finally:
            self.finished.emit()


class _Runnable(QRunnable):
    """Runs one operation on a pool thread. Python owns it (no auto-delete): the runner keeps it
    until the lane has moved past it, so no wrapper is collected under a running worker."""

    def __init__(self, operation: Operation) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.operation = operation

    def run(self) -> None:
        self.operation._run()


class OperationRunner(QObject):
    """Owns the two lanes and every operation until it finished; shuts down in order."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[Lane, QThreadPool] = {}
        for lane in Lane:
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
            pool.setObjectName(f"lane-{lane.value}")
            self._pools[lane] = pool
        self._running: set[Operation] = set()
        self._runnables: dict[Lane, list[_Runnable]] = {lane: [] for lane in Lane}
        self._closed = False

    def run(self, operation: Operation) -> Operation:
        """Start `operation` on its lane. After shutdown it is cancelled at once."""
        if self._closed:
            operation.cancel()
            return operation
        self._running.add(operation)
        operation.finished.connect(lambda op=operation: self._forget(op))
        was_idle = len(self._running) == 1
        self._pools[operation.lane].start(self._keep(operation))
        if was_idle:
            self.busy_changed.emit(True)
        return operation

    def _keep(self, operation: Operation) -> _Runnable:
        """A runnable for `operation`, kept alive; finished ones are let go, except the last one
        finished on the lane, whose worker may still be returning from `run()` (one thread a lane)."""
        kept = self._runnables[operation.lane]
        finished = [r for r in kept if r.operation.is_done]
        for runnable in finished[:-1]:
            kept.remove(runnable)
        runnable = _Runnable(operation)
        kept.append(runnable)
        return runnable

    def submit(self, work: Callable[[CancelToken], Any], *, lane: Lane, **kwargs) -> Operation:
        """Shorthand: build an `Operation` and run it."""
        return self.run(Operation(work, lane=lane, **kwargs))

    def _forget(self, operation: Operation) -> None:
        self._running.discard(operation)
        # After shutdown a cancelled operation's delivery may still arrive, when the runner's
        # owner (and so the runner) may already be gone: nobody listens for "idle" any more.
        if not self._running and not self._closed:
            self.busy_changed.emit(False)

    @property
    def pending(self) -> int:
        return len(self._running)

    @property
    def accepting(self) -> bool:
        """False after shutdown: new operations are cancelled at once."""
        return not self._closed

    def cancel_lane(self, lane: Lane) -> None:
        """Stop caring about the operations of one lane (silently, as every cancel)."""
        for operation in list(self._running):
            if operation.lane is lane:
                operation.cancel()

    def cancel_all(self) -> None:
        for operation in list(self._running):
            operation.cancel()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Refuse new work, cancel what runs, wait for the workers. Safe to call twice.

        Returns whether every worker stopped in time.
        """
        self._closed = True
        self.cancel_all()
        stopped = True
        for pool in self._pools.values():
            pool.clear()  # queued but not yet started: never run
            stopped = pool.waitForDone(timeout_ms) and stopped
        self._running.clear()
        if stopped:
            for kept in self._runnables.values():
                kept.clear()
        return stopped
