"""Errors as `application/problem+json` (RFC 9457) with stable codes, and the guards on bad input.

Routes raise `Problem(status, code, detail)`; request models derive from `StrictModel`, which
refuses unknown fields. `install(app)` registers the exception handlers; `BodySizeLimit` is the
ASGI middleware that refuses oversized bodies before anything reads them. Details are one Dutch
sentence that says what to do next, and never carry personal data or a traceback.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Annotated

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from server_stub.contract import API_VERSION, API_VERSION_HEADER, ID_PATTERN

log = logging.getLogger("server_stub")

PROBLEM_TYPE_BASE = "https://menscentraal.example/problems/"
MEDIA_TYPE = "application/problem+json"

# A title per code (English, stable for operators) and the default Dutch detail for users.
_TEXTS: dict[str, tuple[str, str]] = {
    "invalid-request": ("Invalid request", "Het verzoek is ongeldig; controleer de invoer en probeer het opnieuw."),
    "request-too-large": ("Request too large", "Het verzoek is te groot; verstuur minder gegevens tegelijk."),
    "no-secure-connection": (
        "No secure connection",
        "Er is geen beveiligde verbinding; gebruik Mobiel Werken met een aangemeld apparaat, of werk vanaf Gemnet of een toegestane werkplek.",
    ),
    "device-certificate-required": (
        "Device certificate required",
        "Dit apparaat is niet aangemeld; meld het apparaat aan met een aanmeldcode van uw lokaal beheerder.",
    ),
    "device-unknown": (
        "Unknown device certificate",
        "Het certificaat van dit apparaat is niet (meer) geldig; meld het apparaat opnieuw aan.",
    ),
    "device-revoked": (
        "Device revoked",
        "Dit apparaat is ingetrokken; de gegevens op dit apparaat worden gewist. Neem contact op met uw lokaal beheerder.",
    ),
    "enrollment-failed": (
        "Enrollment failed",
        "Aanmelden van dit apparaat is niet gelukt; controleer gebruikersnaam, wachtwoord en aanmeldcode, of vraag een nieuwe code aan.",
    ),
    "invalid-credentials": ("Invalid credentials", "Gebruikersnaam of wachtwoord is onjuist; probeer het opnieuw."),
    "account-locked": (
        "Account locked",
        "Uw account is geblokkeerd na te veel mislukte pogingen; vraag uw lokaal beheerder of de helpdesk om het te heractiveren.",
    ),
    "too-many-requests": (
        "Too many requests",
        "Er zijn te veel pogingen gedaan; wacht even en probeer het daarna opnieuw.",
    ),
    "password-change-required": (
        "Password change required",
        "U bent ingelogd met een tijdelijk wachtwoord; kies eerst een nieuw wachtwoord.",
    ),
    "password-policy": (
        "Password rejected",
        "Dit wachtwoord is niet toegestaan; kies een ander wachtwoord van minstens 12 tekens.",
    ),
    "unauthenticated": ("Unauthenticated", "U bent niet (meer) ingelogd; log opnieuw in."),
    "resume-refused": (
        "Resume refused",
        "Voor het opnieuw verbinden is uw wachtwoord nodig; voer het in.",
    ),
    "token-device-mismatch": (
        "Token bound to another device",
        "Deze sessie hoort bij een ander apparaat; log opnieuw in.",
    ),
    "renewal-not-yet-allowed": (
        "Renewal not yet allowed",
        "Het certificaat kan pas worden vernieuwd na twee derde van de looptijd; probeer het later opnieuw.",
    ),
    "forbidden": ("Forbidden", "U mag dit niet doen; vraag zo nodig uw lokaal beheerder."),
    "not-found": ("Not found", "Dit bestaat niet of u heeft er geen toegang toe; ververs de gegevens."),
    "method-not-allowed": ("Method not allowed", "Deze handeling is niet mogelijk."),
    "conflict": ("Conflict", "Dit is inmiddels gewijzigd; ververs de gegevens en probeer het opnieuw."),
    "precondition-failed": (
        "Precondition failed",
        "Iemand anders heeft dit intussen gewijzigd; ververs en probeer het opnieuw.",
    ),
    "cursor-expired": ("Sync cursor expired", "Synchroniseer opnieuw vanaf het begin."),
    "internal-error": (
        "Internal error",
        "Er ging iets mis bij de dienst; probeer het later opnieuw of neem contact op met de helpdesk.",
    ),
}

_CODE_FOR_STATUS = {
    400: "invalid-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "request-too-large",
    422: "invalid-request",
    429: "too-many-requests",
}


class Problem(Exception):
    """Raise from a route to answer with a problem document.

    `extra` members (e.g. `contacts`, `held_by`, `wipe`) are added to the body as RFC 9457
    extension members; `headers` (e.g. `Allow`) to the response.
    """

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        *,
        invalid_params: list[dict] | None = None,
        headers: dict[str, str] | None = None,
        **extra,
    ):
        super().__init__(code)
        self.status = status
        self.code = code
        self.detail = detail
        self.invalid_params = invalid_params
        self.headers = headers
        self.extra = extra


def problem_body(
    status: int, code: str, detail: str | None = None, *, invalid_params: list[dict] | None = None, **extra
) -> dict:
    title, default_detail = _TEXTS.get(code, ("Error", _TEXTS["internal-error"][1]))
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail or default_detail,
        "code": code,
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    body.update(extra)
    return body


def problem_response(
    status: int,
    code: str,
    detail: str | None = None,
    *,
    invalid_params: list[dict] | None = None,
    headers: dict[str, str] | None = None,
    **extra,
) -> JSONResponse:
    return JSONResponse(
        problem_body(status, code, detail, invalid_params=invalid_params, **extra),
        status_code=status,
        headers=headers,
        media_type=MEDIA_TYPE,
    )


PathId = Annotated[str, Path(pattern=ID_PATTERN)]  # an id in a URL: of the wrong form, a 400
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(value) -> None:
    """JSON may spell a lone UTF-16 surrogate (\\ud800) that no UTF-8 text holds: refused as
    invalid rather than failing later in the database or a hash."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise ValueError("text holds a lone surrogate")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_lone_surrogates(key)
            _no_lone_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _no_lone_surrogates(item)


