"""The user's operations on cases and tasks, shared by the command line and the GUI.

Every case and task change works offline: it is written to the cache together with its outbox
entry (`desktop.cache.outbox.queue`, one transaction, on the cache lane) and pushed at once when
online — by the live sync loop (a nudge), or without one by a direct push on the caller's thread
(the command line) or on the engine's own thread (`push_in_background`: the GUI, whose lanes
never push). Nothing here blocks on the network when there is none, and nothing here touches Qt
widgets: the GUI calls these from its worker lanes.

`Workspace` bundles what they work on: a signed-in `desktop.session.Session`, the cache's single
writer (`CacheWriter`) and the `SyncEngine`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import clock, errors, wire
from desktop.cache import outbox, queries, writes
from desktop.i18n import translate
from desktop.cache.writes import record_offline_read, set_user
from desktop.cache.writer import CacheWriter
from desktop.sync.engine import PARSE_BUDGET_MS, STAYS_QUEUED, SyncEngine, SyncProgress, SyncResult


class ChangeRefused(errors.ClientError):
    """The change was not made: bad input, an unknown object, or the service's capabilities say no."""

    code = "change-refused"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Deze wijziging kan niet worden opgeslagen; controleer de invoer en probeer het opnieuw."
    )


# Why the service's capabilities refuse a change, in words (the reason code is for the log only).
CHANGE_REASONS = {
    "not-case-member": QT_TRANSLATE_NOOP("Errors", "alleen de zaakcoördinator of een zaakondersteuner kan dit doen."),
    "case-closed": QT_TRANSLATE_NOOP("Errors", "de zaak is afgesloten."),
    "not-authorised-for-case-type": QT_TRANSLATE_NOOP("Errors", "u bent niet geautoriseerd voor dit zaaktype."),
    "task-held-by-other": QT_TRANSLATE_NOOP("Errors", "een collega heeft deze taak al opgepakt."),
    "not-task-holder": QT_TRANSLATE_NOOP("Errors", "alleen wie de taak heeft opgepakt kan dit doen."),
    "task-not-in-queue": QT_TRANSLATE_NOOP("Errors", "de taak staat niet meer in de werkbak."),
    "task-completed": QT_TRANSLATE_NOOP("Errors", "de taak is al afgerond."),
}
CHANGE_REASON_OTHER = QT_TRANSLATE_NOOP("Errors", "de dienst staat haar nu niet toe.")


class ChangeNotAllowed(errors.ClientError):
    code = "change-not-allowed"
    text = QT_TRANSLATE_NOOP("Errors", "Deze wijziging is nu niet mogelijk: {why}")

    def _format_fields(self) -> dict[str, Any]:
        reason = self.details.get("reason")
        return {**self.details, "why": translate("Errors", CHANGE_REASONS.get(reason, CHANGE_REASON_OTHER))}


class TaskLeftQueue(errors.ClientError):
    code = "task-left-queue"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Deze taak staat niet meer in uw werkbak: een collega heeft haar al opgepakt of doorgestuurd."
    )


class TaskTaken(errors.ClientError):
    """A pick-up of a task that, as the cache already knows, a colleague holds (seed T4): who."""

    code = "task-taken"
    text = QT_TRANSLATE_NOOP("Errors", "{name} had deze taak al opgepakt.")


class NotInCache(errors.ClientError):
    code = "not-in-cache"
    text = QT_TRANSLATE_NOOP(
        "Errors", "Deze zaak of taak staat niet in uw offline gegevens; synchroniseer eerst en probeer het opnieuw."
    )


@dataclass(frozen=True)
class Change:
    """A change the user made: its outbox entry and, when pushed at once, the service's verdict."""

    mutation: outbox.Mutation
    sent: bool  # the service answered (applied, conflict, rejected, or refused alone: stuck); False: queued
    result: SyncResult | None = None

    @property
    def conflict(self) -> dict | None:
        """The conflict or rejection for this change, when the service refused it."""
        if self.result is None:
            return None
        for entry in self.result.conflicts + self.result.rejected + self.result.stuck:
            if entry.get("mutation_id") == self.mutation.id:
                return entry
        return None


