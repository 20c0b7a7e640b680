"""Fixtures shared by the UI tests (the service fixtures come from tests/service_fixtures.py)."""

import pytest

from desktop import i18n
from desktop.ui.operations import OperationRunner


@pytest.fixture(autouse=True, scope="session")
def dutch(qapp):
    """Dutch as main() installs it: its plural forms (%n) come from menscentraal_nl.qm."""
    i18n.install_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def runner(qtbot):
    """An operation runner (both lanes) that is shut down, workers joined, after the test."""
    runner = OperationRunner()
    yield runner
    runner.shutdown()
