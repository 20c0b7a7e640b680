"""Malformed or hostile service answers: a clear error, never a crash, and the cache unchanged.

The checks in `desktop.wire` stand between the network and the cache. Hypothesis throws
arbitrary JSON and mutated valid pages at them; every answer must be either accepted whole or
refused with `FeedError` (an `InvalidResponse`, whose message is one Dutch sentence).
"""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import errors
from desktop import wire

json_scalars = (
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | st.floats() | st.text(max_size=20)
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)


def valid_case(case_id: str = "c1") -> dict:
    return {
        "id": case_id,
        "number": "Z-1",
        "case_type": {"id": "ct1", "name": "WMO"},
        "group": {"id": "g1", "name": "Huishouden"},
        "citizens": [{"id": "p1", "name": "Fictief", "bsn": "000000000", "birth_date": "1990-01-01"}],
        "status": "open",
        "outcome": None,
        "coordinator": {"id": "u1", "display_name": "U"},
        "supporters": [],
        "steps": [
            {
                "id": "s1",
                "name": "Intake",
                "position": 1,
                "status": "open",
                "closed_at": None,
                "closed_by": None,
                "summary": None,
            }
        ],
        "journal": [
            {"id": "j1", "text": "t", "author": {"id": "u1", "display_name": "U"}, "created_at": "2026-01-01T00:00:00Z"}
        ],
        "version": 1,
        "updated_at": "2026-01-01T00:00:00Z",
        "capabilities": {"add_note": {"allowed": True, "reason": None}},
    }


def valid_task(task_id: str = "t1") -> dict:
    return {
        "id": task_id,
        "case_id": "c1",
        "case_summary": {"number": "Z-1", "case_type": "WMO", "group_name": "H", "citizen_name": "F"},
        "type": "keuring",
        "description": "d",
        "deadline": None,
        "queued_at": None,
        "created_by": {"id": "u1", "display_name": "U"},
        "assignee": None,
        "team": {"id": "team1", "name": "Team"},
        "status": "queued",
        "via_team_queue": True,
        "version": 1,
        "capabilities": {"pickup": {"allowed": True, "reason": None}},
    }


def valid_page() -> dict:
    return {
        "cursor": "abc",
        "has_more": False,
        "server_time": "2026-01-01T00:00:00Z",
        "upserts": {
            "cases": [valid_case()],
            "tasks": [valid_task()],
            "teams": [{"id": "team1", "name": "Team", "organisation_id": "o1", "members": []}],
            "case_types": [{"id": "ct1", "name": "WMO"}],
            "colleagues": [{"id": "u1", "display_name": "U", "team_ids": ["team1"]}],
            "preferences": [
                {
                    "team_queue_email": {"team1": True},
                    "email_on_assigned": True,
                    "email_on_added_to_case": True,
                    "desktop_notifications": True,
                    "version": 1,
                }
            ],
            "organisation": [{"offline_lock_hours": 72, "offline_wipe_days": 30, "auto_lock_minutes": 15}],
        },
        "removals": [{"type": "case", "id": "c9"}],
    }


def test_a_valid_page_passes():
    page = valid_page()
    assert wire.check_page(page) is page


def test_feed_error_is_an_invalid_response_with_one_sentence():
    with pytest.raises(errors.InvalidResponse) as caught:
        wire.check_page([])
    message = caught.value.message()
    assert message.endswith(".") and "\n" not in message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_is_accepted_or_refused_cleanly(value):
    try:
        wire.check_page(value)
    except wire.FeedError:
        return
    # Accepted: it must then really have the agreed shape.
    assert isinstance(value["cursor"], str) and isinstance(value["has_more"], bool)


