"""The device revocation's question (Beheer → Apparaten): asked without blocking the event loop, so
a screen reader's walk reads it (tests/a11y/test_screens_atspi.py, `revoke_device`); only Yes revokes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.ui.admin import AdminPage
from desktop.ui.operations import OperationRunner

DEVICE = {"id": "d1", "username": "gerrit", "not_after": "2026-12-04T20:52:00Z"}


def test_only_yes_to_the_open_question_revokes_the_device(qtbot, monkeypatch):
    runner = OperationRunner()
    try:
        page = AdminPage(None, runner)
        qtbot.addWidget(page)
        revoked = []
        monkeypatch.setattr(page, "_revoke_now", revoked.append)  # the service call itself: test_sync_admin.py
        page._show(([], [DEVICE], []))
        page.devices.setCurrentRow(0)
        for answer in (QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes):
            page._revoke()  # returns at once: the question is open, the loop runs on
            question = page.findChild(QMessageBox, "revokeQuestion")
            qtbot.waitUntil(question.isVisible)
            assert question.windowModality() != Qt.WindowModality.NonModal
            question.button(answer).click()
            question.deleteLater()
            qtbot.waitUntil(lambda: page.findChild(QMessageBox, "revokeQuestion") is None)
        assert revoked == [DEVICE]
    finally:
        runner.shutdown()
