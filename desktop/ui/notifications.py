"""Persoonlijke instellingen: e-mail per team queue and per event, desktop notifications (seed T6).

Switching off a team-queue e-mail first shows the seed's warning — check the team's agreements,
so that no action stays open and a citizen's follow-up is not missed — and asks to confirm.
Saving goes through the core (stored offline, synced as `preferences.set`).
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QMessageBox, QPushButton, QVBoxLayout, QWidget

from desktop.ui import tab_order
from desktop.ui.failures import show_failure
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import PAGE_MARGINS, Notice, PageHeader, Retranslatable, Text, muted, say, section_title


class NotificationSettings(Retranslatable, QWidget):
    saved = Signal()

    def __init__(
        self, runner: OperationRunner, save: Callable[[dict], Any] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._save = save
        self._preferences: dict = {}
        self.team_boxes: dict[str, QCheckBox] = {}
        self._teams: list[Any] = []
        self._status: Text = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(10)
        self.header = PageHeader("")
        layout.addWidget(self.header)
        self.sections = [section_title("") for _ in range(3)]
        layout.addWidget(self.sections[0])
        self.teams_layout = QVBoxLayout()
        layout.addLayout(self.teams_layout)
        self.warning = Notice(self._warning_text, "warning")
        layout.addWidget(self.warning)
        layout.addWidget(self.sections[1])
        self.assigned = QCheckBox()
        self.added = QCheckBox()
        layout.addWidget(self.assigned)
        layout.addWidget(self.added)
        layout.addWidget(self.sections[2])
        self.desktop = QCheckBox()
        layout.addWidget(self.desktop)
        self.privacy = muted("")
        layout.addWidget(self.privacy)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.status = muted("")
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.retranslate_ui()

    def _warning_text(self) -> str:
        return self.tr(
            "Let op: bespreek het eerst met uw team voordat u deze e-mails uitzet. Volgens de afspraken van uw team "
            "kan het nodig zijn dat u ze krijgt, zodat geen actie blijft liggen en de vervolgstap voor een inwoner "
            "niet wordt gemist."
        )

    def retranslate_ui(self) -> None:
        self.header.set_title(self.tr("Meldingen"))
        self.header.set_subtitle(self.tr("Kies waarover u een e-mail of een melding op dit apparaat krijgt."))
        for title, text in zip(
            self.sections,
            (
                self.tr("E-mail bij een nieuwe taak in de werkbak van"),
                self.tr("E-mail bij"),
                self.tr("Op dit apparaat"),
            ),
        ):
            title.setText(text)
            title.setAccessibleName(text)
        self.assigned.setText(self.tr("een taak die aan u is toegewezen"))
        self.added.setText(self.tr("toevoeging aan een zaak als zaakcoördinator of zaakondersteuner"))
        self.desktop.setText(self.tr("Melding tonen als er nieuwe taken in uw werkbakken komen"))
        self.privacy.setText(
            self.tr(
                "E-mails bevatten nooit namen of burgerservicenummers, alleen een verwijzing om in het programma te openen."
            )
        )
        self.save_button.setText(self.tr("Opslaan"))
        for team in self._teams:
            self.team_boxes[team.id].setAccessibleName(
                self.tr("E-mail bij nieuwe taak in werkbak {team}").format(team=team.name)
            )
        self.status.setText(say(self._status))

    def show_preferences(self, preferences: dict, teams: list[Any]) -> None:
        """`preferences` as in docs/API.md; `teams` with `id` and `name`."""
        self._preferences = dict(preferences or {})
        for box in self.team_boxes.values():
            box.hide()
            box.deleteLater()
        self.team_boxes.clear()
        self._teams = list(teams)
        emails = self._preferences.get("team_queue_email") or {}
        for team in teams:
            box = QCheckBox(team.name)
            box.setChecked(bool(emails.get(team.id, True)))
            box.clicked.connect(lambda checked, b=box: self._team_toggled(b, checked))
            self.teams_layout.addWidget(box)
            self.team_boxes[team.id] = box
        tab_order.chain(self)  # the boxes just made: Qt put them after Opslaan
        self.assigned.setChecked(bool(self._preferences.get("email_on_assigned", True)))
        self.added.setChecked(bool(self._preferences.get("email_on_added_to_case", True)))
        self.desktop.setChecked(bool(self._preferences.get("desktop_notifications", True)))
        self._status = ""
        self.retranslate_ui()

    def _team_toggled(self, box: QCheckBox, checked: bool) -> None:
        if checked:
            return
        box.setChecked(True)  # stays on until the user confirms the warning
        question = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("E-mail van de werkbak uitzetten?"),
            self.warning.text.text(),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        question.setObjectName("teamQueueWarning")
        switch_off = question.addButton(self.tr("Toch uitzetten"), QMessageBox.ButtonRole.AcceptRole)
        question.setDefaultButton(QMessageBox.StandardButton.Cancel)
        question.buttonClicked.connect(lambda button: button is switch_off and box.setChecked(False))
        question.open()

    def preferences(self) -> dict:
        """The preferences as the form shows them (without `version`, as `preferences.set` wants)."""
        result = {k: v for k, v in self._preferences.items() if k != "version"}
        result["team_queue_email"] = {team_id: box.isChecked() for team_id, box in self.team_boxes.items()}
        result["email_on_assigned"] = self.assigned.isChecked()
        result["email_on_added_to_case"] = self.added.isChecked()
        result["desktop_notifications"] = self.desktop.isChecked()
        return result

    def save(self) -> None:
        if self._save is None:
            return
        wanted = self.preferences()
        self.save_button.setEnabled(False)

        def done(result: Any) -> None:
            self.save_button.setEnabled(True)
            self._status = lambda: self.tr(
                "Opgeslagen. De dienst krijgt de wijziging meteen, of zodra er weer verbinding is."
            )
            self.status.setText(say(self._status))
            self.saved.emit()

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            show_failure(self, exc)

        self.runner.submit(lambda token: self._save(wanted), lane=Lane.CACHE, on_success=done, on_failure=failed)
