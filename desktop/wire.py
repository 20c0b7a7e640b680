"""The wire: the shapes of what crosses the network, checked before any of it reaches the cache.

The lowest layer of the client core (below both `desktop.sync`, which fetches, and
`desktop.cache`, which stores): a page, a push answer and the outcomes answer of docs/API.md.

The service is trusted to decide, not to be well-formed: a bug, a proxy or an attacker with a
stolen CA could send anything. A page or a push answer that does not have the shape of
docs/API.md is refused whole with `FeedError`, so the cache is never half-updated from garbage.
The checks are shallow on purpose (types of the fields the cache stores and indexes, and of what
the views read); they run once per object, cheap enough for a 20,000-case first sync. This module
is the only place that checks a page: the cache builds its rows from a checked page without
looking again. Error messages name fields, never values: values may be personal data.
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

    `where` names the place (e.g. `upserts.cases[3]`) and `reason` the field or the kind of
    problem, for logs and bug reports; never a value. The user sees InvalidResponse's sentence.
    """

    def __init__(self, where: str, reason: str = "wrong shape") -> None:
        super().__init__(where=where)
        self.where = where
        self.reason = reason


def _fail(where: str, reason: str = "wrong shape") -> None:
    raise FeedError(where, reason)


def _is_id(value: Any) -> bool:
    return type(value) is str and 0 < len(value) <= MAX_ID


def _one_of(value: Any, choices: frozenset) -> bool:
    return type(value) is str and value in choices


def _is_text(value: Any) -> bool:
    return type(value) is str and len(value) <= MAX_TEXT


def _is_int(value: Any) -> bool:
    return type(value) is int and 0 <= value < 2**62


def _opt_text(value: Any) -> bool:
    return value is None or (type(value) is str and len(value) <= MAX_TEXT)


def _person(value: Any) -> bool:
    return type(value) is dict and _is_id(value.get("id")) and _opt_text(value.get("display_name"))


def _opt_person(value: Any) -> bool:
    return value is None or _person(value)


def _listed_person(value: Any) -> bool:
    """A person the cache lists by name (coordinator, supporter, assignee, member): named."""
    return type(value) is dict and _is_id(value.get("id")) and _is_text(value.get("display_name"))


def _opt_listed_person(value: Any) -> bool:
    return value is None or _listed_person(value)


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
    if type(value) is not list:
        return False
    for item in value:
        if not check(item):
            return False
    return True


