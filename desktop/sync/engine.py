"""The sync engine: push the outbox, then pull the feed into the cache; live while online.

The engine writes nothing itself: every write is a function of `desktop.cache` run on the
profile's `desktop.cache.writer.CacheWriter` (the cache lane). Two pieces, each with one job:
- `SyncEngine.sync_once()`: one sync under the profile's cross-process lock. Upload before
  download (a pulled row never overwrites unsent changes). Pull is pipelined: while the writer
  applies page n (one transaction with its cursor), this thread already fetches page n+1.
- `SyncEngine.start_live()`: a thread that syncs, then holds the service's long-poll open so a task
  placed in a team queue arrives within seconds; a nudge (the user saved something) pushes at
  once; failures back off exponentially with jitter. Without the live loop `push_soon()` pushes
  on a short-lived thread of its own, so a caller on the GUI's cache lane never waits on the network.

Progress goes through `SyncProgress` (the GUI binds queued signals to it); callbacks run on the
sync thread and must not block. Nothing here logs personal data: ids and counts only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import random
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors, wire
from desktop.cache import outbox
from desktop.cache.pull import apply_pulled_page, holds_nothing_to_purge, purge_unseen, stamp_sync_time
from desktop.cache.writer import CacheWriter
from desktop.sync import collector
from desktop.sync.transport import LONG_POLL_READ_MARGIN, decode_json

log = logging.getLogger(__name__)

PAGE_LIMIT = 1000
PARSE_BUDGET_MS = 15.0  # the GUI's event loop must never wait more than 50 ms on a sync
FIRST_PAGE = 200  # before the first measurement
MIN_PAGE = 50
PUSH_BATCH = 200
PUSH_BATCH_BYTES = 512 * 1024  # the service refuses bodies over 1 MiB (docs/API.md)
LONG_POLL_SECONDS = 25
LOCK_WAIT_SECONDS = 5.0
STAMP_SECONDS = 60.0
MIN_POLL_SECONDS = 1.0
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 60.0
# The live loop, offline, tries the service again at least this often, plus a random spread of up
# to RECONNECT_SPREAD_SECONDS so that clients do not return in step: every client is back within
# 5 s of the service accepting connections (a Retry-After from the service takes precedence).
RECONNECT_PROBE_SECONDS = 2.5
RECONNECT_SPREAD_SECONDS = 2.0
# A long-poll's whole request may take its wait plus this (the answer can be a full page).
LONG_POLL_MARGIN_SECONDS = 20.0
# The only failures that end the live sync: the service said so explicitly (device revoked,
# certificate refused, account locked, session ended), or there is nothing to sync with. Any
# other failure, whatever a connection did, is retried with backoff until the network is back.
LIVE_ENDS = (
    errors.DeviceRevoked,
    errors.DeviceCertificateNotAccepted,
    errors.DeviceCertificateExpired,
    errors.AccountLocked,
    errors.SessionExpired,
    errors.PasswordChangeRequired,
    errors.NotEnrolled,
    errors.NeedsConnection,
)
# A page's parse is timed by the pulling thread's CPU clock: what the parse holds the interpreter
# lock for. Time the thread sat preempted on a busy machine is not the page's cost (it shrank the
# next pages for nothing). Windows counts thread time in scheduler ticks (~15.6 ms): the wall clock there.
_parse_clock = time.perf_counter if os.name == "nt" else time.thread_time
# Answers to a pull that mean "your cursor is no longer valid here": start from a snapshot.
RESTART_PROBLEMS = frozenset({"cursor-expired", "invalid-request"})
# A push refused as a whole with these statuses (and a problem code) may be caused by one change in
# it (too large, malformed): split it to find that one. Any other whole refusal (429, a gateway's
# 404/409, 5xx) says nothing about the changes: all stay queued. Only a per-mutation answer
# refuses a change.
SPLIT_STATUSES = frozenset({400, 413, 422})
OUTCOMES_BATCH = 500


class SyncBusy(errors.ClientError):
    """Another process (the GUI, another command) is syncing this profile right now."""

    code = "sync-busy"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Er loopt al een synchronisatie voor dit profiel; wacht tot die klaar is en probeer het opnieuw."
    )


class SyncCancelled(Exception):
    """The sync was cancelled (`cancel()`, `stop()`): silent, nothing half-applied."""


# Failures after which a change simply stays queued (the next sync sends it): nothing to tell.
STAYS_QUEUED = (
    errors.ConnectionProblem,
    errors.ServiceError,
    errors.InvalidResponse,
    errors.NoSecureConnection,
    errors.DeviceCertificateRequired,
    SyncBusy,
)


# --- progress ---------------------------------------------------------------------------------


@dataclass
class SyncResult:
    """What one sync did; `to_json()` is the shape of `menscentraal sync --json`."""

    pulled: int = 0
    removed: int = 0
    pages: int = 0
    pushed: int = 0
    conflicts: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    stuck: list[dict] = field(default_factory=list)  # refused as a whole on their own: set aside
    unsent: int = 0  # sent but not answered: still queued, sent again next time
    held_back: int = 0  # stuck changes in the outbox (new or older), waiting for the user
    seconds: float = 0.0
    answered: set[str] = field(default_factory=set)  # mutation ids the service answered (out of the outbox)

    def add_push(self, outcome: "outbox.PushOutcome") -> None:
        self.pushed += outcome.applied
        self.conflicts.extend(outcome.conflicts)
        self.rejected.extend(outcome.rejected)
        self.unsent += outcome.unanswered

    def settled(self, mutation_id: str) -> bool:
        """True when this push had the service's word on the change: answered, or set aside as stuck."""
        return mutation_id in self.answered or any(s.get("mutation_id") == mutation_id for s in self.stuck)

    @property
    def complete(self) -> bool:
        """True when every change sent got the service's answer and none is stuck."""
        return not self.stuck and not self.unsent and not self.held_back

    def to_json(self) -> dict:
        return {
            "pulled": self.pulled,
            "pushed": self.pushed,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
            "stuck": self.stuck,
            "unsent": self.unsent,
            "held_back": self.held_back,
        }


