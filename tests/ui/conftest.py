"""Fixtures shared by the UI tests (the service fixtures come from tests/service_fixtures.py)."""
import pytest

from desktop.ui.operations import OperationRunner


@pytest.fixture
def runner(qtbot):
    """An operation runner (both lanes) that is shut down, workers joined, after the test."""
    runner = OperationRunner()
    yield runner
    runner.shutdown()
