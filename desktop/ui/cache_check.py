"""The cache's full damage check, started in the background once the My Cases list is shown.

The session decides whether it is due (desktop.cache.health: a day after the last one; after an
unclean exit the login itself checks) and runs it on its own low-priority thread; damage found is said here, on the GUI
thread, with the sentence that asks for a new login (which then moves the cache aside).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desktop import errors
from desktop.ui.failures import show_failure


class CacheCheck(QObject):
    damage_found = Signal()  # emitted on the check's thread, delivered queued on the GUI thread

    def __init__(self, session: Any, desk: Any) -> None:
        super().__init__(desk)
        self._session, self._desk = session, desk
        self.damage_found.connect(self._say, Qt.ConnectionType.QueuedConnection)
        if session.cache_check_due:
            # After the whole list is applied: the check never competes with the list's read.
            desk.pages.my_cases_model.loaded.connect(self._start, Qt.ConnectionType.SingleShotConnection)

    def _start(self) -> None:
        if self._session.unlocked:
            self._session.start_cache_check(self.damage_found.emit)

    def _say(self) -> None:
        show_failure(self._desk.window, errors.CacheDamagedInUse())
