"""The case view's people card (seed C7, C8): the coordinator and supporters, and changing them,
each offered as the case's capabilities say; an administrator's replacement with a reason."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.cache.queries import coordinator_candidates
from desktop.i18n import translate
from desktop.ui import labels, scaling, theme
from desktop.ui.operations import Operation, OperationRunner
from desktop.ui.ops import WorkspaceRef, cases
from desktop.ui.widgets import Retranslatable, Text, bind_capability, clear_layout, muted, say, section_title


def card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 14)
    layout.setSpacing(8)
    layout.addWidget(section_title(title))
    return frame, layout


def _tr(text: str) -> str:
    return translate("CaseView", text)  # the case view's texts, as before this card was its own widget


class ColleagueDialog(Retranslatable, QDialog):
    """Choose a colleague. `title` and `ok_text` are source texts of context "CaseView";
    `explanation` the rule, `consequence(name)` what choosing `name` means for the others (seed C7)."""

    def __init__(
        self,
        title: str,
        colleagues: list[Any],
        exclude: set[str],
        parent: QWidget | None = None,
        explanation: Text = "",
        consequence: Callable[[str], str] | None = None,
        ok_text: str = "",
    ) -> None:
        super().__init__(parent)
        self._title, self._explanation, self._consequence, self._ok_text = title, explanation, consequence, ok_text
        layout = QVBoxLayout(self)
        self.explanation = muted("")
        self.explanation.setVisible(bool(explanation))
        layout.addWidget(self.explanation)
        self.choice = QComboBox()
        for colleague in colleagues:
            if colleague.id not in exclude:
                self.choice.addItem(colleague.display_name, colleague.id)
        layout.addWidget(self.choice)
        self.consequence = QLabel()
        self.consequence.setWordWrap(True)
        self.consequence.setObjectName("roleChangeConsequence")
        self.consequence.setVisible(consequence is not None)
        layout.addWidget(self.consequence)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.choice.currentIndexChanged.connect(self._explain)
        self.retranslate_ui()
        self.resize(460, self.sizeHint().height())

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_tr(self._title))
        self.choice.setAccessibleName(self.tr("Collega"))
        self.explanation.setText(say(self._explanation))
        if self._ok_text:
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr(self._ok_text))
        self._explain()

    def _explain(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.choice.count() > 0)
        if self._consequence is not None:
            self.consequence.setText(self._consequence(self.choice.currentText()) if self.choice.count() else "")

    def chosen(self) -> str | None:
        return self.choice.currentData()


ROLE_RULE = QT_TRANSLATE_NOOP(
    "CaseView",
    "Alleen de zaakcoördinator en de zaakondersteuners van een zaak kunnen de zaakcoördinator wijzigen "
    "en zaakondersteuners toevoegen of verwijderen. Een zaak heeft altijd precies één zaakcoördinator.",
)


class RemoveSupporterBox(Retranslatable, QMessageBox):
    """Asks before a supporter goes, saying what he or she loses (seed C7); `remove_button` means go."""

    def __init__(self, parent: QWidget, name: str, number: str) -> None:
        super().__init__(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Cancel, parent)
        self._name, self._number = name, number
        self.setObjectName("roleChangeConfirmation")
        self.remove_button = self.addButton("", QMessageBox.ButtonRole.AcceptRole)
        self.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter does not remove anyone
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_tr("Zaakondersteuner verwijderen"))
        self.setText(
            _tr("{name} verwijderen als zaakondersteuner van zaak {number}?").format(
                name=self._name, number=self._number
            )
        )
        self.setInformativeText(
            _tr(
                "{name} kan de zaak dan niet meer bewerken en ziet haar niet meer onder Mijn zaken. "
                "Een zaakcoördinator of zaakondersteuner kan {name} later weer toevoegen."
            ).format(name=self._name)
            + "\n\n"
            + _tr(ROLE_RULE)
        )
        self.remove_button.setText(_tr("Verwijderen"))


def confirm_remove_supporter(parent: QWidget, name: str, number: str) -> RemoveSupporterBox:
    return RemoveSupporterBox(parent, name, number)


class ReplaceCoordinatorDialog(Retranslatable, QDialog):
    """Local administrator or helpdesk: replace the coordinator of a case they are not part of,
    with a written reason that the service records in the audit log (a decision of the domain)."""

    MIN_REASON = 10

    def __init__(
        self, colleagues: list[Any], current: str | None, parent: QWidget | None = None, current_name: str = ""
    ) -> None:
        super().__init__(parent)
        self._current_name = current_name
        layout = QVBoxLayout(self)
        self.intro = muted("")
        layout.addWidget(self.intro)
        self.consequence = QLabel()  # what the replaced coordinator loses (seed C7)
        self.consequence.setWordWrap(True)
        self.consequence.setVisible(bool(current_name))
        layout.addWidget(self.consequence)
        self.choice = QComboBox()
        for colleague in colleagues:
            if colleague.id != current:
                self.choice.addItem(colleague.display_name, colleague.id)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)  # Tab leaves the field (no keyboard trap, WCAG 2.1.2)
        self.reason.setMaximumHeight(90)
        layout.addWidget(self.choice)
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.textChanged.connect(self._validate)
        self._validate()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Zaakcoördinator vervangen (beheer)"))
        self.intro.setText(
            self.tr(
                "Alleen als de zaak anders blijft liggen, bijvoorbeeld omdat de coördinator het team heeft verlaten. "
                "De reden wordt vastgelegd in de audittrail."
            )
        )
        self.choice.setAccessibleName(self.tr("Nieuwe zaakcoördinator"))
        self.consequence.setText(
            _tr(
                "{old} is dan geen zaakcoördinator meer, kan de zaak niet meer bewerken en "
                "ziet haar niet meer onder Mijn zaken."
            ).format(old=self._current_name)
        )
        self.reason.setAccessibleName(self.tr("Reden"))
        self.reason.setPlaceholderText(self.tr("Reden (verplicht)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Vervangen"))

    def _validate(self) -> None:
        ok = len(self.reason.toPlainText().strip()) >= self.MIN_REASON and self.choice.count() > 0
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


class PeopleCard(Retranslatable, QFrame):
    """'Betrokkenen': who holds the case, and the buttons to change that."""

    replaced = Signal(object)  # the case as the service returned it after an administrator's replacement

    def __init__(
        self,
        workspace: WorkspaceRef | None,
        runner: OperationRunner,
        run: Callable[[Operation], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.workspace, self.runner, self._run = workspace, runner, run
        self.case: dict = {}
        self.colleagues: list[Any] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 14)
        layout.setSpacing(8)
        self.title = section_title("")
        layout.addWidget(self.title)
        self.people_layout = QGridLayout()
        self.people_layout.setHorizontalSpacing(8)
        layout.addLayout(self.people_layout)
        self.add_supporter_button = QPushButton(theme.icon("add"), "")
        self.add_supporter_button.clicked.connect(self._add_supporter)
        layout.addWidget(self.add_supporter_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.admin_replace_button = QPushButton(theme.icon("admin"), "")
        self.admin_replace_button.clicked.connect(self._admin_replace)
        self.admin_replace_button.hide()
        layout.addWidget(self.admin_replace_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.title.setText(_tr("Betrokkenen"))
        self.title.setAccessibleName(self.title.text())
        self.add_supporter_button.setText(_tr("Zaakondersteuner toevoegen"))
        self.admin_replace_button.setText(_tr("Zaakcoördinator vervangen (beheer)…"))
        if self.case:
            self.show_people(self.case, self.colleagues)

    def show_people(self, case: dict, colleagues: list[Any]) -> None:
        self.case, self.colleagues = case, colleagues
        caps = case.get("capabilities") or {}
        clear_layout(self.people_layout)
        self._person_row(0, labels.case_role("coordinator"), case.get("coordinator") or {}, "change_coordinator", caps)
        for row, supporter in enumerate(case.get("supporters") or [], start=1):
            self._person_row(row, labels.case_role("supporter"), supporter, "remove_supporter", caps)
        bind_capability(self.add_supporter_button, caps, "add_supporter")
        # An administrator's extra, shown only to whom it applies (everyone else would see noise).
        self.admin_replace_button.setVisible(bool((caps.get("admin_replace_coordinator") or {}).get("allowed")))

    def _person_row(self, row: int, role: str, who: dict, action: str, caps: dict) -> None:
        icon = QLabel()
        icon.setPixmap(theme.icon("person").pixmap(QSize(scaling.px(18), scaling.px(18))))
        text = QLabel(f"{who.get('display_name', '')}<br><span style='font-size: small'>{role}</span>")
        self.people_layout.addWidget(icon, row, 0)
        self.people_layout.addWidget(text, row, 1)
        button = QToolButton()
        button.setAutoRaise(True)
        if action == "change_coordinator":
            button.setIcon(theme.icon("people"))
            button.setAccessibleName(_tr("Zaakcoördinator wijzigen"))
            if bind_capability(button, caps, action, _tr("Zaakcoördinator wijzigen")):
                button.clicked.connect(self._change_coordinator)
        else:
            button.setIcon(theme.icon("remove"))
            button.setAccessibleName(
                _tr("{name} verwijderen als zaakondersteuner").format(name=who.get("display_name", ""))
            )
            if bind_capability(button, caps, action, _tr("Verwijderen als zaakondersteuner")):
                button.clicked.connect(lambda checked=False, w=who: self._remove_supporter(w))
        self.people_layout.addWidget(button, row, 2)
        self.people_layout.setColumnStretch(1, 1)

    def _admin_replace(self) -> None:
        coordinator = self.case.get("coordinator") or {}
        dialog = ReplaceCoordinatorDialog(
            self._coordinator_candidates(), coordinator.get("id"), self, str(coordinator.get("display_name") or "")
        )
        case_id = self.case.get("id", "")

        def replace() -> None:
            user_id, reason = dialog.choice.currentData(), dialog.reason.toPlainText().strip()
            cases.replace_coordinator(self, self.workspace, case_id, user_id, reason).success(
                self.replaced.emit
            ).run_in(self.runner)

        dialog.accepted.connect(replace)
        dialog.open()

    def _add_supporter(self) -> None:
        members = {(self.case.get("coordinator") or {}).get("id")} | {
            s.get("id") for s in self.case.get("supporters") or []
        }
        dialog = ColleagueDialog(
            QT_TRANSLATE_NOOP("CaseView", "Zaakondersteuner toevoegen"),
            self.colleagues,
            members,
            self,
            explanation=lambda: (
                _tr("Een zaakondersteuner kan de zaak bewerken en ziet haar onder Mijn zaken.") + " " + _tr(ROLE_RULE)
            ),
            ok_text=QT_TRANSLATE_NOOP("CaseView", "Toevoegen"),
        )
        dialog.accepted.connect(
            lambda: (
                dialog.chosen()
                and self._run(cases.add_supporter(self, self.workspace, self.case["id"], dialog.chosen()))
            )
        )
        dialog.open()

    def _remove_supporter(self, who: dict) -> None:
        case_id, user_id = self.case["id"], who.get("id")
        box = confirm_remove_supporter(self, str(who.get("display_name", "")), str(self.case.get("number", "")))
        box.remove_button.clicked.connect(
            lambda: self._run(cases.remove_supporter(self, self.workspace, case_id, user_id))
        )
        box.open()

    def _coordinator_candidates(self) -> list[Any]:
        """Only colleagues who may work on this case type can be named (the service refuses others)."""
        return coordinator_candidates(self.colleagues, (self.case.get("case_type") or {}).get("id"))

    def _change_coordinator(self) -> None:
        coordinator = self.case.get("coordinator") or {}
        old = str(coordinator.get("display_name", ""))

        def consequence(new: str) -> str:
            return _tr(
                "{new} wordt zaakcoördinator: de zaak komt op naam van {new}. {old} is dan geen zaakcoördinator "
                "meer, kan de zaak niet meer bewerken en ziet haar niet meer onder Mijn zaken. Wie nu "
                "zaakondersteuner is, blijft dat."
            ).format(new=new, old=old)

        dialog = ColleagueDialog(
            QT_TRANSLATE_NOOP("CaseView", "Zaakcoördinator wijzigen"),
            self._coordinator_candidates(),
            {coordinator.get("id")},
            self,
            explanation=lambda: _tr(ROLE_RULE),
            consequence=consequence,
            ok_text=QT_TRANSLATE_NOOP("CaseView", "Zaakcoördinator wijzigen"),
        )
        dialog.setObjectName("roleChangeConfirmation")
        dialog.accepted.connect(
            lambda: (
                dialog.chosen()
                and self._run(cases.set_coordinator(self, self.workspace, self.case["id"], dialog.chosen()))
            )
        )
        dialog.open()
