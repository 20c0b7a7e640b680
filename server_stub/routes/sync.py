"""The sync API: pull a page of the change feed (optionally long-polling) and push mutations.

The pull is async so that a waiting long-poll holds no worker thread and never delays a push;
the database work of each page runs in the thread pool. See docs/API.md "Work and sync".
"""

from __future__ import annotations

import asyncio
import threading
from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from server_stub import contract
from server_stub.contract import documented
from server_stub import mutations, notify, offline_reads
from server_stub.deps import Principal, check_not_revoked, get_db, get_mailer, recheck_session, require_principal
from server_stub.problems import ID_PATTERN, Problem, StrictModel
from server_stub.store import Database
from server_stub.store import feed, work

router = APIRouter(prefix="/api/v1", tags=["sync"])

MAX_MUTATIONS = 500
MAX_OFFLINE_READS = 5000
_signal_lock = threading.Lock()


def get_feed_signal(request: Request) -> feed.FeedSignal:
    """The app's one FeedSignal (created on first use)."""
    state = request.app.state
    with _signal_lock:
        if not hasattr(state, "feed_signal"):
            state.feed_signal = feed.FeedSignal()
    return state.feed_signal


def viewer_of(conn, principal: Principal):
    return work.viewer_for(conn, principal.user_id, principal.role, principal.organisation_id)


def audit_reads(db: Database, principal: Principal, page: dict, via: str) -> None:
    """Every case (and task, which carries a case summary) sent is audited; buffered, batched."""
    entries = [("case.read", "case", case["id"]) for case in page["upserts"]["cases"]]
    entries += [("task.read", "task", task["id"]) for task in page["upserts"]["tasks"]]
    if entries:
        db.audit_many(principal, entries, {"via": via})


def _read_page(db: Database, principal: Principal, cursor: feed.Cursor | None, limit: int) -> dict:
    conn = db.conn()
    conn.execute("BEGIN")  # one consistent read for the whole page
    try:
        page = feed.pull(conn, viewer_of(conn, principal), cursor, limit, work.now_iso())
    except feed.CursorExpired:
        raise Problem(410, "cursor-expired", EXPIRED) from None
    finally:
        conn.execute("COMMIT")
    audit_reads(db, principal, page, "sync")
    return page


EXPIRED = "De gegevens op dit apparaat horen bij een oudere stand van de dienst; synchroniseer opnieuw vanaf het begin."


def _json(page: dict) -> Response:
    # Pages can be large (a 1,000-case page is ~3 MB): orjson writes the same compact UTF-8 JSON
    # as json.dumps(ensure_ascii=False) at a tenth of the CPU, not FastAPI's generic encoder.
    return Response(orjson.dumps(page), media_type="application/json")


def news(db: Database, user_id: str, seq: int) -> tuple[int, int]:
    """(latest feed seq, whether this user has anything after `seq`)."""
    return (
        db.conn()
        .execute(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM feed), EXISTS(SELECT 1 FROM feed WHERE user_id = ? AND seq > ?)",
            (user_id, seq),
        )
        .fetchone()
    )


@router.get("/sync/changes", **documented(contract.FeedPage, 410))
async def changes(
    request: Request,
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=feed.DEFAULT_PAGE, ge=1, le=feed.MAX_PAGE),
    wait: float = Query(default=0, ge=0, le=feed.MAX_WAIT_SECONDS),
    principal: Principal = Depends(require_principal),
    db: Database = Depends(get_db),
):
    try:
        parsed = feed.Cursor.decode(cursor) if cursor is not None else None
    except feed.BadCursor:
        raise Problem(
            400,
            "invalid-request",
            "Deze synchronisatiepositie is ongeldig; synchroniseer opnieuw vanaf het begin.",
            invalid_params=[{"name": "cursor", "reason": "invalid"}],
        ) from None
    if parsed is None or parsed.phase != "feed":
        return _json(await run_in_threadpool(_read_page, db, principal, parsed, limit))

    signal = get_feed_signal(request)
    # Register before looking, so that a change committed in between still wakes us.
    waiter = signal.register(principal.user_id) if wait > 0 else None
    woken = False
    try:
        while True:
            # The no-op check is one indexed query; it runs in a worker thread all the same, so
            # that a busy database can never stall the event loop (and every waiting long-poll).
            latest, anything = await run_in_threadpool(news, db, principal.user_id, parsed.seq)
            if parsed.seq > latest:
                raise Problem(410, "cursor-expired", EXPIRED)
            if anything:
                return _json(await run_in_threadpool(_read_page, db, principal, parsed, limit))
            if waiter is None:
                return _json(feed.empty_page(parsed, work.now_iso()))
            if not woken:  # after a wake-up, recheck_session below has just looked
                check_not_revoked(request)  # revoked between the gate and our registration
            try:
                await asyncio.wait_for(waiter[1].wait(), timeout=wait)
            except asyncio.TimeoutError:
                await recheck_session(request)
                return _json(feed.empty_page(parsed, work.now_iso()))
            # Cleared before the recheck: a revocation after it sets the event again, so the
            # next wait ends at once and its recheck refuses the device.
            waiter[1].clear()
            await recheck_session(request)  # the account may have been locked while we waited
            woken = True
            wait = 0.5  # woken: look again; a wake-up that was not ours ends the wait soon
    finally:
        if waiter is not None:
            signal.unregister(principal.user_id, waiter)