class SyncProgress(Protocol):
    """What the GUI (or the command line) hears about a sync. Called on the sync thread."""

    def started(self) -> None: ...

    def page(self, n: int, counts: dict[str, int]) -> None: ...

    def finished(self, result: SyncResult) -> None: ...

    def failed(self, error: BaseException) -> None: ...


class NoProgress:
    """A `SyncProgress` that listens to nothing."""

    def started(self) -> None:
        pass

    def page(self, n: int, counts: dict[str, int]) -> None:
        pass

    def finished(self, result: SyncResult) -> None:
        pass

    def failed(self, error: BaseException) -> None:
        pass


# --- one sync at a time per profile ---------------------------------------------------------------


class ProfileSyncLock:
    """An OS file lock in the profile directory: one sync per profile across processes.

    The OS drops it when the process dies (even by SIGKILL), so a crash never leaves it stuck.
    A thread lock in front keeps two threads of one process from sharing the file lock.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    def acquire(self, wait_seconds: float = LOCK_WAIT_SECONDS) -> None:
        deadline = time.monotonic() + wait_seconds
        if not self._thread_lock.acquire(timeout=max(wait_seconds, 0)):
            raise SyncBusy()
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            delay = 0.01
            while not _try_lock_file(fd):
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise SyncBusy()
                # The other process may hold it for a whole sync; there is no OS event to wait on.
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
            self._fd = fd
        except BaseException:
            self._thread_lock.release()
            raise

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            _unlock_file(fd)
            os.close(fd)
        self._thread_lock.release()

    def __enter__(self) -> "ProfileSyncLock":
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock_file(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _unlock_file(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock_file(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _unlock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class Backoff:
    """Exponential delays with jitter, so a hundred clients do not return in step after an outage."""

    def __init__(self, base: float | None = None, cap: float | None = None, rng=random.random) -> None:
        self.base = BACKOFF_BASE_SECONDS if base is None else base
        self.cap = BACKOFF_CAP_SECONDS if cap is None else cap
        self._rng = rng
        self.failures = 0

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.failures)
        self.failures += 1
        return ceiling / 2 + self._rng() * ceiling / 2

    def reset(self) -> None:
        self.failures = 0


class ReconnectBackoff(Backoff):
    """The live loop's: doubling from the base up to a short probe interval, plus a spread."""

    def __init__(
        self, probe: float = RECONNECT_PROBE_SECONDS, spread: float = RECONNECT_SPREAD_SECONDS, rng=random.random
    ) -> None:
        super().__init__(cap=probe, rng=rng)
        self.spread = spread

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.failures)
        self.failures += 1
        return ceiling + self._rng() * self.spread


