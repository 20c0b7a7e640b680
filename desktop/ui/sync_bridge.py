"""The one channel from the sync engine to the windows (as Nextcloud's `ProgressDispatcher`).

The engine calls its `SyncProgress` on its own threads; here those calls become signals, delivered
queued on the GUI thread. Beside them: the collector's full passes paused while a sync runs, and
the tray message when a sync brought new tasks to the user's team queues.
"""

from __future__ import annotations

import gc
from typing import Any, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.i18n import translate
from desktop.sync import collector
from desktop.ui import theme

_freeze_due = False  # freeze what lives at the end of the next full collection
_paused = False  # this bridge's own hold on the collector's pause (the engine's pull holds another)


def pause_full_collections(paused: bool) -> None:
    """While paused, no full pass runs (counted with the engine's own pause: they nest)."""
    global _paused
    if paused != _paused:
        _paused = paused
        if paused:
            collector.pause()
        else:
            collector.resume()


def freeze_after_next_full_collection() -> None:
    """What lives now and stays (a list just read) is kept out of later full collections: a full
    pass walked every element of a 100,000-case list, 20–45 ms holding the interpreter lock each
    time. Frozen at the end of the next full pass, not now: then no garbage of the oldest
    generation is frozen with it (it would never be freed)."""
    global _freeze_due
    if _on_collection not in gc.callbacks:
        gc.callbacks.append(_on_collection)  # stays: removing it while the collector calls its callbacks skips one
    _freeze_due = True


def _on_collection(phase: str, info: dict) -> None:
    global _freeze_due
    if _freeze_due and phase == "stop" and info["generation"] == 2:
        _freeze_due = False
        gc.freeze()


class SyncBridge(QObject):
    """The engine's `SyncProgress` as signals, and what belongs to a sync rather than to a window."""

    started = Signal()
    page = Signal(int, dict)
    finished = Signal(object)
    failed = Signal(object)
    tray_clicked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None
        self._known_queue: set[str] | None = None  # queue task ids already seen (first sync: none are new)
        # A first sync parses ~60 MB of pages on worker threads; the collector's full passes over
        # them held the interpreter lock 40–80 ms each (the window froze). Until the sync ends only
        # the young generations are collected (they free the HTTP objects' reference cycles).
        self.started.connect(self._pause)
        self.finished.connect(self._resume)
        self.failed.connect(self._resume)

    def _pause(self) -> None:
        pause_full_collections(True)

    def _resume(self, outcome: Any = None) -> None:
        pause_full_collections(False)

    def as_progress(self) -> Any:
        bridge = self

        class _Progress:
            # The engine calls these from its own threads; emitting is thread-safe and the
            # receivers live in the GUI thread, so delivery is queued.
            def started(self) -> None:
                bridge.started.emit()

            def page(self, n: int, counts: dict[str, int]) -> None:
                bridge.page.emit(n, dict(counts))

            def finished(self, result: Any) -> None:
                bridge.finished.emit(result)

            def failed(self, error: BaseException) -> None:
                bridge.failed.emit(error)

        return _Progress()

    def stopped(self) -> None:
        """A sync that was stopped (lock, log out, quit) never says it ended."""
        self._resume()

    def notify_new_queue_tasks(self, queued: Iterable[str], allowed: bool) -> None:
        """A tray message for tasks new in the team queues since the last sync's read.

        Counts only, never a name: the message may show on a screen others can see.
        """
        queued = set(queued)
        new = queued - self._known_queue if self._known_queue is not None else set()
        self._known_queue = queued
        if not new or not allowed or not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(theme.app_icon(), self)
            self.tray.setToolTip(translate("DesktopApp", "MensCentraal Mobiel"))
            self.tray.messageClicked.connect(self.tray_clicked)
            self.tray.show()
        text = translate("DesktopApp", "Er staan %n nieuwe taken in uw werkbakken.", len(new))
        self.tray.showMessage(translate("DesktopApp", "Werkbak"), text, theme.app_icon())

    def hide_tray(self) -> None:
        if self.tray is not None:
            self.tray.hide()
