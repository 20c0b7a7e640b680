"""Household groups for administrators: list, transfer everything to another group, delete an
empty one (D1, D2). Nothing is ever lost: a group that still holds cases or citizens stays."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub import rules
from server_stub.deps import Principal, get_db, require_admin
from server_stub.problems import ID_PATTERN, PathId, Problem, StrictModel
from server_stub.routes.sync import get_feed_signal, viewer_of
from server_stub.store import Database, feed, work

router = APIRouter(prefix="/api/v1/admin/groups", tags=["groups"])


@router.get("", **documented(contract.GroupList))
def list_groups(principal: Principal = Depends(require_admin), db: Database = Depends(get_db)):
    scope = None if principal.role == "helpdesk" else principal.organisation_id
    return {"groups": work.load_groups(db.conn(), scope)}


def _administered_group(conn, principal: Principal, group_id: str) -> str:
    """The group's organisation, when this administrator may act on it; else 404."""
    organisation_id = work.group_organisation(conn, group_id)
    if organisation_id is None or not principal.may_administer(organisation_id):
        raise Problem(404, "not-found")
    return organisation_id


class TransferIn(StrictModel):
    target_group_id: str = Field(pattern=ID_PATTERN)


@router.post("/{group_id}/transfer", **documented(contract.TransferOut, 404))
def transfer(
    group_id: PathId,
    body: TransferIn,
    request: Request,
    principal: Principal = Depends(require_admin),
    db: Database = Depends(get_db),
):
    """Move every case and citizen to the target group in one transaction (D2)."""
    touched: set[str] = set()
    with db.transaction() as conn:
        organisation_id = _administered_group(conn, principal, group_id)
        if body.target_group_id == group_id or work.group_organisation(conn, body.target_group_id) != organisation_id:
            raise Problem(
                400,
                "invalid-request",
                "Kies een andere groep van dezelfde organisatie om naartoe over te zetten.",
                invalid_params=[{"name": "target_group_id", "reason": "invalid-target"}],
            )
        citizens = conn.execute("SELECT COUNT(*) FROM citizens WHERE group_id = ?", (group_id,)).fetchone()[0]
        moved = work.transfer_group(conn, group_id, body.target_group_id, work.now_iso())
        for case_id in moved:
            touched |= feed.publish(conn, "case", case_id)
        db.audit(
            principal,
            "group.transfer",
            "group",
            group_id,
            {"target_group_id": body.target_group_id, "cases": len(moved), "citizens": citizens},
        )
    get_feed_signal(request).notify(touched)
    return {"moved_cases": len(moved), "moved_citizens": citizens}


@router.delete("/{group_id}", **documented(None, 404, 409, status=204))
def delete_group(group_id: PathId, principal: Principal = Depends(require_admin), db: Database = Depends(get_db)):
    """Only an administrator of the group's organisation, and only once it is empty (D1, D2)."""
    with db.transaction() as conn:
        organisation_id = _administered_group(conn, principal, group_id)
        viewer = viewer_of(conn, principal)
        holds = 1 if work.group_holds_anything(conn, group_id) else 0
        refusal = rules.group_delete_refusal(viewer, organisation_id, holds)
        if refusal == "group-not-empty":
            raise Problem(
                409,
                "conflict",
                "Deze groep bevat nog zaken of cliënten; zet die eerst over naar een andere groep.",
                reason="group-not-empty",
            )
        if refusal is not None:
            raise Problem(403, "forbidden")
        work.delete_group(conn, group_id)
        db.audit(principal, "group.delete", "group", group_id)
    return Response(status_code=204)
