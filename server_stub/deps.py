"""FastAPI dependencies: who is calling (`require_principal`), and the shared service objects.

The device a request came over is found by the gate (`server_stub.routes.DeviceGate`) from the
TLS client certificate and put in `request.state.device`; here the bearer token is checked
against it. The auth path is one indexed query; revocation is checked in memory by the gate.

The dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency on a worker
thread, and a thread hop per dependency costs more than the one primary-key lookup they do on
SQLite (a WAL reader never waits for a writer). On PostgreSQL that lookup is a network round trip,
so it alone goes to a worker thread. Use them with `Depends(...)`, not by calling them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from server_stub.mail import Mailer
from server_stub.problems import Problem
from server_stub.store import Database, from_iso, utc_now, write_scope
from server_stub.store import accounts as account_store

ROLES = ("medewerker", "superuser", "lokaal_beheerder", "helpdesk")
ADMIN_ROLES = ("lokaal_beheerder", "helpdesk")


@dataclass(frozen=True)
class Principal:
    """The signed-in user and the device the request came over."""

    user_id: str
    username: str
    display_name: str
    role: str  # medewerker | superuser | lokaal_beheerder | helpdesk
    organisation_id: str
    device_id: str

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    def may_administer(self, organisation_id: str) -> bool:
        """Local administrators act for their own organisation, the helpdesk for every one."""
        return self.role == "helpdesk" or (self.role == "lokaal_beheerder" and self.organisation_id == organisation_id)


@dataclass(frozen=True)
class SessionInfo:
    principal: Principal
    session_id: str
    temporary: bool  # logged in with a temporary password: may only choose a new one


async def no_store(response: Response) -> None:
    """For answers that carry secrets (tokens, keys, certificates): never cache them (RFC 6749 5.1)."""
    response.headers["Cache-Control"] = "no-store"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


async def get_context(request: Request):
    """The `ServiceContext` (config, database, mailer, CA, accounts) of this app."""
    return request.app.state.service


async def get_db(request: Request) -> Database:
    return request.app.state.service.db


async def get_mailer(request: Request) -> Mailer:
    return request.app.state.service.mailer


async def require_device(request: Request):
    """The enrolled, non-revoked device of this connection (the gate already refused others)."""
    device = getattr(request.state, "device", None)
    if device is None:
        # The gate lets no certificate-less request reach a route that needs a device; this is a bug guard.
        raise Problem(403, "device-certificate-required")
    return device


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def require_session(request: Request) -> SessionInfo:
    """mTLS + a valid token bound to this device; a temporary-password session is allowed."""
    cached = getattr(request.state, "session_info", None)
    if cached is not None:
        return cached
    device = await require_device(request)
    token = _bearer(request)
    if token is None:
        raise Problem(401, "unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    db = request.app.state.service.db
    if db.kind == "sqlite":
        row = account_store.session_with_user(db.conn(), token_hash(token))
    else:
        # A PostgreSQL query is a round trip on a socket: on the event loop it would stop every
        # other request (and long-poll) until the answer came; a thread hop costs far less.
        row = await run_in_threadpool(_session_with_user, db, token_hash(token))
    if row is not None and row["locked_at"] is not None and row["device_id"] == device.device_id:
        # Seed L4: a lock ends the account's sessions; their tokens say why, with whom to call.
        contacts = account_store.organisation_settings(db.conn(), row["organisation_id"])["contacts"]
        raise Problem(423, "account-locked", contacts=contacts)
    if row is None or row["ended_at"] is not None or from_iso(row["expires_at"]) <= utc_now() or not row["active"]:
        raise Problem(401, "unauthenticated", headers={"WWW-Authenticate": "Bearer"})
    if row["device_id"] != device.device_id:
        raise Problem(401, "token-device-mismatch")
    principal = Principal(
        user_id=row["user_id"],
        username=row["username"],
        display_name=row["display_name"],
        role=row["role"],
        organisation_id=row["organisation_id"],
        device_id=device.device_id,
    )
    info = SessionInfo(principal=principal, session_id=row["id"], temporary=bool(row["temporary"]))
    request.state.session_info = info
    # This request's writes change its organisation's data (the helpdesk's, any organisation's).
    write_scope.set(principal.organisation_id if principal.role != "helpdesk" else None)
    return info


def _session_with_user(db: Database, hashed: str):
    return account_store.session_with_user(db.conn(), hashed)  # this worker thread's connection


def check_not_revoked(request: Request) -> None:
    """The gate's revocation answer, for a request that outlived the gate's look (a long-poll)."""
    device = getattr(request.state, "device", None)
    if device is not None and request.app.state.service.devices.is_revoked(device.device_id):
        raise Problem(403, "device-revoked", wipe=True)


async def recheck_session(request: Request) -> None:
    """Check the token again (a long-poll outlives the moment it was checked): a lock or a logout
    meanwhile answers as it would on a new request, before anything is sent; so does a
    revocation of the device (the gate only looked when the request came in)."""
    check_not_revoked(request)
    request.state.session_info = None
    await require_session(request)


async def require_principal(request: Request) -> Principal:
    """mTLS + a valid token bound to this device, not a temporary-password session."""
    info = await require_session(request)
    if info.temporary:
        raise Problem(403, "password-change-required")
    return info.principal


async def require_admin(request: Request) -> Principal:
    """A local administrator or the helpdesk; the organisation check is the route's."""
    principal = await require_principal(request)
    if not principal.is_admin:
        raise Problem(403, "forbidden", "Alleen een lokaal beheerder of de helpdesk kan dit doen; vraag het hun.")
    return principal
