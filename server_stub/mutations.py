"""The push's mutations: one function per kind that checks the payload and the rules, applies the
change, publishes it to the feed and picks the mails — all inside one transaction per mutation.

`apply_mutation` adds the at-most-once guarantee: the (user, mutation id) pair, the body's hash
and the result are stored in the same transaction as the change, so a retry returns the stored
result and the same id with another body is refused (`mutation-id-reused`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from pydantic import Field, ValidationError, model_validator

from server_stub import notify, rules
from server_stub.contract import MAX_TEXT
from server_stub.problems import ID_PATTERN, StrictModel
from server_stub.store import feed, to_iso, work

Id = Field(pattern=ID_PATTERN)

DETAILS = {
    "not-found": "Deze zaak of taak bestaat niet (meer); ververs de gegevens.",
    "invalid-request": "De wijziging is ongeldig; controleer de invoer en probeer het opnieuw.",
    "mutation-id-reused": "Deze wijziging is al eens met andere inhoud verstuurd; maak een nieuwe wijziging.",
    "conflict": "Iemand anders heeft dit intussen gewijzigd; bekijk de huidige stand en probeer het zo nodig opnieuw.",
    "task-held-by-other": "Een collega heeft deze taak al opgepakt.",
    "not-case-member": "Alleen de zaakcoördinator of een zaakondersteuner mag deze zaak wijzigen; vraag hen u toe te voegen.",
    "case-closed": "Deze zaak is afgesloten en kan niet meer worden gewijzigd.",
    "not-team-member": "Alleen leden van dit team kunnen deze taak uit de werkbak oppakken.",
    "not-task-holder": "Alleen wie deze taak heeft opgepakt, kan dit doen.",
    "no-team-queue": "Deze taak komt niet uit een werkbak; stuur hem door als u hem niet uitvoert.",
    "task-completed": "Deze taak is al afgerond.",
    "admin-only": "Alleen de lokaal beheerder of de helpdesk mag dit doen.",
    "coordinator-not-authorised": "Deze collega mag niet aan dit zaaktype werken; kies een andere zaakcoördinator.",
    "forward-to-self": "U kunt een taak niet naar uzelf doorsturen; kies een collega of een werkbak.",
    "service-account": "Naar dit systeemaccount kunt u geen taak doorsturen; kies een collega of een werkbak.",
    "team-not-authorised-for-case-type": "Dit team werkt niet aan dit zaaktype; kies een andere werkbak of een collega.",
    "already-in-queue": "De taak staat al in deze werkbak; kies een andere werkbak of een collega.",
}
MAX_FORWARD_NOTE = 2_000


# ---------------------------------------------------------------- payloads (strict: no extras)


class WrittenAt(StrictModel):
    """When a note was written: the device's local time and its server-anchored estimate."""

    local_time: str = Field(min_length=1, max_length=40)
    estimated_time: str = Field(min_length=1, max_length=40)


class JournalAdd(StrictModel):
    case_id: str = Id
    entry_id: str = Id
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    written: WrittenAt | None = None


class StepComplete(StrictModel):
    case_id: str = Id
    step_id: str = Id
    summary: str | None = Field(default=None, max_length=MAX_TEXT)


class CaseClose(StrictModel):
    case_id: str = Id
    outcome: str = Field(pattern="^(" + "|".join(rules.OUTCOMES) + ")$")


class CaseUser(StrictModel):
    case_id: str = Id
    user_id: str = Id


class _OneTarget(StrictModel):
    user_id: str | None = Field(default=None, pattern=ID_PATTERN)
    team_id: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.user_id is None) == (self.team_id is None):
            raise ValueError("give exactly one of user_id and team_id")
        return self


class TaskCreate(StrictModel):
    task_id: str = Id
    case_id: str = Id
    type: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=MAX_TEXT)
    deadline: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    assignee_id: str | None = Field(default=None, pattern=ID_PATTERN)
    team_id: str | None = Field(default=None, pattern=ID_PATTERN)

    @model_validator(mode="after")
    def _exactly_one(self):
        if (self.assignee_id is None) == (self.team_id is None):
            raise ValueError("give exactly one of assignee_id and team_id")
        return self


class TaskRef(StrictModel):
    task_id: str = Id


