"""The lean path of a no-op sync (server_stub/routes/noop_sync.py, issue 19): it answers what the
FastAPI route would, and leaves every other case, refusals included, to the route."""

from __future__ import annotations

import pytest

from server_stub.routes import noop_sync, sync
from server_stub.store import feed
from tests.server.work_client import Worker
from tests.service_fixtures import API


@pytest.fixture
def counted(monkeypatch):
    """How often the lean path and the route looked for news."""
    calls = {"lean": 0, "route": 0}

    def counting(name, real):
        def news(*args):
            calls[name] += 1
            return real(*args)

        return news

    monkeypatch.setattr(noop_sync, "news", counting("lean", sync.news))
    monkeypatch.setattr(sync, "news", counting("route", sync.news))
    return calls


def test_a_noop_is_answered_by_the_lean_path_exactly_as_by_the_route(service_module, counted):
    worker = Worker(service_module, "anouk")
    try:
        worker.pull_all()
        lean = worker.http.get(f"{API}/sync/changes", params={"cursor": worker.cursor, "limit": 1000})
        assert counted == {"lean": 1, "route": 0}
        # "0e0" is no wait to the route but not a form the lean path takes: the route answers.
        routed = worker.http.get(f"{API}/sync/changes", params={"cursor": worker.cursor, "wait": "0e0"})
        assert counted == {"lean": 1, "route": 1}
        assert lean.status_code == routed.status_code == 200
        for name in ("content-type", "api-version", "content-length"):
            assert lean.headers[name] == routed.headers[name]
        lean_body, routed_body = lean.json(), routed.json()
        assert lean_body.pop("server_time") <= routed_body.pop("server_time")
        assert lean_body == routed_body and lean_body["cursor"] == worker.cursor

        # News, and a cursor from the future, go on to the route (found by the lean path first).
        seq = feed.Cursor.decode(worker.cursor).seq
        future = feed.Cursor(seq + 10_000).encode()
        expired = worker.http.get(f"{API}/sync/changes", params={"cursor": future})
        assert expired.status_code == 410 and expired.json()["code"] == "cursor-expired"
        assert counted == {"lean": 2, "route": 2}
        # Malformed queries are the route's to refuse.
        for params in ({"cursor": worker.cursor, "limit": 0}, {"cursor": "x" * 201}, {"cursor": "!!"}):
            assert worker.http.get(f"{API}/sync/changes", params=params).status_code in (400, 422)
        assert counted["lean"] == 2
    finally:
        worker.close()


def test_a_refused_session_gets_the_routes_answer_on_the_lean_path(service_module, counted):
    worker = Worker(service_module, "daan")
    try:
        worker.pull_all()
        noop = {"cursor": worker.cursor, "limit": 1000}
        assert worker.http.delete(f"{API}/sessions/current").status_code == 204  # logged out
        refused = worker.http.get(f"{API}/sync/changes", params=noop)
        assert refused.status_code == 401 and refused.json()["code"] == "unauthenticated"
        assert refused.headers["www-authenticate"] == "Bearer"
        assert counted == {"lean": 0, "route": 0}  # refused before anyone looked for news
    finally:
        worker.close()
