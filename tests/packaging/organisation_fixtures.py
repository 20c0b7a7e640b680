"""Fixtures for the packaging tests: an organisation file with a real CA, written per test.

Not a conftest.py: tests/client has one, and both would be imported as the module `conftest`.
Test modules import the fixtures by name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.org_config import ORGANISATION_FILE_ENV
from tests.client.test_transport import make_ca, pem

VALID_TOML = """\
# Organisation file of Gemeente Testdam (placed by IT)
[service]
url = "https://menscentraal.testdam.example"
ca_file = "organisation-ca.pem"

[contacts]
organisation = "Gemeente Testdam"

[contacts.local_admin]
name = "Lokaal beheer Testdam"
phone = "0800-1234567"
email = "beheer@testdam.example"

[contacts.helpdesk]
name = "Helpdesk MensCentraal"
phone = "085-4899080"

[policy]
offline_lock_hours = 24
offline_wipe_days = 14
auto_lock_minutes = 5
"""


@pytest.fixture
def organisation_dir(tmp_path) -> Path:
    """A folder with the organisation CA beside where the file goes."""
    folder = tmp_path / "etc-menscentraal"
    folder.mkdir()
    _, ca = make_ca("Testdam Org CA")
    (folder / "organisation-ca.pem").write_bytes(pem(ca))
    return folder


@pytest.fixture
def organisation_file(organisation_dir, monkeypatch):
    """write(text=VALID_TOML) -> Path: the system organisation file for this test (env override)."""

    def write(text: str = VALID_TOML) -> Path:
        path = organisation_dir / "organisation.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(ORGANISATION_FILE_ENV, str(path))
        return path

    return write
