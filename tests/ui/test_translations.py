"""English comes from desktop/ui/i18n/menscentraal_en.ts (compiled by `make translations`)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from desktop import i18n
from desktop.ui import labels
from desktop.ui.main_window import MainWindow, SyncStatusBar
from desktop.ui.models import waiting_since

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

    def translated(message) -> bool:
        translation = message.find("translation")
        forms = (
            [f.text for f in translation.iter("numerusform")] if message.get("numerus") == "yes" else [translation.text]
        )
        return all((form or "").strip() for form in forms) and translation.get("type") != "unfinished"

    assert [m.find("source").text for m in messages if not translated(m)] == []


def test_plurals_come_from_the_numerus_forms_in_both_languages(qtbot, english):
    """`%n` strings (numerus entries in the .ts files), not if/else in the code: one and many."""
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.set_pending(1, 2)
    assert bar.pending.text() == "1 change waiting to be sent · 2 changes not processed"
    assert waiting_since("2026-03-01T12:00:00Z", datetime(2026, 3, 1, 13, 0, tzinfo=timezone.utc)) == "1 hour"
    i18n.install_language("nl")
    bar.set_pending(1, 2)
    assert bar.pending.text() == "1 wijziging wacht op verzending · 2 wijzigingen niet verwerkt"
    assert waiting_since("2026-03-01T12:00:00Z", datetime(2026, 3, 2, 13, 0, tzinfo=timezone.utc)) == "1 dag"


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
