"""Issue 13 item 9: malformed input never gives a 500. Property-based tests over every route's
path, query and body parameters, against the real service over mutual TLS (one service and one
signed-in helpdesk device per module; derandomized by tests/conftest.py). Routes that would end
the session or retire the device (logout, password, renewal, wipe acknowledgement) get bodies
that can never be valid."""

from __future__ import annotations

import base64
import json
import urllib.parse

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.service_fixtures import API, enrolled_client, plain_client

# Lone surrogates, NUL and other control characters, non-ASCII letters, and plain ASCII.
_CHARS = st.one_of(
    st.characters(codec="utf-8"), st.characters(categories=["Cs"]), st.sampled_from("\x00\x7f\u200b\ufeff/%?#\\\"'")
)
NASTY_TEXT = st.text(_CHARS, max_size=40)
HUGE_INTS = st.one_of(st.integers(), st.sampled_from([-1, 0, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**40, -(10**40)]))
SCALARS = st.one_of(st.none(), st.booleans(), HUGE_INTS, st.floats(allow_nan=True), NASTY_TEXT)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(NASTY_TEXT, inner, max_size=3)),
    max_leaves=6,
)

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def helpdesk(service_module):
    """Signed in as the helpdesk, so that the administration routes are reached too."""
    client = enrolled_client(service_module, "hanna", login=True)
    yield client
    client.close()


