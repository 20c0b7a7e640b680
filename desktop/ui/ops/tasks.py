"""A task in a list: pick it up, hand it back, forward it, finish it (cache lane, offline-first)."""
from __future__ import annotations

from desktop import actions
from desktop.ui.operations import Lane, Operation
from desktop.ui.ops import Parent, WorkspaceRef, current


def pickup(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    return Operation(lambda token: actions.pickup(current(workspace), task_id), lane=Lane.CACHE,
                     parent_widget=parent, label="task.pickup")


def release(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    return Operation(lambda token: actions.release(current(workspace), task_id), lane=Lane.CACHE,
                     parent_widget=parent, label="task.release")


def complete(parent: Parent, workspace: WorkspaceRef, task_id: str) -> Operation:
    return Operation(lambda token: actions.complete_task(current(workspace), task_id), lane=Lane.CACHE,
                     parent_widget=parent, label="task.complete")


def forward(parent: Parent, workspace: WorkspaceRef, task_id: str, *, user_id: str | None = None,
            team_id: str | None = None) -> Operation:
    return Operation(lambda token: actions.forward(current(workspace), task_id, user_id=user_id, team_id=team_id),
                     lane=Lane.CACHE, parent_widget=parent, label="task.forward")
