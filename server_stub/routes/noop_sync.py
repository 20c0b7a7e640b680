"""The lean path of the commonest request: a no-op `GET /api/v1/sync/changes` (issue 19).

Every kept-up client asks the feed again and again and nearly always gets the empty page. Through
FastAPI such a request cost ~1 ms of service CPU, two thirds of it routing, dependency injection,
query validation and the exception middleware around a route that does one indexed query. This
ASGI middleware sits behind the gate (the device is known and not revoked) and answers exactly that
case itself: a feed-phase cursor, a valid limit, no wait, a valid session and nothing new for the
user. The checks are the route's own (`require_principal`, `routes.sync.news`), the answer is the
route's empty page, byte for byte. Anything else -- a snapshot cursor, a long-poll, news, an
expired cursor, a malformed or unusual query, a refused token -- goes on to the FastAPI route,
which answers (and refuses) as it always has; a session already checked here is not looked up
again (`request.state.session_info`). The OpenAPI document is the route's and stays unchanged.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

import orjson
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from server_stub.deps import require_principal
from server_stub.problems import Problem
from server_stub.routes import API
from server_stub.routes.sync import news
from server_stub.store import feed, work

PATH = f"{API}/sync/changes"
_PARAMETERS = frozenset({"cursor", "limit", "wait"})
_LIMIT = re.compile(r"[0-9]{1,4}")
_NO_WAIT = re.compile(r"0+(\.0*)?")
_HEADERS = [(b"content-type", b"application/json")]


def _noop_cursor(query_string: bytes) -> feed.Cursor | None:
    """The feed cursor of a query this path may answer, else None (the route decides)."""
    # As Starlette parses a query; a repeated or unknown parameter is left to the route.
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs) or not params.keys() <= _PARAMETERS or "cursor" not in params:
        return None
    limit, wait, cursor = params.get("limit"), params.get("wait"), params["cursor"]
    if limit is not None and not (_LIMIT.fullmatch(limit) and 1 <= int(limit) <= feed.MAX_PAGE):
        return None
    if (wait is not None and not _NO_WAIT.fullmatch(wait)) or len(cursor) > 200:
        return None
    try:
        parsed = feed.Cursor.decode(cursor)
    except feed.BadCursor:
        return None
    return parsed if parsed.phase == "feed" else None


class NoopSyncPath:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        parsed = _noop_cursor(scope["query_string"])
        if parsed is None:
            return await self.app(scope, receive, send)
        request = Request(scope)
        try:
            principal = await require_principal(request)
        except Problem:
            return await self.app(scope, receive, send)  # the route refuses it, with its own answer
        db = request.app.state.service.db
        if db.kind == "sqlite":
            # One indexed read, on the event loop like the session lookup (deps.py): a WAL reader
            # never waits for the writer, and a thread hop cost more than the query.
            latest, anything = news(db, principal.user_id, parsed.seq)
        else:
            latest, anything = await run_in_threadpool(news, db, principal.user_id, parsed.seq)
        if anything or parsed.seq > latest:
            return await self.app(scope, receive, send)  # a page to read, or cursor-expired
        body = orjson.dumps(feed.empty_page(parsed, work.now_iso()))
        headers = [(b"content-length", str(len(body)).encode()), *_HEADERS]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