class TaskForward(_OneTarget):
    task_id: str = Id
    note: str | None = Field(default=None, max_length=MAX_FORWARD_NOTE)  # travels with the task


class PreferencesSet(StrictModel):
    team_queue_email: dict[str, bool]
    email_on_assigned: bool
    email_on_added_to_case: bool
    desktop_notifications: bool


# ---------------------------------------------------------------- results


@dataclass
class Outcome:
    """A mutation's result for the client, plus who to wake and what to mail after the commit."""

    result: dict
    touched: set[str] = field(default_factory=set)
    mails: list[notify.Mail] = field(default_factory=list)


class Refused(Exception):
    """Ends a mutation early with a rejected or conflict result (nothing is changed)."""

    def __init__(
        self,
        status: str,
        code: str,
        *,
        reason: str | None = None,
        held_by: dict | None = None,
        invalid_params: list | None = None,
        detail: str | None = None,
    ):
        super().__init__(code)
        self.status, self.code, self.reason = status, code, reason
        self.held_by, self.invalid_params, self.detail = held_by, invalid_params, detail


def _result(
    mutation_id: str,
    status: str,
    *,
    code=None,
    reason=None,
    held_by=None,
    current=None,
    invalid_params=None,
    detail=None,
) -> dict:
    result = {
        "id": mutation_id,
        "status": status,
        "code": code,
        "reason": reason,
        "detail": (detail or DETAILS.get(reason or code)) if status != "applied" else None,
        "held_by": held_by,
        "current": current,
    }
    if invalid_params:
        result["invalidParams"] = invalid_params
    return result


@dataclass
class Ctx:
    conn: object
    viewer: rules.Viewer
    at: str
    base_version: int | None
    device_id: str | None = None
    touched: set[str] = field(default_factory=set)
    mails: list[notify.Mail] = field(default_factory=list)
    current: Callable[[], dict | None] = lambda: None
    written: tuple[str | None, bool] | None = None  # a note's stamps as judged (judge_time), for its audit


def current_case(conn, viewer: rules.Viewer, case_id: str) -> dict | None:
    case = work.load_cases(conn, [case_id]).get(case_id)
    return feed.case_for(viewer, case) if case else None


def current_task(conn, viewer: rules.Viewer, task_id: str) -> dict | None:
    shown = feed.tasks_for(conn, viewer, [task_id])
    return shown[0] if shown else None


# ---------------------------------------------------------------- case kinds


def _member_case(ctx: Ctx, case_id: str, action: str) -> rules.CaseFacts:
    """The case's facts, when this viewer may do `action` on it (C5, C7, C8, D3)."""
    facts = _visible_case(ctx.conn, ctx.viewer, case_id)
    if facts is None:
        raise Refused("rejected", "not-found")  # the same answer as an id that never existed
    ctx.current = lambda: current_case(ctx.conn, ctx.viewer, case_id)
    capability = rules.case_capabilities(ctx.viewer, facts)[action]
    if not capability["allowed"]:
        raise Refused("rejected", "forbidden", reason=capability["reason"])
    return facts


def _visible_case(conn, viewer: rules.Viewer, case_id: object) -> rules.CaseFacts | None:
    """The case's facts when this viewer has some view of it; None as if it did not exist."""
    facts = work.case_facts(conn, case_id)
    if facts is None or facts.organisation_id != viewer.organisation_id or not rules.may_see_case(viewer, facts):
        return None
    return facts


def _visible_task(conn, viewer: rules.Viewer, task_id: object) -> tuple[rules.TaskFacts, rules.CaseFacts] | None:
    """The task and its case when this viewer may act on it (judged before the action)."""
    found = work.task_facts(conn, task_id)
    if found is None:
        return None
    task, case_id = found
    case = work.case_facts(conn, case_id)
    if case.organisation_id != viewer.organisation_id or not rules.may_act_on_task(viewer, task, case):
        return None
    return task, case


def _colleague(ctx: Ctx, user_id: str) -> None:
    if not work.active_user_in_organisation(ctx.conn, user_id, ctx.viewer.organisation_id):
        raise Refused(
            "rejected", "invalid-request", invalid_params=[{"name": "payload.user_id", "reason": "unknown-user"}]
        )