class StrictModel(BaseModel):
    """Base for request bodies: unknown fields, silent type coercion and text that is not
    Unicode (lone surrogates) are refused."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _valid_text(cls, data):
        _no_lone_surrogates(data)
        return data


def _invalid_params(exc: RequestValidationError) -> list[dict]:
    params = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        # The reason is pydantic's message about the *shape*; it never echoes the input value.
        params.append({"name": ".".join(location) or "body", "reason": error.get("type", "invalid")})
    return params


def install(app: FastAPI) -> None:
    """Answer every error as problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(
            exc.status, exc.code, exc.detail, invalid_params=exc.invalid_params, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return problem_response(400, "invalid-request", invalid_params=_invalid_params(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code = _CODE_FOR_STATUS.get(exc.status_code, "internal-error" if exc.status_code >= 500 else "invalid-request")
        return problem_response(exc.status_code, code, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        # The traceback goes to the operator's log (no request data in it); the user gets one sentence.
        log.error(
            "unexpected error on %s %s",
            request.method,
            request.scope.get("route", None) and request.scope["route"].path,
            exc_info=exc,
        )
        # Answered outside the middleware stack (Starlette's ServerErrorMiddleware): the version
        # header is added here, as ApiVersionHeader adds it to every other answer.
        return problem_response(500, "internal-error", headers={API_VERSION_HEADER: API_VERSION})


class BodySizeLimit:
    """ASGI middleware: refuse bodies over `max_bytes` with 413 before the route reads them.

    A declared Content-Length is checked up front; a chunked body is counted as it streams, and
    the request is cut off with 413 as soon as it passes the limit.
    """

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    return await _send_problem(send, 400, "invalid-request")
                if declared > self.max_bytes:
                    return await _send_problem(send, 413, "request-too-large")
                break

        seen = 0
        response_started = False

        async def limited_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message):
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await _send_problem(send, 413, "request-too-large")


class _TooLarge(StarletteHTTPException):
    """An HTTP error, so that FastAPI's body parser passes it on instead of calling it malformed."""

    def __init__(self):
        super().__init__(413)


async def _send_problem(send, status: int, code: str, **extra) -> None:
    body = json.dumps(problem_body(status, code, **extra)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


send_problem = _send_problem
