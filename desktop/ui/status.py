"""The main window's status bar and offline banner: online or not, the last sync, the changes
waiting, and a running sync's progress. Counts are read off the GUI thread (the desk's reader)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer

from desktop import errors
from desktop.cache import queries
from desktop.i18n import translate
from desktop.timefmt import parse_time
from desktop.ui.main_window import MainWindow
from desktop.ui.sync_bridge import SyncBridge

STATUS_INTERVAL_MS = 30_000  # 'waiting since' and the online flag, between sync events


class StatusPresenter(QObject):
    """Feeds one main window's status from the session, the engine and the cache."""

    def __init__(
        self,
        window: MainWindow,
        bridge: SyncBridge,
        session: Any,
        workspace: Callable[[], Any],
        read: Callable[..., None],
        last_sync_at: str | None,
    ) -> None:
        super().__init__(window)  # goes with its window, and so do its connections to the bridge
        self.window, self._session, self._workspace, self._read = window, session, workspace, read
        self.last_sync_at: dt.datetime | None = parse_time(last_sync_at)  # as the status bar shows it
        self._connection_shown: tuple[bool, Any] = (False, "")  # online, and why not (the latest update)
        self._fetched = 0  # objects the running sync has put in the cache so far
        self.reachable_again = False  # started offline, and the service answers again (the desk's probe)
        self.resume_refusal: errors.ClientError | None = None  # why it did not go online by itself
        self._retired = False
        self.timer = QTimer(self)
        self.timer.setInterval(STATUS_INTERVAL_MS)
        self.timer.timeout.connect(self.update)
        self._connections = [
            (bridge.started, self.sync_started),
            (bridge.page, self.sync_page),
            (bridge.finished, self.sync_finished),
            (bridge.failed, self.sync_failed),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)

    def stop(self) -> None:
        """No more updates (locked, or the desk closed)."""
        self.timer.stop()

    def disconnect_sync(self) -> None:
        """Retired with its window: a read still on its way shows nothing."""
        self._retired = True
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def online(self) -> bool:
        """Signed in online, and the live sync (when it runs) reaches the service."""
        workspace = self._workspace()
        engine = workspace.engine if workspace is not None else None
        return bool(self._session.online and (engine is None or engine.online or not engine.live))

    def update(self, offline_reason: Any = None) -> None:
        """The connection at once; the time of the last sync and the waiting changes when read."""
        # the error itself, not its sentence: the banner says it again after a language switch
        detail = offline_reason.message if isinstance(offline_reason, errors.ClientError) else ""
        online = self.online()
        if not online and self.reachable_again and not self._session.online:
            # What is true now: changes are sent only after logging in again, and why.
            refusal = self.resume_refusal
            detail = (
                refusal.message
                if refusal is not None
                else lambda: translate(
                    "DesktopApp",
                    "De dienst is weer bereikbaar: kies Nu synchroniseren (F5) en "  # noqa: E731
                    "voer uw wachtwoord in om uw wijzigingen te versturen.",
                )
            )
        self._connection_shown = (online, detail)
        self.window.set_online(online, self.last_sync_at, detail)
        self._read(queries.status_summary, self._show)

    def _heard(self) -> dt.datetime | None:
        """The live feed's latest answer: a quiet feed writes nothing, yet the cache is that fresh."""
        workspace = self._workspace()
        engine = workspace.engine if workspace is not None else None
        return getattr(engine, "last_heard_at", None) if engine is not None and engine.online else None

    def _show(self, summary: queries.StatusSummary) -> None:
        if self._retired:
            return
        last_sync = max(filter(None, (parse_time(summary.last_sync_at), self._heard())), default=None)
        if last_sync != self.last_sync_at:
            self.last_sync_at = last_sync
            online, detail = self._connection_shown
            self.window.set_online(online, last_sync, detail)
        self.window.status.set_pending(summary.waiting, summary.unprocessed)

    def sync_started(self) -> None:
        self._fetched = 0
        self.window.status.set_progress(0, None)

    def sync_page(self, n: int, counts: dict) -> None:
        """A page is in the cache: count it. The lists are read again when the sync ends (a live
        change is a sync of its own, so it shows at once): a table painted while a 20,000-case
        sync keeps the other threads busy waits for the interpreter lock on every cell (~100 ms)."""
        self._fetched += counts.get("upserted", 0)
        if n > 1:  # a one-page sync (a live change) ends before it could be read
            self.window.status.show_fetched(self._fetched)

    def sync_finished(self, outcome: Any = None) -> None:
        self.sync_ended(outcome)
        self.window.status.sync_done(True)

    def sync_failed(self, error: Any = None) -> None:
        self.sync_ended(error)
        self.window.status.sync_done(False)

    def sync_ended(self, outcome: Any = None) -> None:
        self.window.status.hide_progress()