# --- the engine ----------------------------------------------------------------------------------


class SyncEngine:
    """Push then pull, for one signed-in profile. Thread-safe; one sync runs at a time.

    `transport` is a `desktop.sync.transport.Transport` (anything with `get_json`/`post_json`);
    `writer` the profile's `CacheWriter`; `lock_path` the profile's sync lock file.
    """

    def __init__(
        self,
        transport: Any,
        writer: CacheWriter,
        lock_path: Path,
        progress: SyncProgress | None = None,
        *,
        page_limit: int = PAGE_LIMIT,
        parse_budget_ms: float | None = PARSE_BUDGET_MS,
        long_poll_seconds: int = LONG_POLL_SECONDS,
        on_contact: Callable[[], None] | None = None,
        on_revoked: Callable[[], None] | None = None,
    ) -> None:
        self.transport = transport
        self.writer = writer
        self.progress: SyncProgress = progress or NoProgress()
        self.page_limit = page_limit
        # In an interactive app a page is sized so that parsing it never stalls the GUI; the
        # command line sets None and takes the largest pages (throughput).
        self.parse_budget = parse_budget_ms / 1000 if parse_budget_ms else None
        self._next_limit = min(page_limit, FIRST_PAGE) if self.parse_budget else page_limit
        self.long_poll_seconds = long_poll_seconds
        self._lock = ProfileSyncLock(lock_path)
        self._on_contact = on_contact  # e.g. the session's "last contact" for the offline grace
        self._on_revoked = on_revoked  # the session wipes keys and cache, then acknowledges
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self._live: threading.Thread | None = None
        self._stopping = threading.Event()
        self._cancel = threading.Event()
        self._stamped_at = float("-inf")  # when "last synchronised" was last written
        self.last_heard_at: dt.datetime | None = None  # the feed's latest answer (the status bar's time)
        self._online = threading.Event()
        self._revoked_done = False
        self._pusher: threading.Thread | None = None  # `push_soon` without the live loop
        self._push_due = False
        self._push_lock = threading.Lock()

    # -- one sync -------------------------------------------------------------------------

    def sync_once(self, *, lock_wait: float = LOCK_WAIT_SECONDS) -> SyncResult:
        """Push everything queued, then pull until the feed has no more. Raises typed errors,
        or `SyncCancelled` after `cancel()` (between batches and pages: applied pages stay)."""
        self._cancel.clear()
        return self._locked(self._sync, lock_wait)

    def cancel(self) -> None:
        """Stop a running sync at the next batch or page boundary."""
        self._cancel.set()

    def _check_cancelled(self) -> None:
        if self._cancel.is_set() or self._stopping.is_set():
            raise SyncCancelled()

    def push_once(self, *, lock_wait: float = LOCK_WAIT_SECONDS) -> SyncResult:
        """Only the upload half: what a nudge does while the long-poll is open."""

        def push() -> SyncResult:
            result = SyncResult()
            self._push_all(result)
            return result

        return self._locked(push, lock_wait)

    def _locked(self, work: Callable[[], SyncResult], lock_wait: float) -> SyncResult:
        """`work` under the profile's sync lock; a revoked device is handed to the owner after."""
        if self.transport is None:
            raise errors.NeedsConnection()
        self._lock.acquire(lock_wait)
        try:
            return work()
        except errors.DeviceRevoked:
            self._lock.release()
            self._revoked()  # after releasing: the owner deletes the profile's files
            raise
        finally:
            if self._lock.held:
                self._lock.release()

    def _sync(self) -> SyncResult:
        self.progress.started()
        started = time.perf_counter()
        result = SyncResult()
        try:
            self._push_all(result)
            self._pull_all(result)
        except SyncCancelled:
            raise  # silent: the user asked for it
        except BaseException as exc:
            self._online.clear()
            self.progress.failed(exc)
            raise
        result.seconds = time.perf_counter() - started
        self._online.set()
        self.progress.finished(result)
        return result

    def _revoked(self) -> None:
        """The service says this device is revoked: let the owner wipe it, once."""
        if self._on_revoked is not None and not self._revoked_done:
            self._revoked_done = True
            self._on_revoked()

    # -- push -------------------------------------------------------------------------------

    def _push_all(self, result: SyncResult) -> None:
        after = 0  # outbox position: batches move forward even when a batch is only conflicts
        while True:
            self._check_cancelled()
            batch, reads = self.writer.call(outbox.next_batch, after, PUSH_BATCH, PUSH_BATCH_BYTES)
            if not batch and not reads:
                break
            self._push_batch(batch, reads, result)
            if not batch:
                break
            after = batch[-1].position
        result.held_back = self.writer.call(outbox.stuck_count)

    def _push_batch(self, batch: list, reads: list, result: SyncResult) -> None:
        body = {
            "mutations": [m.wire() for m in batch],
            "offline_reads": [r.wire() for r in reads],
        }
        if not batch and not reads:
            return
        try:
            answer = self.transport.post_json("/sync/push", body)
        except errors.TooManyRequests as busy:  # every 429 (desktop.sync.transport)
            raise errors.PushNotAccepted(429, _retry_after(busy)) from None
        except errors.RequestRefused as refused:
            status = refused.details.get("status")
            if status not in SPLIT_STATUSES:
                raise errors.PushNotAccepted(status, _retry_after(refused)) from None
            # The service refused the batch as a whole (too large, malformed). Find the culprit so
            # that it alone is set aside and never blocks the rest: first without the offline reads
            # (kept for the next sync: an audit record is never dropped on a whole refusal, which
            # may be a proxy's), then halves of the batch.
            if reads:
                log.warning("a push with %d offline read records was refused as a whole; they are kept", len(reads))
                self._push_batch(batch, [], result)
                return
            if len(batch) > 1:
                middle = len(batch) // 2
                self._push_batch(batch[:middle], reads, result)
                self._push_batch(batch[middle:], [], result)
                return
            if not batch:
                raise
            # One change refused as a whole request is not the service's answer to it: it stays
            # queued, set aside ("stuck") until the user retries or removes it.
            code = refused.details.get("problem") or str(status)
            key = batch[0].object_key()
            # First the service's state (if this fails, nothing is marked; retried next sync).
            current = self._current_of(key) if batch[0].kind != "task.create" else None
            self.writer.call(outbox.mark_stuck, batch[0], code, current)
            log.warning("a change was refused as a whole request (%s); set aside for the user", code)
            result.stuck.append(
                {
                    "id": key[1] if key[0] != "preferences" else "preferences",
                    "kind": batch[0].kind,
                    "reason": code,
                    "mutation_id": batch[0].id,
                    "status": "stuck",
                }
            )
            return
        except errors.ServiceError as failed:
            raise errors.PushNotAccepted(failed.details.get("status", 0), _retry_after(failed)) from None
        self._contact()
        results = wire.check_push_answer(answer, {m.id for m in batch})
        # A refusal without the service's state: fetch it first, so the optimistic edit is rolled
        # back (should this fail, nothing is resolved; the retry gets the same stored answers).
        fetched = {key: self._current_of(key) for key in outbox.needs_state(batch, results)}
        outcome = self.writer.call(outbox.resolve, batch, results, reads, fetched)
        result.add_push(outcome)
        result.answered.update(r["id"] for r in results)

    def _current_of(self, key: tuple[str, str]) -> dict | None:
        """The service's current state of an object; None when it is not (or no longer) in view."""
        object_type, object_id = key
        path = {"case": f"/cases/{object_id}", "task": f"/tasks/{object_id}"}.get(object_type, "/preferences")
        try:
            current = self.transport.get_json(path)
        except errors.Forbidden:
            return None
        except errors.TooManyRequests as busy:
            raise errors.PushNotAccepted(429, _retry_after(busy)) from None
        except errors.RequestRefused as refused:
            if refused.details.get("status") == 404:
                return None
            # Any other refusal (a proxy's 409) is no answer: nothing is resolved, retried later.
            raise errors.PushNotAccepted(refused.details.get("status", 0), _retry_after(refused)) from None
        return current if isinstance(current, dict) else None

    def _outcomes_of(self, objects: list[tuple[str, str]]) -> dict[str, tuple[str, str | None]]:
        """What the service says of the queued changes of objects about to be purged (they left
        the view): mutation id -> (applied | refused | unknown, code). Asked before the purge, so
        that a change whose answer was lost is never shown as lost or refused."""
        ids = self.writer.call(outbox.queued_for, objects)
        found: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(ids), OUTCOMES_BATCH):
            chunk = ids[start : start + OUTCOMES_BATCH]
            try:
                answer = self.transport.post_json("/sync/outcomes", {"mutation_ids": chunk})
            except (errors.RequestRefused, errors.Forbidden, errors.ServiceError):
                return found  # no word from the service: the rest stays queued, to be retried
            found.update(wire.check_outcomes(answer, set(chunk)))
        return found

    # -- pull -------------------------------------------------------------------------------

    def _fetch(self, cursor: str | None, wait: int = 0) -> dict:
        limit = self._next_limit
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if wait:
            params["wait"] = wait
        timeout = deadline = None
        if wait:
            timeout, deadline = wait + LONG_POLL_READ_MARGIN, wait + LONG_POLL_MARGIN_SECONDS
        try:
            response = self.transport.request("GET", "/sync/changes", params=params, timeout=timeout, deadline=deadline)
        except errors.TooManyRequests as busy:  # a pause, not a refusal: retried after Retry-After
            raise errors.ServiceBusy(_retry_after(busy)) from None
        self._contact()
        parse_started = _parse_clock()
        page = decode_json(response)
        self._adapt_page_size(limit, page, _parse_clock() - parse_started)
        # Only the envelope here: the objects are checked on the cache lane before the first
        # write (desktop.cache.pull), while this thread already waits for the next page.
        return wire.check_envelope(page)

    def _adapt_page_size(self, limit: int, page: Any, parse_seconds: float) -> None:
        """Keep one page's JSON parse (C code that holds the GIL, so the GUI thread waits) within
        the budget: the next page asks for as many objects as fit, between MIN_PAGE and the limit."""
        if self.parse_budget is None or not isinstance(page, dict):
            return
        upserts = page.get("upserts")
        count = sum(len(v) for v in upserts.values() if isinstance(v, list)) if isinstance(upserts, dict) else 0
        if count < limit // 2 or parse_seconds <= 0:
            return  # a short page says nothing about the cost of a full one
        fitting = int(count * self.parse_budget / parse_seconds)
        # Shrink at once, grow by half at most: small objects (tasks) must not make the next
        # page of large ones (cases) too big.
        self._next_limit = min(self.page_limit, max(MIN_PAGE, min(fitting, limit * 3 // 2)))

    def _pull_all(self, result: SyncResult, first: dict | None = None, cursor: str | None = None) -> None:
        # No full collection while pages are parsed and applied (desktop/sync/collector.py says why).
        with collector.full_collections_paused():
            self._pull_pages(result, first, cursor)

    def _pull_pages(self, result: SyncResult, first: dict | None, cursor: str | None) -> None:
        if first is None:
            cursor = self.writer.call(outbox.read_cursor)
            try:
                first = self._fetch(cursor)
            except errors.RequestRefused as refused:
                if refused.details.get("problem") not in RESTART_PROBLEMS or cursor is None:
                    raise
                # The service no longer knows our position: start over from a full snapshot.
                log.info("sync position expired; pulling a full snapshot")
                cursor = None
                first = self._fetch(None)
        # A snapshot (no cursor) lists everything in view: what the cache holds beyond it left
        # the view while we were away, and is purged at the end (a first sync: nothing to purge).
        seen: dict[str, set[str]] | None = None
        if cursor is None and not self.writer.call(holds_nothing_to_purge):
            seen = {"case": set(), "task": set(), "team": set()}
        # At most two pages in memory: the one on the cache lane and the one just fetched.
        pending: Future | None = None
        applying: dict | None = None
        page = first
        try:
            while True:
                if page is None:
                    self._check_cancelled()
                    page = self._fetch(cursor)
                if pending is not None:
                    self._account(pending.result(), result)  # page n applied before n+1 goes in
                    self._note_seen(applying, seen)
                    pending = applying = None
                if _changes_anything(page, cursor):
                    outcomes = self._outcomes_of(_removed(page)) if page.get("removals") else {}
                    pending, applying = self.writer.submit(apply_pulled_page, page, outcomes), page
                else:
                    self._note_seen(page, seen)
                if page["has_more"] and page["cursor"] == cursor:
                    raise wire.FeedError("cursor")  # "more" without moving on would never end
                cursor = page["cursor"]
                if not page["has_more"]:
                    break
                page = None
            if pending is not None:
                self._account(pending.result(), result)
                self._note_seen(applying, seen)
                pending = applying = None
        finally:
            if pending is not None:
                pending.exception()  # let the writer finish before the caller moves on
        if seen is not None:
            result.removed += self.writer.call(purge_unseen, seen)
        now = time.monotonic()
        if result.pages:
            self._stamped_at = now  # the applied pages wrote "last synchronised"
        elif now - self._stamped_at > STAMP_SECONDS:
            # Nothing new, so nothing was written; "last synchronised" must still move on, at
            # most once a minute (a write costs an fsync; a no-op sync must stay cheap).
            self.writer.call(stamp_sync_time, page.get("server_time"))
            self._stamped_at = now

    @staticmethod
    def _note_seen(page: dict, seen: dict[str, set[str]] | None) -> None:
        """A snapshot's page, its objects checked (applied): what it lists is still in view."""
        if seen is not None:
            _note_seen(page, seen)

    def _account(self, counts: dict[str, int], result: SyncResult) -> None:
        result.pages += 1
        result.pulled += counts.get("upserted", 0)
        result.removed += counts.get("removed", 0)
        self.progress.page(result.pages, counts)

    def _contact(self) -> None:
        # Every answer of the feed, a quiet long-poll's too: the cache is as fresh as this moment.
        self.last_heard_at = dt.datetime.now(dt.timezone.utc)
        if self._on_contact is not None:
            self._on_contact()

    # -- live ---------------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        """True after the last sync or long-poll reached the service."""
        return self._online.is_set()

    @property
    def live(self) -> bool:
        """True while the background loop runs."""
        return self._live is not None and self._live.is_alive()

    def nudge(self) -> None:
        """Something was queued locally: push it now when live (no-op when not running)."""
        self._events.put(("nudge", None))

    def push_soon(self) -> None:
        """Something was queued locally: push it on the engine's threads, never the caller's.

        Live: a nudge. Not live: one short-lived push thread (a second call while it runs makes
        it push once more). The service's answers go to `progress.finished`, as a live push's do;
        a failure after which the change stays queued is silent, any other goes to `progress.failed`.
        """
        if self.live:
            self.nudge()
            return
        with self._push_lock:
            self._push_due = True
            if self._pusher is not None and self._pusher.is_alive():
                return
            self._pusher = threading.Thread(target=self._push_while_due, name="sync-push", daemon=True)
            self._pusher.start()

    def _push_while_due(self) -> None:
        while not self._stopping.is_set():
            with self._push_lock:
                if not self._push_due:
                    return
                self._push_due = False
            try:
                pushed = self.push_once()
            except (SyncCancelled, *STAYS_QUEUED):
                continue
            except Exception as exc:  # reported as the live loop reports it; the type only in the log
                log.warning("push stopped by %s", type(exc).__name__)
                self.progress.failed(exc)
                return
            if pushed.answered or pushed.stuck:
                self.progress.finished(pushed)

    def start_live(self) -> None:
        """Sync now and keep syncing in the background until `stop()`."""
        if self._live is not None and self._live.is_alive():
            return
        self._stopping.clear()
        self._events = queue.SimpleQueue()  # nothing left over from an earlier run
        self._live = threading.Thread(target=self._live_loop, name="sync-live", daemon=True)
        self._live.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the live loop and wait for it; a long-poll in flight is abandoned, not awaited."""
        self._stopping.set()
        self._cancel.set()
        self._events.put(("stop", None))
        for thread in (self._live, self._pusher):
            if thread is not None:
                thread.join(timeout)
        self._live = self._pusher = None

    def _live_loop(self) -> None:
        backoff = ReconnectBackoff()
        need_sync = True
        poll_in_flight = False
        pushed_since_poll = False
        poll_generation = 0
        poll_started = 0.0
        while not self._stopping.is_set():
            try:
                if need_sync:
                    self.sync_once()
                    need_sync = False
                    backoff.reset()
                if not poll_in_flight:
                    poll_generation += 1
                    cursor = self.writer.call(outbox.read_cursor)
                    self._start_long_poll(cursor, poll_generation)
                    poll_started = time.monotonic()
                    poll_in_flight, pushed_since_poll = True, False
                kind, payload = self._events.get()
                if kind == "stop":
                    break
                if kind == "nudge":
                    pushed = self.push_once()
                    answered = bool(pushed.pushed or pushed.conflicts or pushed.rejected or pushed.stuck)
                    pushed_since_poll = pushed_since_poll or answered
                    if answered:
                        self.progress.finished(pushed)
                    continue
                generation, cursor, page, failure = payload
                if generation != poll_generation:
                    continue  # an abandoned poll's late answer
                poll_in_flight = False
                if failure is not None:
                    raise failure
                if pushed_since_poll:
                    # The poll may predate our own push; its rows could be older than what the push
                    # answer wrote. Pull again from the same cursor instead of applying it.
                    need_sync = True
                    continue
                if (
                    not _changes_anything(page, cursor)
                    and not page["has_more"]
                    and time.monotonic() - poll_started < MIN_POLL_SECONDS
                ):
                    # An empty answer that did not wait: a service ignoring `wait` must not
                    # turn the long-poll into a busy loop.
                    if self._wait_or_stop(MIN_POLL_SECONDS):
                        break
                    need_sync = True  # a nudge may have ended the wait: push it
                    continue
                self._apply_live_page(page, cursor)
                backoff.reset()
            except SyncCancelled:
                if self._stopping.is_set():
                    break
                need_sync = False  # the user cancelled this sync; the long-poll goes on
            except LIVE_ENDS as exc:
                # Revoked device, refused certificate, expired session, …: retrying will not help;
                # the owner must act.
                self._online.clear()
                self.progress.failed(exc)
                if isinstance(exc, errors.DeviceRevoked):
                    self._revoked()
                break
            except errors.ClientError as exc:
                # The network, a gateway, a full disk, a busy profile: try again later, with jitter.
                self._online.clear()
                self.progress.failed(exc)
                need_sync, poll_in_flight = True, False
                poll_generation += 1
                delay = backoff.next_delay()
                retry_after = _retry_after(exc)
                if retry_after:  # the service asked for a pause (429): not even a nudge cuts it short
                    if self._hold_off(retry_after):
                        break
                elif self._wait_or_stop(delay):
                    break
            except Exception as exc:  # a bug: report it and stop rather than spin
                fault = errors.storage_error(exc)
                if fault is not None and not isinstance(fault, errors.CacheDamagedInUse):
                    # Disk full, read-only, no permission: its sentence, and again once fixed.
                    self.progress.failed(fault)
                    need_sync, poll_in_flight = True, False
                    poll_generation += 1
                    if self._wait_or_stop(backoff.next_delay()):
                        break
                    continue
                # The type only: an exception's text may quote data.
                log.error("live sync stopped by an unexpected error (%s)", type(exc).__name__)
                self.progress.failed(exc)
                break

    def _apply_live_page(self, page: dict, cursor: str | None) -> None:
        if not _changes_anything(page, cursor) and not page["has_more"]:
            return
        self._lock.acquire(LOCK_WAIT_SECONDS)
        try:
            self.progress.started()
            result = SyncResult()
            self._pull_all(result, first=page, cursor=cursor)
            self.progress.finished(result)
        finally:
            self._lock.release()

    def _start_long_poll(self, cursor: str | None, generation: int) -> None:
        def poll() -> None:
            try:
                page = self._fetch(cursor, wait=self.long_poll_seconds)
                self._events.put(("poll", (generation, cursor, page, None)))
            except BaseException as exc:  # handed to the live loop, which decides
                self._events.put(("poll", (generation, cursor, None, exc)))

        threading.Thread(target=poll, name="sync-long-poll", daemon=True).start()

    def _hold_off(self, seconds: float) -> bool:
        """Wait `seconds` even when nudged (the sync after it pushes what the nudge queued); True on stop."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                kind, _ = self._events.get(timeout=remaining)
            except queue.Empty:
                break
            if kind == "stop":
                return True
        return self._stopping.is_set()

    def _wait_or_stop(self, seconds: float) -> bool:
        """Wait out a backoff delay; a nudge ends it early (the user wants to try). True on stop."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return self._stopping.is_set()
            try:
                kind, _ = self._events.get(timeout=remaining)
            except queue.Empty:
                return self._stopping.is_set()
            if kind == "stop":
                return True
            if kind == "nudge":
                return False


def _retry_after(error: BaseException) -> float | None:
    """Seconds the answer asked us to wait (its Retry-After, as the transport read it), if any."""
    seconds = getattr(error, "retry_after", None)
    return float(seconds) if isinstance(seconds, (int, float)) and seconds > 0 else None


def _note_seen(page: dict, seen: dict[str, set[str]]) -> None:
    upserts = page.get("upserts", {})
    for kind, key in (("case", "cases"), ("task", "tasks"), ("team", "teams")):
        seen[kind].update(obj["id"] for obj in upserts.get(key, []))
    for removal in page.get("removals", []):
        if removal["type"] in seen:
            seen[removal["type"]].discard(removal["id"])


def _removed(page: dict) -> list[tuple[str, str]]:
    return [(r["type"], r["id"]) for r in page.get("removals", []) if r["type"] in ("case", "task")]


def _changes_anything(page: dict, cursor: str | None) -> bool:
    """False for the no-op answer: same cursor, nothing upserted or removed (skip the write)."""
    if page["cursor"] != cursor or page.get("removals"):
        return True
    return any(page.get("upserts", {}).values())


def result_json(result: SyncResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False)
