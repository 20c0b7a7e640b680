"""HTTP-level faults injected into the REAL service, for tests of what the client does with them.

An ASGI middleware (`FaultInjector`) sits around the app that `create_app` made, inside the real
TLS server of `tests/service_fixtures.py`; everything it does not touch reaches the real service.
Faults are plain objects, added and removed while the service runs (thread-safe):

    from tests.faulty_service import FaultInjector, answer, drop_results, drip, rate_limited

    faults = FaultInjector.install(service)          # restarts `service` once, wrapped
    faults.add(rate_limited(retry_after=2))          # every POST /sync/push answers 429
    ...                                              # the client's sync fails, outbox kept
    faults.clear()                                   # the real service answers again
    faults.add(drop_results(lambda r: r["id"] in lost), times=1)   # the next answer loses some
    faults.add(answer(413, "request-too-large", when=contains_mutation(mid)))

API
---
`FaultInjector.install(service) -> FaultInjector`
    Wraps `service` (a `RunningService`) at every start from now on; restarts it if it runs (the
    data stays; clients re-connect). Also `FaultInjector(app)` as a plain ASGI middleware.
`injector.add(fault, *, times=None) -> Fault` the fault applies to matching requests, `times`
    of them (None: until removed). The first matching fault, in the order added, wins.
`injector.remove(fault)`, `injector.clear()`.
`injector.hits` a list of `(method, path, fault_name)` for every request a fault handled;
    `injector.count(name=None)` counts them. `injector.requests` a list of
    `(time.monotonic(), method, path, fault_name or None)` for every request while any fault was
    installed or `injector.record` is true (e.g. to check that a Retry-After was honoured).

Faults (each takes `path=` (default `PUSH`, the exact path), `method=` (default POST) and
`when=`: a predicate on the request's parsed JSON body (None for no/invalid JSON)):
- `answer(status, code=None, *, body=None, headers=None)`: answer at once, the app never sees
  the request. `code` makes a problem+json body; `body` (bytes) sends those exact bytes.
- `rate_limited(retry_after=1)`: 429 `too-many-requests` with `Retry-After`.
- `gateway(status)`: what a proxy in front of the service says during a redeploy, e.g. 404 with
  a problem `not-found`, 409 `conflict`, 502/503 with an HTML page.
- `garbled(applied=False)`: 200 with a body cut off in the middle of the JSON; with
  `applied=True` the real service applies the push first and its answer is cut.
- `truncate_push(keep)`: the service sees only the first `keep` mutations of the push and answers
  for those (as a service that stopped in the middle of a batch); the rest were never received.
- `drop_results(keep_out)`: the real service applies the push; from its answer the results for
  which `keep_out(result)` is true are removed (a partial answer).
- `rewrite_answer(fn)`: the real service answers; `fn(document)` returns the JSON sent instead
  (e.g. results without their `current`).
- `drip(chunk=16, delay=0.5)`: the real answer, sent `chunk` bytes every `delay` seconds.
Helpers: `contains_mutation(mutation_id)` and `mutation_count_at_most(n)` for `when=`.
`random_push_fault(rng)`: one of the push faults above with random parameters, for a stress run
    (`rng` a `random.Random`); its `.name` says which kind, for the run's report.

Nothing here logs bodies (they hold test data, but the habit matters).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

PUSH = "/api/v1/sync/push"
OUTCOMES = "/api/v1/sync/outcomes"
CHANGES = "/api/v1/sync/changes"

Predicate = Callable[[Any], bool]


@dataclass(eq=False)
class Fault:
    """One kind of misbehaviour for matching requests. Build with the functions below."""

    name: str
    path: str = PUSH
    method: str = "POST"
    when: Predicate | None = None
    # Answer without the app: (status, headers, body).
    answer: tuple[int, list[tuple[bytes, bytes]], bytes] | None = None
    # Rewrite the app's JSON answer (a partial answer).
    rewrite: Callable[[Any], Any] | None = None
    drip_chunk: int = 0
    drip_delay: float = 0.0
    # Rewrite the request's JSON body before the app sees it.
    request_rewrite: Callable[[Any], Any] | None = None
    cut_answer: bool = False
    remaining: int | None = field(default=None, repr=False)

    def matches(self, method: str, path: str, body: Any) -> bool:
        if method != self.method or path != self.path:
            return False
        return self.when is None or bool(self.when(body))


def _problem(status: int, code: str) -> bytes:
    return json.dumps(
        {"type": "about:blank", "title": "fault", "status": status, "detail": None, "code": code}
    ).encode()


def answer(
    status: int,
    code: str | None = None,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    path: str = PUSH,
    method: str = "POST",
    when: Predicate | None = None,
    name: str | None = None,
) -> Fault:
    """Answer `status` at once (problem+json with `code`, or exactly `body`)."""
    if body is None:
        body = _problem(status, code) if code else b""
    kind = b"application/problem+json" if code else b"text/html; charset=utf-8"
    head = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    head += [(k.lower().encode(), str(v).encode()) for k, v in (headers or {}).items()]
    return Fault(name or f"answer-{status}", path, method, when, answer=(status, head, body))


def rate_limited(retry_after: float = 1, **kwargs: Any) -> Fault:
    return answer(
        429, "too-many-requests", headers={"Retry-After": str(int(retry_after))}, name="rate-limited", **kwargs
    )


def gateway(status: int, **kwargs: Any) -> Fault:
    """A proxy's answer: 404/409 with a problem code (as a gateway with problem pages sends),
    5xx with an HTML page."""
    if status < 500:
        code = {404: "not-found", 409: "conflict"}.get(status, "gateway")
        return answer(status, code, name=f"gateway-{status}", **kwargs)
    return answer(status, body=b"<html><body>Bad gateway</body></html>", name=f"gateway-{status}", **kwargs)


def garbled(applied: bool = False, **kwargs: Any) -> Fault:
    if applied:
        return Fault(kwargs.pop("name", "garbled-applied"), cut_answer=True, **kwargs)
    body = b'{"results": [{"id": "'
    return answer(200, body=body, headers={"content-type": "application/json"}, name="garbled", **kwargs)


def truncate_push(keep: int, **kwargs: Any) -> Fault:
    """The service receives only the first `keep` mutations of a push."""

    def shorten(document: Any) -> Any:
        if isinstance(document, dict) and isinstance(document.get("mutations"), list):
            document["mutations"] = document["mutations"][:keep]
        return document

    return Fault(kwargs.pop("name", "truncate-push"), request_rewrite=shorten, **kwargs)


def drop_results(keep_out: Callable[[dict], bool], **kwargs: Any) -> Fault:
    """The real answer without the results for which `keep_out(result)` is true."""

    def rewrite(document: Any) -> Any:
        if isinstance(document, dict) and isinstance(document.get("results"), list):
            document["results"] = [r for r in document["results"] if not keep_out(r)]
        return document

    return Fault(kwargs.pop("name", "drop-results"), rewrite=rewrite, **kwargs)


def rewrite_answer(fn: Callable[[Any], Any], **kwargs: Any) -> Fault:
    return Fault(kwargs.pop("name", "rewrite-answer"), rewrite=fn, **kwargs)


def drip(chunk: int = 16, delay: float = 0.5, **kwargs: Any) -> Fault:
    """The real answer, `chunk` bytes every `delay` seconds."""
    return Fault(kwargs.pop("name", "drip"), drip_chunk=chunk, drip_delay=delay, **kwargs)


def random_push_fault(rng) -> Fault:
    """A random fault of POST /sync/push: whole-push refusals, garbled or partial answers, a drip."""
    kind = rng.choice(["429", "404", "409", "500", "502", "garbled", "garbled-applied", "truncate", "drop", "drip"])
    if kind == "429":
        return rate_limited(retry_after=rng.randint(1, 3))
    if kind in ("404", "409", "502"):
        return gateway(int(kind))
    if kind == "500":
        return answer(500, "internal")
    if kind.startswith("garbled"):
        return garbled(applied=kind == "garbled-applied")
    if kind == "truncate":
        return truncate_push(keep=rng.randint(0, 5))
    if kind == "drop":
        return drop_results(lambda result: rng.random() < 0.5)
    return drip(chunk=rng.choice([16, 64, 256]), delay=rng.choice([0.05, 0.2]))


def contains_mutation(mutation_id: str) -> Predicate:
    return lambda body: (
        isinstance(body, dict)
        and any(isinstance(m, dict) and m.get("id") == mutation_id for m in body.get("mutations") or [])
    )


def mutation_count_at_most(n: int) -> Predicate:
    return lambda body: isinstance(body, dict) and len(body.get("mutations") or []) <= n


class FaultInjector:
    """ASGI middleware: faults for matching requests, the real app for everything else."""

    def __init__(self, app: Callable[..., Awaitable[None]] | None = None) -> None:
        self.app = app
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.hits: list[tuple[str, str, str]] = []
        self.requests: list[tuple[float, str, str, str | None]] = []
        self.record = False

    # -- setup ---------------------------------------------------------------------------
    @classmethod
    def install(cls, service: Any) -> "FaultInjector":
        injector = cls()

        def wrap(app):
            injector.app = app
            return injector

        service.wrap_app = wrap
        if service.running:
            service.restart()
        return injector

    def add(self, fault: Fault, *, times: int | None = None) -> Fault:
        fault.remaining = times
        with self._lock:
            self._faults.append(fault)
        return fault

    def remove(self, fault: Fault) -> None:
        with self._lock:
            if fault in self._faults:
                self._faults.remove(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def count(self, name: str | None = None) -> int:
        with self._lock:
            return sum(1 for hit in self.hits if name is None or hit[2] == name)

    def _take(self, method: str, path: str, body: Any) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path, body):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                        if fault.remaining <= 0:
                            self._faults.remove(fault)
                    self.hits.append((method, path, fault.name))
                    return fault
        return None

    # -- ASGI ----------------------------------------------------------------------------
    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not (self._faults or self.record):
            await self.app(scope, receive, send)
            return
        raw = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            raw += message.get("body", b"")
            more = message.get("more_body", False)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        fault = self._take(scope["method"], scope["path"], body)
        with self._lock:
            self.requests.append((time.monotonic(), scope["method"], scope["path"], fault.name if fault else None))
        if fault is not None and fault.request_rewrite is not None:
            raw = json.dumps(fault.request_rewrite(body)).encode()
            scope = dict(
                scope,
                headers=[(k, v) for k, v in scope["headers"] if k != b"content-length"]
                + [(b"content-length", str(len(raw)).encode())],
            )

        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()  # the disconnect, when it comes

        if fault is None or fault.request_rewrite is not None:
            await self.app(scope, replay, send)
        elif fault.answer is not None:
            status, headers, content = fault.answer
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": content})
        elif fault.rewrite is not None or fault.cut_answer:
            await self._rewritten(scope, replay, send, fault)
        else:
            await self._dripped(scope, replay, send, fault)

    async def _rewritten(self, scope, receive, send, fault: Fault) -> None:
        start: dict = {}
        chunks: list[bytes] = []

        async def capture(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        content = b"".join(chunks)
        if fault.cut_answer:
            content = content[: max(len(content) // 2, 1)]
        else:
            try:
                content = json.dumps(fault.rewrite(json.loads(content))).encode()
            except ValueError:
                pass  # not JSON (an error page): passed on as it was
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": start.get("status", 500), "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _dripped(self, scope, receive, send, fault: Fault) -> None:
        async def slow(message):
            if message["type"] != "http.response.body":
                await send(message)
                return
            content, more = message.get("body", b""), message.get("more_body", False)
            for index in range(0, max(len(content), 1), fault.drip_chunk):
                await asyncio.sleep(fault.drip_delay)
                last = index + fault.drip_chunk >= len(content)
                await send(
                    {
                        "type": "http.response.body",
                        "body": content[index : index + fault.drip_chunk],
                        "more_body": more or not last,
                    }
                )

        await self.app(scope, receive, slow)
