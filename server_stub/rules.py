"""The seed's rules about cases and tasks, as plain functions.

Everything here is pure: facts in, decisions out. The store gathers the facts, the routes apply
the decisions, and every case or task the service sends carries the resulting capabilities, so
that the client shows them and never re-implements them. Reason codes are those of docs/API.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

ADMIN_ROLES = frozenset({"lokaal_beheerder", "helpdesk"})
OUTCOMES = ("afgerond", "administratieve_fout", "doorverwezen", "ingetrokken")

CASE_ACTIONS = (
    "read",
    "read_closed_steps",
    "add_note",
    "complete_step",
    "close",
    "create_task",
    "add_supporter",
    "remove_supporter",
    "change_coordinator",
    "admin_replace_coordinator",
    "delete",
)
# Actions only a coordinator or supporter may do, and only while the case is open (C5, C7, D3).
MEMBER_EDIT_ACTIONS = (
    "add_note",
    "complete_step",
    "close",
    "create_task",
    "add_supporter",
    "remove_supporter",
    "change_coordinator",
)
TASK_ACTIONS = ("pickup", "release", "forward", "complete", "dismiss")


@dataclass(frozen=True)
class Viewer:
    """Who asks: the facts about a user that the rules need."""

    user_id: str
    role: str
    organisation_id: str
    team_ids: frozenset[str] = field(default_factory=frozenset)
    case_type_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class CaseFacts:
    organisation_id: str
    case_type_id: str
    status: str  # open | closed
    coordinator_id: str
    supporter_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class TaskFacts:
    status: str  # queued | assigned | completed
    assignee_id: str | None
    team_id: str | None


def _yes() -> dict:
    return {"allowed": True, "reason": None}


def _no(reason: str) -> dict:
    return {"allowed": False, "reason": reason}


def is_case_member(viewer: Viewer, case: CaseFacts) -> bool:
    """Coordinator or supporter: the case is in their My Cases (C2, C3)."""
    return viewer.user_id == case.coordinator_id or viewer.user_id in case.supporter_ids


def is_organisation_admin(viewer: Viewer, organisation_id: str) -> bool:
    """Local administrator of that organisation, or the helpdesk (for every organisation)."""
    if viewer.role == "helpdesk":
        return True
    return viewer.role == "lokaal_beheerder" and viewer.organisation_id == organisation_id


def may_read_closed_steps(viewer: Viewer, case: CaseFacts) -> bool:
    """Members, and users of the same organisation authorised for the case type (C6)."""
    if is_case_member(viewer, case):
        return True
    return viewer.organisation_id == case.organisation_id and case.case_type_id in viewer.case_type_ids


def case_capabilities(viewer: Viewer, case: CaseFacts) -> dict[str, dict]:
    """What the viewer may do with the case. The answer depends on four facts only, so the same
    (shared) dict comes back for the same four: a 20,000-case page builds a handful, not 20,000.
    Read it; never change it."""
    return _case_capabilities(
        is_case_member(viewer, case),
        case.status == "closed",
        is_organisation_admin(viewer, case.organisation_id),
        may_read_closed_steps(viewer, case),
    )


@lru_cache(maxsize=None)
def _case_capabilities(member: bool, closed: bool, admin: bool, reads_closed_steps: bool) -> dict[str, dict]:
    caps: dict[str, dict] = {}
    caps["read"] = _yes() if member else _no("not-case-member")
    caps["read_closed_steps"] = _yes() if reads_closed_steps else _no("not-authorised-for-case-type")
    for action in MEMBER_EDIT_ACTIONS:
        if not member:
            caps[action] = _no("not-case-member")
        elif closed:
            caps[action] = _no("case-closed")
        else:
            caps[action] = _yes()
    if not admin:
        caps["admin_replace_coordinator"] = _no("admin-only")
    elif closed:
        caps["admin_replace_coordinator"] = _no("case-closed")
    else:
        caps["admin_replace_coordinator"] = _yes()
    caps["delete"] = _no("case-delete-not-possible")  # D3, D4: never
    return caps


def task_capabilities(viewer: Viewer, task: TaskFacts, case: CaseFacts) -> dict[str, dict]:
    """What the viewer may do with a task; a task of a closed case takes no more work."""
    caps: dict[str, dict] = {}
    if task.status == "completed":
        return {action: _no("task-completed") for action in TASK_ACTIONS}
    if case.status == "closed":
        return {action: _no("case-closed") for action in TASK_ACTIONS}
    holder = task.status == "assigned" and task.assignee_id == viewer.user_id
    in_team = task.team_id is not None and task.team_id in viewer.team_ids
    member = is_case_member(viewer, case)

    # T4: only a queued task can be picked up, by a member of that team.
    if task.status == "assigned":
        caps["pickup"] = _no("task-not-in-queue" if holder else "task-held-by-other")
    elif not in_team:
        caps["pickup"] = _no("not-team-member")
    else:
        caps["pickup"] = _yes()

    # Handing back (vrijgeven) returns the task to the queue it came from.
    if not holder:
        caps["release"] = _no("not-task-holder")
    elif task.team_id is None:
        caps["release"] = _no("no-team-queue")
    else:
        caps["release"] = _yes()

    # T2, T5: the holder, a member of the queue's team, or a case member may pass it on.
    if holder or (task.status == "queued" and in_team) or member:
        caps["forward"] = _yes()
    else:
        caps["forward"] = _no("not-task-holder")

    caps["complete"] = _yes() if holder else _no("not-task-holder")

    # "Niet voor mij" (T5): a queued task of one of the viewer's own teams' queues.
    if task.status != "queued":
        caps["dismiss"] = _no("task-not-in-queue")
    elif not in_team:
        caps["dismiss"] = _no("not-team-member")
    else:
        caps["dismiss"] = _yes()
    return caps


@dataclass(frozen=True)
class ForwardTarget:
    """Whom a task would go to: a colleague (`user_id`) or a team's queue (`team_id`), and the
    facts about them the rule needs."""

    user_id: str | None = None
    team_id: str | None = None
    active_in_organisation: bool = False  # the user is active, or the team exists, in the viewer's organisation
    service_account: bool = False
    team_case_type_ids: frozenset[str] = field(default_factory=frozenset)


def forward_refusal(viewer: Viewer, task: TaskFacts, case: CaseFacts, target: ForwardTarget) -> str | None:
    """Why the task may not go to this target, or None (T2): a colleague of the organisation,
    never oneself nor a service account; a team queue of the organisation that works on the
    case's type, not the queue the task waits in already."""
    if target.user_id is not None:
        if not target.active_in_organisation:
            return "unknown-user"
        if target.user_id == viewer.user_id:
            return "forward-to-self"
        if target.service_account:
            return "service-account"
        return None
    if not target.active_in_organisation:
        return "unknown-team"
    if case.case_type_id not in target.team_case_type_ids:
        return "team-not-authorised-for-case-type"
    if task.status == "queued" and task.team_id == target.team_id:
        return "already-in-queue"
    return None


