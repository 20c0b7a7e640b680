"""Logging in and out over mutual TLS, and choosing a new password (seed L3, L4)."""

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub.deps import SessionInfo, get_context, require_device, require_session, no_store
from server_stub.problems import StrictModel

router = APIRouter(dependencies=[Depends(no_store)])


class LoginRequest(StrictModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class ResumeRequest(StrictModel):
    resume_token: str = Field(min_length=1, max_length=200)


class PasswordChangeRequest(StrictModel):
    new_password: str = Field(min_length=1, max_length=1024)
    # Required unless the session came from a temporary password.
    current_password: str | None = Field(default=None, max_length=1024)


@router.post("/api/v1/sessions", **documented(contract.SessionOut, 401, 423, 429))
def login(body: LoginRequest, request: Request, device=Depends(require_device), context=Depends(get_context)) -> dict:
    # Before any password work: a throttled request costs no Argon2.
    context.accounts.enforce_throttle("login", request.client and request.client.host, body.username)
    return context.accounts.login(body.username, body.password, device)


@router.post("/api/v1/sessions/resume", **documented(contract.SessionOut, 401, 423, 429))
def resume(body: ResumeRequest, request: Request, device=Depends(require_device), context=Depends(get_context)) -> dict:
    """A desk that started offline goes online with the resume token of its last online login
    (over this device's certificate; no password): a session and the next token, or 401
    `resume-refused` with a `reason` (then it asks for the password)."""
    # Per device as the "account": a stolen token cannot be tried faster than a login.
    context.accounts.enforce_throttle("resume", request.client and request.client.host, device.device_id)
    return context.accounts.resume(body.resume_token, device, request.state.device_fingerprint)


@router.delete("/api/v1/sessions/current", **documented(None, status=204))
def logout(session: SessionInfo = Depends(require_session), context=Depends(get_context)) -> Response:
    context.accounts.logout(session.session_id, session.principal)
    return Response(status_code=204)


@router.post("/api/v1/password", **documented(contract.SessionOut, 422))
def change_password(
    body: PasswordChangeRequest, session: SessionInfo = Depends(require_session), context=Depends(get_context)
) -> dict:
    return context.accounts.change_password(
        session.principal,
        temporary_session=session.temporary,
        new_password=body.new_password,
        current_password=body.current_password,
    )
