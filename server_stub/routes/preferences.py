"""The user's notification preferences (T6). Changes go through the push (`preferences.set`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from server_stub import contract
from server_stub.contract import documented
from server_stub.deps import Principal, get_db, require_principal
from server_stub.store import Database, work

router = APIRouter(prefix="/api/v1", tags=["preferences"])


@router.get("/preferences", **documented(contract.Preferences))
def read_preferences(principal: Principal = Depends(require_principal), db: Database = Depends(get_db)):
    return work.load_preferences(db.conn(), principal.user_id)
