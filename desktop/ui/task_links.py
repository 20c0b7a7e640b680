"""A task link (`menscentraal://taak/ID`, from a mail) opened in the app: the task selected in the
Werkbak or in Mijn taken, or its case when it is in neither. A link that comes before the main
window (at the login) waits for it; a bad link, or a task not on this device, is refused with one
sentence and changes nothing on screen."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import errors, task_link
from desktop.cache import queries
from desktop.ui.single_instance import SingleInstance

LIST_READS_TO_WAIT = 3  # the list as read before, during and after the first sync
SYNC_WAIT_MS = 10_000  # a task not on this device yet: how long to wait for a sync to bring it


def serve_links(app: Any, instance_name: str) -> "TaskLinks":
    """The running app's end of the single instance: links and "show" from later starts."""
    links = TaskLinks(app)
    instance = SingleInstance(instance_name, links)
    instance.link_received.connect(links.open)
    instance.show_requested.connect(links.bring_to_front)
    instance.listen()
    links.instance = instance
    if sys.platform == "darwin":  # macOS sends a link as an event, not as an argument
        QApplication.instance().installEventFilter(FileOpenLinks(links))
    return links


class FileOpenLinks(QObject):
    """macOS opens `menscentraal://` (the bundle's CFBundleURLTypes) by a QFileOpenEvent to the
    application, at start and while it runs: the link goes where a handed-over one goes. Installed
    on macOS only: an application-wide filter sees every event, and no other system sends these."""

    def __init__(self, links: "TaskLinks") -> None:
        super().__init__(links)
        self.links = links

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen:
            return False
        url = event.url() if isinstance(event, QFileOpenEvent) else None
        if url is None or url.scheme().lower() != task_link.SCHEME:
            return False  # a file, say: not ours
        self.links.open(url.toString())
        return True


class TaskLinks(QObject):
    """Opens links for one `DesktopApp` (its desk comes and goes with login, lock and logout)."""

    def __init__(self, app: Any) -> None:
        super().__init__(app)
        self.app = app
        self.pending: str | None = None  # a task id waiting for the main window
        self.refusal: QMessageBox | None = None  # the last refusal shown (tests read it)
        self.instance: SingleInstance | None = None
        self._waited_for_sync = False
        self._waiting_for_unlock = False
        app.main_window_shown.connect(lambda window: self._open_pending())

    def open(self, link: str) -> None:
        try:
            task_id = task_link.task_id_of(link)
        except errors.InvalidTaskLink as error:
            self._refuse(error)
            return
        self.pending, self._waited_for_sync = task_id, False
        self.bring_to_front()
        self._open_pending()

    def bring_to_front(self) -> None:
        window = self._visible_window()
        if window is not None:
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
            window.show()
            window.raise_()
            window.activateWindow()

    def _open_pending(self) -> None:
        desk = self.app.desk
        if self.pending is None or desk is None:
            return  # at the login: opened once the main window is shown
        if desk.read_conn is None:  # locked: opened once unlocked (the Werkbak is read again then)
            if not self._waiting_for_unlock:
                self._waiting_for_unlock = True
                desk.pages.queue_model.loaded.connect(self._unlocked, Qt.ConnectionType.SingleShotConnection)
            return
        self.bring_to_front()
        task = queries.task(desk.read_conn, self.pending)  # one row on the GUI's own connection
        if task is None and desk.session.online and not self._waited_for_sync:
            # A new task (the mail came first): look again once the next sync brought it, or in a while.
            self._waited_for_sync = True
            self.app.sync_signals.finished.connect(
                lambda result: self._open_pending(), Qt.ConnectionType.SingleShotConnection
            )
            QTimer.singleShot(SYNC_WAIT_MS, self, self._open_pending)
            return
        self.pending, self._waited_for_sync = None, False
        if task is None:
            self._refuse(errors.TaskNotOnDevice())
            return
        me = (desk.session.user or queries.sync_state(desk.read_conn).user or {}).get("id")
        if task.status == "queued" and task.team_id:
            self._select(desk, "work_queue", desk.pages.queue_page, task)
        elif task.status == "assigned" and task.assignee_id == me:
            self._select(desk, "my_tasks", desk.pages.my_tasks_page, task)
        else:  # done, or someone else's: its case shows it among the case's tasks
            desk.open_case(task.case_id)

    def _unlocked(self) -> None:
        self._waiting_for_unlock = False
        self._open_pending()

    def _select(self, desk: Any, key: str, page: Any, task: queries.TaskRow) -> None:
        if key == "work_queue" and page.model.team() not in (None, task.team_id):
            desk.window.navigation.setCurrentRow(-1)  # off another queue's row: show_page opens all queues
        desk.window.show_page(key)
        if not _select_row(page, task.id):
            # The list is still being read (just after login): show the task now, select its row
            # when the list arrives.
            page.detail.show_task(task)
            reads = [0]

            def select_when_read() -> None:
                reads[0] += 1
                if _select_row(page, task.id) or reads[0] >= LIST_READS_TO_WAIT:
                    page.model.loaded.disconnect(select_when_read)

            page.model.loaded.connect(select_when_read)

    def _visible_window(self) -> QWidget | None:
        for window in (self.app.window, self.app.login_window, self.app.enrollment_window):
            if window is not None:
                return window
        return None

    def _refuse(self, error: errors.ClientError) -> None:
        # Not modal and not waited on: the app keeps working behind it.
        self.refusal = QMessageBox(
            QMessageBox.Icon.Warning,
            "MensCentraal Mobiel",
            error.message(),
            QMessageBox.StandardButton.Ok,
            self._visible_window(),
        )
        self.refusal.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.refusal.open()


def _select_row(page: Any, task_id: str) -> bool:
    for row, task in enumerate(page.model.tasks()):
        if task.id == task_id:
            page.table.setCurrentIndex(page.model.index(row, 0))
            page.table.scrollTo(page.model.index(row, 0))
            page.detail.show_task(task)
            return True
    return False
