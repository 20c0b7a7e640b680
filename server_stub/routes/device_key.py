"""Opening a device's key at rest (R-10): the key that unwraps it, released after a full login.

A device in password-only mode (or one whose OS keychain lost its entry) keeps its TLS key only
sealed under a key the service derives from the device's escrow key. To use the key the client
logs in here, without a client certificate, naming its device: the password is checked by the
same login as `POST /sessions` (every wrong password counts towards the lockout, seed L4; a
temporary password works, seed L3), and the answer carries the session and the unlock key. A
copy of the profile therefore carries no device identity that can be guessed offline.

A device id is no proof of anything (it is not a secret), so a wrong password counts only when
the named device is the user's own and still enrolled; an unknown device, another user's device,
an unknown user and a wrong password all answer alike, with the same work (issue 13 items 2, 4).
"""

import base64
import re

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub.store import accounts as store
from server_stub.accounts import DeviceEntry, normalise_username
from server_stub.deps import get_context, no_store
from server_stub.escrow import device_key_unlock_key
from server_stub.problems import Problem, StrictModel

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
    accounts.enforce_throttle("login", request.client and request.client.host, body.username)
    conn = accounts.db.conn()
    row = store.device(conn, body.device_id) if _DEVICE_ID.fullmatch(body.device_id) else None
    user = store.user_by_username(conn, normalise_username(body.username))
    # Only the named device's own user, on a device still enrolled, gets a login that counts: a
    # device id is no proof here, so anything else answers as a wrong password, uncounted.
    if row is None or user is None or row["user_id"] != user["id"] or row["revoked_at"] is not None:
        right = accounts.refuse_unproven_login(body.username, body.password, row["id"] if row else None, user=user)
        if right and row is not None and user is not None and row["user_id"] == user["id"]:
            raise Problem(403, "device-revoked", wipe=True)  # the owner, proven: wipe the profile
        raise Problem(401, "invalid-credentials")
    device = DeviceEntry(row["id"], row["user_id"], row["organisation_id"], False)
    # lockout, temporary passwords, audit; with the user read above (one read of the account)
    session = accounts.login(body.username, body.password, device, user=user)
    escrow_key = accounts.escrow.open(row["id"], bytes(row["escrow_key"]))
    accounts.db.audit(None, "device-key-released", "device", row["id"])
    return {
        "unlock_key": base64.b64encode(device_key_unlock_key(escrow_key, row["id"])).decode("ascii"),
        "session": session,
    }
