"""The application's one event filter (issue 19): the idle watcher, the cursor's blink timeout and
the dialog fitter cost one Python call per event of the application together, not one each."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel

from desktop.ui import scaling
from desktop.ui.app_events import app_events
from desktop.ui.autolock import IdleWatcher
from desktop.ui.quiet import BlinkTimeout


def _python_filter_calls(receiver: QObject, event: QEvent) -> int:
    """How many of our `eventFilter`s Python ran for one event sent to `receiver`."""
    calls = []

    def profile(frame, what, _arg):
        code = frame.f_code
        if what == "call" and code.co_name == "eventFilter" and "/desktop/" in code.co_filename:
            calls.append(code.co_filename)

    sys.setprofile(profile)
    try:
        QCoreApplication.sendEvent(receiver, event)
    finally:
        sys.setprofile(None)
    return len(calls)


def test_every_event_costs_one_python_filter_call_for_all_app_wide_watchers(qtbot):
    app = QApplication.instance()
    hints, flash = app.styleHints(), app.styleHints().cursorFlashTime()
    scaling.install(app)
    watcher, blink = IdleWatcher(15), BlinkTimeout(app)
    label = QLabel("x")
    qtbot.addWidget(label)
    try:
        assert _python_filter_calls(label, QEvent(QEvent.Type.User)) == 1  # three filters were three calls
        watcher.timer.setTimerType(Qt.TimerType.PreciseTimer)  # remainingTime to the millisecond
        watcher.timer.start(60_000)
        qtbot.wait(50)
        before = watcher.timer.remainingTime()
        QCoreApplication.sendEvent(
            label, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
        )
        assert watcher.timer.remainingTime() > before  # the key restarted the idle timer
    finally:
        watcher.stop()
        watcher.deleteLater()
        blink.deleteLater()
        hints.setCursorFlashTime(flash)


def test_a_handler_sees_only_its_types_and_goes_with_its_owner(qtbot):
    seen: list[QEvent.Type] = []
    owner = QObject()
    app_events().subscribe({QEvent.Type.KeyPress}, lambda _w, event: seen.append(event.type()), owner=owner)
    label = QLabel("x")
    qtbot.addWidget(label)
    key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    QCoreApplication.sendEvent(label, QEvent(QEvent.Type.User))
    QCoreApplication.sendEvent(label, key)
    assert seen == [QEvent.Type.KeyPress]
    with qtbot.waitSignal(owner.destroyed):
        owner.deleteLater()
    QCoreApplication.sendEvent(label, key)
    assert seen == [QEvent.Type.KeyPress]  # the owner is gone: so is its handler
