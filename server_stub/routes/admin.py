"""Administration by local administrators (own organisation) and the helpdesk (every organisation):
enrollment codes, devices, locked accounts and reactivation (seed L4, S2)."""

from fastapi import APIRouter, Depends
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub.deps import Principal, get_context, require_admin
from server_stub.problems import PathId, Problem, StrictModel
from server_stub.store import accounts as store

router = APIRouter(prefix="/api/v1/admin")


class EnrollmentCodeRequest(StrictModel):
    username: str = Field(min_length=1, max_length=150)


def _scope(principal: Principal) -> str | None:
    """The organisation an administrator acts for; None means every organisation (helpdesk)."""
    return None if principal.role == "helpdesk" else principal.organisation_id


def _manages(principal: Principal, organisation_id: str, role: str) -> bool:
    """A local administrator manages the accounts of their organisation, but not the helpdesk's
    (which acts for every organisation: no lower role may lock it out, unlock it or enroll it)."""
    return principal.may_administer(organisation_id) and (principal.role == "helpdesk" or role != "helpdesk")


def _in_scope(principal: Principal, row, role: str | None) -> None:
    """A user or device of another organisation (or the helpdesk's, for a local administrator)
    answers exactly as an unknown id (issue 13 item 8): nothing about who exists elsewhere."""
    if row is None or not _manages(principal, row["organisation_id"], role or ""):
        raise Problem(404, "not-found")


@router.post("/enrollment-codes", **documented(contract.EnrollmentCodeOut, 404, status=201))
def issue_enrollment_code(
    body: EnrollmentCodeRequest, principal: Principal = Depends(require_admin), context=Depends(get_context)
) -> dict:
    conn = context.db.conn()
    user = store.user_by_username(conn, body.username.strip().lower())
    _in_scope(principal, user, user and user["role"])
    code, expires_at = context.accounts.issue_enrollment_code(user["id"], principal)
    return {"code": code, "expires_at": expires_at, "user_id": user["id"]}


def _device_json(row) -> dict:
    return {
        "id": row["id"],
        "organisation_id": row["organisation_id"],
        "user": {"id": row["user_id"], "username": row["username"], "display_name": row["display_name"]},
        "enrolled_at": row["enrolled_at"],
        "renewed_at": row["renewed_at"],
        "not_after": row["not_after"],
        "revoked_at": row["revoked_at"],
        "wiped_at": row["wiped_at"],
    }


@router.get("/devices", **documented(contract.DeviceList))
def list_devices(principal: Principal = Depends(require_admin), context=Depends(get_context)) -> dict:
    rows = store.devices_with_users(context.db.conn(), _scope(principal))
    return {"devices": [_device_json(row) for row in rows if _manages(principal, row["organisation_id"], row["role"])]}


@router.post("/devices/{device_id}/revoke", **documented(contract.Device, 404))
def revoke_device(
    device_id: PathId, principal: Principal = Depends(require_admin), context=Depends(get_context)
) -> dict:
    conn = context.db.conn()
    row = store.device(conn, device_id)
    owner = store.user_by_id(conn, row["user_id"]) if row is not None else None
    _in_scope(principal, row, owner and owner["role"])
    if row["revoked_at"] is None:
        context.accounts.revoke_device(device_id, principal, "revoked-by-admin")
    listed = [r for r in store.devices_with_users(context.db.conn(), row["organisation_id"]) if r["id"] == device_id]
    return _device_json(listed[0])


@router.get("/locked-accounts", **documented(contract.LockedAccountList))
def locked_accounts(principal: Principal = Depends(require_admin), context=Depends(get_context)) -> dict:
    rows = [
        r
        for r in store.locked_users(context.db.conn(), _scope(principal))
        if _manages(principal, r["organisation_id"], r["role"])
    ]
    return {
        "accounts": [
            {
                "id": r["id"],
                "username": r["username"],
                "display_name": r["display_name"],
                "organisation_id": r["organisation_id"],
                "locked_at": r["locked_at"],
                "failed_logins": r["failed_logins"],
            }
            for r in rows
        ]
    }


@router.post("/accounts/{user_id}/reactivate", **documented(contract.Reactivated, 404))
def reactivate(user_id: PathId, principal: Principal = Depends(require_admin), context=Depends(get_context)) -> dict:
    conn = context.db.conn()
    user = store.user_by_id(conn, user_id)
    _in_scope(principal, user, user and user["role"])
    context.accounts.reactivate(user_id, principal)
    return {"id": user_id, "username": user["username"], "locked": False}
