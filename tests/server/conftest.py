"""Fixtures shared by the service tests (the service itself comes from tests/service_fixtures.py)."""
import pytest

from tests.server.work_client import worker_pool


@pytest.fixture
def workers(service):
    """workers(username) → a logged-in Worker over its own enrolled device, closed after the test."""
    yield from worker_pool(service)
