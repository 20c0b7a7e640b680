"""Cases on the desk's case view: opened from a list (read on the cache lane), from a search result
(the service's answer, not in the cache), and read again when the cache changes, so the case on
screen never shows what the service no longer allows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from desktop.cache import queries
from desktop.ui.ops import cases

if TYPE_CHECKING:  # for the annotations only: desk.py imports this module
    from desktop.ui.desk import Desk


class CaseOpener(QObject):
    """Which case the case view shows, and keeping it true to the cache."""

    def __init__(self, desk: Desk) -> None:
        super().__init__(desk)
        self.desk = desk

    def open(self, case_id: str, refresh: bool = False) -> None:
        desk = self.desk

        def show(detail: Any) -> None:
            view = desk.pages.case_view
            if refresh and view.case.get("id") != case_id:
                return  # the user opened another case meanwhile
            if desk.read_conn is None:
                return  # locked meanwhile
            view.show_case(
                detail.case,
                detail.tasks,
                queries.colleagues(desk.read_conn),
                detail.pending_changes,
                teams=queries.teams(desk.read_conn),
            )
            if not refresh:
                desk.window.pages.setCurrentWidget(view)

        cases.open_case(desk.window, desk._current, case_id, refresh=refresh).success(show).run_in(desk.runner)

    def changed(self, case_id: str) -> None:
        """A change was written: the lists, and the case again (a search result is not in the cache)."""
        self.desk.refresh_views()
        self.refresh_open()

    def refresh_open(self) -> None:
        """The case on screen follows the cache: the service's answer to the user's own change shows
        at once, and a case that is no longer the user's keeps no buttons for what it no longer allows."""
        desk = self.desk
        view = desk.pages.case_view
        case_id = view.case.get("id")
        if not case_id or view.from_search or desk.read_conn is None:
            return
        if queries.case_detail(desk.read_conn, case_id) is None:
            view.show_no_longer_member()
        else:
            self.open(case_id, refresh=True)

    def open_search_result(self, case: dict) -> None:
        desk = self.desk
        desk.pages.case_view.show_search_result(case, queries.colleagues(desk.read_conn), queries.teams(desk.read_conn))
        desk.window.pages.setCurrentWidget(desk.pages.case_view)