def _never_500(response) -> None:
    assert response.status_code < 500, (response.request.method, response.request.url, response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"] == "application/problem+json", response.text
        assert response.json()["code"]
    assert "Traceback" not in response.text


def _raw_json(value) -> bytes:
    # json.dumps escapes lone surrogates and writes NaN/Infinity: what a hostile client could send
    return json.dumps(value).encode("ascii")


def _post(client, path: str, value, method: str = "POST"):
    return client.request(method, path, content=_raw_json(value), headers={"content-type": "application/json"})


def _segment(text: str) -> str:
    return urllib.parse.quote(text.encode("utf-8", "surrogatepass"), safe="")


def _cursor(value) -> str:
    raw = json.dumps(value).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CURSORS = st.one_of(
    NASTY_TEXT,
    st.builds(
        lambda seq, phase, after: _cursor([1, seq, phase, after]),
        HUGE_INTS,
        st.sampled_from(["feed", "cases", "tasks", "x"]),
        st.one_of(NASTY_TEXT, VALUES),
    ),
    st.builds(_cursor, VALUES),
)
NUMBERS = st.one_of(HUGE_INTS, st.floats(allow_nan=True), NASTY_TEXT).map(str)


@FUZZ
@given(
    cursor=st.one_of(st.none(), CURSORS),
    limit=st.one_of(st.none(), st.integers(1, 2000).map(str), NUMBERS),
    wait=st.one_of(st.none(), NUMBERS),
)
@example(cursor=_cursor([1, 2**64, "feed", ""]), limit=None, wait=None)
@example(cursor=_cursor([1, 0, "cases", "\ud800"]), limit=None, wait=None)
def test_item9_sync_changes_query_never_500(helpdesk, cursor, limit, wait):
    params = {k: v for k, v in {"cursor": cursor, "limit": limit, "wait": wait}.items() if v is not None}
    if "wait" in params:
        params["wait"] = params["wait"] if params["wait"].startswith("-") else "0"  # never a real wait
    _never_500(helpdesk.get(f"{API}/sync/changes", params=params, timeout=30))


def test_item9_a_cursor_beyond_64_bits_is_a_400(helpdesk):
    for seq in (2**63, 2**64, 10**40, -1):
        response = helpdesk.get(f"{API}/sync/changes", params={"cursor": _cursor([1, seq, "feed", ""])})
        assert response.status_code == 400 and response.json()["code"] == "invalid-request", response.text
    for after in ("\ud800", "x" * 101, 7):
        response = helpdesk.get(f"{API}/sync/changes", params={"cursor": _cursor([1, 0, "cases", after])})
        assert response.status_code == 400, response.text


KINDS = st.sampled_from(
    [
        "journal.add",
        "step.complete",
        "case.close",
        "case.set_coordinator",
        "case.add_supporter",
        "case.remove_supporter",
        "task.create",
        "task.pickup",
        "task.release",
        "task.complete",
        "task.forward",
        "preferences.set",
        "x",
    ]
)
PAYLOAD_KEYS = st.sampled_from(
    [
        "case_id",
        "task_id",
        "entry_id",
        "step_id",
        "user_id",
        "team_id",
        "assignee_id",
        "text",
        "summary",
        "outcome",
        "type",
        "deadline",
        "description",
        "team_queue_email",
        "email_on_assigned",
    ]
)
PAYLOADS = st.one_of(st.dictionaries(PAYLOAD_KEYS, VALUES, max_size=4), VALUES)
MUTATIONS = st.fixed_dictionaries(
    {"id": st.one_of(NASTY_TEXT, VALUES), "kind": st.one_of(KINDS, VALUES), "payload": PAYLOADS},
    optional={"base_version": st.one_of(HUGE_INTS, VALUES)},
)
OFFLINE_READS = st.fixed_dictionaries(
    {
        "case_id": st.one_of(NASTY_TEXT, VALUES),
        "opened_at": st.one_of(
            NASTY_TEXT,
            st.sampled_from(
                [
                    "0001-01-01T00:00:00+14:00",
                    "9999-12-31T23:59:59-14:00",
                    "2026-01-01T00:00:00",
                    "2026-01-01T00:00:00Z",
                ]
            ),
            VALUES,
        ),
    }
)


@FUZZ
@example(body={"mutations": [{"id": "m", "kind": "journal.add", "payload": {"text": "\ud800"}}]})
@example(body={"offline_reads": [{"case_id": "c", "opened_at": "0001-01-01T00:00:00+14:00"}]})
@given(
    body=st.one_of(
        st.fixed_dictionaries(
            {"mutations": st.lists(MUTATIONS, max_size=3)},
            optional={"offline_reads": st.lists(OFFLINE_READS, max_size=2)},
        ),
        VALUES,
    )
)
def test_item9_push_body_never_500(helpdesk, body):
    _never_500(_post(helpdesk, f"{API}/sync/push", body))


def test_item9_push_with_a_lone_surrogate_a_version_out_of_range_or_an_impossible_time_is_a_400(helpdesk):
    bodies = [
        {"mutations": [{"id": "m-1", "kind": "journal.add", "payload": {"text": "\ud800"}}]},
        {"mutations": [{"id": "m-2", "kind": "x", "payload": {}, "base_version": 2**64}]},
        {"offline_reads": [{"case_id": "c", "opened_at": "0001-01-01T00:00:00+14:00"}]},
        {"mutations": [{"id": "m\x00", "kind": "x", "payload": {}}]},
        {"mutations": [{"id": "m-3", "kind": "x", "payload": {}, "base_version": -1}]},
    ]
    for body in bodies:
        response = _post(helpdesk, f"{API}/sync/push", body)
        assert response.status_code == 400 and response.json()["code"] == "invalid-request", response.text


ID_ROUTES = [
    ("GET", "/cases/{}"),
    ("DELETE", "/cases/{}"),
    ("GET", "/tasks/{}"),
    ("POST", "/admin/cases/{}/coordinator"),
    ("POST", "/admin/groups/{}/transfer"),
    ("DELETE", "/admin/groups/{}"),
    ("POST", "/admin/devices/{}/revoke"),
    ("POST", "/admin/accounts/{}/reactivate"),
]


@FUZZ
@example(route=("GET", "/tasks/{}"), identifier="\ud800", body=None)
@given(route=st.sampled_from(ID_ROUTES), identifier=NASTY_TEXT.filter(lambda t: t not in ("", ".", "..")), body=VALUES)
def test_item9_path_ids_never_500(helpdesk, route, identifier, body):
    method, template = route
    path = API + template.format(_segment(identifier))
    _never_500(_post(helpdesk, path, body, method) if method == "POST" else helpdesk.request(method, path))


def test_item9_ids_of_the_wrong_form_are_a_400(helpdesk):
    for identifier in ("a\x00b", "zaak\u00e9", "x" * 101, "\ud800"):
        response = helpdesk.get(f"{API}/cases/{_segment(identifier)}")
        assert response.status_code == 400 and response.json()["code"] == "invalid-request", response.text
        response = helpdesk.get(f"{API}/tasks/{_segment(identifier)}")
        assert response.status_code == 400, response.text


BODY_ROUTES = [
    ("POST", "/cases/search", ["case_number", "bsn"]),
    ("POST", "/admin/cases/c/coordinator", ["user_id", "reason"]),
    ("POST", "/admin/groups/g/transfer", ["target_group_id"]),
    ("POST", "/admin/enrollment-codes", ["username"]),
    ("POST", "/devices/current/renew", ["csr"]),
    ("POST", "/password", ["new_password", "current_password"]),
]


@FUZZ
@given(route=st.sampled_from(BODY_ROUTES), data=st.data())
def test_item9_bodies_never_500(helpdesk, route, data):
    method, path, keys = route
    body = data.draw(st.one_of(st.dictionaries(st.sampled_from(keys), VALUES, max_size=len(keys)), VALUES))
    if path == "/devices/current/renew" and isinstance(body, dict) and isinstance(body.get("csr"), str):
        body["csr"] = "not a CSR " + body["csr"]  # never a real renewal of this device
    if path == "/password" and isinstance(body, dict):
        body["current_password"] = 12  # never a real password change (a wrong type)
    _never_500(_post(helpdesk, API + path, body, method))


@FUZZ
@given(
    route=st.sampled_from(
        [
            ("/sessions", ["username", "password"]),
            ("/password-resets", ["username"]),
            ("/enrollments", ["username", "password", "code", "csr"]),
        ]
    ),
    data=st.data(),
)
def test_item9_public_bodies_never_500(service_module, route, data):
    path, keys = route
    body = data.draw(
        st.one_of(st.dictionaries(st.sampled_from(keys), st.one_of(NASTY_TEXT, VALUES), max_size=len(keys)), VALUES)
    )
    if isinstance(body, dict) and isinstance(body.get("username"), str):
        body["username"] = "onbekend-" + body["username"]  # never one of the demo accounts
    with plain_client(service_module) as client:
        _never_500(_post(client, API + path, body))
