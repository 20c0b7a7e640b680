"""Every control is reachable by keyboard and has a name a screen reader can say."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from desktop.cache import queries
from desktop.cache.db import close_cache
from desktop.ui.case_view import CaseView
from desktop.ui.login import LoginWindow
from desktop.ui.main_window import MainWindow
from desktop.ui.models import MyCasesModel, TaskListModel
from desktop.ui.my_cases import MyCasesPage
from desktop.ui.notifications import NotificationSettings
from desktop.ui.tasks import TaskListPage
from tests.ui.pages import CONTACTS, filled_cache, make_case, reader_over

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView)


def unnamed_controls(root: QWidget) -> list[str]:
    missing = []
    for kind in CONTROLS:
        for widget in root.findChildren(kind):
            if not widget.isVisibleTo(root) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            if widget.parent() is not None and type(widget.parent()).__name__ in ("QScrollBar", "QAbstractScrollArea"):
                continue
            name = widget.accessibleName() or (widget.text() if isinstance(widget, QAbstractButton) else "")
            if not name.strip():
                missing.append(f"{type(widget).__name__}({widget.objectName()})")
    return missing


@pytest.fixture
def cache(tmp_path):
    conn = filled_cache(tmp_path / "cache.db", 20)
    yield conn
    close_cache(conn)


class LoginActions:
    def organisation_name(self):
        return "Gemeente Zaanstad"

    def contacts(self):
        return CONTACTS

    def can_work_offline(self):
        return True

    def password_rules(self, password):
        return [("Minstens 12 tekens", len(password) >= 12)]


def test_login_controls_have_names(qtbot, runner):
    window = LoginWindow(LoginActions(), runner)
    qtbot.addWidget(window)
    window.show()
    for page in range(window.stack.count()):
        window.show_page(page)
        assert unnamed_controls(window.stack.currentWidget()) == [], page


def test_main_window_and_pages_have_names_and_focus(qtbot, runner, cache):
    window = MainWindow("Sanne Bakker", "lokaal_beheerder")
    qtbot.addWidget(window)
    model = MyCasesModel(reader_over(cache))
    window.add_page("my_cases", "Mijn zaken", "my-cases", MyCasesPage(model))
    queue = TaskListModel(reader_over(cache), queries.team_queue, TaskListModel.QUEUE_COLUMNS)
    window.add_page("work_queue", "Werkbak", "work-queue", TaskListPage(False, queue, None, runner))
    model.reload()
    queue.refresh_now()
    window.show()
    qtbot.waitExposed(window)
    for key in ("my_cases", "work_queue"):
        window.show_page(key)
        assert unnamed_controls(window) == [], key
    window.show_page("my_cases")
    page = window.page("my_cases")
    assert page.filter.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert page.table.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_case_view_and_settings_have_names(qtbot, runner, cache):
    view = CaseView(None, runner)
    qtbot.addWidget(view)
    view.show_case(
        make_case(1, random.Random(1)),
        queries.my_tasks(cache),
        queries.colleagues(cache),
        0,
        teams=queries.teams(cache),
    )
    view.show()
    assert unnamed_controls(view) == []
    settings = NotificationSettings(runner)
    qtbot.addWidget(settings)
    settings.show_preferences(queries.preferences(cache), queries.teams(cache))
    settings.show()
    assert unnamed_controls(settings) == []


def test_the_check_finds_an_unnamed_control(qtbot):
    from PySide6.QtWidgets import QToolButton, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    layout.addWidget(QLineEdit())
    layout.addWidget(QToolButton())
    root.show()
    assert len(unnamed_controls(root)) == 2
