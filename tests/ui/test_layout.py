"""Screens at 1280×800 (the smallest laptop we design for): lists fit without sideways scrolling,
the important columns are whole, long names elide; the password eye; the windows' language switch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.cache import queries
from desktop.cache.db import close_cache
from desktop.ui import theme
from desktop.ui.main_window import MainWindow
from desktop.ui.models import MyCasesModel, TaskListModel
from desktop.ui.my_cases import MyCasesPage
from desktop.ui.tasks import TaskListPage
from tests.ui.pages import filled_cache, reader_over

SIZE = (1280, 800)


@pytest.fixture
def cache(tmp_path):
    conn = filled_cache(tmp_path / "cache.db", 40, n_queue=12, n_mine=6)
    yield conn
    close_cache(conn)


def window_with(qtbot, key, page):
    window = MainWindow("Sanne Bakker", "medewerker")
    qtbot.addWidget(window)
    window.add_page(key, key, "my-cases", page)
    window.setStyleSheet(theme.stylesheet())  # the app's sheet, on this window only (no app-wide re-polish)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    return window


def assert_fits(qtbot, table, whole_columns):
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() > 0)
    assert table.horizontalScrollBar().maximum() == 0, "the list scrolls sideways at 1280×800"
    width = table.viewport().width()
    for column in whole_columns:
        assert not table.isColumnHidden(column)
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= width, f"column {column} is cut off"
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), f"column {column} is cut short"


@pytest.mark.parametrize("mine", [False, True])
def test_task_lists_fit_with_whole_deadline_and_case_columns(qtbot, runner, cache, mine):
    query = queries.my_tasks if mine else queries.team_queue
    model = TaskListModel(
        reader_over(cache), query, TaskListModel.MINE_COLUMNS if mine else TaskListModel.QUEUE_COLUMNS
    )
    model.refresh_now()
    assert model.rowCount() > 0
    page = TaskListPage(mine, model, None, runner)
    window_with(qtbot, "tasks", page)
    keys = model.column_keys()
    whole = [keys.index(k) for k in ("case", "deadline", "waiting") if k in keys]
    assert_fits(qtbot, page.table, whole)
    # The task itself gets the room that is left, more than any name column.
    header = page.table.horizontalHeader()
    assert header.sectionSize(keys.index("type")) >= header.sectionSize(keys.index("client"))


def test_my_cases_fits_with_every_column_in_view(qtbot, cache):
    model = MyCasesModel(reader_over(cache))
    page = MyCasesPage(model)
    model.reload()
    window_with(qtbot, "my_cases", page)
    assert_fits(qtbot, page.table, [0, 5])  # case number and last change are whole


def test_show_password_is_an_eye_that_hides_again(qtbot):
    from PySide6.QtGui import QAction

    from desktop.ui.login_parts import password_field

    field = password_field("Wachtwoord", "Wachtwoord")
    qtbot.addWidget(field)
    toggle = field.findChild(QAction, "showPassword")
    same = lambda a, b: a.pixmap(16, 16).toImage() == b.pixmap(16, 16).toImage()  # noqa: E731
    assert same(toggle.icon(), theme.icon("eye")) and not same(toggle.icon(), theme.icon("magnifier"))
    toggle.trigger()
    assert field.echoMode() == QLineEdit.EchoMode.Normal and same(toggle.icon(), theme.icon("eye-off"))
    assert toggle.text() == "Wachtwoord verbergen"
    toggle.trigger()
    assert field.echoMode() == QLineEdit.EchoMode.Password and toggle.text() == "Wachtwoord tonen"


def test_an_empty_work_queue_says_so_instead_of_an_empty_table(qtbot, runner):
    model = TaskListModel(lambda query, deliver: deliver([]), None, TaskListModel.QUEUE_COLUMNS)
    model.refresh_now()
    page = TaskListPage(False, model, None, runner)
    window_with(qtbot, "tasks", page)
    assert page.empty.isVisible() and page.empty_text.text() == "De werkbakken van uw teams zijn leeg."
    assert not page.table.isVisible() and not page.detail.isVisible()


class LoginFacts:
    """What the login card shows before anything is asked of the service."""

    def organisation_name(self):
        return "Gemeente Demodorp"

    def contacts(self):
        return {"local_admin": {"name": "Petra Jansen", "phone": "075-1234567"}}

    def password_rules(self, password):
        return [("Minstens 12 tekens", len(password) >= 12)]


def test_login_card_is_as_tall_as_the_page_it_shows(qtbot, runner):
    from desktop.ui.login import LoginWindow

    window = LoginWindow(LoginFacts(), runner)
    qtbot.addWidget(window)
    window.setStyleSheet(theme.stylesheet())
    window.resize(*SIZE)
    window.show()
    # Every page, also after a taller one: the card never keeps empty room below the last control.
    for index in (
        LoginWindow.PAGE_NEW_PASSWORD,
        LoginWindow.PAGE_FORGOT_PASSWORD,
        LoginWindow.PAGE_FORGOT_USERNAME,
        LoginWindow.PAGE_LOGIN,
    ):
        window.show_page(index)
        page = window.stack.currentWidget()

        def fitted() -> bool:
            bottom = max(
                c.geometry().bottom() for c in page.findChildren(QWidget) if c.parent() is page and c.isVisible()
            )
            return 0 <= window.stack.height() - bottom <= 16

        qtbot.waitUntil(fitted, timeout=2000)


def test_admin_lists_say_when_they_are_empty(qtbot, runner):
    from desktop.ui.admin import AdminPage

    page = AdminPage(None, runner)
    qtbot.addWidget(page)
    page._show(([], [{"id": "d1", "username": "gerrit", "not_after": "2026-12-04T20:52:00Z"}], []))
    assert page.locked.count() == 1 and page.locked.item(0).text() == "Er zijn geen geblokkeerde accounts."
    assert not page.locked.item(0).flags() & Qt.ItemFlag.ItemIsSelectable
    assert page.groups.item(0).text() == "Er zijn geen groepen."
    assert page.devices.count() == 1 and page.devices.item(0).data(Qt.ItemDataRole.UserRole)["id"] == "d1"
    page.locked.setCurrentRow(0)
    page._reactivate()  # nothing selected that can be reactivated: nothing happens
    assert runner.pending == 0
