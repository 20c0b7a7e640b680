"""What the desk does with the sync's news (heard only through the `SyncBridge`): after a sync the
lists and the open case are read again and a lost pick-up is said on both task pages; each read of
the Werkbak gives the navigation its queues' counts, and after a sync new queue tasks may earn a
tray message. Its own part, so that the desk's wiring and the sync's consequences read apart.

Only the lists whose data a sync changed are read again (its pages' counts say which kinds came
in): at 100,000 cases a re-read of My Cases for every task a colleague queued cost seconds of the
read lane and a stall of the window each time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from desktop import errors
from desktop.cache import queries
from desktop.i18n import translate
from desktop.ui.pending import pickup_lost

# The desk's lists, by what their rows are made of (queries.my_case_list, team_queue, my_tasks).
MY_CASES, QUEUE, MY_TASKS = "my_cases", "queue", "my_tasks"
ALL_LISTS = frozenset((MY_CASES, QUEUE, MY_TASKS))
TASK_LISTS = frozenset((QUEUE, MY_TASKS))
# A page's counts per kind (desktop.cache.pull.apply_pulled_page) → the lists that show that kind.
# Teams decide which queues are the Werkbak; colleagues' names travel with their tasks.
LISTS_OF_KIND = {
    "cases": frozenset((MY_CASES,)),
    "case_types": frozenset((MY_CASES,)),
    "tasks": TASK_LISTS,
    "teams": TASK_LISTS,
    "colleagues": TASK_LISTS,
    "preferences": frozenset(),
    "organisation": frozenset(),
}
_NOT_KINDS = ("upserted", "removed")


def lists_changed(kinds: set[str], result: Any) -> frozenset[str]:
    """Which lists a finished sync changed: those of the kinds its pages brought. Removals (their
    kind is not counted), anything pushed (the user's own changes leave the outbox: the lists'
    "not yet sent" marks change) and a kind this table does not know: every list."""
    if any(getattr(result, name, True) for name in ("removed", "pushed", "conflicts", "rejected", "stuck", "answered")):
        return ALL_LISTS
    lists: frozenset[str] = frozenset()
    for kind in kinds:
        lists |= LISTS_OF_KIND.get(kind, ALL_LISTS)
    return lists


if TYPE_CHECKING:  # for the annotations only: desk.py imports this module
    from desktop.ui.desk import Desk


class SyncNews(QObject):
    """The bridge's `finished` and `failed`, and the Werkbak's reads, turned into what the desk shows."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.desk = desk
        self._queue_check_due = False  # a sync finished: compare the next read of the queue with the last
        self._kinds: set[str] = set()  # what the running sync's pages brought
        desk.bridge.started.connect(self._sync_started)
        desk.bridge.page.connect(self._sync_page)
        desk.bridge.finished.connect(self._sync_finished)
        desk.bridge.failed.connect(self._sync_failed)

    def watch(self, queue_model: Any) -> None:
        queue_model.loaded.connect(self._queue_read)
        queue_model.loaded.connect(self._queue_counts)

    def disconnect_sync(self) -> None:
        bridge = self.desk.bridge
        for signal, slot in (
            (bridge.started, self._sync_started),
            (bridge.page, self._sync_page),
            (bridge.finished, self._sync_finished),
            (bridge.failed, self._sync_failed),
        ):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def _queue_counts(self) -> None:
        """The navigation lists each of the user's queues under Werkbak, with its count."""
        desk = self.desk
        if desk.read_conn is None:
            return
        counts = {team_id: count for team_id, _, count in desk.pages.queue_model.queues()}
        new: dict[str, int] = {}  # "new since you last looked", beside each queue's count
        for task in desk.pages.queue_model.all_tasks():
            if task.new and task.team_id:
                new[task.team_id] = new.get(task.team_id, 0) + 1
        items = []
        for team in queries.teams(desk.read_conn):
            count, fresh = counts.get(team.id, 0), new.get(team.id, 0)
            items.append(
                (
                    team.id,
                    team.name,
                    count,
                    lambda name=team.name, n=count, fresh=fresh: _spoken_count(name, n, fresh),
                    fresh,
                )
            )
        desk.window.set_sub_items("work_queue", items)

    def _queue_read(self) -> None:
        """The Werkbak's list was read: after a sync, new tasks in it may earn a tray message."""
        desk = self.desk
        if not self._queue_check_due or desk.read_conn is None:
            return
        self._queue_check_due = False
        prefs = queries.preferences(desk.read_conn) or {}
        desk.bridge.notify_new_queue_tasks(
            (task.id for task in desk.pages.queue_model.all_tasks()), prefs.get("desktop_notifications", True)
        )

    def _sync_started(self) -> None:
        self._kinds = set()

    def _sync_page(self, _n: int, counts: dict) -> None:
        self._kinds.update(kind for kind, count in counts.items() if count and kind not in _NOT_KINDS)

    def _sync_finished(self, result: Any) -> None:
        desk = self.desk
        kinds, self._kinds = self._kinds, set()
        if desk.read_conn is None:
            return
        lists = lists_changed(kinds, result)
        self._queue_check_due = True
        for conflict in getattr(result, "conflicts", []) or []:
            held_by = conflict.get("held_by")
            if conflict.get("kind") == "task.pickup" and held_by:
                # the words of the unprocessed-changes list, said again after a language switch
                sentence = lambda held_by=held_by: pickup_lost(held_by)  # noqa: E731
                desk.pages.queue_page.show_message(sentence, urgent=True)
                desk.pages.my_tasks_page.show_message(sentence, urgent=True)
        desk.refresh_views(lists)
        desk.cases.refresh_open()

    def _sync_failed(self, error: BaseException) -> None:
        self._kinds = set()
        if not isinstance(error, (errors.DeviceRevoked, errors.SessionExpired, errors.AccountLocked)):
            self.desk.update_status(error)  # those three end the desk: the controller handles them


def _spoken_count(team: str, count: int, new: int) -> str:
    said = translate("DesktopApp", "Werkbak {team}: %n taken", count).format(team=team)
    if not new:
        return said
    return said + translate("DesktopApp", ", waarvan {new} nieuw sinds u het laatst keek").format(new=new)