def _case_number(ctx: Ctx, case_id: str) -> str:
    return ctx.conn.execute("SELECT number FROM cases WHERE id = ?", (case_id,)).fetchone()[0]


def journal_add(ctx: Ctx, p: JournalAdd) -> None:
    """Append-only: never a conflict, only refused when not a member or the case is closed."""
    _member_case(ctx, p.case_id, "add_note")
    if work.journal_entry_exists(ctx.conn, p.entry_id):
        raise Refused(
            "rejected", "invalid-request", invalid_params=[{"name": "payload.entry_id", "reason": "already-used"}]
        )
    work.add_journal_entry(
        ctx.conn, p.case_id, p.entry_id, p.text, ctx.viewer.user_id, ctx.at, written_at=_written_at(ctx, p.written)
    )
    ctx.touched |= feed.publish_case(ctx.conn, p.case_id)


def _written_at(ctx: Ctx, written: WrittenAt | None) -> str | None:
    """The note's written-at time to keep and show: the server-anchored estimate, unless it is
    impossible (then only the received time counts; the audit log keeps both stamps)."""
    if written is None:
        return None
    estimate = parse_time(written.estimated_time)
    ctx.written = judge_time(ctx.conn, ctx.device_id, parse_time(written.local_time), estimate)
    impossible, _ = ctx.written
    if impossible or estimate is None:
        return None
    return to_iso(estimate)


def step_complete(ctx: Ctx, p: StepComplete) -> None:
    _member_case(ctx, p.case_id, "complete_step")
    status = work.step_status(ctx.conn, p.case_id, p.step_id)
    if status is None:
        raise Refused("rejected", "not-found")
    if status == "closed":
        raise Refused("conflict", "conflict")
    work.complete_step(ctx.conn, p.case_id, p.step_id, p.summary, ctx.viewer.user_id, ctx.at)
    ctx.touched |= feed.publish_case(ctx.conn, p.case_id)


def case_close(ctx: Ctx, p: CaseClose) -> None:
    """Closing needs an outcome (administratieve_fout among them); closed stays closed (D3)."""
    facts = work.case_facts(ctx.conn, p.case_id)
    if facts is not None and facts.status == "closed" and rules.is_case_member(ctx.viewer, facts):
        ctx.current = lambda: current_case(ctx.conn, ctx.viewer, p.case_id)
        raise Refused("conflict", "conflict")
    _member_case(ctx, p.case_id, "close")
    for task_id in work.close_case(ctx.conn, p.case_id, p.outcome, ctx.at):
        # The task pane says why a task nobody finished is done: its case was closed, by whom.
        work.add_task_event(ctx.conn, task_id, "case_closed", ctx.viewer.user_id, ctx.at)
    ctx.touched |= feed.publish_case(ctx.conn, p.case_id)


def case_set_coordinator(ctx: Ctx, p: CaseUser) -> None:
    """A member (a supporter too, C3) names the coordinator; still exactly one (C2)."""
    facts = _member_case(ctx, p.case_id, "change_coordinator")
    _colleague(ctx, p.user_id)
    replace_coordinator(ctx, p.case_id, facts, p.user_id)


def _stale(ctx: Ctx, changed_version: int, changed_by_device: str | None) -> bool:
    """Someone else (another device) changed the field after the version the client saw."""
    return ctx.base_version is not None and changed_version > ctx.base_version and changed_by_device != ctx.device_id


def replace_coordinator(ctx: Ctx, case_id: str, facts: rules.CaseFacts, user_id: str) -> None:
    """Every way of naming a coordinator ends here, so the rule of issue 13 item 1 holds for all
    of them: the new coordinator may work on the case type (seed C6's authorisation)."""
    _, coordinator_version, changed_by = work.case_version(ctx.conn, case_id)
    if _stale(ctx, coordinator_version, changed_by):
        raise Refused("conflict", "conflict")
    if facts.coordinator_id == user_id:
        return
    if not work.may_work_on_case_type(ctx.conn, user_id, facts.case_type_id):
        raise Refused(
            "rejected",
            "invalid-request",
            detail=DETAILS["coordinator-not-authorised"],
            invalid_params=[{"name": "payload.user_id", "reason": "not-authorised-for-case-type"}],
        )
    work.set_coordinator(ctx.conn, case_id, user_id, ctx.at, ctx.device_id)
    ctx.touched |= feed.publish_case(ctx.conn, case_id)
    ctx.mails += notify.added_to_case_mails(
        ctx.conn,
        user_id=user_id,
        case_number=_case_number(ctx, case_id),
        role="coordinator",
        sender_id=ctx.viewer.user_id,
    )


