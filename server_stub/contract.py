"""The wire contract: response models, problem answers and the OpenAPI document built from them.

Routes declare their answer with `documented(Model, 404, ...)` in the decorator: the model is
used only for the OpenAPI document (`response_model=None`), never to validate or re-serialise an
answer, so the hot paths (the feed page, serialised with orjson) pay nothing for it. Problem
statuses shared by every route of a kind (the gate's 403, a token route's 401/423) are added by
`openapi_document`, which reads each route's dependencies; a route declares only its own.

`openapi_document(app)` is what the service serves at /api/v1/openapi.json and what
`python -m server_stub.openapi_export` writes to docs/openapi.json (a test keeps the two equal).
The API-Version header on every answer comes from `ApiVersionHeader` (Logius ADR API-57).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

# Semver of the contract; the major is the /api/v1 in every path (ADR API-20, API-56).
API_VERSION = "1.0.0"
API_VERSION_HEADER = "API-Version"
PROBLEM_MEDIA_TYPE = "application/problem+json"

# What an id looks like (ours are uuids and slugs such as `usr-anouk`): printable ASCII, no spaces,
# NULs or slashes. The service refuses any other id on the way in, so it never sends one.
ID_PATTERN = r"^[A-Za-z0-9._:-]{1,100}$"
MAX_TEXT = 20_000  # a journal note, a step summary or a task description (the push refuses more)
MAX_SAFE_INT = 2**53 - 1  # the largest integer every JSON reader keeps exactly (RFC 7493)

Id = Annotated[str, Field(pattern=ID_PATTERN)]
Moment = Annotated[datetime, Field(description="RFC 3339 in UTC, to the microsecond: `2026-03-03T13:02:00.000000Z`.")]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Version = Annotated[
    int, Field(ge=1, le=MAX_SAFE_INT, description="Goes up with every change; send it back as `base_version`.")
]
Count = Annotated[int, Field(ge=0, le=MAX_SAFE_INT)]


class ProblemCode(str, Enum):
    """The stable problem codes; clients switch on these, never on title or detail."""

    invalid_request = "invalid-request"
    request_too_large = "request-too-large"
    no_secure_connection = "no-secure-connection"
    device_certificate_required = "device-certificate-required"
    device_unknown = "device-unknown"
    device_revoked = "device-revoked"
    enrollment_failed = "enrollment-failed"
    invalid_credentials = "invalid-credentials"
    account_locked = "account-locked"
    too_many_requests = "too-many-requests"
    password_change_required = "password-change-required"
    password_policy = "password-policy"
    unauthenticated = "unauthenticated"
    resume_refused = "resume-refused"
    token_device_mismatch = "token-device-mismatch"
    renewal_not_yet_allowed = "renewal-not-yet-allowed"
    forbidden = "forbidden"
    not_found = "not-found"
    method_not_allowed = "method-not-allowed"
    conflict = "conflict"
    precondition_failed = "precondition-failed"
    cursor_expired = "cursor-expired"
    internal_error = "internal-error"


class ReasonCode(str, Enum):
    """Why a rule says no: a capability's `reason`, and a refused change's or problem's `reason`."""

    admin_only = "admin-only"
    already_in_queue = "already-in-queue"
    case_closed = "case-closed"
    case_delete_not_possible = "case-delete-not-possible"
    coordinator_not_authorised = "coordinator-not-authorised"
    group_not_empty = "group-not-empty"
    no_team_queue = "no-team-queue"
    not_authorised_for_case_type = "not-authorised-for-case-type"
    not_case_member = "not-case-member"
    not_task_holder = "not-task-holder"
    not_team_member = "not-team-member"
    self_takeover = "self-takeover"
    task_completed = "task-completed"
    task_held_by_other = "task-held-by-other"
    task_not_in_queue = "task-not-in-queue"
    forward_to_self = "forward-to-self"
    service_account = "service-account"
    team_not_authorised_for_case_type = "team-not-authorised-for-case-type"
    unknown_user = "unknown-user"
    unknown_team = "unknown-team"
    # why a resume token was refused (`resume-refused`): the client asks for the password, saying why
    resume_expired = "resume-expired"
    resume_ended = "resume-ended"
    password_changed = "password-changed"


class MutationCode(str, Enum):
    """The code of a pushed change that was not applied (docs/API.md "Push")."""

    invalid_request = "invalid-request"
    mutation_id_reused = "mutation-id-reused"
    forbidden = "forbidden"
    not_found = "not-found"
    conflict = "conflict"


