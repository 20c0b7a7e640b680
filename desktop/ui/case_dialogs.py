"""The case view's dialogs: a closed step (read-only), closing a case, a new task, completing a step.
Their texts are the case view's (translation contexts as before they had a module of their own)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import translate
from desktop.timefmt import local_time
from desktop.ui import labels, theme
from desktop.ui.widgets import Retranslatable, muted


def _case_tr(text: str) -> str:
    return translate("CaseView", text)  # texts of the case view (translation context "CaseView")


def form_labels(form: QFormLayout, fields: tuple[Any, ...]) -> list[QLabel]:
    """Rows of `form` with empty labels, for `retranslate_ui` to fill."""
    labels_ = [QLabel() for _ in fields]
    for label, field in zip(labels_, fields):
        form.addRow(label, field)
    return labels_


def set_texts(widgets: list[QLabel], texts: tuple[str, ...]) -> None:
    for widget, text in zip(widgets, texts):
        widget.setText(text)


class ClosedStepDialog(Retranslatable, QDialog):
    """A closed step, read-only (seed C6)."""

    def __init__(self, step: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.closed_at = QLabel()
        closed_by = step.get("closed_by") or {}
        self.labels = form_labels(
            form, (QLabel(str(step.get("name", ""))), self.closed_at, QLabel(str(closed_by.get("display_name", ""))))
        )
        layout.addLayout(form)
        self.summary = QPlainTextEdit(str(step.get("summary") or ""))
        self.summary.setReadOnly(True)
        layout.addWidget(self.summary)
        self.hint = muted("")
        layout.addWidget(self.hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 360)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Afgesloten stap: {name}").format(name=self.step.get("name", "")))
        set_texts(self.labels, (self.tr("Stap"), self.tr("Afgesloten op"), self.tr("Afgesloten door")))
        self.closed_at.setText(local_time(self.step.get("closed_at")))
        self.summary.setAccessibleName(self.tr("Samenvatting (alleen lezen)"))
        self.hint.setText(self.tr("Afgesloten stappen kunt u alleen inzien, niet wijzigen."))


class CloseCaseDialog(Retranslatable, QDialog):
    """Close a case with an outcome; 'administratieve fout' for a case made by mistake (seed D3)."""

    OUTCOMES = ("afgerond", "doorverwezen", "ingetrokken", "administratieve_fout")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.intro = muted("")
        layout.addWidget(self.intro)
        self.outcome = QComboBox()
        for code in self.OUTCOMES:
            self.outcome.addItem("", code)
        layout.addWidget(self.outcome)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Zaak afsluiten"))
        self.intro.setText(
            self.tr(
                "Kies het resultaat. Een zaak die per vergissing is aangemaakt sluit u af "
                "met 'Administratieve fout'; een afgesloten zaak kan niet worden heropend."
            )
        )
        self.outcome.setAccessibleName(self.tr("Resultaat"))
        for row, code in enumerate(self.OUTCOMES):
            self.outcome.setItemText(row, labels.outcome(code))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Zaak afsluiten"))

    def chosen(self) -> str:
        return self.outcome.currentData()


class NewTaskDialog(Retranslatable, QDialog):
    """A task for a colleague, or for a team's work queue when it is not yet known who (seed T1–T3)."""

    def __init__(self, colleagues: list[Any], teams: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams = teams
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.task_type = QLineEdit()
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)  # Tab leaves the field (no keyboard trap, WCAG 2.1.2)
        self.description.setMaximumHeight(90)
        self.deadline = QDateEdit(QDate.currentDate().addDays(7))
        self.deadline.setCalendarPopup(True)
        self.target = QComboBox()
        for team in teams:
            self.target.addItem(theme.icon("work-queue"), "", ("team", team.id))
        for colleague in colleagues:
            self.target.addItem(theme.icon("person"), colleague.display_name, ("assignee", colleague.id))
        self.labels = form_labels(form, (self.task_type, self.description, self.deadline, self.target))
        layout.addLayout(form)
        self.hint = muted("")
        layout.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.task_type.textChanged.connect(self._validate)
        self._validate()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Taak aanmaken"))
        names = (self.tr("Soort taak"), self.tr("Omschrijving"), self.tr("Uiterlijk"), self.tr("Voor"))
        set_texts(self.labels, names)
        for field, name in zip((self.task_type, self.description, self.deadline, self.target), names):
            field.setAccessibleName(name)
        self.task_type.setPlaceholderText(self.tr("bijv. Uitvoeren medische keuring"))
        for row, team in enumerate(self._teams):
            self.target.setItemText(row, self.tr("Werkbak {team}").format(team=team.name))
        self.hint.setText(
            self.tr("Een taak in de werkbak gaat per e-mail naar iedereen in het team; wie tijd heeft pakt hem op.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Taak aanmaken"))

    def _validate(self) -> None:
        ok = bool(self.task_type.text().strip()) and self.target.count() > 0
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict:
        kind, target = self.target.currentData()
        return {
            "task_type": self.task_type.text().strip(),
            "description": self.description.toPlainText().strip() or None,
            "deadline": self.deadline.date().toString("yyyy-MM-dd"),
            f"{kind}_id": target,
        }


class CompleteStepDialog(Retranslatable, QDialog):
    """A summary of the step the user completes."""

    def __init__(self, step: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        layout = QVBoxLayout(self)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)  # Tab leaves the field (no keyboard trap, WCAG 2.1.2)
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_case_tr("Stap afronden: {name}").format(name=self.step.get("name", "")))
        self.summary.setPlaceholderText(_case_tr("Samenvatting van deze stap"))
        self.summary.setAccessibleName(_case_tr("Samenvatting"))