def case_add_supporter(ctx: Ctx, p: CaseUser) -> None:
    facts = _member_case(ctx, p.case_id, "add_supporter")
    _colleague(ctx, p.user_id)
    if rules.is_case_member(rules.Viewer(p.user_id, "", ""), facts):
        return  # already on the case: nothing to do
    work.add_supporter(ctx.conn, p.case_id, p.user_id, ctx.at)
    ctx.touched |= feed.publish_case(ctx.conn, p.case_id)
    ctx.mails += notify.added_to_case_mails(
        ctx.conn,
        user_id=p.user_id,
        case_number=_case_number(ctx, p.case_id),
        role="supporter",
        sender_id=ctx.viewer.user_id,
    )


def case_remove_supporter(ctx: Ctx, p: CaseUser) -> None:
    facts = _member_case(ctx, p.case_id, "remove_supporter")
    if p.user_id not in facts.supporter_ids:
        return  # not (or no longer) a supporter: nothing to do
    work.remove_supporter(ctx.conn, p.case_id, p.user_id, ctx.at)
    ctx.touched |= feed.publish_case(ctx.conn, p.case_id)


# ---------------------------------------------------------------- task kinds


def _task(ctx: Ctx, task_id: str) -> tuple[rules.TaskFacts, rules.CaseFacts]:
    """The task and its case, when the viewer may act on it; else as if it did not exist."""
    found = _visible_task(ctx.conn, ctx.viewer, task_id)
    if found is None:
        raise Refused("rejected", "not-found")
    task, case = found
    ctx.current = lambda: current_task(ctx.conn, ctx.viewer, task_id)
    return task, case


def _held_by(ctx: Ctx, task: rules.TaskFacts) -> dict | None:
    return work.user_brief(ctx.conn, task.assignee_id) if task.status == "assigned" else None


def _refuse_task(ctx: Ctx, task: rules.TaskFacts, case: rules.CaseFacts, action: str) -> None:
    """Refuse unless allowed; a task whose state moved on is a conflict, a rule a rejection."""
    capability = rules.task_capabilities(ctx.viewer, task, case)[action]
    if capability["allowed"]:
        return
    reason = capability["reason"]
    if reason in ("task-held-by-other", "task-completed", "not-task-holder", "task-not-in-queue"):
        raise Refused("conflict", "conflict", reason=reason, held_by=_held_by(ctx, task))
    raise Refused("rejected", "forbidden", reason=reason)


def _task_mails(ctx: Ctx, task_id: str, case_id: str, *, user_id: str | None, team_id: str | None) -> None:
    number = _case_number(ctx, case_id)
    if team_id is not None:
        ctx.mails += notify.team_queue_mails(
            ctx.conn, team_id=team_id, task_id=task_id, case_number=number, sender_id=ctx.viewer.user_id
        )
    else:
        ctx.mails += notify.assigned_mails(
            ctx.conn, user_id=user_id, task_id=task_id, case_number=number, sender_id=ctx.viewer.user_id
        )


def _task_target(ctx: Ctx, user_id: str | None, team_id: str | None, user_field: str) -> None:
    if user_id is not None:
        if not work.active_user_in_organisation(ctx.conn, user_id, ctx.viewer.organisation_id):
            raise Refused(
                "rejected",
                "invalid-request",
                invalid_params=[{"name": f"payload.{user_field}", "reason": "unknown-user"}],
            )
    elif not work.team_in_organisation(ctx.conn, team_id, ctx.viewer.organisation_id):
        raise Refused(
            "rejected", "invalid-request", invalid_params=[{"name": "payload.team_id", "reason": "unknown-team"}]
        )