class MutationKind(str, Enum):
    """What a pushed change does; its `payload` is described in docs/API.md "Push". The service
    answers any other kind with a rejected result (`invalid-request`, `unknown-kind`)."""

    journal_add = "journal.add"
    step_complete = "step.complete"
    case_close = "case.close"
    case_set_coordinator = "case.set_coordinator"
    case_add_supporter = "case.add_supporter"
    case_remove_supporter = "case.remove_supporter"
    task_create = "task.create"
    task_pickup = "task.pickup"
    task_release = "task.release"
    task_complete = "task.complete"
    task_forward = "task.forward"
    task_dismiss = "task.dismiss"
    preferences_set = "preferences.set"


class _Open(BaseModel):
    """Answers may grow new members (clients ignore what they do not know)."""

    model_config = ConfigDict(extra="allow")


class _Closed(BaseModel):
    """A set a client must know whole: a member it does not know is refused (`additionalProperties`
    false), because ignoring it would lose data for good."""

    model_config = ConfigDict(extra="forbid")


class InvalidParam(_Open):
    name: str = Field(min_length=1, description="The field, as a dotted path (`payload.user_id`).")
    reason: str = Field(min_length=1, description="A reason code (`unknown-user`, `invalid-time`, ...).")


class Person(_Open):
    id: Id
    display_name: str


class Contact(_Open):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class Contacts(_Open):
    organisation: str | None = None
    local_admin: Contact | None = None
    helpdesk: Contact | None = None


class Problem(_Open):
    """RFC 9457 problem details; extension members depend on the code (`contacts` with
    account-locked, `wipe` with device-revoked, `retry_after` with too-many-requests,
    `renewable_from` with renewal-not-yet-allowed, `reason`/`held_by` with forbidden/conflict)."""

    type: str = Field(
        pattern=r"^https://menscentraal\.example/problems/[a-z-]+$",
        description="https://menscentraal.example/problems/{code}",
    )
    title: str = Field(min_length=1)
    status: int = Field(ge=400, le=599)
    detail: str = Field(min_length=1, description="One Dutch sentence for the user: what happened and what to do next.")
    code: ProblemCode
    invalidParams: list[InvalidParam] | None = None
    contacts: Contacts | None = None
    wipe: bool | None = None
    retry_after: int | None = Field(default=None, ge=0)
    renewable_from: Moment | None = None
    reason: ReasonCode | None = None
    held_by: Person | None = None


# --- front door ----------------------------------------------------------------------------
class Health(_Open):
    status: Literal["ok"]
    server_time: Moment


class EnrollmentOut(_Open):
    device_id: Id
    certificate: str = Field(description="The device certificate (PEM).")
    ca_certificate: str = Field(description="The organisation CA (PEM): pin it.")
    not_after: Moment


class Neutral(_Open):
    detail: str


class SessionUser(_Open):
    id: Id
    username: str
    display_name: str
    role: Literal["medewerker", "superuser", "lokaal_beheerder", "helpdesk"]
    organisation_id: Id
    organisation: str


class OrganisationSettings(_Open):
    contacts: Contacts
    offline_lock_hours: Count
    offline_wipe_days: Count
    auto_lock_minutes: Count


class SessionOut(_Open):
    access_token: str = Field(min_length=1)
    expires_at: Moment
    must_change_password: bool
    resume_token: str | None = Field(
        default=None,
        min_length=1,
        description="Not with a temporary password. Keep it only in the encrypted cache: POST "
        "/sessions/resume exchanges it once, over this device, for a session and the next one.",
    )
    resume_expires_at: Moment | None = None
    user: SessionUser
    organisation_settings: OrganisationSettings


class KeyUnlockOut(_Open):
    unlock_key: str = Field(pattern=r"^[A-Za-z0-9+/]{43}=$", description="base64 of 32 bytes")
    session: SessionOut


class AccountState(_Open):
    state: Literal["active", "locked", "password-change-required"]
    contacts: Contacts


class DeviceStatus(_Open):
    device_id: Id
    not_after: Moment
    account: AccountState


class EscrowOut(_Open):
    escrow_key: str = Field(pattern=r"^[A-Za-z0-9+/]{43}=$", description="base64 of 32 bytes")


class RenewOut(_Open):
    certificate: str
    not_after: Moment


class EnrollmentCodeOut(_Open):
    code: str = Field(min_length=1, max_length=64)
    expires_at: Moment
    user_id: Id


