"""Administration for local administrators and the helpdesk (seed L4, D1, D2), online only.

Headless, for the GUI's Beheer page (and a later command line). The service checks the role and
the organisation again; this module only asks. Ids go into paths quoted; nothing is logged.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from desktop import errors


def _transport(ws: Any) -> Any:
    if not ws.online:
        raise errors.NeedsConnection()
    return ws.session.transport


def _id(value: str) -> str:
    return quote(str(value), safe="")


def _list(answer: Any, key: str) -> list[dict]:
    items = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise errors.InvalidResponse()
    return items


def locked_accounts(ws: Any) -> list[dict]:
    """Accounts locked after more than 10 failed logins (seed L4)."""
    return _list(_transport(ws).get_json("/admin/locked-accounts"), "accounts")


def reactivate(ws: Any, user_id: str) -> dict:
    return _transport(ws).post_json(f"/admin/accounts/{_id(user_id)}/reactivate")


def issue_enrollment_code(ws: Any, username: str) -> dict:
    """A one-time code with which `username` enrolls a device: `{"code", "expires_at", ...}`."""
    return _transport(ws).post_json("/admin/enrollment-codes", {"username": username})


def devices(ws: Any) -> list[dict]:
    return _list(_transport(ws).get_json("/admin/devices"), "devices")


def revoke_device(ws: Any, device_id: str) -> dict:
    return _transport(ws).post_json(f"/admin/devices/{_id(device_id)}/revoke")


def groups(ws: Any) -> list[dict]:
    """Household groups with `case_count` and `citizen_count`."""
    return _list(_transport(ws).get_json("/admin/groups"), "groups")


def transfer_group(ws: Any, group_id: str, target_group_id: str) -> Any:
    """Seed D2: move every case and citizen of the group to the target, in one transaction."""
    return _transport(ws).post_json(f"/admin/groups/{_id(group_id)}/transfer", {"target_group_id": target_group_id})


def delete_group(ws: Any, group_id: str) -> None:
    """Seed D1: only an empty group can go; a non-empty one is refused (409) by the service."""
    _transport(ws).request("DELETE", f"/admin/groups/{_id(group_id)}")
