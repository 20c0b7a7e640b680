"""Opening a device's key at rest (R-10): the key that unwraps it, released after a full login.

A device in password-only mode (or one whose OS keychain lost its entry) keeps its TLS key only
sealed under a key the service derives from the device's escrow key. To use the key the client
logs in here, without a client certificate, naming its device: the password is checked by the
same login as `POST /sessions` (every wrong password counts towards the lockout, seed L4; a
temporary password works, seed L3), and the answer carries the session and the unlock key. A
copy of the profile therefore carries no device identity that can be guessed offline.
"""
import base64
import re

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub.store import accounts as store
from server_stub.accounts import DeviceEntry
from server_stub.deps import get_context, no_store
from server_stub.escrow import device_key_unlock_key
from server_stub.problems import Problem, StrictModel
from server_stub.throttle import enforce

router = APIRouter(dependencies=[Depends(no_store)])

_DEVICE_ID = re.compile(r"[a-z0-9-]{1,64}")


class KeyUnlockRequest(StrictModel):
    device_id: str = Field(min_length=1, max_length=64)
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


@router.post("/api/v1/devices/key-unlock", **documented(contract.KeyUnlockOut, 401, 423, 429))
def unlock_device_key(body: KeyUnlockRequest, request: Request, context=Depends(get_context)) -> dict:
    accounts = context.accounts
    # A login like POST /sessions: the same throttle, before any password work.
    enforce(accounts.throttle, context.config.throttle, "login", request.client and request.client.host,
            body.username)
    row = store.device(accounts.db.conn(), body.device_id) if _DEVICE_ID.fullmatch(body.device_id) else None
    if row is None:
        for _ in range(2):  # an unknown device costs what a failed login does (two verifications)
            accounts.hasher.verify(body.password, None)
        raise Problem(401, "invalid-credentials")
    if row["revoked_at"] is not None:
        raise Problem(403, "device-revoked", wipe=True)
    device = DeviceEntry(row["id"], row["user_id"], row["organisation_id"], False)
    session = accounts.login(body.username, body.password, device)  # lockout, temporary passwords, audit
    escrow_key = accounts.escrow.open(row["id"], bytes(row["escrow_key"]))
    accounts.db.audit(None, "device-key-released", "device", row["id"])
    return {"unlock_key": base64.b64encode(device_key_unlock_key(escrow_key, row["id"])).decode("ascii"),
            "session": session}
