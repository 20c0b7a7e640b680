"""My Cases at 100,000 cases (issue 19): a filter keystroke moves rows instead of resetting the
view, and a repaint asks the Python model once per cell, with texts made once per read."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop import i18n
from desktop.cache import queries
from desktop.cache.db import close_cache
from desktop.ui import labels
from desktop.ui.models import MyCasesModel
from desktop.ui.my_cases import MyCasesPage
from tests.ui.pages import filled_cache, reader_over


@pytest.fixture
def cache(tmp_path):
    conn = filled_cache(tmp_path / "cache.db", 60)
    yield conn
    close_cache(conn)


def _shown(model: MyCasesModel) -> list[str]:
    return [model.case_id(row) for row in range(model.rowCount())]


def test_a_filter_keystroke_moves_rows_without_a_reset_and_keeps_the_selected_case(qtbot, cache):
    model = MyCasesModel(reader_over(cache))
    page = MyCasesPage(model)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    model.reload()
    signals: list[str] = []
    model.modelReset.connect(lambda: signals.append("reset"))
    model.layoutChanged.connect(lambda: signals.append("layout"))
    chosen = next(r for r in queries.my_cases(cache, "jeugdhulp", limit=None))
    page.table.selectRow(model.row_of(chosen.id))
    model.set_filter("jeugdhulp")  # fewer rows, the chosen case among them (at another row)
    assert signals == ["layout"]
    assert sorted(_shown(model)) == sorted(r.id for r in queries.my_cases(cache, "jeugdhulp", limit=None))
    assert model.rowCount() < 60 and page.table.model().rowCount() == model.rowCount()
    selected = page.table.selectionModel().selectedRows()
    assert [model.case_id(index.row()) for index in selected] == [chosen.id]
    assert model.case_id(page.table.currentIndex().row()) == chosen.id
    # A filter that no longer shows it: the first row is chosen, as after a read.
    model.set_filter(next(r.number for r in queries.my_cases(cache, limit=None) if r.id != chosen.id))
    assert signals == ["layout", "layout"] and model.rowCount() == 1
    assert [index.row() for index in page.table.selectionModel().selectedRows()] == [0]
    model.set_filter("")  # every case again: still no reset
    assert signals == ["layout"] * 3 and model.rowCount() == 60


def test_the_filter_passes_qt_model_tester_while_narrowing_and_widening(qtmodeltester, cache):
    model = MyCasesModel(reader_over(cache))
    model.reload()
    qtmodeltester.check(model, force_py=True)  # stays connected: checks every layout change below
    for text in ("j", "jeugd", "jeugdhulp uit", "jeugdhulp", "", "z-2026"):
        model.set_filter(text)
        assert sorted(_shown(model)) == sorted(r.id for r in queries.my_cases(cache, text, limit=None))


def test_a_painted_cell_asks_the_model_once_and_says_what_data_says(qtbot, cache):
    model = MyCasesModel(reader_over(cache))
    model.reload()
    calls: list[int] = []
    real_data = model.data
    model.data = lambda index, role=Qt.ItemDataRole.DisplayRole: calls.append(role) or real_data(index, role)
    page = MyCasesPage(model)
    qtbot.addWidget(page)
    for row in (0, 7):  # the delegate hands the same roles from cell to cell: none stays from the last one
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            page.table.itemDelegate().initStyleOption(option, index)  # what the view does per painted cell
            assert calls == []  # one multiData call, no data() per role
            assert option.text == real_data(index, Qt.ItemDataRole.DisplayRole)
            assert option.font.bold() == (column == 0)
    # The accessibility text and the pending marker's tooltip come through multiData too.
    index = model.index(0, 1)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == index.data(Qt.ItemDataRole.DisplayRole)
    assert model.index(0, 0).data(MyCasesModel.CaseIdRole) == model.case_id(0)


def test_cell_texts_follow_a_language_switch_and_a_new_read(qtbot, cache):
    model = MyCasesModel(reader_over(cache))
    model.reload()
    role = model.case_row(0).my_role
    assert model.index(0, 3).data() == labels.case_role(role)  # made now and kept
    i18n.install_language("en")
    try:
        assert model.index(0, 3).data() == labels.case_role(role) != "Zaakcoördinator"
    finally:
        i18n.install_language(i18n.DEFAULT_LANGUAGE)
    assert model.index(0, 3).data() == labels.case_role(role)
    before = model.index(0, 0).data()
    cache.execute("UPDATE cases SET number = 'Z-NIEUW' WHERE id = ?", (model.case_id(0),))
    cache.commit()
    model.reload()
    assert model.index(0, 0).data() == "Z-NIEUW" != before
