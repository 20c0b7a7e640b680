"""A task in a list: pick it up, hand it back, forward it, say "niet voor mij", finish it (cache lane,
offline-first)."""

from __future__ import annotations

from desktop import actions
from desktop.ui.operations import Lane, Operation
from desktop.ui.ops import Parent, WorkspaceRef, current


def pickup(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    return Operation(
        lambda token: actions.pickup(current(workspace), task_id),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="task.pickup",
    )


def release(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    return Operation(
        lambda token: actions.release(current(workspace), task_id),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="task.release",
    )


def complete(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    return Operation(
        lambda token: actions.complete_task(current(workspace), task_id),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="task.complete",
    )


def forward(
    parent: Parent,
    workspace: WorkspaceRef,
    task_id: str,
    *,
    user_id: str | None = None,
    team_id: str | None = None,
    note: str = "",
) -> Operation:
    return Operation(
        lambda token: actions.forward(current(workspace), task_id, user_id=user_id, team_id=team_id, note=note),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="task.forward",
    )


def dismiss(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    """ "Niet voor mij": queued in the outbox like any change, so it works offline too."""
    return Operation(
        lambda token: actions.dismiss(current(workspace), task_id),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="task.dismiss",
    )


def mark_seen(parent: Parent, workspace: WorkspaceRef) -> Operation:
    """The user left the Werkbak: remember when, in the encrypted cache."""
    return Operation(
        lambda token: actions.mark_werkbak_seen(current(workspace)),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="werkbak.seen",
    )
