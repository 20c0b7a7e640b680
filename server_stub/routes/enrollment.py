"""Routes without a device certificate: enrolling a device, and forgot-password (seed L3).

Neither reveals whether a username exists or its state: the same status and body for every
reason. Enrollment checks the one-time code before the password (without a valid code no
password is verified or counted); forgot-password does its work after the answer is sent.
Both are throttled per source address and per username as typed (429 `too-many-requests`).
"""

from fastapi import APIRouter, BackgroundTasks, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from server_stub import contract
from server_stub.contract import documented
from server_stub.deps import get_context, no_store
from server_stub.problems import StrictModel

router = APIRouter(dependencies=[Depends(no_store)])

RESET_ANSWER = (
    "Als deze gebruikersnaam bestaat, is er een e-mail met een tijdelijk wachtwoord verstuurd naar het "
    "bijbehorende adres; kijk in uw mailbox en neem anders contact op met uw lokaal beheerder."
)


class EnrollmentRequest(StrictModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)
    code: str = Field(min_length=1, max_length=64)
    csr: str = Field(min_length=1, max_length=8192)


class PasswordResetRequest(StrictModel):
    username: str = Field(min_length=1, max_length=150)


@router.post("/api/v1/enrollments", **documented(contract.EnrollmentOut, 429, status=201))
def enroll(body: EnrollmentRequest, request: Request, context=Depends(get_context)) -> dict:
    context.accounts.enforce_throttle("enrollment", request.client and request.client.host, body.username)
    enrollment = context.accounts.enroll(body.username, body.password, body.code, body.csr)
    return {
        "device_id": enrollment.device_id,
        "certificate": enrollment.certificate_pem,
        "ca_certificate": context.ca_pem,
        "not_after": enrollment.not_after,
    }


@router.post("/api/v1/password-resets", **documented(contract.Neutral, 429, status=202))
def request_password_reset(
    body: PasswordResetRequest, request: Request, background: BackgroundTasks, context=Depends(get_context)
):
    context.accounts.enforce_throttle("password_reset", request.client and request.client.host, body.username)
    # The work (hashing, mail) runs after the answer is sent: its duration cannot give the user away.
    background.add_task(context.accounts.forgot_password, body.username)
    return JSONResponse({"detail": RESET_ANSWER}, status_code=202)
