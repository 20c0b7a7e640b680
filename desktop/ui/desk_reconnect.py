"""A desk that started offline (no session with the service) asks the service again, now and then;
when it answers, the banner says so and Synchroniseren asks for the password to log in online
(`desk_lock.unlock`). Its own part: a timer and a probe that the rest of the desk never waits on."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from desktop.i18n import translate
from desktop.sync.engine import RECONNECT_PROBE_SECONDS, RECONNECT_SPREAD_SECONDS
from desktop.ui.ops import account

if TYPE_CHECKING:  # for the annotations only: desk.py imports this module
    from desktop.ui.desk import Desk


class Reconnect(QObject):
    """The probe of a desk without a session, and the way back online (the password again)."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.desk = desk
        self.relogin_due = False  # the next unlock logs in online (`desk_lock.unlock`)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._probe)

    def soon(self) -> None:
        """While the session has no connection, ask the service again within 2.5 s + up to 2 s."""
        desk = self.desk
        if desk._closed or desk.session.online or desk.status.reachable_again:
            return
        self.timer.start(int(1000 * (RECONNECT_PROBE_SECONDS + random.random() * RECONNECT_SPREAD_SECONDS)))

    def _probe(self) -> None:
        desk = self.desk

        def answered(unreachable: Any) -> None:
            if desk._closed or desk.session.online:
                return
            if unreachable is None:
                desk.status.reachable_again = True
                desk.update_status()
            else:
                self.soon()

        account.probe(desk.session).success(answered).failure(lambda exc: self.soon()).run_in(desk.runner)

    def diagnosed(self, reachable: bool) -> None:
        """The banner and the diagnosis never disagree: the live sync tries again at once (online
        or offline, it then says what it found); a desk that started offline hears the service is back."""
        desk = self.desk
        if desk._closed or desk.workspace is None:
            return
        if desk.workspace.engine.live:
            desk.workspace.engine.nudge()
        elif reachable and not desk.session.online:
            self.timer.stop()
            desk.status.reachable_again = True
            desk.update_status()

    def go_online(self) -> None:
        """The password again (the overlay), then an online login under a new workspace."""
        self.relogin_due = True
        overlay = self.desk.autolock.overlay
        self.desk.autolock.lock()
        overlay.error.set_text(
            lambda: translate(
                "DesktopApp", "De dienst is weer bereikbaar. Voer uw wachtwoord in om verbinding te maken."
            )
        )
        overlay.error.show()

    def restart(self) -> None:
        """Unlocked under a new workspace: nothing known about the service yet."""
        self.relogin_due = False
        self.desk.status.reachable_again = False
        self.soon()
