"""WCAG 1.4.1 (issue 18): what a colour tells -- late, new, offline, refused -- a word or symbol tells too."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from desktop.cache import queries
from desktop.ui.main_window import MainWindow
from desktop.ui.models import TaskListModel

COLOUR_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole)


def _task(task_id: str, *, deadline: str | None, new: bool) -> queries.TaskRow:
    return queries.TaskRow(
        task_id, "c-1", "Z-1", "Jeugdhulp", None, "Cliënt", "Bellen", None, deadline, "2026-12-01T09:00:00Z",
        "queued", None, None, "team-jgn", "Jeugd en Gezin Noord", True, "{}", 0, new,
    )  # fmt: skip


def test_a_coloured_task_cell_also_says_it_in_its_text_and_to_a_screen_reader(qapp):
    late = (date.today() - timedelta(days=3)).isoformat()
    later = (date.today() + timedelta(days=3)).isoformat()
    tasks = [
        _task("late", deadline=late, new=False),
        _task("new", deadline=later, new=True),
        _task("plain", deadline=later, new=False),
    ]
    for columns in (TaskListModel.QUEUE_COLUMNS, TaskListModel.MINE_COLUMNS):
        model = TaskListModel(lambda query, deliver: deliver(list(tasks)), lambda conn: None, columns)
        model.refresh_now()
        plain = model.row_of("plain")
        marked = 0
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column)
                coloured = any(model.data(index, role) is not None for role in COLOUR_ROLES)
                bold = model.data(index, Qt.ItemDataRole.FontRole) is not None
                if not (coloured or bold):
                    continue
                marked += 1
                # A mark before the text (a task without the state has none), and words when read out.
                text = index.data()
                assert text[:1] in "⚠●" and model.index(plain, column).data()[:1] not in "⚠●", (columns[column], text)
                spoken = index.data(Qt.ItemDataRole.AccessibleTextRole) or text
                assert any(word in spoken for word in ("te laat", "Nieuw")), (columns[column], spoken)
        assert marked >= 2  # the late deadline and the new task were both found


def test_offline_and_refused_changes_are_words_and_icons_not_a_colour(qtbot):
    window = MainWindow("Sanne Bakker", "medewerker")
    qtbot.addWidget(window)
    window.set_online(True, None)
    online_text, online_icon = window.status.connection.text(), window.status.connection_icon.pixmap().cacheKey()
    window.set_online(False, None)
    assert (online_text, window.status.connection.text()) == ("Online", "Offline")
    assert window.status.connection_icon.pixmap().cacheKey() != online_icon
    assert window.banner.text.text().startswith("Offline")
    window.status.set_pending(0, 0)
    calm_icon = window.status.pending.icon().cacheKey()
    window.status.set_pending(0, 2)
    assert "2 wijzigingen niet verwerkt" in window.status.pending.text()
    assert window.status.pending.icon().cacheKey() != calm_icon
