"""The outbox as the user sees it (the pending-changes dialog) and a sync now."""

from __future__ import annotations

from desktop.cache import outbox
from desktop.ui.operations import Lane, Operation
from desktop.ui.ops import Parent, WorkspaceRef, current


def dismiss(parent: Parent, workspace: WorkspaceRef, mutation_id: str) -> Operation:
    return Operation(
        lambda token: current(workspace).writer.call(outbox.dismiss_unprocessed, mutation_id),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="outbox.dismiss",
    )


def retry(parent: Parent, workspace: WorkspaceRef, mutation_id: str) -> Operation:
    return Operation(
        lambda token: current(workspace).writer.call(outbox.retry_stuck, mutation_id),
        lane=Lane.CACHE,
        parent_widget=parent,
        label="outbox.retry",
    )


def sync(parent: Parent, workspace: WorkspaceRef) -> Operation:
    return Operation(lambda token: current(workspace).sync(), lane=Lane.NETWORK, parent_widget=parent, label="sync")