class Workspace:
    """One signed-in profile at work: session + the cache writer + the sync engine.

    The writer opens its own connection to the unlocked cache. `close()` stops the live sync,
    finishes queued writes and closes the writer; it does not lock the session.
    """

    def __init__(
        self,
        session: Any,
        progress: SyncProgress | None = None,
        *,
        page_limit: int | None = None,
        interactive: bool = True,
        push_in_background: bool = False,
    ) -> None:
        """`interactive=False` (the command line): the largest pages, no care for a GUI thread.
        `push_in_background=True` (the GUI): a change is never pushed on the caller's thread (a GUI
        lane) but by the engine (`SyncEngine.push_soon`); its answer comes through `progress`."""
        self.session = session
        self.push_in_background = push_in_background
        self.writer = CacheWriter(lambda: session.connect_cache(check_same_thread=True))
        if session.user and session.user.get("id"):
            self.writer.call(set_user, session.user)  # decides "my role" for every pulled case
        transport = session.transport if session.online else None
        settings = session.config.settings
        self.engine = SyncEngine(
            transport,
            self.writer,
            session.profile.lock_path,
            progress,
            page_limit=page_limit or settings.sync_page_limit,
            parse_budget_ms=PARSE_BUDGET_MS if interactive else None,
            long_poll_seconds=settings.long_poll_seconds,
            on_contact=_throttled(session.record_contact, 60.0),
            on_revoked=self._revoked,
        )

    @property
    def online(self) -> bool:
        return self.session.online

    def connected(self) -> None:
        """The session went online under this workspace (`Session.resume`): the engine syncs over
        its transport from now on (start the live sync after)."""
        if self.session.online and not self.engine.live:
            self.engine.transport = self.session.transport

    def sync(self) -> SyncResult:
        """One full sync now (push, then pull). Needs an online session."""
        if not self.online:
            raise errors.NeedsConnection()
        return self.engine.sync_once()

    def start_live(self) -> None:
        if self.online:
            self.engine.start_live()

    def read(self, fn, *args: Any) -> Any:
        """Run a read query of `desktop.cache.queries` on the writer's connection (thread-safe)."""
        return self.writer.call(fn, *args)

    def after_change(self) -> SyncResult | None:
        """Send queued changes now if we can: nudge the live loop, or push (here or in the background).
        The push's result when it ran on this thread, else None."""
        if self.engine.live:
            self.engine.nudge()
            return None
        if not self.online:
            return None
        if self.push_in_background:
            self.engine.push_soon()
            return None
        try:
            return self.engine.push_once()
        except STAYS_QUEUED:
            return None

    def _revoked(self) -> None:
        # The session wipes the cache; our writer must let go of it first.
        self.writer.close()
        self.session.handle_revocation()

    def close(self) -> None:
        self.engine.stop()
        self.writer.close()


def _throttled(fn, seconds: float):
    """`fn` at most once per `seconds` (recording contact writes profile.json: not per request)."""
    last = [float("-inf")]

    def call() -> None:
        now = time.monotonic()
        if now - last[0] >= seconds:
            last[0] = now
            fn()

    return call


def _queue(ws: Workspace, kind: str, payload: dict) -> Change:
    try:
        mutation = ws.writer.call(outbox.queue, kind, payload)
    except outbox.OutboxError as refused:
        if refused.code == "not-allowed":
            holder = ws.read(queries.task_holder, payload["task_id"]) if kind == "task.pickup" else None
            if holder and refused.reason == "task-held-by-other":
                raise TaskTaken(name=holder) from None  # the words of a race lost at the service
            raise ChangeNotAllowed(reason=refused.reason or refused.code) from None
        if refused.code.startswith("unknown-") and refused.code != "unknown-kind":
            raise NotInCache() from None
        raise ChangeRefused(reason=refused.code) from None
    result = ws.after_change()
    return Change(mutation, result is not None and result.settled(mutation.id), result)


# --- case operations ---------------------------------------------------------------------------


def add_note(ws: Workspace, case_id: str, text: str) -> Change:
    # When it was written, by the local and the server-anchored clock: the service audits a
    # note written offline by the estimate (desktop/clock.py).
    now = ws.session.time_now()
    written = {"local_time": clock.stamp(now.local), "estimated_time": clock.stamp(now.estimated)}
    return _queue(
        ws, "journal.add", {"case_id": case_id, "entry_id": str(uuid.uuid4()), "text": text, "written": written}
    )


def complete_step(ws: Workspace, case_id: str, step_id: str, summary: str | None = None) -> Change:
    return _queue(ws, "step.complete", {"case_id": case_id, "step_id": step_id, "summary": summary})


def close_case(ws: Workspace, case_id: str, outcome: str) -> Change:
    """Seed D3: a case is never deleted; a mistaken one is closed as `administratieve_fout`."""
    return _queue(ws, "case.close", {"case_id": case_id, "outcome": outcome})


def set_coordinator(ws: Workspace, case_id: str, user_id: str) -> Change:
    return _queue(ws, "case.set_coordinator", {"case_id": case_id, "user_id": user_id})


