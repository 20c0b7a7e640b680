"""The main window's pages and list models, made and placed (as a Qt Designer form's `setupUi`):
no behaviour here but My Cases' first read; the `Desk` wires them to the workspace and to each other."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject

from desktop.cache import queries
from desktop.i18n import translate
from desktop.ui import labels
from desktop.ui.admin import AdminPage
from desktop.ui.case_view import CaseView
from desktop.ui.main_window import MainWindow
from desktop.ui.models import MyCasesModel, TaskListModel
from desktop.ui.my_cases import MyCasesPage
from desktop.ui.notifications import NotificationSettings
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import WorkspaceRef
from desktop.ui.search import SearchPage
from desktop.ui.tasks import TaskListPage


class DeskPages:
    """A main window for `user` with My Cases, the Werkbak, My Tasks, Search, Beheer (administrators),
    the case view and the notification settings."""

    def __init__(
        self,
        user: dict,
        read: Callable[..., None],
        workspace: WorkspaceRef,
        runner: OperationRunner,
        people: Callable[[], tuple[list[Any], list[Any]]],
        search: Callable[[str | None, str | None], Any],
        is_online: Callable[[], bool],
        save_preferences: Callable[[dict], Any],
        owner: QObject,
        read_first: bool = True,
    ) -> None:
        # My Cases' read is asked first: it runs on the READ lane while the GUI thread builds the
        # window (the answers come back through the event loop, once the window is up). Not when
        # built before the cache is open (`read_first=False`: the desk asks once it is).
        self.my_cases_model = MyCasesModel(read, owner)
        if read_first:
            self.my_cases_model.reload()
        self.window = window = MainWindow(user.get("display_name", ""), user.get("role", "medewerker"))
        self.my_cases_page = MyCasesPage(self.my_cases_model)
        window.add_page(
            "my_cases", lambda: translate("DesktopApp", "Mijn zaken"), "my-cases", self.my_cases_page, "Ctrl+1"
        )
        self.queue_model = TaskListModel(read, queries.team_queue, TaskListModel.QUEUE_COLUMNS, owner)
        self.queue_page = TaskListPage(False, self.queue_model, workspace, runner, people)
        window.add_page(
            "work_queue", lambda: translate("DesktopApp", "Werkbak"), "work-queue", self.queue_page, "Ctrl+2"
        )
        self.my_tasks_model = TaskListModel(read, queries.my_tasks, TaskListModel.MINE_COLUMNS, owner)
        self.my_tasks_page = TaskListPage(True, self.my_tasks_model, workspace, runner, people)
        window.add_page(
            "my_tasks", lambda: translate("DesktopApp", "Mijn taken"), "my-tasks", self.my_tasks_page, "Ctrl+3"
        )
        self.search_page = SearchPage(search, runner, is_online)
        window.add_page("search", lambda: translate("DesktopApp", "Zoeken"), "search", self.search_page, "Ctrl+4")
        self.admin_page: AdminPage | None = None
        if user.get("role") in labels.ADMIN_ROLES:
            self.admin_page = AdminPage(workspace, runner)
            window.add_page("admin", lambda: translate("DesktopApp", "Beheer"), "admin", self.admin_page, "Ctrl+5")
        self.case_view = CaseView(workspace, runner, people=people)
        window.pages.addWidget(self.case_view)
        self.settings = NotificationSettings(runner, save_preferences)
        window.pages.addWidget(self.settings)

    @property
    def models(self) -> tuple[MyCasesModel, TaskListModel, TaskListModel]:
        return self.my_cases_model, self.queue_model, self.my_tasks_model