def task_create(ctx: Ctx, p: TaskCreate) -> None:
    _member_case(ctx, p.case_id, "create_task")
    if work.task_exists(ctx.conn, p.task_id):
        raise Refused(
            "rejected", "invalid-request", invalid_params=[{"name": "payload.task_id", "reason": "already-used"}]
        )
    _task_target(ctx, p.assignee_id, p.team_id, "assignee_id")
    work.create_task(
        ctx.conn,
        task_id=p.task_id,
        case_id=p.case_id,
        task_type=p.type,
        description=p.description or "",
        deadline=p.deadline,
        created_by=ctx.viewer.user_id,
        assignee_id=p.assignee_id,
        team_id=p.team_id,
        at=ctx.at,
    )
    ctx.touched |= feed.publish(ctx.conn, "task", p.task_id)
    ctx.current = lambda: current_task(ctx.conn, ctx.viewer, p.task_id)
    _task_mails(ctx, p.task_id, p.case_id, user_id=p.assignee_id, team_id=p.team_id)


def task_pickup(ctx: Ctx, p: TaskRef) -> None:
    """T4: the compare-and-set decides; the loser hears who has it."""
    task, case = _task(ctx, p.task_id)
    if task.status == "assigned" and task.assignee_id == ctx.viewer.user_id:
        return  # already mine (a pick-up from another device of mine)
    _refuse_task(ctx, task, case, "pickup")
    if not work.pickup_task(ctx.conn, p.task_id, ctx.viewer.user_id, ctx.at):
        task, _ = work.task_facts(ctx.conn, p.task_id)
        raise Refused("conflict", "conflict", reason="task-held-by-other", held_by=_held_by(ctx, task))
    ctx.touched |= feed.publish(ctx.conn, "task", p.task_id)


def task_release(ctx: Ctx, p: TaskRef) -> None:
    task, case = _task(ctx, p.task_id)
    _refuse_task(ctx, task, case, "release")
    work.release_task(ctx.conn, p.task_id, ctx.viewer.user_id, ctx.at)
    ctx.touched |= feed.publish(ctx.conn, "task", p.task_id)
    ctx.mails += notify.team_queue_mails(
        ctx.conn,
        team_id=task.team_id,
        task_id=p.task_id,
        case_number=_case_number_of_task(ctx, p.task_id),
        sender_id=ctx.viewer.user_id,
    )


def _case_number_of_task(ctx: Ctx, task_id: str) -> str:
    return ctx.conn.execute(
        "SELECT c.number FROM tasks t JOIN cases c ON c.id = t.case_id WHERE t.id = ?", (task_id,)
    ).fetchone()[0]


def task_complete(ctx: Ctx, p: TaskRef) -> None:
    task, case = _task(ctx, p.task_id)
    _refuse_task(ctx, task, case, "complete")
    work.complete_task(ctx.conn, p.task_id, ctx.viewer.user_id, ctx.at)
    ctx.touched |= feed.publish(ctx.conn, "task", p.task_id)


def task_forward(ctx: Ctx, p: TaskForward) -> None:
    """T2, T5: to a colleague, or into a team's queue (which mails the team, T3); the service
    decides which targets are allowed (`rules.forward_refusal`), the note goes into the history."""
    task, case = _task(ctx, p.task_id)
    _refuse_task(ctx, task, case, "forward")
    target = work.forward_target(ctx.conn, ctx.viewer.organisation_id, user_id=p.user_id, team_id=p.team_id)
    refusal = rules.forward_refusal(ctx.viewer, task, case, target)
    if refusal is not None:
        field_name = "payload.user_id" if p.user_id is not None else "payload.team_id"
        raise Refused(
            "rejected",
            "invalid-request",
            detail=DETAILS.get(refusal),
            invalid_params=[{"name": field_name, "reason": refusal}],
        )
    note = (p.note or "").strip() or None
    work.forward_task(
        ctx.conn, p.task_id, user_id=p.user_id, team_id=p.team_id, at=ctx.at, by=ctx.viewer.user_id, note=note
    )
    ctx.touched |= feed.publish(ctx.conn, "task", p.task_id)
    case_id = work.task_facts(ctx.conn, p.task_id)[1]
    _task_mails(ctx, p.task_id, case_id, user_id=p.user_id, team_id=p.team_id)


