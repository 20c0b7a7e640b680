"""What the desk does with the sync's news (heard only through the `SyncBridge`): after a sync the
lists and the open case are read again and a lost pick-up is said on both task pages; each read of
the Werkbak gives the navigation its queues' counts, and after a sync new queue tasks may earn a
tray message. Its own part, so that the desk's wiring and the sync's consequences read apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from desktop import errors
from desktop.cache import queries
from desktop.i18n import translate
from desktop.ui.pending import pickup_lost

if TYPE_CHECKING:  # for the annotations only: desk.py imports this module
    from desktop.ui.desk import Desk


class SyncNews(QObject):
    """The bridge's `finished` and `failed`, and the Werkbak's reads, turned into what the desk shows."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.desk = desk
        self._queue_check_due = False  # a sync finished: compare the next read of the queue with the last
        desk.bridge.finished.connect(self._sync_finished)
        desk.bridge.failed.connect(self._sync_failed)

    def watch(self, queue_model: Any) -> None:
        queue_model.loaded.connect(self._queue_read)
        queue_model.loaded.connect(self._queue_counts)

    def disconnect_sync(self) -> None:
        bridge = self.desk.bridge
        for signal, slot in ((bridge.finished, self._sync_finished), (bridge.failed, self._sync_failed)):
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

    def _sync_finished(self, result: Any) -> None:
        desk = self.desk
        if desk.read_conn is None:
            return
        self._queue_check_due = True
        for conflict in getattr(result, "conflicts", []) or []:
            held_by = conflict.get("held_by")
            if conflict.get("kind") == "task.pickup" and held_by:
                # the words of the unprocessed-changes list, said again after a language switch
                sentence = lambda held_by=held_by: pickup_lost(held_by)  # noqa: E731
                desk.pages.queue_page.show_message(sentence, urgent=True)
                desk.pages.my_tasks_page.show_message(sentence, urgent=True)
        desk.refresh_views()
        desk.cases.refresh_open()

    def _sync_failed(self, error: BaseException) -> None:
        if not isinstance(error, (errors.DeviceRevoked, errors.SessionExpired, errors.AccountLocked)):
            self.desk.update_status(error)  # those three end the desk: the controller handles them


def _spoken_count(team: str, count: int, new: int) -> str:
    said = translate("DesktopApp", "Werkbak {team}: %n taken", count).format(team=team)
    if not new:
        return said
    return said + translate("DesktopApp", ", waarvan {new} nieuw sinds u het laatst keek").format(new=new)
