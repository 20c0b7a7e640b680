"""A case: open it, write to it (cache lane, queued offline-first), and the administrator's override."""

from __future__ import annotations

from typing import Any

from desktop import actions, admin
from desktop.ui.operations import Lane, Operation
from desktop.ui.ops import Parent, WorkspaceRef, current


def open_case(parent: Parent, workspace: WorkspaceRef, case_id: str, *, refresh: bool = False) -> Operation:
    # The network lane: a case missing from the cache is fetched from the service.
    return Operation(
        lambda token: actions.open_case(current(workspace), case_id, refresh=refresh),
        lane=Lane.NETWORK,
        parent_widget=parent,
        label="case.open",
    )


def _write(parent: Parent, label: str, work: Any) -> Operation:
    return Operation(lambda token: work(), lane=Lane.CACHE, parent_widget=parent, label=label)


def add_note(parent: Parent, workspace: WorkspaceRef, case_id: str, text: str) -> Operation:
    return _write(parent, "journal.add", lambda: actions.add_note(current(workspace), case_id, text))


def complete_step(parent: Parent, workspace: WorkspaceRef, case_id: str, step_id: str, summary: str) -> Operation:
    return _write(parent, "step.complete", lambda: actions.complete_step(current(workspace), case_id, step_id, summary))


def close_case(parent: Parent, workspace: WorkspaceRef, case_id: str, outcome: str) -> Operation:
    return _write(parent, "case.close", lambda: actions.close_case(current(workspace), case_id, outcome))


def add_supporter(parent: Parent, workspace: WorkspaceRef, case_id: str, user_id: str) -> Operation:
    return _write(parent, "supporter.add", lambda: actions.add_supporter(current(workspace), case_id, user_id))


def remove_supporter(parent: Parent, workspace: WorkspaceRef, case_id: str, user_id: str) -> Operation:
    return _write(parent, "supporter.remove", lambda: actions.remove_supporter(current(workspace), case_id, user_id))


def set_coordinator(parent: Parent, workspace: WorkspaceRef, case_id: str, user_id: str) -> Operation:
    return _write(parent, "coordinator.set", lambda: actions.set_coordinator(current(workspace), case_id, user_id))


def create_task(parent: Parent, workspace: WorkspaceRef, case_id: str, task_type: str, **details: Any) -> Operation:
    return _write(parent, "task.create", lambda: actions.create_task(current(workspace), case_id, task_type, **details))


def replace_coordinator(parent: Parent, workspace: WorkspaceRef, case_id: str, user_id: str, reason: str) -> Operation:
    # An administrator's override is online only: the service decides at once.
    return Operation(
        lambda token: admin.replace_coordinator(current(workspace), case_id, user_id, reason),
        lane=Lane.NETWORK,
        parent_widget=parent,
        label="coordinator.replace",
    )
