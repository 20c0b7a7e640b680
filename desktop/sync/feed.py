"""Checks what the service sends before any of it reaches the cache.

The service is trusted to decide, not to be well-formed: a bug, a proxy or an attacker with a
stolen CA could send anything. A page or a push answer that does not have the shape of
docs/API.md is refused whole with `FeedError`, so the cache is never half-updated from garbage.
The checks are shallow on purpose (types of the fields the cache stores and indexes); they run
once per object, cheap enough for a 20,000-case first sync. Error messages name fields, never
values: values may be personal data.
"""
from __future__ import annotations

from typing import Any

from desktop.errors import InvalidResponse

MAX_ID = 200  # ids are opaque strings; anything longer is not an id
MAX_CURSOR = 2000
MAX_TEXT = 1_000_000  # one journal note or description; far beyond what a person writes

CASE_STATUSES = frozenset({"open", "closed"})
TASK_STATUSES = frozenset({"queued", "assigned", "completed"})
REMOVAL_TYPES = frozenset({"case", "task", "team"})
PUSH_STATUSES = frozenset({"applied", "conflict", "rejected"})
UPSERT_KINDS = ("cases", "tasks", "teams", "case_types", "colleagues", "preferences", "organisation")


class FeedError(InvalidResponse):
    """The service's answer does not have the agreed shape; nothing of it was applied.

    `where` names the field (for logs and bug reports); the user sees InvalidResponse's sentence.
    """

    def __init__(self, where: str) -> None:
        super().__init__(where=where)
        self.where = where


def _fail(where: str) -> None:
    raise FeedError(where)


