"""Reading one task. Every change to tasks goes through the push (`server_stub.mutations`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from server_stub import contract
from server_stub.contract import documented
from server_stub.deps import Principal, get_db, require_principal
from server_stub.problems import PathId, Problem
from server_stub.routes.sync import viewer_of
from server_stub.store import Database, feed

router = APIRouter(prefix="/api/v1", tags=["tasks"])


@router.get("/tasks/{task_id}", **documented(contract.Task, 404))
def read_task(task_id: PathId, principal: Principal = Depends(require_principal), db: Database = Depends(get_db)):
    conn = db.conn()
    shown = feed.tasks_for(conn, viewer_of(conn, principal), [task_id])
    if not shown:
        raise Problem(404, "not-found")
    db.audit(principal, "task.read", "task", task_id, {"via": "get"})
    return shown[0]
