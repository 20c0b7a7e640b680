"""The help menu's windows over the main window: help, the connection diagnosis, about."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.i18n import translate
from desktop.ui import about
from desktop.ui.diagnosis import DiagnosisFrame, DiagnosisPanel
from desktop.ui.login_parts import contacts_text
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import account
from desktop.ui.widgets import Retranslatable


def contacts(session: Any) -> dict:
    """The service's contacts for this account, else the organisation's."""
    return account.SessionLogin(session).contacts() or (session.organisation_settings or {}).get("contacts") or {}


HELP_TOPICS = (
    (
        QT_TRANSLATE_NOOP("HelpDialog", "Werkbak of Mijn taken?"),
        QT_TRANSLATE_NOOP(
            "HelpDialog",
            "De <b>Werkbak</b> toont de taken die in de werkbak van uw team(s) staan: nog niemand doet ze. Wie tijd heeft, "
            "pakt een taak op (Oppakken); dan staat de taak bij <b>Mijn taken</b> en verdwijnt ze uit de werkbak van de "
            "anderen. Onder Mijn taken staan de taken die u hebt opgepakt of die iemand rechtstreeks naar u stuurde. Is een "
            "taak niet voor u? Laat haar in de werkbak staan, geef haar terug of stuur haar door naar een collega of team.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HelpDialog", "Waarom kreeg iedereen in het team de e-mail?"),
        QT_TRANSLATE_NOOP(
            "HelpDialog",
            "Een taak waarvan nog niet bekend is wie haar oppakt, gaat naar de werkbak van het team, en dan krijgt ieder "
            "teamlid een e-mail. Dat u de e-mail kreeg, betekent niet dat de taak voor u bedoeld is: wie haar oppakt, "
            "spreekt uw team onderling af. Wie als eerste oppakt, heeft de taak; de anderen zien wie. U kunt deze e-mails "
            "uitzetten bij Meldingen (het persoon-icoon rechtsboven). Let op: spreek dat eerst af met uw team, zodat geen "
            "taak blijft liggen en het vervolg voor de inwoner niet wordt gemist.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HelpDialog", "Zaakcoördinator en zaakondersteuner"),
        QT_TRANSLATE_NOOP(
            "HelpDialog",
            "Een zaak heeft precies één <b>zaakcoördinator</b>: de zaak staat op zijn of haar naam. Er kunnen daarnaast "
            "meerdere <b>zaakondersteuners</b> zijn, zodat twee mensen tegelijk in een zaak kunnen werken. Beiden zien de "
            "zaak onder Mijn zaken en kunnen haar bewerken; alleen zij kunnen de zaakcoördinator wijzigen en "
            "zaakondersteuners toevoegen of verwijderen. Wie geen van beide is, kan de zaak niet zelf overnemen; wel kan "
            "wie geautoriseerd is voor het zaaktype de afgesloten zaakstappen inzien (het vergrootglas). Een zaak "
            "verwijderen kan niet: sluit een per vergissing aangemaakte zaak af met 'Administratieve fout'.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HelpDialog", "Werken zonder verbinding"),
        QT_TRANSLATE_NOOP(
            "HelpDialog",
            "MensCentraal is alleen bereikbaar via een beveiligde verbinding: Gemnet, een werkplek die bij de dienst is "
            "aangemeld, of Mobiel Werken (dit apparaat). Zonder verbinding werkt u verder met de gegevens op dit apparaat; "
            "uw wijzigingen worden bewaard en verstuurd zodra er weer verbinding is. De statusbalk toont wat er nog wacht. "
            "Lukt verbinden niet, kies dan in het menu 'Verbinding controleren (diagnose)': die zegt wat er ontbreekt.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HelpDialog", "Geblokkeerd of wachtwoord kwijt?"),
        QT_TRANSLATE_NOOP(
            "HelpDialog",
            "Wachtwoord vergeten: klik op het inlogscherm op 'Wachtwoord vergeten?'; u krijgt een tijdelijk wachtwoord per "
            "e-mail en kiest daarna zelf een nieuw. Gebruikersnaam vergeten, geen e-mail ontvangen, of meer dan 10 keer "
            "verkeerd ingelogd: dan moet uw account opnieuw worden geactiveerd door uw lokaal beheerder of de helpdesk.",
        ),
    ),
)


class HelpDialog(Retranslatable, QDialog):
    """F1: the answers the helpdesk's newsletter keeps giving, and who to ask."""

    def __init__(self, contacts: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpDialog")
        self._contacts = contacts
        layout = QVBoxLayout(self)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        layout.addWidget(self.text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(680, 620)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(translate("HelpDialog", "Help — MensCentraal Mobiel"))
        self.text.setAccessibleName(translate("HelpDialog", "Help"))  # a Tab stop: its name is said
        parts = [f"<h2>{translate('HelpDialog', 'Help')}</h2>"]
        for title, body in HELP_TOPICS:
            parts.append(f"<h3>{translate('HelpDialog', title)}</h3><p>{translate('HelpDialog', body)}</p>")
        parts.append(
            f"<h3>{translate('HelpDialog', 'Wie helpt u?')}</h3><p>"
            + translate(
                "HelpDialog",
                "Vragen? Stel ze eerst aan de superuser van uw team. Lukt het niet, neem dan contact op met:",
            )
            + "<br>"
            + contacts_text(self._contacts)
            + "</p>"
        )
        self.text.setHtml("".join(parts))

    def plain_text(self) -> str:
        return self.text.toPlainText()


def show_help(parent: QWidget, session: Any) -> HelpDialog:
    dialog = HelpDialog(contacts(session), parent)
    dialog.open()
    return dialog


def show_about(parent: QWidget, session: Any) -> None:
    about.show_about(parent, contacts(session) or None)


def show_diagnosis(
    parent: QWidget, runner: OperationRunner, session: Any, diagnosed: Callable[[bool], None] | None = None
) -> DiagnosisFrame:
    """`diagnosed(reachable)`: the desk brings its banner in line with what the doctor found."""
    frame = DiagnosisFrame(title=lambda: translate("DesktopApp", "Diagnose van de verbinding"))
    frame.setParent(parent, Qt.WindowType.Window)  # its own window, owned by the main one
    frame.resize(640, 560)

    def show(report: Any) -> None:
        frame.show_report(*report)
        if diagnosed is not None:
            checks = report[0]
            diagnosed(
                not any(check.status == "fail" and check.name in DiagnosisPanel.NETWORK_CHECKS for check in checks)
            )

    def run() -> None:
        account.diagnose(frame, session).success(show).run_in(runner)

    frame.panel.retry_requested.connect(run)
    frame.show()
    run()
    return frame