class DeviceUser(_Open):
    id: Id
    username: str
    display_name: str


class Device(_Open):
    id: Id
    organisation_id: Id
    user: DeviceUser
    enrolled_at: Moment
    renewed_at: Moment | None
    not_after: Moment
    revoked_at: Moment | None
    wiped_at: Moment | None


class DeviceList(_Open):
    devices: list[Device]


class LockedAccount(_Open):
    id: Id
    username: str
    display_name: str
    organisation_id: Id
    locked_at: Moment
    failed_logins: Count


class LockedAccountList(_Open):
    accounts: list[LockedAccount]


class Reactivated(_Open):
    id: Id
    username: str
    locked: Literal[False]


# --- work objects ---------------------------------------------------------------------------
class Capability(_Open):
    allowed: bool
    reason: ReasonCode | None = Field(description="Why not, when not allowed (docs/API.md).")


class Named(_Open):
    id: Id
    name: str


class Citizen(_Open):
    id: Id
    name: str
    bsn: str = Field(pattern=r"^\d{9}$")
    birth_date: date | None


class Step(_Open):
    id: Id
    name: str
    position: int = Field(ge=1, le=MAX_SAFE_INT)
    status: Literal["open", "closed"]
    closed_at: Moment | None
    closed_by: Person | None
    summary: Text | None


class JournalEntry(_Open):
    id: Id
    text: Text
    author: Person | None
    created_at: Moment  # received by the service
    written_at: Moment | None = None  # written on the device (offline: earlier than created_at)


class Case(_Open):
    """A zaak as this user may see it (docs/API.md "ZGW terms")."""

    id: Id
    number: str = Field(min_length=1)
    case_type: Named
    group: Named | None
    citizens: list[Citizen]
    status: Literal["open", "closed"]
    outcome: Literal["afgerond", "administratieve_fout", "doorverwezen", "ingetrokken"] | None
    coordinator: Person | None
    supporters: list[Person]
    steps: list[Step]
    journal: list[JournalEntry]
    version: Version
    updated_at: Moment
    capabilities: dict[str, Capability]


class CaseSummary(_Open):
    number: str
    case_type: str
    group_name: str | None
    citizen_name: str | None


class TaskEvent(_Open):
    """One line of a task's short history (newest last, at most 20)."""

    event: Literal["created", "forwarded", "picked_up", "handed_back", "completed", "case_closed"]
    at: str
    actor: Person | None
    to_user: Person | None
    to_team: Named | None
    note: str | None  # the forwarder's note: travels with the task


class Task(_Open):
    id: Id
    case_id: Id
    case_summary: CaseSummary
    type: str = Field(min_length=1, max_length=200)
    description: Text | None
    deadline: str | None = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="A day (YYYY-MM-DD).")
    queued_at: Moment | None
    created_by: Person | None
    assignee: Person | None
    team: Named | None
    status: Literal["queued", "assigned", "completed"]
    via_team_queue: bool
    version: Version
    capabilities: dict[str, Capability]
    history: list[TaskEvent]
    dismissed: bool  # this user said "niet voor mij" to this version: not in their Werkbak
    forward_teams: list[Named]  # the team queues the service allows this task to be forwarded to


class Team(_Open):
    id: Id
    name: str
    organisation_id: Id
    members: list[Person]


class Colleague(_Open):
    id: Id
    display_name: str
    team_ids: list[Id]
    case_type_ids: list[Id]  # the case types they may coordinate (in person or through a team)


class Preferences(_Open):
    # propertyNames, not pydantic's patternProperties (which would let any other key through).
    team_queue_email: dict[str, bool] = Field(
        json_schema_extra={"propertyNames": {"pattern": ID_PATTERN}},
        description="Per team id: mail me when work lands in its queue.",
    )
    email_on_assigned: bool
    email_on_added_to_case: bool
    desktop_notifications: bool
    version: Version


class Organisation(OrganisationSettings):
    id: Id
    name: str


class Upserts(_Closed):
    """Every kind, always (an empty list when nothing changed); a kind a client does not know
    would be lost behind the cursor, so a new kind comes with a new major version."""

    cases: list[Case]
    tasks: list[Task]
    teams: list[Team]
    case_types: list[Named]
    colleagues: list[Colleague]
    preferences: list[Preferences] = Field(max_length=1, description="The user's own, when changed.")
    organisation: list[Organisation] = Field(max_length=1, description="The user's own, when changed.")


class Removal(_Open):
    type: Literal["case", "task", "team"]
    id: Id


