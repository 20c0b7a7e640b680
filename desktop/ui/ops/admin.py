"""Beheer: the administrator's actions, online only (the service checks the role again)."""

from __future__ import annotations

from typing import Any

from desktop import admin
from desktop.ui.operations import Lane, Operation
from desktop.ui.ops import Parent, WorkspaceRef, current


def _online(parent: Parent, label: str, work: Any) -> Operation:
    return Operation(work, lane=Lane.NETWORK, parent_widget=parent, label=label)


def load_lists(parent: Parent, workspace: WorkspaceRef) -> Operation:
    """(locked accounts, devices, groups)."""

    def load(token: Any) -> tuple[list[dict], list[dict], list[dict]]:
        owner = current(workspace)
        return admin.locked_accounts(owner), admin.devices(owner), admin.groups(owner)

    return _online(parent, "admin.lists", load)


def reactivate(parent: Parent, workspace: WorkspaceRef, account_id: str) -> Operation:
    return _online(parent, "admin.reactivate", lambda token: admin.reactivate(current(workspace), account_id))


def issue_enrollment_code(parent: Parent, workspace: WorkspaceRef, username: str) -> Operation:
    return _online(parent, "admin.code", lambda token: admin.issue_enrollment_code(current(workspace), username))


def revoke_device(parent: Parent, workspace: WorkspaceRef, device_id: str) -> Operation:
    return _online(parent, "admin.revoke", lambda token: admin.revoke_device(current(workspace), device_id))


def delete_group(parent: Parent, workspace: WorkspaceRef, group_id: str, target_group_id: str) -> Operation:
    """Seed D2 before D1: the group's cases and data move first, then the empty group goes."""

    def move_and_delete(token: Any) -> None:
        owner = current(workspace)
        admin.transfer_group(owner, group_id, target_group_id)
        token.raise_if_cancelled()
        admin.delete_group(owner, group_id)

    return _online(parent, "admin.delete_group", move_and_delete)
