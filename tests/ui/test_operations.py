"""Operation objects: off the GUI thread, two lanes, queued delivery, silent cancel, shutdown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.ui.operations import Cancelled, Lane, Operation, OperationRunner


def test_work_runs_off_gui_thread_and_result_arrives_on_it(qtbot, runner):
    seen = {}

    def work(token):
        seen["worker"] = QThread.currentThread()
        return 42

    def on_success(result):
        seen["callback"] = QThread.currentThread()
        seen["result"] = result

    op = Operation(work, lane=Lane.NETWORK, on_success=on_success)
    with qtbot.waitSignal(op.finished, timeout=5000):
        runner.run(op)
    gui = QApplication.instance().thread()
    assert seen["result"] == 42
    assert seen["callback"] is gui
    assert seen["worker"] is not gui


def test_failure_goes_to_failure_callback(qtbot, runner):
    failures = []

    def work(token):
        raise ValueError("boom")

    op = Operation(work, lane=Lane.CACHE, on_failure=failures.append, on_success=lambda r: pytest.fail("no success"))
    with qtbot.waitSignal(op.finished, timeout=5000):
        runner.run(op)
    assert len(failures) == 1 and isinstance(failures[0], ValueError)


def test_bug_without_handler_shows_copyable_report_without_the_message(qtbot, runner):
    parent = QWidget()
    qtbot.addWidget(parent)

    def work(token):
        raise RuntimeError("Jansen 123456782")  # stands for personal data in an error message

    op = Operation(work, lane=Lane.NETWORK, parent_widget=parent)
    with qtbot.waitSignal(op.finished, timeout=5000):
        runner.run(op)
    box = parent.findChild(QMessageBox, "failureMessage")
    assert box is not None and box.isVisible()
    assert "RuntimeError" in box.detailedText()
    assert "Jansen" not in box.detailedText() and "123456782" not in box.detailedText()
    assert "Jansen" not in box.text()
    copy = next(b for b in box.buttons() if b.text() == "Details kopiëren")
    copy.click()
    assert QApplication.clipboard().text() == box.detailedText()
    assert box.isVisible()  # copying keeps the report open
    box.close()


def test_cancel_is_silent(qtbot, runner):
    release = threading.Event()
    called = []

    def work(token):
        release.wait(5)
        return "late"

    op = Operation(work, lane=Lane.NETWORK, on_success=called.append, on_failure=called.append)
    runner.run(op)
    op.cancel()
    with qtbot.waitSignal(op.finished, timeout=5000):
        release.set()
    assert called == []
    assert op.is_cancelled


def test_cancelled_exception_from_work_is_silent(qtbot, runner):
    called = []

    def work(token):
        token.cancel()
        token.raise_if_cancelled()

    op = Operation(work, lane=Lane.CACHE, on_success=called.append, on_failure=called.append)
    with qtbot.waitSignal(op.finished, timeout=5000):
        runner.run(op)
    assert called == []


def test_long_network_work_does_not_block_the_cache_lane(qtbot, runner):
    release = threading.Event()
    network = runner.submit(lambda token: release.wait(10), lane=Lane.NETWORK)
    cache = Operation(lambda token: "written", lane=Lane.CACHE)
    with qtbot.waitSignal(cache.succeeded, timeout=5000) as blocker:
        runner.run(cache)
    assert blocker.args == ["written"]
    assert not network.is_done
    with qtbot.waitSignal(network.finished, timeout=5000):
        release.set()


def test_cache_lane_is_serial(qtbot, runner):
    lock = threading.Lock()
    overlaps = []
    active = [0]

    def work(token):
        with lock:
            active[0] += 1
            overlaps.append(active[0])
        threading.Event().wait(0.01)  # hold the lane briefly so an overlap would show
        with lock:
            active[0] -= 1

    ops = [Operation(work, lane=Lane.CACHE) for _ in range(5)]
    for op in ops:
        runner.run(op)
    qtbot.waitUntil(lambda: all(op.is_done for op in ops), timeout=5000)
    assert max(overlaps) == 1


def test_shutdown_cancels_waits_and_is_idempotent(qtbot):
    runner = OperationRunner()
    started = threading.Event()
    stopped = threading.Event()
    called = []

    def work(token):
        started.set()
        while not token.cancelled:
            token._event.wait(0.01)
        stopped.set()
        raise Cancelled()

    runner.submit(work, lane=Lane.NETWORK, on_success=called.append, on_failure=called.append)
    assert started.wait(5)
    assert runner.shutdown(timeout_ms=5000)
    assert stopped.is_set()  # the worker finished before shutdown returned
    assert runner.shutdown(timeout_ms=100)  # second call: nothing left, no error
    late = runner.submit(lambda token: called.append("ran"), lane=Lane.CACHE)
    assert late.is_cancelled
    assert called == []


def test_expected_error_without_handler_shows_its_sentence(qtbot, runner):
    from desktop.errors import NeedsConnection

    parent = QWidget()
    qtbot.addWidget(parent)

    def work(token):
        raise NeedsConnection()

    op = Operation(work, lane=Lane.NETWORK, parent_widget=parent)
    with qtbot.waitSignal(op.finished, timeout=5000):
        runner.run(op)
    box = parent.findChild(QMessageBox, "failureMessage")
    assert box.text() == NeedsConnection().message()
    assert box.detailedText() == ""
    box.close()


def test_emitting_signals_keeps_python_alive():
    """PySide6 6.12.0's Signal.emit() dropped a reference to True on every call: after some thousands
    of signals (operations, sync progress) the interpreter aborted with "deallocating True"."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        ping = Signal(str, object)

    emitter = Emitter()
    received = [0]  # a count: a list of the values would hold references itself
    emitter.ping.connect(lambda text, value: received.__setitem__(0, received[0] + 1))
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(1000):
        emitter.ping.emit("x", None)
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert received == [1000]
    assert abs(after[0] - before[0]) < 10 and abs(after[1] - before[1]) < 10, (before, after)
