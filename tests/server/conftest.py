"""Fixtures shared by the service tests (the service itself comes from tests/service_fixtures.py)."""
import pytest

from tests.server.work_client import Worker


@pytest.fixture
def workers(service):
    """workers(username) → a logged-in Worker over its own enrolled device, closed after the test."""
    made = {}

    def get(username):
        if username not in made:
            made[username] = Worker(service, username)
        return made[username]
    yield get
    for worker in made.values():
        worker.close()
