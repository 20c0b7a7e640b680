"""The unprocessed-changes list shows a stuck change with its text and reason in Dutch, and only
the user removes it or sends it again (issue 12)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton

from desktop.cache.queries import UnprocessedChange
from desktop.ui.pending import PendingChangesDialog


def change(mutation_id: str, status: str, reason: str, text: str) -> UnprocessedChange:
    return UnprocessedChange(
        mutation_id,
        "journal.add",
        "c-1",
        None,
        {"case_id": "c-1", "entry_id": "e", "text": text},
        status,
        reason,
        None,
        None,
        "2026-12-01T10:00:00Z",
        "2026-12-01T11:00:00Z",
    )


def test_stuck_change_is_listed_with_its_text_and_reason_and_only_the_user_removes_or_retries_it(qtbot):
    removed, retried = [], []
    stuck = change("m-stuck", "stuck", "request-too-large", "Een heel lang verslag.")
    refused = change("m-refused", "rejected", "case-closed", "Te laat.")
    dialog = PendingChangesDialog([], [stuck, refused], removed.append, None, retried.append)
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Een heel lang verslag." in texts
    assert any(t.startswith("Deze wijziging is te groot voor de dienst") for t in texts)
    buttons = {b.text(): b for b in dialog.findChildren(QPushButton)}
    assert "Opnieuw proberen" in buttons and "Verwijderen" in buttons and "Gezien" in buttons
    # Retry is offered for the stuck change only (a refusal by the service is final).
    assert sum(1 for b in dialog.findChildren(QPushButton) if b.text() == "Opnieuw proberen") == 1
    buttons["Opnieuw proberen"].click()
    assert retried == ["m-stuck"] and removed == []
    remove = next(b for b in dialog.findChildren(QPushButton) if b.property("removes") == "m-stuck")
    remove.click()
    assert removed == ["m-stuck"]