def task_dismiss(ctx: Ctx, p: TaskRef) -> None:
    """ "Niet voor mij" (T5): out of this user's Werkbak until the task changes; nobody else's."""
    task, case = _task(ctx, p.task_id)
    _refuse_task(ctx, task, case, "dismiss")
    work.dismiss_task(ctx.conn, p.task_id, ctx.viewer.user_id)
    ctx.touched |= feed.publish_to(ctx.conn, ctx.viewer.user_id, "task", p.task_id)


# ---------------------------------------------------------------- preferences


def preferences_set(ctx: Ctx, p: PreferencesSet) -> None:
    user_id = ctx.viewer.user_id
    ctx.current = lambda: work.load_preferences(ctx.conn, user_id)
    unknown = sorted(set(p.team_queue_email) - ctx.viewer.team_ids)
    if unknown:
        raise Refused(
            "rejected",
            "invalid-request",
            invalid_params=[{"name": "payload.team_queue_email", "reason": "not-your-team"}],
        )
    version = work.load_preferences(ctx.conn, user_id)["version"]
    if _stale(ctx, version, work.preferences_changed_by_device(ctx.conn, user_id)):
        raise Refused("conflict", "conflict")
    work.save_preferences(ctx.conn, user_id, p.model_dump(), ctx.device_id)
    ctx.touched |= feed.publish_preferences(ctx.conn, user_id)


# ---------------------------------------------------------------- dispatch

KINDS: dict[str, tuple[type[StrictModel], Callable, str]] = {
    "journal.add": (JournalAdd, journal_add, "case"),
    "step.complete": (StepComplete, step_complete, "case"),
    "case.close": (CaseClose, case_close, "case"),
    "case.set_coordinator": (CaseUser, case_set_coordinator, "case"),
    "case.add_supporter": (CaseUser, case_add_supporter, "case"),
    "case.remove_supporter": (CaseUser, case_remove_supporter, "case"),
    "task.create": (TaskCreate, task_create, "task"),
    "task.pickup": (TaskRef, task_pickup, "task"),
    "task.release": (TaskRef, task_release, "task"),
    "task.complete": (TaskRef, task_complete, "task"),
    "task.forward": (TaskForward, task_forward, "task"),
    "task.dismiss": (TaskRef, task_dismiss, "task"),
    "preferences.set": (PreferencesSet, preferences_set, "preferences"),
}


