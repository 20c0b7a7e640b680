"""A desk that started offline (no session with the service) asks the service again, now and then;
when it answers, the desk goes online by itself with the resume token of its last online login
(`Session.resume`: no password, no dialog) and its live sync sends what waited. Refused (expired,
ended, a new password) the banner says why and Synchroniseren asks for the password to log in
online (`desk_lock.unlock`). Its own part: a timer and a probe that the rest of the desk never waits on."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from desktop import errors, session as session_mod
from desktop.i18n import translate
from desktop.sync.engine import RECONNECT_PROBE_SECONDS, RECONNECT_SPREAD_SECONDS
from desktop.ui.ops import account

if TYPE_CHECKING:  # for the annotations only: desk.py imports this module
    from desktop.ui.desk import Desk


class Reconnect(QObject):
    """The probe of a desk without a session, and the way back online (the resume token, else the password)."""

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
                self.resume()
            else:
                self.soon()

        account.probe(desk.session).success(answered).failure(lambda exc: self.soon()).run_in(desk.runner)

    def resume(self) -> None:
        """The service answers: online with the resume token, then the live sync (the outbox first)."""
        desk = self.desk

        def resumed(outcome: Any) -> None:
            if desk._closed or desk.workspace is None:
                return  # locked meanwhile: the unlock's new workspace is online
            desk.workspace.connected()
            desk.status.resume_refusal, desk.status.reachable_again = None, False
            desk.update_status()
            desk.workspace.start_live()

        def refused(exc: BaseException) -> None:
            if desk._closed or desk.session.online:
                return
            if isinstance(exc, (errors.DeviceRevoked, errors.AccountLocked, errors.SessionExpired)):
                desk.bridge.failed.emit(exc)  # these end the desk: the controller's, as from the live sync
            elif isinstance(exc, (*session_mod.OFFLINE_CAUSES, errors.TooManyRequests)):
                self.soon()  # gone again, busy, or not answering as it should: ask again later
            else:  # refused (or it went wrong): the password, and the banner says why
                desk.status.resume_refusal = exc if isinstance(exc, errors.ClientError) else None
                desk.status.reachable_again = True
                desk.update_status()

        account.resume(desk.session).success(resumed).failure(refused).run_in(desk.runner)

    def diagnosed(self, reachable: bool) -> None:
        """The banner and the diagnosis never disagree: the live sync tries again at once (online
        or offline, it then says what it found); a desk that started offline hears the service is back."""
        desk = self.desk
        if desk._closed or desk.workspace is None:
            return
        if desk.workspace.engine.live:
            desk.workspace.engine.nudge()
        elif reachable and not desk.session.online and not desk.status.reachable_again:
            self.timer.stop()
            self.resume()

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
        self.desk.status.reachable_again, self.desk.status.resume_refusal = False, None
        self.soon()