def _is_id(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= MAX_ID


def _one_of(value: Any, choices: frozenset) -> bool:
    return type(value) is str and value in choices


def _is_text(value: Any) -> bool:
    return type(value) is str and len(value) <= MAX_TEXT


def _is_int(value: Any) -> bool:
    return type(value) is int and 0 <= value < 2**62


def _opt_text(value: Any) -> bool:
    return value is None or _is_text(value)


def _person(value: Any) -> bool:
    return type(value) is dict and _is_id(value.get("id")) and _opt_text(value.get("display_name"))


def _opt_person(value: Any) -> bool:
    return value is None or _person(value)


def _named(value: Any) -> bool:
    return type(value) is dict and _is_id(value.get("id")) and _is_text(value.get("name"))


def _opt_named(value: Any) -> bool:
    return value is None or _named(value)


def _capabilities(value: Any) -> bool:
    if type(value) is not dict:
        return False
    for action, verdict in value.items():
        if type(action) is not str or type(verdict) is not dict:
            return False
        if type(verdict.get("allowed")) is not bool or not _opt_text(verdict.get("reason")):
            return False
    return True


def _list_of(value: Any, check) -> bool:
    return type(value) is list and all(check(item) for item in value)


def _step(value: Any) -> bool:
    return (
        type(value) is dict
        and _is_id(value.get("id"))
        and _is_text(value.get("name"))
        and _one_of(value.get("status"), CASE_STATUSES)
        and (value.get("position") is None or _is_int(value.get("position")))
        and _opt_text(value.get("summary"))
        and _opt_text(value.get("closed_at"))
        and _opt_person(value.get("closed_by"))
    )


def _journal_entry(value: Any) -> bool:
    return (
        type(value) is dict
        and _is_id(value.get("id"))
        and _is_text(value.get("text"))
        and _opt_person(value.get("author"))
        and _opt_text(value.get("created_at"))
    )


def _citizen(value: Any) -> bool:
    return type(value) is dict and _is_id(value.get("id")) and _opt_text(value.get("name")) and _opt_text(value.get("bsn"))


def check_case(case: Any, where: str = "case") -> None:
    ok = (
        type(case) is dict
        and _is_id(case.get("id"))
        and _is_text(case.get("number"))
        and _one_of(case.get("status"), CASE_STATUSES)
        and _is_int(case.get("version"))
        and _capabilities(case.get("capabilities"))
        and _named(case.get("case_type"))
        and _opt_named(case.get("group"))
        and _list_of(case.get("citizens"), _citizen)
        and _opt_person(case.get("coordinator"))
        and _list_of(case.get("supporters"), _person)
        and _list_of(case.get("steps"), _step)
        and _list_of(case.get("journal"), _journal_entry)
        and _opt_text(case.get("outcome"))
        and _opt_text(case.get("updated_at"))
    )
    if not ok:
        _fail(where)


def check_task(task: Any, where: str = "task") -> None:
    summary = task.get("case_summary") if type(task) is dict else None
    ok = (
        type(task) is dict
        and _is_id(task.get("id"))
        and _is_id(task.get("case_id"))
        and _one_of(task.get("status"), TASK_STATUSES)
        and _is_int(task.get("version"))
        and _capabilities(task.get("capabilities"))
        and _opt_person(task.get("assignee"))
        and _opt_person(task.get("created_by"))
        and _opt_named(task.get("team"))
        and type(task.get("via_team_queue")) is bool
        and _opt_text(task.get("type"))
        and _opt_text(task.get("description"))
        and _opt_text(task.get("deadline"))
        and (summary is None or (type(summary) is dict and all(_opt_text(v) for v in summary.values())))
    )
    if not ok:
        _fail(where)


def _check_team(team: Any, where: str) -> None:
    if not (_named(team) and _list_of(team.get("members"), _person)):
        _fail(where)


def _check_case_type(value: Any, where: str) -> None:
    if not _named(value):
        _fail(where)


def _check_colleague(value: Any, where: str) -> None:
    if not (_person(value) and _list_of(value.get("team_ids"), _is_id)):
        _fail(where)


def _check_preferences(value: Any, where: str) -> None:
    if not (type(value) is dict and _is_int(value.get("version"))):
        _fail(where)
    queue_mail = value.get("team_queue_email", {})
    if type(queue_mail) is not dict or not all(_is_id(k) and type(v) is bool for k, v in queue_mail.items()):
        _fail(where)


def _check_organisation(value: Any, where: str) -> None:
    if type(value) is not dict:
        _fail(where)
    for hours in ("offline_lock_hours", "offline_wipe_days", "auto_lock_minutes"):
        if hours in value and not _is_int(value[hours]):
            _fail(where)


_UPSERT_CHECKS = {
    "cases": check_case,
    "tasks": check_task,
    "teams": _check_team,
    "case_types": _check_case_type,
    "colleagues": _check_colleague,
    "preferences": _check_preferences,
    "organisation": _check_organisation,
}


def check_page(page: Any) -> dict:
    """Return `page` when it has the shape of a pull answer; raise `FeedError` otherwise."""
    if type(page) is not dict:
        _fail("page")
    cursor = page.get("cursor")
    if type(cursor) is not str or not 0 < len(cursor) <= MAX_CURSOR:
        _fail("cursor")
    if type(page.get("has_more")) is not bool:
        _fail("has_more")
    if not _opt_text(page.get("server_time")):
        _fail("server_time")
    upserts = page.get("upserts", {})
    if type(upserts) is not dict:
        _fail("upserts")
    for kind, objects in upserts.items():
        check = _UPSERT_CHECKS.get(kind)
        if check is None:
            continue  # a newer service may send more kinds; an old client ignores them
        if type(objects) is not list:
            _fail(f"upserts.{kind}")
        for obj in objects:
            check(obj, f"upserts.{kind}")
    removals = page.get("removals", [])
    if type(removals) is not list:
        _fail("removals")
    for removal in removals:
        if type(removal) is not dict or not _one_of(removal.get("type"), REMOVAL_TYPES) or not _is_id(removal.get("id")):
            _fail("removals")
    return page


def check_push_answer(answer: Any, sent_ids: set[str]) -> list[dict]:
    """The push results, one per mutation we sent; raise `FeedError` on any other shape."""
    if type(answer) is not dict or type(answer.get("results")) is not list:
        _fail("push")
    results = answer["results"]
    seen: set[str] = set()
    for result in results:
        if type(result) is not dict:
            _fail("push.results")
        mutation_id = result.get("id")
        if type(mutation_id) is not str or mutation_id not in sent_ids or mutation_id in seen:
            _fail("push.results.id")
        seen.add(mutation_id)
        if not _one_of(result.get("status"), PUSH_STATUSES):
            _fail("push.results.status")
        if not all(_opt_text(result.get(name)) for name in ("code", "reason", "detail")):
            _fail("push.results.code")
        if not _opt_person(result.get("held_by")):
            _fail("push.results.held_by")
        current = result.get("current")
        if current is not None and type(current) is not dict:
            _fail("push.results.current")
    return results
