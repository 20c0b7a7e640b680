"""What the status bar announces, and when (desktop/ui/announce.py; the AT-SPI run hears it on the bus)."""

from __future__ import annotations

from desktop.ui import announce, main_window
from desktop.ui.main_window import SyncStatusBar


def test_the_status_bar_announces_a_change_once_and_only_a_change(qtbot, monkeypatch):
    said: list[tuple[str, bool]] = []

    def record(source, message, *, urgent=False):
        said.append((message, urgent))

    monkeypatch.setattr(announce, "announce", record)
    monkeypatch.setattr(main_window, "announce", record)
    bar = SyncStatusBar()
    qtbot.addWidget(bar)
    bar.set_online(True, None)  # what the screen shows on opening: not announced
    bar.set_pending(0, 0)
    bar.retranslate_ui()  # a language switch says nothing new
    assert said == []
    bar.set_online(True, None)
    bar.set_online(False, None)
    bar.set_online(False, None)  # the presenter's refresh: the same state
    bar.set_pending(2, 2)
    bar.set_pending(0, 0)
    bar.sync_done(True)  # a sync nobody asked for (the live sync): not announced
    bar.expect_sync()
    bar.sync_done(False)  # failed: it says why elsewhere
    bar.expect_sync()
    bar.sync_done(True)
    assert said == [
        ("Offline", False),
        ("2 wijzigingen wachten op verzending · 2 wijzigingen niet verwerkt", True),
        ("Alles verstuurd", False),
        ("Synchronisatie klaar", False),
    ]


def test_a_note_added_is_announced_and_an_empty_one_is_not(qtbot, monkeypatch):
    """Add note: the field empties and the note is queued; a screen reader hears that it was added."""
    from desktop.ui import case_cards

    said: list[str] = []
    monkeypatch.setattr(case_cards, "announce", lambda source, message, urgent=False: said.append(message))
    card = case_cards.JournalCard()
    qtbot.addWidget(card)
    card.show_journal([], {"add_note": {"allowed": True}})
    card.add_note_button.click()  # nothing typed: nothing added, nothing said
    card.note.setPlainText("Moeder gebeld.")
    with qtbot.waitSignal(card.note_added):
        card.add_note_button.click()
    assert said == ["Aantekening toegevoegd"]
