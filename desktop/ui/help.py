"""The help menu's windows over the main window: help, the connection diagnosis, about."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.i18n import translate
from desktop.ui import about
from desktop.ui.diagnosis import DiagnosisFrame
from desktop.ui.login_parts import contacts_text
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import account
from desktop.ui.widgets import Retranslatable


def contacts(session: Any) -> dict:
    """The service's contacts for this account, else the organisation's."""
    return account.SessionLogin(session).contacts() or (session.organisation_settings or {}).get("contacts") or {}


class HelpBox(Retranslatable, QMessageBox):
    """Whom to ask: the team's superuser first, then the organisation's contacts."""

    def __init__(self, contacts: dict, parent: QWidget) -> None:
        super().__init__(QMessageBox.Icon.Information, "", "", QMessageBox.StandardButton.Close, parent)
        self._contacts = contacts
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(translate("DesktopApp", "Help"))
        self.setText(translate("DesktopApp", "Vragen? Stel ze eerst aan de superuser van uw team. Lukt het niet, neem dan "
                                             "contact op met:") + "<br><br>" + contacts_text(self._contacts))


def show_help(parent: QWidget, session: Any) -> HelpBox:
    box = HelpBox(contacts(session), parent)
    box.open()
    return box


def show_about(parent: QWidget, session: Any) -> None:
    about.show_about(parent, contacts(session) or None)


def show_diagnosis(parent: QWidget, runner: OperationRunner, session: Any) -> DiagnosisFrame:
    frame = DiagnosisFrame(title=lambda: translate("DesktopApp", "Diagnose van de verbinding"))
    frame.setParent(parent, Qt.WindowType.Window)  # its own window, owned by the main one
    frame.resize(640, 560)

    def run() -> None:
        account.diagnose(frame, session).success(lambda report: frame.show_report(*report)).run_in(runner)

    frame.panel.retry_requested.connect(run)
    frame.show()
    run()
    return frame
