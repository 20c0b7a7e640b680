"""English comes from desktop/ui/i18n/menscentraal_en.ts (compiled by `make translations`)."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from desktop import i18n
from desktop.ui import labels
from desktop.ui.main_window import MainWindow

TS = i18n.I18N_DIR / "menscentraal_en.ts"


@pytest.fixture
def english(qapp, tmp_path):
    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, capture_output=True)
    assert i18n.install_language("en")
    yield
    i18n.install_language("nl")


def test_every_gui_string_has_an_english_translation():
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 250
    untranslated = [m.find("source").text for m in messages
                    if not (m.find("translation").text or "").strip() or m.find("translation").get("type") == "unfinished"]
    assert untranslated == []


def test_switching_to_english_translates_windows_and_reason_codes(qtbot, english):
    window = MainWindow("Sanne Bakker", "medewerker")
    qtbot.addWidget(window)
    window.set_online(False, None)
    assert window.status.connection.text() == "Offline"
    assert window.banner.text.text().startswith("Offline — not synchronised yet")
    assert window.lock_action.text() == "Lock"
    assert labels.reason("not-case-member") == "Only the case coordinator or a case supporter can do this."
    assert labels.outcome("administratieve_fout") == "Administrative error"


def test_dutch_is_the_default(qtbot):
    window = MainWindow("Sanne Bakker", "medewerker")
    qtbot.addWidget(window)
    assert window.lock_action.text() == "Vergrendelen"
