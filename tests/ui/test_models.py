"""My Cases and task list models over a real encrypted cache."""
from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from desktop.cache.db import close_cache
from desktop.ui.models import MyCasesModel, TaskListModel
from desktop.cache import queries
from tests.ui.pages import filled_cache


@pytest.fixture
def cache(tmp_path):
    conn = filled_cache(tmp_path / "cache.db", 60)
    yield conn
    close_cache(conn)


def test_my_cases_model_passes_qt_model_tester(qtmodeltester, cache):
    model = MyCasesModel(lambda: cache)
    model.reload()
    assert model.rowCount() == queries.count_my_cases(cache)
    qtmodeltester.check(model, force_py=True)
    model.set_filter("Jeugdhulp")
    qtmodeltester.check(model, force_py=True)


def test_my_cases_lists_only_my_cases_seed_C2_C3(cache):
    model = MyCasesModel(lambda: cache)
    model.reload()
    roles = {model.index(r, 3).data() for r in range(model.rowCount())}
    assert roles == {"Zaakcoördinator", "Zaakondersteuner"}
    ids = {model.case_id(r) for r in range(model.rowCount())}
    assert not any(i.startswith("c-6") and int(i[2:]) >= 60 for i in ids)  # the non-member cases are not mine


def test_filter_is_done_by_the_query_and_sort_by_column(cache):
    model = MyCasesModel(lambda: cache)
    model.reload()
    number = model.index(5, 0).data()
    model.set_filter(number)
    assert model.rowCount() == 1 and model.index(0, 0).data() == number
    model.set_filter("")
    model.sort(0, Qt.SortOrder.AscendingOrder)
    numbers = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert numbers == sorted(numbers)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == sorted(numbers, reverse=True)


def test_refresh_without_membership_change_is_data_changed_not_reset(qtbot, cache):
    model = MyCasesModel(lambda: cache)
    model.reload()
    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.dataChanged, timeout=2000):
        model.refresh()
        model.refresh()
        model.refresh()  # a burst of sync pages: one refresh
    assert resets == []


def test_twenty_thousand_cases_filter_fast_and_fetch_only_visible(qtbot, tmp_path):
    conn = filled_cache(tmp_path / "big.db", 20_000, n_queue=2, n_mine=2)
    try:
        fetched = []
        real_rows = queries.case_rows

        model = MyCasesModel(lambda: conn)
        model.reload()
        assert model.rowCount() > 18_000
        view = QTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        view.resize(900, 500)
        import desktop.ui.models as models_module

        models_module.queries.case_rows = lambda c, ids: (fetched.append(len(ids)), real_rows(c, ids))[1]
        try:
            view.show()
            qtbot.waitExposed(view)
            view.viewport().repaint()
        finally:
            models_module.queries.case_rows = real_rows
        assert sum(fetched) <= 2 * models_module.WINDOW  # the visible part, not 20,000 rows
        started = time.perf_counter()
        model.set_filter("Jeugdhulp Uitvoering")
        view.viewport().repaint()
        elapsed = time.perf_counter() - started
        assert 0 < model.rowCount() < 20_000
        assert elapsed < 0.25, elapsed  # benchmark target is 30 ms; generous bound for a shared CI core
    finally:
        close_cache(conn)


def test_task_list_model_over_team_queue(qtmodeltester, cache):
    model = TaskListModel(lambda: queries.team_queue(cache), TaskListModel.QUEUE_COLUMNS)
    model.refresh_now()
    assert model.rowCount() == 6
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 5).data() in {"Jeugd en Gezin Noord", "Wijkteam Poelenburg"}