class FeedPage(_Open):
    """One page of the change feed (docs/API.md "Pull")."""

    cursor: str = Field(
        min_length=1, max_length=200, description="Opaque; send it back as `cursor` once this page is applied."
    )
    has_more: bool
    server_time: Moment
    upserts: Upserts
    removals: list[Removal]


class MutationResult(_Open):
    id: Id = Field(description="The mutation's id, as sent.")
    status: Literal["applied", "conflict", "rejected"]
    code: MutationCode | None
    reason: ReasonCode | None
    detail: str | None
    held_by: Person | None
    current: dict[str, Any] | None = Field(description="The case, task or preferences as this user sees it now.")
    invalidParams: list[InvalidParam] | None = None


class OfflineReadResult(_Open):
    status: Literal["recorded", "refused", "duplicate"]
    code: Literal["impossible-time", "not-found"] | None


class PushOut(_Open):
    results: list[MutationResult]
    offline_reads: list[OfflineReadResult]


class Outcome(_Open):
    mutation_id: str = Field(min_length=1, max_length=100, description="As asked.")
    outcome: Literal["applied", "refused", "unknown"]
    code: MutationCode | ReasonCode | None = Field(
        description="Why it was refused: the result's `reason`, else its `code`."
    )


class OutcomesOut(_Open):
    outcomes: list[Outcome]


class SearchOut(_Open):
    results: list[Case]


class CoordinatorReplaced(_Open):
    id: Id
    coordinator: Person
    version: Version


class Group(_Open):
    id: Id
    name: str
    organisation_id: Id
    case_count: Count
    citizen_count: Count


class GroupList(_Open):
    groups: list[Group]


class TransferOut(_Open):
    moved_cases: Count
    moved_citizens: Count


# --- declaring answers ----------------------------------------------------------------------
_PROBLEM_TEXT = {
    400: "Malformed request (`invalid-request`, `enrollment-failed`).",
    401: "No valid token (`unauthenticated`, `token-device-mismatch`, `invalid-credentials`).",
    403: "Refused: no or an unknown device certificate, a revoked device (`wipe`), a temporary-password "
    "session, or not allowed by the rules.",
    404: "Does not exist, or not in this user's view (`not-found`).",
    405: "Never possible (`method-not-allowed`, with `Allow`).",
    409: "Conflicts with the current state (`conflict`, `renewal-not-yet-allowed`).",
    410: "The cursor belongs to an older or re-initialised service (`cursor-expired`): sync from the start.",
    413: "Body over the limit (`request-too-large`).",
    422: "New password refused by the policy (`password-policy`, `invalidParams` say why).",
    423: "The account is locked (`account-locked`, with `contacts`).",
    429: "Throttled (`too-many-requests`); `Retry-After` says when to try again.",
}


def documented(
    model: type[BaseModel] | None, *problems: int, status: int = 200, description: str | None = None
) -> dict:
    """Decorator keywords: the success answer's model (schema only) and this route's own problem
    statuses. Spread into the decorator: `@router.get("/x", **documented(Model, 404))`."""
    responses: dict[int | str, dict] = {code: {"description": _PROBLEM_TEXT[code]} for code in problems}
    if model is not None:
        responses[status] = {"model": model}
        if description:
            responses[status]["description"] = description
    return {"response_model": None, "status_code": status, "responses": responses}


# --- the document ---------------------------------------------------------------------------
_VERSION_HEADER = {
    "description": "The full version of the contract (semver), on every answer.",
    "required": True,
    "schema": {"type": "string", "pattern": r"^\d+\.\d+\.\d+$"},
}
_RETRY_AFTER = {
    "description": "Seconds to wait before trying again.",
    "required": True,
    "schema": {"type": "string", "pattern": r"^\d+$"},
}
_ALLOW = {"description": "The methods this resource allows.", "required": True, "schema": {"type": "string"}}

_SECURITY_SCHEMES = {
    "deviceCertificate": {
        "type": "mutualTLS",
        "description": "TLS 1.3 client certificate of an enrolled, non-revoked device, issued by the "
        "organisation CA at enrollment (POST /api/v1/enrollments).",
    },
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "The access_token of POST /api/v1/sessions, bound to the device certificate it was issued over.",
    },
}


def operation_id(route) -> str:
    """camelCase of the route function's name (`read_case` → `readCase`): stable, readable ids
    for generated clients."""
    first, *rest = route.name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def _dependency_calls(dependant) -> set:
    calls = set()
    for sub in dependant.dependencies:
        if sub.call is not None:
            calls.add(sub.call)
        calls |= _dependency_calls(sub)
    return calls


