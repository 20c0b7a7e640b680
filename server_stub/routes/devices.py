"""The calling device: its status (for the doctor), its escrow key, certificate renewal, and the wipe
acknowledgement."""

import base64

from fastapi import APIRouter, Depends, Response
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub.deps import Principal, get_context, require_device, require_principal, no_store
from server_stub.problems import StrictModel

router = APIRouter(dependencies=[Depends(no_store)])


class RenewRequest(StrictModel):
    csr: str = Field(min_length=1, max_length=8192)


@router.get("/api/v1/devices/current", **documented(contract.DeviceStatus))
def current_device(device=Depends(require_device), context=Depends(get_context)) -> dict:
    # No token: the doctor asks before anyone logs in. The gate let only an enrolled, non-revoked
    # device through, and the answer describes nothing but the account that device was enrolled for.
    return context.accounts.device_status(device)


@router.get("/api/v1/devices/current/escrow", **documented(contract.EscrowOut))
def escrow(principal: Principal = Depends(require_principal), context=Depends(get_context)) -> dict:
    # The token is bound to this device and is a full login: the key goes to nobody else.
    key = context.accounts.escrow_key(principal)
    return {"escrow_key": base64.b64encode(key).decode("ascii")}


@router.post("/api/v1/devices/current/renew", **documented(contract.RenewOut, 409))
def renew(body: RenewRequest, principal: Principal = Depends(require_principal), context=Depends(get_context)) -> dict:
    renewed = context.accounts.renew(principal, body.csr)
    return {"certificate": renewed.certificate_pem, "not_after": renewed.not_after}


class WipeAck(StrictModel):
    # How many unsent changes the wipe destroyed (null: the cache was locked, not counted).
    unsent_changes: int | None = Field(default=None, ge=0, le=10_000_000)


@router.post("/api/v1/devices/wipe-ack", **documented(None, status=204))
def wipe_ack(body: WipeAck | None = None, device=Depends(require_device), context=Depends(get_context)) -> Response:
    context.accounts.acknowledge_wipe(device, body.unsent_changes if body is not None else None)
    return Response(status_code=204)