def may_see_case(viewer: Viewer, case: CaseFacts) -> bool:
    """Some view of the case is this viewer's: member, closed steps (C6) or its administrator."""
    return may_read_closed_steps(viewer, case) or is_organisation_admin(viewer, case.organisation_id)


def may_act_on_task(viewer: Viewer, task: TaskFacts, case: CaseFacts) -> bool:
    """In view, held (or completed) by the viewer, or in a queue of one of the viewer's teams
    even once taken: the loser of a pick-up race may hear who took it (T4). Anything else
    answers as if it did not exist."""
    return (
        may_see_task(viewer.user_id, viewer.team_ids, task, case)
        or task.assignee_id == viewer.user_id
        or (task.team_id is not None and task.team_id in viewer.team_ids)
    )


def may_see_task(viewer_id: str, viewer_team_ids: frozenset[str], task: TaskFacts, case: CaseFacts) -> bool:
    """A task is in view for its holder, its queue's team (while queued) and the case members."""
    if viewer_id == case.coordinator_id or viewer_id in case.supporter_ids:
        return True
    if task.status == "assigned" and task.assignee_id == viewer_id:
        return True
    return task.status == "queued" and task.team_id is not None and task.team_id in viewer_team_ids


def group_delete_refusal(viewer: Viewer, group_organisation_id: str, case_count: int) -> str | None:
    """Why this viewer may not delete this group now, or None when allowed (D1, D2)."""
    if not is_organisation_admin(viewer, group_organisation_id):
        return "admin-only"
    if case_count > 0:
        return "group-not-empty"
    return None


def valid_outcome(outcome: object) -> bool:
    return isinstance(outcome, str) and outcome in OUTCOMES
