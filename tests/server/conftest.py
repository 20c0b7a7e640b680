"""Fixtures shared by the service tests (the service itself comes from tests/service_fixtures.py)."""

import pytest

from tests.server.work_client import worker_pool


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def backend(request) -> str:
    """Every service test here runs on both databases (tests/service_fixtures.py)."""
    return request.param


def pytest_collection_modifyitems(config, items):
    """A test marked sqlite_only (it reads the SQLite file itself) runs on SQLite alone."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only")
        and getattr(item, "callspec", None)
        and item.callspec.params.get("backend") == "postgresql"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture
def workers(service):
    """workers(username) → a logged-in Worker over its own enrolled device, closed after the test."""
    yield from worker_pool(service)