def _paths(obj, prefix=()):
    """Every (path) into a nested JSON object, for targeted damage."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield prefix + (index,)
            yield from _paths(value, prefix + (index,))


PAGE_PATHS = list(_paths(valid_page()))
REQUIRED = [
    p
    for p in PAGE_PATHS
    if p[-1]
    in (
        "id",
        "cursor",
        "has_more",
        "status",
        "version",
        "capabilities",
        "number",
        "case_type",
        "citizens",
        "steps",
        "journal",
        "members",
        "case_id",
        "via_team_queue",
        "team_ids",
        "allowed",
    )
    and "case_summary" not in p
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REQUIRED), st.sampled_from([None, 3.5, -1, "", [], {}, "x" * 300, True, 2**80]))
def test_a_damaged_required_field_is_refused(path, bad_value):
    page = copy.deepcopy(valid_page())
    target = page
    for key in path[:-1]:
        target = target[key]
    original = target[path[-1]]
    if type(bad_value) is type(original) and bad_value == original:
        return
    target[path[-1]] = bad_value
    # A few replacements are still valid (e.g. an empty capability map); the rest must be refused.
    try:
        wire.check_page(page)
    except wire.FeedError:
        return
    still_valid = (
        (path[-1] in ("capabilities", "citizens", "steps", "journal", "members", "team_ids") and bad_value in ([], {}))
        or (isinstance(original, bool) and isinstance(bad_value, bool))
        or (path[-1] in ("cursor", "number") and isinstance(bad_value, str) and (bad_value or path[-1] == "number"))
    )
    assert still_valid, path


def test_push_answer_must_answer_only_what_was_sent():
    sent = {"m1", "m2"}
    ok = {"results": [{"id": "m1", "status": "applied", "code": None, "detail": None, "held_by": None, "current": {}}]}
    assert wire.check_push_answer(ok, sent)[0]["id"] == "m1"
    for bad in (
        {"results": [{"id": "other", "status": "applied"}]},
        {"results": [{"id": "m1", "status": "applied"}, {"id": "m1", "status": "applied"}]},
        {"results": [{"id": "m1", "status": "maybe"}]},
        {"results": [{"id": "m1", "status": "conflict", "held_by": "someone"}]},
        {"results": "all fine"},
        None,
    ):
        with pytest.raises(wire.FeedError):
            wire.check_push_answer(bad, sent)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_push_answers_are_accepted_or_refused_cleanly(value):
    try:
        wire.check_push_answer(value, {"m1"})
    except wire.FeedError:
        pass


# --- through the engine: a hostile answer changes nothing in the cache --------------------------

from desktop.cache import outbox, writes  # noqa: E402
from desktop.cache.writer import CacheWriter  # noqa: E402
from desktop.sync.engine import SyncEngine  # noqa: E402
from tests.client.factories import ME, make_case, make_page, make_task  # noqa: E402


class ScriptedService:
    """The network edge: answers the engine's requests from a script (a hostile service)."""

    def __init__(self, pages, push_answer=None):
        self.pages = list(pages)
        self.push_answer = push_answer
        self.pushed = []

    def request(self, method, path, params=None, timeout=None, **kwargs):
        import httpx

        assert (method, path) == ("GET", "/sync/changes")
        page = self.pages.pop(0) if self.pages else make_page(cursor=params.get("cursor") or "c0")
        if not isinstance(page, bytes):
            page = json.dumps(page).encode()  # NaN and Infinity too: Python's parser accepts them
        return httpx.Response(200, content=page, headers={"content-type": "application/json"})

    def post_json(self, path, body=None, **kwargs):
        assert path == "/sync/push"
        self.pushed.append(body)
        if callable(self.push_answer):
            return self.push_answer(body)
        return self.push_answer


def cache_snapshot(conn):
    tables = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


@pytest.fixture(scope="module")
def engine_cache(tmp_path_factory):
    """One seeded cache for the whole module (hypothesis runs many examples); each example must
    leave it unchanged or the next one would notice."""
    import os as _os

    from desktop.cache import open_cache, set_user

    root = tmp_path_factory.mktemp("fuzz")
    key = _os.urandom(32)
    path = root / "cache.db"
    conn = open_cache(path, key, create=True)
    set_user(conn, ME)
    writes.apply_page(
        conn, make_page(cursor="seed", cases=[make_case(1), make_case(2)], tasks=[make_task(1, case_id="c-1")])
    )
    conn.close()
    writer = CacheWriter(lambda: open_cache(path, key))
    yield writer, root
    writer.close()


