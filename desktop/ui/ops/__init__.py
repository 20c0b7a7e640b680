"""One small function per user action, as Anki's `aqt/operations/`: each builds the `Operation`
that calls the core on the right lane; the widget only adds what to show and runs it.

    ops.tasks.pickup(self, self.workspace, task.id).success(show).run_in(self.runner)

`workspace` is a getter: the workspace is replaced after a lock (the cache closed and reopened),
and while locked there is none (`current` refuses with `CacheLocked`).
"""

from __future__ import annotations

from typing import Any, Callable

from desktop import errors
from desktop.actions import Workspace

WorkspaceRef = Callable[[], "Workspace | None"]


def current(workspace: WorkspaceRef | None) -> Workspace:
    """The open workspace, on the worker thread that needs it; none while locked."""
    ws = workspace() if workspace is not None else None
    if ws is None:
        raise errors.CacheLocked()
    return ws


Parent = Any  # the widget a failure is shown over
