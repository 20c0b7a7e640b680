"""Administrator operations (local administrator: own organisation; helpdesk: all). Online only.

Seed L4 (reactivate a locked account), device enrollment codes and revocation, D1/D2 (move a
household group's data, then delete the empty group) and our decision beyond C8 (replace a
coordinator with a written reason). Each call goes straight to the service over the session's
mutual-TLS transport; the service decides who may do what and answers `forbidden` otherwise.
Failures are the typed errors of `desktop.errors`; answers are checked before they are returned.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors

MIN_REASON_CHARS = 10  # the service's minimum for a coordinator replacement's written reason


class GroupNotEmpty(errors.ClientError):
    """Seed D1/D2: a group is deleted only once its cases and citizens have been moved."""

    code = "group-not-empty"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Deze groep bevat nog zaken of cliënten; zet die eerst over naar een andere groep."
    )


class ReasonRequired(errors.ClientError):
    code = "reason-required"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Geef een schriftelijke reden van minstens {chars} tekens; die wordt vastgelegd in de audittrail."
    )

    def __init__(self) -> None:
        super().__init__(chars=MIN_REASON_CHARS)


class NotFound(errors.ClientError):
    code = "not-found"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Dit bestaat niet (meer) of valt buiten uw organisatie; vernieuw de lijst en probeer het opnieuw."
    )


def _transport(owner: Any):
    """The online transport of a session, or of a `desktop.actions.Workspace`'s session."""
    session = getattr(owner, "session", owner)
    if not session.online:
        raise errors.NeedsConnection()
    return session.transport


def _segment(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise NotFound()
    return quote(value, safe="")


def _call(session: Any, method: str, path: str, body: Any = None) -> Any:
    transport = _transport(session)
    try:
        if method == "GET":
            return transport.get_json(path)
        if method == "DELETE":
            transport.request("DELETE", path)
            return None
        return transport.post_json(path, body)
    except errors.RequestRefused as refused:
        problem = refused.details.get("problem")
        if problem == "not-found":
            raise NotFound() from None
        if problem == "conflict" and refused.body.get("reason") == "group-not-empty":
            raise GroupNotEmpty() from None
        raise


def _list(answer: Any, key: str) -> list[dict]:
    items = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        raise errors.InvalidResponse()
    return items


def locked_accounts(session: Any) -> list[dict]:
    """Seed L4: accounts locked after more than 10 failed logins:
    `[{"id", "username", "display_name", "organisation_id", "locked_at", "failed_logins"}]`."""
    return _list(_call(session, "GET", "/admin/locked-accounts"), "accounts")


def reactivate(session: Any, user_id: str) -> None:
    _call(session, "POST", f"/admin/accounts/{_segment(user_id)}/reactivate")


def issue_enrollment_code(session: Any, username: str) -> dict:
    """A one-time code with which `username` enrolls a device: `{"code", "expires_at"}`."""
    answer = _call(session, "POST", "/admin/enrollment-codes", {"username": username})
    if not isinstance(answer, dict) or not isinstance(answer.get("code"), str):
        raise errors.InvalidResponse()
    return {"code": answer["code"], "expires_at": answer.get("expires_at")}


def devices(session: Any) -> list[dict]:
    """Enrolled devices: `[{"id", "user": {"id", "username", "display_name"}, "enrolled_at",
    "not_after", "revoked_at", "wiped_at", ...}]`."""
    return _list(_call(session, "GET", "/admin/devices"), "devices")


def revoke_device(session: Any, device_id: str) -> None:
    """The device is told at its next contact to wipe its data (and acknowledges)."""
    _call(session, "POST", f"/admin/devices/{_segment(device_id)}/revoke")


def groups(session: Any) -> list[dict]:
    """Household groups the administrator may manage, as the service lists them."""
    return _list(_call(session, "GET", "/admin/groups"), "groups")


def transfer_group(session: Any, group_id: str, target_group_id: str) -> dict:
    """Seed D2: move all cases and citizens of a group to another, in one transaction."""
    answer = _call(
        session, "POST", f"/admin/groups/{_segment(group_id)}/transfer", {"target_group_id": target_group_id}
    )
    if not isinstance(answer, dict):
        raise errors.InvalidResponse()
    return answer


def delete_group(session: Any, group_id: str) -> None:
    """Seed D1: refused (`GroupNotEmpty`) while the group still holds anything."""
    _call(session, "DELETE", f"/admin/groups/{_segment(group_id)}")


def replace_coordinator(session: Any, case_id: str, user_id: str, reason: str) -> dict:
    """A local administrator or the helpdesk replaces a case's coordinator; the reason is audited."""
    if not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_CHARS:
        raise ReasonRequired()
    answer = _call(
        session, "POST", f"/admin/cases/{_segment(case_id)}/coordinator", {"user_id": user_id, "reason": reason.strip()}
    )
    return answer if isinstance(answer, dict) else {}
