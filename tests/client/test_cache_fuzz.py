"""Hostile pages: any value replaced by any JSON value is either applied or refused with nothing changed."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.client.factories import make_case, make_page, make_task
from desktop.cache import MalformedPage, apply_page

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)

BASE_PAGE = make_page(
    cursor="next",
    cases=[make_case(1), make_case(2, role="supporter")],
    tasks=[make_task(1)],
    teams=[{"id": "t-1", "name": "Noord", "organisation_id": "o", "members": [{"id": "u-1", "display_name": "A"}]}],
    colleagues=[{"id": "u-1", "display_name": "A", "team_ids": ["t-1"]}],
    preferences=[{"team_queue_email": {"t-1": True}, "version": 1}],
    removals=[{"type": "task", "id": "task-9"}],
)


def _paths(value, prefix=()):
    """Every place in the page that holds a value."""
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


PATHS = [p for p in _paths(BASE_PAGE) if p]


def _snapshot(conn):
    return {
        t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
        for t in ("cases", "case_docs", "tasks", "teams", "colleagues", "preferences", "sync_state", "unprocessed")
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=JSON_VALUES)
def test_hostile_page_is_applied_whole_or_refused_without_change(cache_conn, path, value):
    page = copy.deepcopy(BASE_PAGE)
    target = page
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    before = _snapshot(cache_conn)
    try:
        apply_page(cache_conn, page)
    except MalformedPage:
        assert _snapshot(cache_conn) == before
    else:
        assert cache_conn.execute("SELECT cursor FROM sync_state").fetchone()[0] == page["cursor"]
    assert not cache_conn.in_transaction


def test_core_modules_import_without_qt_widgets():
    code = (
        "import sys, desktop.cache, desktop.cache.queries, desktop.vault, desktop.profile, desktop.secrets; "
        "print(any(m.startswith(('PySide6.QtWidgets', 'PySide6.QtGui')) for m in sys.modules))"
    )
    repo = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo)
    assert out.stdout.strip() == "False"
