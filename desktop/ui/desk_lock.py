"""Locking the desk: Ctrl+L or the idle timer hides the data and releases the cache (the key is
dropped); the password reopens it (Argon2id, off the GUI thread) under a new workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from desktop.i18n import translate
from desktop.ui.failures import expected_sentence
from desktop.ui.ops import account

if TYPE_CHECKING:  # for the annotations only: desk.py imports this module
    from desktop.ui.desk import Desk


def release(desk: Desk) -> None:
    workspace = desk.detach()

    def released(result: Any) -> None:
        if desk.workspace is workspace:
            desk.workspace = None

    # On the cache lane: writes queued before the lock finish first, then the cache closes.
    account.lock(desk.window, desk.session, workspace).success(released).run_in(desk.runner)


def unlock(desk: Desk, password: str, answer: Callable[[bool, str], None]) -> None:
    def reopened(workspace: Any) -> None:
        desk.attach(workspace)
        answer(True, "")

    def failed(exc: BaseException) -> None:
        answer(
            False,
            lambda: (
                expected_sentence(exc) or translate("DesktopApp", "Het wachtwoord klopt niet; probeer het opnieuw.")
            ),
        )

    if desk.reconnect.relogin_due:  # the service is back for a desk that started offline: log in online
        operation = account.relogin(desk.session, password, desk.bridge.as_progress(), desk.page_limit)
    else:
        operation = account.unlock(desk.session, password, desk.bridge.as_progress(), desk.page_limit)
    operation.success(reopened).failure(failed).run_in(desk.runner)