def _auth_level(route) -> str:
    """'public', 'device', 'session' (a temporary-password token will do) or 'principal'."""
    from server_stub import deps  # the route modules import deps; deps never imports this module
    from server_stub.routes import PUBLIC_PATHS

    calls = _dependency_calls(route.dependant)
    if deps.require_principal in calls or deps.require_admin in calls:
        return "principal"
    if deps.require_session in calls:
        return "session"
    if route.path_format in PUBLIC_PATHS:
        return "public"
    return "device"


_PROBLEM_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Gone",
    413: "ContentTooLarge",
    422: "UnprocessableContent",
    423: "Locked",
    429: "TooManyRequests",
}
_VERSION_REF = {"$ref": "#/components/headers/API-Version"}


def _problem_response(status: int) -> dict:
    headers = {API_VERSION_HEADER: _VERSION_REF}
    if status == 429:
        headers["Retry-After"] = _RETRY_AFTER
    if status == 405:
        headers["Allow"] = _ALLOW
    return {
        "description": _PROBLEM_TEXT[status],
        "headers": headers,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def openapi_document(app) -> dict:
    """The complete OpenAPI 3.1 description of `app` (deterministic: no ports, no times)."""
    from fastapi import routing

    document = get_openapi(
        title="MensCentraal dienst",
        version=API_VERSION,
        routes=app.routes,
        summary="Sync and front-door API of the MensCentraal service (stub) for the Mobiel Werken client.",
        description="The protocol (cursor, pages, purge notices, long-poll, push results, outcomes) is "
        "explained in docs/API.md; this document is the schema.",
        contact={"name": "MensCentraal Mobiel", "url": "https://menscentraal.example/contact"},
        license_info={"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        servers=[
            {
                "url": "https://{host}",
                "description": "The service of your organisation",
                "variables": {"host": {"default": "localhost:8443"}},
            }
        ],
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    problem_schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem_schema.pop("$defs", {}))
    schemas["Problem"] = problem_schema
    document["components"]["securitySchemes"] = _SECURITY_SCHEMES
    document["components"]["headers"] = {API_VERSION_HEADER: _VERSION_HEADER}
    used: set[int] = set()

    routes = {
        (route.path_format, method.lower()): route
        for route in routing.iter_route_contexts(app.routes)
        if isinstance(route.original_route, routing.APIRoute)
        for method in route.methods
    }
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            route = routes[(path, method)]
            level = _auth_level(route)
            operation["security"] = {"public": [{}], "device": [{"deviceCertificate": []}]}.get(
                level, [{"deviceCertificate": [], "bearerToken": []}]
            )
            declared = {int(code) for code in route.responses if int(code) >= 400}
            # Every answer may be refused by the gate (403) or the body limit (413, 400 for a bad
            # Content-Length); a token route also by the token check.
            statuses = declared | {400, 403, 413}
            if level in ("session", "principal"):
                statuses |= {401, 423}
            responses = {code: answer for code, answer in operation["responses"].items() if int(code) < 400}
            for code, answer in responses.items():
                answer.setdefault("headers", {})[API_VERSION_HEADER] = _VERSION_REF
            for status in sorted(statuses):
                responses[str(status)] = {"$ref": f"#/components/responses/{_PROBLEM_NAMES[status]}"}
            used |= statuses
            operation["responses"] = responses
    document["components"]["responses"] = {_PROBLEM_NAMES[status]: _problem_response(status) for status in sorted(used)}
    _whole_bounds(document)
    return document


def _whole_bounds(node) -> None:
    """FastAPI writes an integer's bounds as floats (`"minimum": 1.0`); a generated client in a
    typed language then reads a float bound on an integer. Write whole numbers as integers."""
    if isinstance(node, dict):
        for key, value in node.items():
            if (
                key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
                and isinstance(value, float)
                and value.is_integer()
            ):
                node[key] = int(value)
            else:
                _whole_bounds(value)
    elif isinstance(node, list):
        for item in node:
            _whole_bounds(item)


class ApiVersionHeader:
    """ASGI middleware: `API-Version: <semver>` on every answer, including the gate's refusals."""

    _HEADER = (API_VERSION_HEADER.lower().encode("ascii"), API_VERSION.encode("ascii"))

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_version(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), self._HEADER]
            await send(message)

        return await self.app(scope, receive, with_version)