def body_hash(kind: str, base_version: int | None, payload: dict) -> str:
    canonical = json.dumps(
        {"kind": kind, "base_version": base_version, "payload": payload},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _object_id(object_type: str, payload: dict, viewer: rules.Viewer) -> str | None:
    if object_type == "preferences":
        return viewer.user_id
    value = payload.get("case_id" if object_type == "case" else "task_id")
    return value if isinstance(value, str) else None


def apply_mutation(
    db, principal, viewer: rules.Viewer, mutation_id: str, kind: str, base_version: int | None, payload: dict, at: str
) -> Outcome:
    """Apply one pushed mutation at most once, in its own transaction."""
    digest = body_hash(kind, base_version, payload)
    with db.transaction() as conn:
        stored = conn.execute(
            "SELECT body_hash, result FROM pushed_mutations WHERE user_id = ? AND mutation_id = ?",
            (viewer.user_id, mutation_id),
        ).fetchone()
        if stored is not None:
            if stored[0] == digest:
                return Outcome(_retried(conn, viewer, kind, payload, json.loads(stored[1])))
            return Outcome(_result(mutation_id, "rejected", code="mutation-id-reused"))
        ctx = Ctx(
            conn=conn, viewer=viewer, at=at, base_version=base_version, device_id=getattr(principal, "device_id", None)
        )
        result = _run(ctx, mutation_id, kind, payload)
        object_type = KINDS[kind][2] if kind in KINDS else "mutation"
        detail = {"mutation_id": mutation_id, "status": result["status"], "code": result["code"]}
        if kind == "journal.add" and isinstance(payload.get("written"), dict):
            detail["written"] = written_detail(conn, ctx.device_id, payload["written"], ctx.written)
        db.audit(
            principal,
            f"push.{kind}" if kind in KINDS else "push.unknown",
            object_type,
            _object_id(object_type, payload, viewer),
            detail,
        )
        conn.execute(
            "INSERT INTO pushed_mutations (user_id, mutation_id, body_hash, result, applied_at) VALUES (?, ?, ?, ?, ?)",
            (viewer.user_id, mutation_id, digest, json.dumps(result), at),
        )
    if result["status"] != "applied":
        return Outcome(result)
    return Outcome(result, ctx.touched, ctx.mails)


def _retried(conn, viewer: rules.Viewer, kind: str, payload: dict, stored: dict) -> dict:
    """A retry's answer: the stored result while the user may still see the object, with the
    object as they may see it now; otherwise the outcome alone (status and code), no content."""
    object_type = KINDS[kind][2] if kind in KINDS else None
    object_id = _object_id(object_type, payload, viewer) if object_type else None
    if object_type is None or object_id is None or object_type == "preferences":
        return stored  # nothing of anyone else's in it: the user's own input or preferences
    if object_type == "case":
        visible = _visible_case(conn, viewer, object_id) is not None
        current = lambda: current_case(conn, viewer, object_id)
    else:
        visible = _visible_task(conn, viewer, object_id) is not None
        current = lambda: current_task(conn, viewer, object_id)
    if visible:
        return dict(stored, current=current() if stored.get("current") is not None else None)
    return _result(stored["id"], stored["status"], code=stored["code"])


def _run(ctx: Ctx, mutation_id: str, kind: str, payload: dict) -> dict:
    if kind not in KINDS:
        return _result(
            mutation_id, "rejected", code="invalid-request", invalid_params=[{"name": "kind", "reason": "unknown-kind"}]
        )
    model, handler, _ = KINDS[kind]
    try:
        parsed = model.model_validate(payload)
    except ValidationError as exc:
        params = [
            {
                "name": "payload." + ".".join(str(p) for p in e.get("loc", ())) if e.get("loc") else "payload",
                "reason": e.get("type", "invalid"),
            }
            for e in exc.errors()
        ]
        return _result(mutation_id, "rejected", code="invalid-request", invalid_params=params)
    conn = ctx.conn
    conn.execute("SAVEPOINT mutation")
    try:
        handler(ctx, parsed)
    except Refused as refused:
        # A refusal changes nothing, even if the handler had begun.
        conn.execute("ROLLBACK TO mutation")
        conn.execute("RELEASE mutation")
        return _result(
            mutation_id,
            refused.status,
            code=refused.code,
            reason=refused.reason,
            held_by=refused.held_by,
            current=ctx.current(),
            invalid_params=refused.invalid_params,
            detail=refused.detail,
        )
    conn.execute("RELEASE mutation")
    return _result(mutation_id, "applied", current=ctx.current())


CLOCK_SKEW = timedelta(minutes=10)


def judge_time(
    conn, device_id: str | None, local: datetime | None, estimate: datetime | None
) -> tuple[str | None, bool]:
    """A device's time stamp judged by its server-anchored estimate: (why it is impossible or
    None, whether the local time is skewed). Impossible: unreadable, in the future, or before
    the device was enrolled."""
    if estimate is None:
        return "invalid-time", True
    if estimate > datetime.now(timezone.utc) + CLOCK_SKEW:
        return "in-future", True
    row = conn.execute("SELECT enrolled_at FROM devices WHERE id = ?", (device_id,)).fetchone() if device_id else None
    enrolled = parse_time(row[0]) if row else None
    if enrolled is not None and estimate < enrolled - CLOCK_SKEW:
        return "before-enrollment", True
    return None, local is None or abs(local - estimate) > CLOCK_SKEW


def written_detail(conn, device_id: str | None, written: dict, judged: tuple[str | None, bool] | None = None) -> dict:
    """The audit detail of a note's written-at stamps (a note is never refused for its clock).
    `judged`: the judgement the note's kind already made of the same stamps (once per note)."""
    if judged is None:  # refused before its stamps were looked at
        local, estimate = parse_time(str(written.get("local_time"))), parse_time(str(written.get("estimated_time")))
        judged = judge_time(conn, device_id, local, estimate)
    impossible, skew = judged
    detail = {
        "local_time": written.get("local_time"),
        "estimated_time": written.get("estimated_time"),
        "clock_skew": skew,
    }
    if impossible:
        detail.update(suspicious=True, reason=impossible)
    return detail


def parse_time(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        moment.astimezone(timezone.utc)  # year 1 at +14:00 is before any datetime: not a time
    except (ValueError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else None