def add_supporter(ws: Workspace, case_id: str, user_id: str) -> Change:
    return _queue(ws, "case.add_supporter", {"case_id": case_id, "user_id": user_id})


def remove_supporter(ws: Workspace, case_id: str, user_id: str) -> Change:
    return _queue(ws, "case.remove_supporter", {"case_id": case_id, "user_id": user_id})


# --- task operations ----------------------------------------------------------------------------


def create_task(
    ws: Workspace,
    case_id: str,
    task_type: str,
    *,
    description: str | None = None,
    deadline: str | None = None,
    assignee_id: str | None = None,
    team_id: str | None = None,
) -> Change:
    """A task for a colleague or for a team's work queue (seed T1–T3); its id is made here."""
    payload: dict[str, Any] = {
        "task_id": str(uuid.uuid4()),
        "case_id": case_id,
        "type": task_type,
        "description": description,
        "deadline": deadline,
    }
    if team_id:
        payload["team_id"] = team_id
    if assignee_id:
        payload["assignee_id"] = assignee_id
    return _queue(ws, "task.create", payload)


def pickup(ws: Workspace, task_id: str) -> Change:
    """Seed T4: take a task from the team queue; a colleague who was first wins (see `Change.conflict`)."""
    try:
        return _queue(ws, "task.pickup", {"task_id": task_id})
    except NotInCache:
        # A queued task leaves the view when a colleague picks it up or forwards it elsewhere; the
        # list on screen had not caught up yet.
        raise TaskLeftQueue() from None


def release(ws: Workspace, task_id: str) -> Change:
    """Seed T5: hand a picked-up task back to the team queue."""
    return _queue(ws, "task.release", {"task_id": task_id})


def forward(
    ws: Workspace, task_id: str, *, user_id: str | None = None, team_id: str | None = None, note: str = ""
) -> Change:
    """Seed T2: to a colleague or to a team's work queue, with an optional note that travels with
    the task (its history). A colleague forwarded to is offered first the next time."""
    payload: dict[str, Any] = {"task_id": task_id}
    if user_id:
        payload["user_id"] = user_id
    if team_id:
        payload["team_id"] = team_id
    if note.strip():
        payload["note"] = note.strip()
    change = _queue(ws, "task.forward", payload)
    if user_id:
        ws.writer.call(writes.remember_colleague, user_id)
    return change


def dismiss(ws: Workspace, task_id: str) -> Change:
    """Seed T5, "niet voor mij": out of the user's Werkbak until the task changes (the service
    keeps it per user, so the user's other devices follow); the team still sees it."""
    return _queue(ws, "task.dismiss", {"task_id": task_id})


def mark_werkbak_seen(ws: Workspace) -> None:
    """The user left the Werkbak: its tasks are no longer "new" (kept in the encrypted cache)."""
    ws.writer.call(writes.mark_werkbak_seen)


def complete_task(ws: Workspace, task_id: str) -> Change:
    return _queue(ws, "task.complete", {"task_id": task_id})


def set_preferences(ws: Workspace, preferences: dict) -> Change:
    """Seed T6: the e-mail settings (the GUI shows the warning about the team's agreements)."""
    payload = {k: v for k, v in preferences.items() if k != "version"}
    return _queue(ws, "preferences.set", payload)


# --- reading -----------------------------------------------------------------------------------


def open_case(ws: Workspace, case_id: str, *, refresh: bool = False) -> queries.CaseDetail:
    """The case for the case view. Online the service records the read in its audit log; offline
    the read is recorded in the cache (local and server-anchored time) and reported at the next
    sync. `refresh`: the open case is shown again after the user's own change; that is no new
    read, so it is neither fetched nor recorded again (it was recorded once per change before)."""
    detail = ws.read(queries.case_detail, case_id)
    if detail is None:
        raise NotInCache()
    if refresh:
        return detail
    fresh = None
    if ws.online:
        try:
            fresh = ws.session.transport.get_json(f"/cases/{case_id}")
        except STAYS_QUEUED:
            fresh = None
    if fresh is None:
        now = ws.session.time_now()
        ws.writer.call(record_offline_read, case_id, clock.stamp(now.local), clock.stamp(now.estimated))
        return detail
    try:
        wire.check_case(fresh)
    except wire.FeedError:
        return detail
    if detail.pending_changes:
        return detail  # the user's unsent edits are in the cached copy; show those
    return queries.CaseDetail(
        case=fresh, tasks=detail.tasks, my_role=detail.my_role, pending_changes=detail.pending_changes
    )