class MutationIn(StrictModel):
    id: str = Field(pattern=ID_PATTERN)
    # Any string is taken (an unknown kind gets a rejected result); the document lists the kinds.
    kind: str = Field(min_length=1, max_length=50, json_schema_extra={"enum": [k.value for k in contract.MutationKind]})
    base_version: int | None = Field(default=None, ge=0, lt=2**63)  # a stored 64-bit version
    payload: dict


class OfflineRead(StrictModel):
    case_id: str = Field(pattern=ID_PATTERN)
    local_time: str | None = Field(default=None, min_length=1, max_length=40)
    estimated_time: str | None = Field(default=None, min_length=1, max_length=40)  # server-anchored
    opened_at: str | None = Field(default=None, min_length=1, max_length=40)  # older clients: local time only


class PushIn(StrictModel):
    mutations: list[MutationIn] = Field(default_factory=list, max_length=MAX_MUTATIONS)
    offline_reads: list[OfflineRead] = Field(default_factory=list, max_length=MAX_OFFLINE_READS)


@router.post("/sync/push", **documented(contract.PushOut))
def push(
    body: PushIn,
    request: Request,
    principal: Principal = Depends(require_principal),
    db: Database = Depends(get_db),
    mailer=Depends(get_mailer),
):
    # A time that is no time at all is malformed input: 400 before anything is changed. A real
    # time that cannot be true is judged per read below.
    for index, read in enumerate(body.offline_reads):
        for name in ("local_time", "estimated_time", "opened_at"):
            value = getattr(read, name)
            if (value is not None and mutations.parse_time(value) is None) or (
                name == "opened_at" and read.local_time is None and value is None
            ):
                raise Problem(
                    400,
                    "invalid-request",
                    invalid_params=[{"name": f"offline_reads.{index}.{name}", "reason": "invalid-time"}],
                )

    signal = get_feed_signal(request)
    conn = db.conn()
    viewer = viewer_of(conn, principal)
    # Each offline read is judged on its own (by its server-anchored estimate) and never refuses
    # the push: a wrong clock must not cost the audit trail or the changes.
    reads = offline_reads.record(db, principal, viewer, body.offline_reads)
    results = []
    for mutation in body.mutations:
        outcome = mutations.apply_mutation(
            db, principal, viewer, mutation.id, mutation.kind, mutation.base_version, mutation.payload, work.now_iso()
        )
        signal.notify(outcome.touched)
        notify.send_all(mailer, outcome.mails)
        results.append(outcome.result)
    return {"results": results, "offline_reads": reads}


class OutcomesIn(StrictModel):
    mutation_ids: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=MAX_MUTATIONS
    )


@router.post("/sync/outcomes", **documented(contract.OutcomesOut))
def outcomes(body: OutcomesIn, principal: Principal = Depends(require_principal), db: Database = Depends(get_db)):
    """What became of the caller's own pushed mutations: applied, refused (with the reason code)
    or unknown. Only the caller's ids are looked up, so another user's id is "unknown"; the
    stored results' `current` objects are never sent (no object content, docs/API.md)."""
    ids = list(dict.fromkeys(body.mutation_ids))
    stored_results = dict(
        db.conn()
        .execute(
            "SELECT mutation_id, result FROM pushed_mutations WHERE user_id = ? AND mutation_id IN "
            f"({', '.join('?' * len(ids))})",  # one query for up to MAX_MUTATIONS ids, not one per id
            (principal.user_id, *ids),
        )
        .fetchall()
    )
    answers = []
    for mutation_id in body.mutation_ids:
        result = stored_results.get(mutation_id)
        if result is None:
            answers.append({"mutation_id": mutation_id, "outcome": "unknown", "code": None})
            continue
        stored = orjson.loads(result)
        if stored.get("status") == "applied":
            answers.append({"mutation_id": mutation_id, "outcome": "applied", "code": None})
        else:
            answers.append(
                {
                    "mutation_id": mutation_id,
                    "outcome": "refused",
                    "code": stored.get("reason") or stored.get("code") or stored.get("status"),
                }
            )
    return {"outcomes": answers}
