"""Cases outside the feed: search by body (C6), read one, no deleting (D3), and the
administrator's coordinator replacement (our decision beyond C8)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from pydantic import Field, model_validator

from server_stub import contract
from server_stub.contract import documented
from server_stub import mutations, notify, rules
from server_stub.deps import Principal, get_db, get_mailer, require_admin, require_principal
from server_stub.problems import ID_PATTERN, PathId, Problem, StrictModel
from server_stub.routes.sync import get_feed_signal, viewer_of
from server_stub.store import Database, feed, work

router = APIRouter(prefix="/api/v1", tags=["cases"])

NO_DELETE = (
    "Een zaak kan niet worden verwijderd; sluit een per ongeluk aangemaakte zaak af "
    "met het resultaat 'administratieve fout'."
)


class SearchIn(StrictModel):
    """Search terms travel only in the body, never in a URL or a log line (C6)."""

    case_number: str | None = Field(default=None, min_length=1, max_length=40)
    bsn: str | None = Field(default=None, pattern=r"^\d{9}$")

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.case_number is None) == (self.bsn is None):
            raise ValueError("give exactly one of case_number and bsn")
        return self


@router.post("/cases/search", **documented(contract.SearchOut))
def search(body: SearchIn, principal: Principal = Depends(require_principal), db: Database = Depends(get_db)):
    conn = db.conn()
    viewer = viewer_of(conn, principal)
    # the helpdesk acts for every organisation; everyone else searches their own
    scope = None if principal.role == "helpdesk" else principal.organisation_id
    ids = work.find_case_ids(conn, case_number=body.case_number, bsn=body.bsn, organisation_id=scope)
    loaded = work.load_cases(conn, ids)
    results = [shown for shown in (feed.case_for(viewer, loaded[i]) for i in ids if i in loaded) if shown is not None]
    # The audit says that a search happened and what it returned, never the terms.
    db.audit(
        principal,
        "case.search",
        "case",
        None,
        {"by": "case_number" if body.case_number else "bsn", "results": len(results)},
    )
    for case in results:
        db.audit(principal, "case.read", "case", case["id"], {"via": "search"})
    return {"results": results}


@router.get("/cases/{case_id}", **documented(contract.Case, 404))
def read_case(case_id: PathId, principal: Principal = Depends(require_principal), db: Database = Depends(get_db)):
    conn = db.conn()
    case = work.load_cases(conn, [case_id]).get(case_id)
    shown = None
    if case is not None and case["organisation_id"] == principal.organisation_id:
        shown = feed.case_for(viewer_of(conn, principal), case)
    if shown is None:
        raise Problem(404, "not-found")
    db.audit(principal, "case.read", "case", case_id, {"via": "get"})
    return shown


@router.delete("/cases/{case_id}", **documented(None, 405))
def delete_case(case_id: PathId, principal: Principal = Depends(require_principal), db: Database = Depends(get_db)):
    """D3, D4: a case is never deleted; the attempt is audited."""
    db.audit(principal, "case.delete_refused", "case", case_id)
    raise Problem(405, "method-not-allowed", NO_DELETE, headers={"Allow": "GET"})


NO_SELF_TAKEOVER = "U kunt uzelf niet tot zaakcoördinator maken; kies een collega die met dit zaaktype werkt."
NOT_AUTHORISED = "Deze collega werkt niet met dit zaaktype; kies een collega die voor dit zaaktype bevoegd is."


class ReplaceCoordinatorIn(StrictModel):
    user_id: str = Field(pattern=ID_PATTERN)
    reason: str = Field(min_length=10, max_length=2000)


def _refuse_self_takeover(db: Database, principal: Principal, case_id: str) -> None:
    """C8: an administrator never names themselves (and so never reads the case by it). The
    attempt is audited; a case outside their organisations stays a 404 as always."""
    facts = work.case_facts(db.conn(), case_id)
    if facts is None or not principal.may_administer(facts.organisation_id):
        raise Problem(404, "not-found")
    db.audit(principal, "case.admin_self_takeover_refused", "case", case_id)
    raise Problem(403, "forbidden", NO_SELF_TAKEOVER, reason="self-takeover")


@router.post("/admin/cases/{case_id}/coordinator", **documented(contract.CoordinatorReplaced, 404, 409))
def admin_replace_coordinator(
    case_id: PathId,
    body: ReplaceCoordinatorIn,
    request: Request,
    principal: Principal = Depends(require_admin),
    db: Database = Depends(get_db),
    mailer=Depends(get_mailer),
):
    """A local administrator (own organisation) or the helpdesk replaces the coordinator, with a
    written reason kept beside the case and an audit entry pointing at it."""
    if not body.reason.strip():
        raise Problem(400, "invalid-request", invalid_params=[{"name": "reason", "reason": "empty"}])
    if body.user_id == principal.user_id:
        _refuse_self_takeover(db, principal, case_id)
    with db.transaction() as conn:
        viewer = viewer_of(conn, principal)
        facts = work.case_facts(conn, case_id)
        if facts is None or not rules.is_organisation_admin(viewer, facts.organisation_id):
            raise Problem(404, "not-found")
        capability = rules.case_capabilities(viewer, facts)["admin_replace_coordinator"]
        if not capability["allowed"]:
            raise Problem(409, "conflict", mutations.DETAILS[capability["reason"]], reason=capability["reason"])
        if not work.active_user_in_organisation(conn, body.user_id, facts.organisation_id):
            raise Problem(400, "invalid-request", invalid_params=[{"name": "user_id", "reason": "unknown-user"}])
        if not work.may_work_on_case_type(conn, body.user_id, facts.case_type_id):
            raise Problem(
                400,
                "invalid-request",
                NOT_AUTHORISED,
                invalid_params=[{"name": "user_id", "reason": "not-authorised-for-case-type"}],
            )
        at = work.now_iso()
        ctx = mutations.Ctx(conn=conn, viewer=viewer, at=at, base_version=None, device_id=principal.device_id)
        mutations.replace_coordinator(ctx, case_id, facts, body.user_id)
        replacement_id = uuid.uuid4().hex
        work.record_coordinator_replacement(
            conn,
            replacement_id=replacement_id,
            case_id=case_id,
            previous_id=facts.coordinator_id,
            new_id=body.user_id,
            replaced_by=principal.user_id,
            reason=body.reason.strip(),
            at=at,
        )
        db.audit(
            principal,
            "case.admin_replace_coordinator",
            "case",
            case_id,
            {
                "previous_coordinator_id": facts.coordinator_id,
                "new_coordinator_id": body.user_id,
                "replacement_id": replacement_id,
            },
        )
        version = work.case_version(conn, case_id)[0]
        answer = {"id": case_id, "coordinator": work.user_brief(conn, body.user_id), "version": version}
    get_feed_signal(request).notify(ctx.touched)
    notify.send_all(mailer, ctx.mails)
    return answer
