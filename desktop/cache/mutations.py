"""The push kinds of docs/API.md: what each one does to the local copy, before the service answers.

Pure functions on the objects the feed sends (dicts), no SQL: `apply(kind, obj, payload, me, now)`
returns the object as the user expects to see it after the change (the optimistic state). The
outbox uses the same functions again to lay still-unsent changes over a fresh service state, so
the user's pending edits never flicker away while a sync runs.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

CASE_KINDS = frozenset(
    {
        "journal.add",
        "step.complete",
        "case.close",
        "case.set_coordinator",
        "case.add_supporter",
        "case.remove_supporter",
    }
)
TASK_KINDS = frozenset({"task.create", "task.pickup", "task.release", "task.forward", "task.complete", "task.dismiss"})
PREFERENCE_KINDS = frozenset({"preferences.set"})
KINDS = CASE_KINDS | TASK_KINDS | PREFERENCE_KINDS

OUTCOMES = ("afgerond", "administratieve_fout", "doorverwezen", "ingetrokken")

# Which payload field holds the user's own words, kept when the service refuses the change.
USER_TEXT_FIELD = {
    "journal.add": "text",
    "step.complete": "summary",
    "task.create": "description",
    "task.forward": "note",
}


def object_of(kind: str, payload: dict) -> tuple[str, str]:
    """(object type, id) a mutation changes: the row marked dirty until the service answers."""
    if kind in CASE_KINDS:
        return "case", payload["case_id"]
    if kind in TASK_KINDS:
        return "task", payload["task_id"]
    return "preferences", "me"


def _journal_add(case: dict, p: dict, me: dict, now: str) -> dict:
    if not any(entry.get("id") == p["entry_id"] for entry in case.get("journal", [])):
        # Written when the user wrote it (server-anchored), as the service will keep it (issue 14).
        written = (p.get("written") or {}).get("estimated_time") or now
        case.setdefault("journal", []).append(
            {"id": p["entry_id"], "text": p["text"], "author": me, "created_at": now, "written_at": written}
        )
    case["updated_at"] = now
    return case


def _step_complete(case: dict, p: dict, me: dict, now: str) -> dict:
    for step in case.get("steps", []):
        if step.get("id") == p["step_id"]:
            step.update(status="closed", closed_at=now, closed_by=me, summary=p.get("summary"))
    case["updated_at"] = now
    return case


def _case_close(case: dict, p: dict, me: dict, now: str) -> dict:
    case.update(status="closed", outcome=p["outcome"], updated_at=now)
    return case


def _set_coordinator(case: dict, p: dict, me: dict, now: str, colleague: dict) -> dict:
    # As the service does (server_stub work.set_coordinator): the new one leaves the supporters,
    # the old one leaves the case (the dialog said so before the user confirmed).
    supporters = [s for s in case.get("supporters", []) if s.get("id") != p["user_id"]]
    case.update(coordinator=colleague, supporters=supporters, updated_at=now)
    return case


def _add_supporter(case: dict, p: dict, me: dict, now: str, colleague: dict) -> dict:
    if not any(s.get("id") == p["user_id"] for s in case.get("supporters", [])):
        case.setdefault("supporters", []).append(colleague)
    case["updated_at"] = now
    return case


def _remove_supporter(case: dict, p: dict, me: dict, now: str) -> dict:
    case["supporters"] = [s for s in case.get("supporters", []) if s.get("id") != p["user_id"]]
    case["updated_at"] = now
    return case


def _task_pickup(task: dict, p: dict, me: dict, now: str) -> dict:
    task.update(assignee=me, status="assigned")
    return task


def _task_release(task: dict, p: dict, me: dict, now: str) -> dict:
    task.update(assignee=None, status="queued", via_team_queue=True, queued_at=now)
    return task


def _task_forward(task: dict, p: dict, me: dict, now: str, target: dict) -> dict:
    # The history line shows at once; the service's own history replaces it when it answers.
    task["history"] = list(task.get("history") or []) + [
        {
            "event": "forwarded",
            "at": now,
            "actor": me,
            "note": (p.get("note") or "").strip() or None,
            "to_user": None if "team_id" in p else target,
            "to_team": target if "team_id" in p else None,
        }
    ]
    if "team_id" in p:
        task.update(assignee=None, team=target, status="queued", via_team_queue=True, queued_at=now)
    else:
        task.update(assignee=target, team=None, status="assigned", via_team_queue=False)
    return task


def _task_dismiss(task: dict, p: dict, me: dict, now: str) -> dict:
    task["dismissed"] = True  # "niet voor mij": out of my Werkbak until the task changes
    return task


def _task_complete(task: dict, p: dict, me: dict, now: str) -> dict:
    task["status"] = "completed"
    return task


def _preferences_set(prefs: dict, p: dict, me: dict, now: str) -> dict:
    return {**copy.deepcopy(p), "version": prefs.get("version", 0)}


_SIMPLE: dict[str, Callable[..., dict]] = {
    "journal.add": _journal_add,
    "step.complete": _step_complete,
    "case.close": _case_close,
    "case.remove_supporter": _remove_supporter,
    "task.pickup": _task_pickup,
    "task.release": _task_release,
    "task.complete": _task_complete,
    "task.dismiss": _task_dismiss,
    "preferences.set": _preferences_set,
}
_WITH_PERSON = {
    "case.set_coordinator": _set_coordinator,
    "case.add_supporter": _add_supporter,
    "task.forward": _task_forward,
}


def apply(kind: str, obj: dict, payload: dict, me: dict, now: str, names: dict[str, Any] | None = None) -> dict:
    """The optimistic state of `obj` after `kind`. `obj` is not modified.

    `names` gives the display of the people/teams a payload names (`{"id", "display_name"}` or
    `{"id", "name"}`), looked up by the caller from the cache; an unknown id shows as just its id.
    """
    result = copy.deepcopy(obj)
    if kind in _SIMPLE:
        return _SIMPLE[kind](result, payload, me, now)
    if kind in _WITH_PERSON:
        target_id = payload.get("user_id") or payload.get("team_id")
        target = (names or {}).get(target_id) or (
            {"id": target_id, "name": target_id}
            if "team_id" in payload
            else {"id": target_id, "display_name": target_id}
        )
        return _WITH_PERSON[kind](result, payload, me, now, target)
    raise ValueError(f"unknown mutation kind {kind!r}")


def new_task(payload: dict, case: dict | None, me: dict, now: str, names: dict[str, Any] | None = None) -> dict:
    """The local copy of a task created offline, until the service sends its own."""
    names = names or {}
    team_id, assignee_id = payload.get("team_id"), payload.get("assignee_id")
    citizens = (case or {}).get("citizens") or []
    return {
        "id": payload["task_id"],
        "case_id": payload["case_id"],
        "case_summary": {
            "number": (case or {}).get("number"),
            "case_type": ((case or {}).get("case_type") or {}).get("name"),
            "group_name": ((case or {}).get("group") or {}).get("name"),
            "citizen_name": citizens[0].get("name") if citizens else None,
        },
        "type": payload.get("type"),
        "description": payload.get("description"),
        "deadline": payload.get("deadline"),
        "queued_at": now if team_id else None,
        "created_by": me,
        "assignee": None if team_id else (names.get(assignee_id) or {"id": assignee_id, "display_name": assignee_id}),
        "team": (names.get(team_id) or {"id": team_id, "name": team_id}) if team_id else None,
        "status": "queued" if team_id else "assigned",
        "via_team_queue": bool(team_id),
        "version": 0,
        # Until the service answers, offer no actions on it: the service decides what is allowed.
        "capabilities": {},
    }