def _engine(writer, root, service):
    return SyncEngine(service, writer, root / "sync.lock")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PAGE_PATHS), json_values)
def test_a_hostile_page_is_refused_with_a_clear_error_and_the_cache_is_unchanged(engine_cache, path, junk):
    writer, root = engine_cache
    page = copy.deepcopy(valid_page())
    page["upserts"]["cases"] = [make_case(7, version=9)]
    page["upserts"]["tasks"] = [make_task(7, case_id="c-7")]
    target = page
    for key in path[:-1]:
        if (
            isinstance(target, dict)
            and key in target
            or isinstance(target, list)
            and isinstance(key, int)
            and key < len(target)
        ):
            target = target[key]
        else:
            return
    try:
        target[path[-1]] = junk
    except (TypeError, IndexError):
        return
    before = writer.call(cache_snapshot)
    try:
        wire.check_page(page)
        valid = True
    except wire.FeedError:
        valid = False
    if valid:
        return  # the shape survived the damage; applying it is the normal path, tested elsewhere
    with pytest.raises(errors.InvalidResponse) as caught:
        _engine(writer, root, ScriptedService([page])).sync_once()
    assert caught.value.message()
    assert writer.call(cache_snapshot) == before


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(json_values)
def test_a_hostile_push_answer_keeps_the_change_queued(engine_cache, answer):
    writer, root = engine_cache
    mutation = writer.call(outbox.queue, "task.pickup", {"task_id": "task-1"})
    try:
        before = writer.call(cache_snapshot)
        service = ScriptedService([], push_answer=answer)
        try:
            _engine(writer, root, service).sync_once()
            accepted = True
        except errors.InvalidResponse:
            accepted = False
        if not accepted:
            assert writer.call(cache_snapshot) == before
            assert [m.id for m in writer.call(outbox.pending)] == [mutation.id]
    finally:
        # Put the cache back as the module found it, for the next example.
        def undo(conn):
            from desktop.cache.db import transaction

            with transaction(conn):
                conn.execute("DELETE FROM outbox")
                conn.execute("DELETE FROM unprocessed")
            writes.apply_page(conn, make_page(cursor="seed", tasks=[make_task(1, case_id="c-1", version=1)]))
            conn.execute(
                "UPDATE tasks SET dirty = 0, doc = ? WHERE id = 'task-1'", (writes._json(make_task(1, case_id="c-1")),)
            )

        writer.call(undo)


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe", b"[]", b'{"cursor": 5}', b"null"])
def test_a_page_that_is_not_json_or_not_a_page_changes_nothing(engine_cache, body):
    writer, root = engine_cache
    before = writer.call(cache_snapshot)
    with pytest.raises(errors.InvalidResponse):
        _engine(writer, root, ScriptedService([body])).sync_once()
    assert writer.call(cache_snapshot) == before


def test_a_bad_second_page_keeps_the_first_and_leaves_the_rest_unchanged(tmp_path):
    import os as _os

    from desktop.cache import open_cache, queries, set_user

    key = _os.urandom(32)
    conn = open_cache(tmp_path / "c.db", key, create=True)
    set_user(conn, ME)
    conn.close()
    writer = CacheWriter(lambda: open_cache(tmp_path / "c.db", key))
    try:
        first = make_page(cursor="p1", has_more=True, cases=[make_case(1)])
        second = make_page(cursor="p2", cases=[make_case(2)])
        second["upserts"]["cases"][0]["version"] = "twee"
        with pytest.raises(errors.InvalidResponse):
            _engine(writer, tmp_path, ScriptedService([first, second])).sync_once()
        assert [r.id for r in writer.call(queries.my_cases)] == ["c-1"]
        assert writer.call(outbox.read_cursor) == "p1"  # the next sync repeats only the bad page
    finally:
        writer.close()


def test_a_service_that_says_more_without_moving_on_is_refused(engine_cache):
    writer, root = engine_cache
    stuck = make_page(cursor="seed", has_more=True)
    with pytest.raises(errors.InvalidResponse):
        _engine(writer, root, ScriptedService([stuck] * 5)).sync_once()