def _step(value: Any) -> bool:
    return (
        type(value) is dict
        and _is_id(value.get("id"))
        and _is_text(value.get("name"))
        and _one_of(value.get("status"), CASE_STATUSES)
        and _is_int(value.get("position"))
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
    return (
        type(value) is dict and _is_id(value.get("id")) and _is_text(value.get("name")) and _opt_text(value.get("bsn"))
    )


SUMMARY_FIELDS = ("number", "case_type", "group_name", "citizen_name")


def _summary(value: Any) -> bool:
    """A task's case summary: the texts the task list shows (other members are ignored, as
    everywhere: the contract lets an answer grow)."""
    if value is None:
        return True
    if type(value) is not dict:
        return False
    for name in SUMMARY_FIELDS:
        if not _opt_text(value.get(name)):
            return False
    return True


# What each object must hold, field by field: the cache stores and indexes these (desktop/cache/
# writes.py builds its rows from them without looking again), and the views read the rest.
CASE_FIELDS = (
    ("id", _is_id),
    ("number", _is_text),
    ("status", lambda v: _one_of(v, CASE_STATUSES)),
    ("version", _is_int),
    ("updated_at", _is_text),
    ("capabilities", _capabilities),
    ("case_type", _named),
    ("group", _opt_named),
    ("citizens", lambda v: _list_of(v, _citizen)),
    ("coordinator", _opt_listed_person),
    ("supporters", lambda v: _list_of(v, _listed_person)),
    ("steps", lambda v: _list_of(v, _step)),
    ("journal", lambda v: _list_of(v, _journal_entry)),
    ("outcome", _opt_text),
)
TASK_FIELDS = (
    ("id", _is_id),
    ("case_id", _is_id),
    ("status", lambda v: _one_of(v, TASK_STATUSES)),
    ("version", _is_int),
    ("capabilities", _capabilities),
    ("type", _is_text),
    ("assignee", _opt_listed_person),
    ("created_by", _opt_person),
    ("team", _opt_named),
    ("via_team_queue", lambda v: type(v) is bool),
    ("description", _opt_text),
    ("deadline", _opt_text),
    ("queued_at", _opt_text),
    ("case_summary", _summary),
    # issue 14; absent from an older service
    ("history", lambda v: v is None or _list_of(v, _task_event)),
    ("dismissed", lambda v: v is None or type(v) is bool),
    ("forward_teams", lambda v: v is None or _list_of(v, _named)),
)


def _task_event(value: Any) -> bool:
    return (
        type(value) is dict
        and _is_text(value.get("event"))
        and _opt_text(value.get("at"))
        and _opt_person(value.get("actor"))
        and _opt_person(value.get("to_user"))
        and _opt_named(value.get("to_team"))
        and _opt_text(value.get("note"))
    )


TEAM_FIELDS = (
    ("id", _is_id),
    ("name", _is_text),
    ("organisation_id", _opt_text),
    ("members", lambda v: _list_of(v, _listed_person)),
)
CASE_TYPE_FIELDS = (("id", _is_id), ("name", _is_text))
COLLEAGUE_FIELDS = (
    ("id", _is_id),
    ("display_name", _is_text),
    ("team_ids", lambda v: _list_of(v, _is_id)),
    ("case_type_ids", lambda v: v is None or _list_of(v, _is_id)),
)


# A session (`POST /sessions`, `/sessions/resume`, `/password`, inside `/devices/key-unlock`).
SESSION_FIELDS = (
    ("access_token", _is_text),
    ("must_change_password", lambda v: v is None or type(v) is bool),
    ("user", lambda v: v is None or type(v) is dict),
    ("organisation_settings", lambda v: v is None or type(v) is dict),
    ("resume_token", _opt_text),  # kept only in the encrypted cache (desktop.session)
    ("resume_expires_at", _opt_text),
)


def _check_fields(obj: Any, fields: tuple, where: str) -> None:
    if type(obj) is not dict:
        _fail(where, "not an object")
    for name, check in fields:
        if not check(obj.get(name)):
            _fail(where, f"missing field {name!r}" if name not in obj else f"bad field {name!r}")


def check_case(case: Any, where: str = "case") -> None:
    _check_fields(case, CASE_FIELDS, where)


def check_task(task: Any, where: str = "task") -> None:
    _check_fields(task, TASK_FIELDS, where)


def check_session(answer: Any) -> dict:
    _check_fields(answer, SESSION_FIELDS, "session")
    return answer


def _check_team(team: Any, where: str) -> None:
    _check_fields(team, TEAM_FIELDS, where)


def _check_case_type(value: Any, where: str) -> None:
    _check_fields(value, CASE_TYPE_FIELDS, where)


def _check_colleague(value: Any, where: str) -> None:
    _check_fields(value, COLLEAGUE_FIELDS, where)


def _check_preferences(value: Any, where: str) -> None:
    if type(value) is not dict:
        _fail(where, "not an object")
    if not _is_int(value.get("version")):
        _fail(where, "bad field 'version'")
    queue_mail = value.get("team_queue_email", {})
    if type(queue_mail) is not dict or not all(_is_id(k) and type(v) is bool for k, v in queue_mail.items()):
        _fail(where, "bad field 'team_queue_email'")


def _check_organisation(value: Any, where: str) -> None:
    if type(value) is not dict:
        _fail(where, "not an object")
    for hours in ("offline_lock_hours", "offline_wipe_days", "auto_lock_minutes"):
        if hours in value and not _is_int(value[hours]):
            _fail(where, f"bad field {hours!r}")


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
    """Return `page` when it has the shape of a pull answer; raise `FeedError` otherwise.

    The one check of a page: `check_envelope` and then every object. The sync engine checks the
    envelope on its network thread and the objects on the cache lane, before the first write
    (`desktop.cache.pull`), so the next page's request waits for neither; `desktop.cache.writes.apply_page` runs
    the whole check for pages that did not come that way.
    An upsert kind this client does not know is refused: it could not store it, and a cursor
    moved past it would lose it for good.
    """
    check_envelope(page)
    check_objects(page)
    return page


def check_envelope(page: Any) -> dict:
    """The page's own fields, the upsert kinds and the removals (what the engine reads to go on
    and to ask about removed objects); the objects inside are `check_objects`'s."""
    if type(page) is not dict:
        _fail("page", "not an object")
    cursor = page.get("cursor")
    if type(cursor) is not str or not 0 < len(cursor) <= MAX_CURSOR:
        _fail("cursor", "missing field 'cursor'" if "cursor" not in page else "bad field 'cursor'")
    if type(page.get("has_more")) is not bool:
        _fail("has_more", "missing field 'has_more'" if "has_more" not in page else "bad field 'has_more'")
    if not _opt_text(page.get("server_time")):
        _fail("server_time", "bad field 'server_time'")
    upserts = page.get("upserts", {})
    if type(upserts) is not dict:
        _fail("upserts", "not an object")
    for kind, objects in upserts.items():
        if kind not in _UPSERT_CHECKS:
            _fail("upserts", "unknown upsert kind")
        if type(objects) is not list:
            _fail(f"upserts.{kind}", "not a list")
    removals = page.get("removals", [])
    if type(removals) is not list:
        _fail("removals", "not a list")
    for index, removal in enumerate(removals):
        if (
            type(removal) is not dict
            or not _one_of(removal.get("type"), REMOVAL_TYPES)
            or not _is_id(removal.get("id"))
        ):
            _fail(f"removals[{index}]", "unknown removal type or bad id")
    return page


def check_objects(page: dict) -> dict:
    """Every upserted object of a page whose envelope `check_envelope` passed."""
    for kind, objects in page.get("upserts", {}).items():
        check = _UPSERT_CHECKS[kind]
        for index, obj in enumerate(objects):
            check(obj, f"upserts.{kind}[{index}]")
    return page


OUTCOMES = frozenset({"applied", "refused", "unknown"})


def check_outcomes(answer: Any, asked: set[str]) -> dict[str, tuple[str, str | None]]:
    """The outcomes route's answer (docs/API.md) as mutation id -> (outcome, code); `FeedError` on
    any other shape. Ids we did not ask about are ignored."""
    if type(answer) is not dict or type(answer.get("outcomes")) is not list:
        _fail("outcomes")
    found: dict[str, tuple[str, str | None]] = {}
    for item in answer["outcomes"]:
        if type(item) is not dict or type(item.get("mutation_id")) is not str:
            _fail("outcomes.mutation_id")
        if item.get("outcome") not in OUTCOMES or not _opt_text(item.get("code")):
            _fail("outcomes.outcome")
        if item["mutation_id"] in asked:
            found[item["mutation_id"]] = (item["outcome"], item.get("code"))
    return found


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
