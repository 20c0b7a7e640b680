"""An idle app sleeps: the text cursor stops blinking a while after the last input (as GNOME's
cursor-blink-timeout does) and blinks again at the next key or click.

A focused line edit blinks twice a second for as long as the window is active: two wake-ups and
two repaints a second on a laptop that only waits for the long-poll (issue 19: idle_wakeups_per_s).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication

from desktop.ui.app_events import app_events

BLINK_SECONDS = 5  # then the cursor stays on (WCAG 2.2.2: no blinking past 5 s without a way to stop it)
INPUT = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.InputMethod,
    QEvent.Type.TouchBegin,
    QEvent.Type.FocusIn,
}


class BlinkTimeout(QObject):
    """Turns the cursor's blinking off `BLINK_SECONDS` after the last input, on again at the next."""

    def __init__(self, app: QGuiApplication, seconds: float = BLINK_SECONDS) -> None:
        super().__init__(app)
        self._hints = app.styleHints()
        self._flash_ms = self._hints.cursorFlashTime()  # the platform's own setting
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self._stop_blinking)
        app_events(app).subscribe(INPUT, self._input, owner=self)
        self._timer.start()

    def _input(self, _watched: QObject, _event: QEvent) -> None:
        if self._hints.cursorFlashTime() != self._flash_ms:
            self._hints.setCursorFlashTime(self._flash_ms)
        self._timer.start()

    def _stop_blinking(self) -> None:
        self._hints.setCursorFlashTime(0)

    def blinking(self) -> bool:
        return self._hints.cursorFlashTime() != 0
