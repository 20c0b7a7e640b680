"""The case view (seed C5–C8, D3): header, steps, journal, tasks, coordinator and supporters.

Every action is offered exactly as the case's `capabilities` from the service say: a refused one
stays visible, disabled, with the reason as tooltip. Closed steps are read-only behind the
magnifier (seed C6). There is no delete; the help text says why (seed D3).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit,
    QPlainTextEdit,
    QPushButton, QScrollArea, QToolButton, QVBoxLayout, QWidget,
)

from desktop.i18n import translate
from desktop.timefmt import local_time, parse_time
from desktop.ui import labels, theme
from desktop.ui.operations import Operation, OperationRunner
from desktop.ui.ops import WorkspaceRef, cases, tasks
from desktop.ui.case_people import PeopleCard, card
from desktop.ui.tasks import ForwardDialog
from desktop.ui.widgets import Notice, PageHeader, bind_capability, muted


CLOSED_CASE_REFUSES = frozenset({"add_note", "complete_step", "close", "create_task", "add_supporter",
                                 "remove_supporter", "change_coordinator"})
NOTE_RECEIVED_LATER = dt.timedelta(minutes=5)  # a note's received time is shown beside its written one


class ClosedStepDialog(QDialog):
    """A closed step, read-only (seed C6)."""

    def __init__(self, step: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Afgesloten stap: {name}").format(name=step.get("name", "")))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow(self.tr("Stap"), QLabel(str(step.get("name", ""))))
        form.addRow(self.tr("Afgesloten op"), QLabel(local_time(step.get("closed_at"))))
        closed_by = step.get("closed_by") or {}
        form.addRow(self.tr("Afgesloten door"), QLabel(str(closed_by.get("display_name", ""))))
        layout.addLayout(form)
        summary = QPlainTextEdit(str(step.get("summary") or ""))
        summary.setReadOnly(True)
        summary.setAccessibleName(self.tr("Samenvatting (alleen lezen)"))
        layout.addWidget(summary)
        layout.addWidget(muted(self.tr("Afgesloten stappen kunt u alleen inzien, niet wijzigen.")))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, 360)


class CloseCaseDialog(QDialog):
    """Close a case with an outcome; 'administratieve fout' for a case made by mistake (seed D3)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Zaak afsluiten"))
        layout = QVBoxLayout(self)
        layout.addWidget(muted(self.tr("Kies het resultaat. Een zaak die per vergissing is aangemaakt sluit u af "
                                       "met 'Administratieve fout'; een afgesloten zaak kan niet worden heropend.")))
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(self.tr("Resultaat"))
        for code in ("afgerond", "doorverwezen", "ingetrokken", "administratieve_fout"):
            self.outcome.addItem(labels.outcome(code), code)
        layout.addWidget(self.outcome)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Zaak afsluiten"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> str:
        return self.outcome.currentData()


class NewTaskDialog(QDialog):
    """A task for a colleague, or for a team's work queue when it is not yet known who (seed T1–T3)."""

    def __init__(self, colleagues: list[Any], teams: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Taak aanmaken"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.task_type = QLineEdit()
        self.task_type.setAccessibleName(self.tr("Soort taak"))
        self.task_type.setPlaceholderText(self.tr("bijv. Uitvoeren medische keuring"))
        self.description = QPlainTextEdit()
        self.description.setAccessibleName(self.tr("Omschrijving"))
        self.description.setMaximumHeight(90)
        self.deadline = QDateEdit(QDate.currentDate().addDays(7))
        self.deadline.setCalendarPopup(True)
        self.deadline.setAccessibleName(self.tr("Uiterlijk"))
        self.target = QComboBox()
        self.target.setAccessibleName(self.tr("Voor"))
        for team in teams:
            self.target.addItem(theme.icon("work-queue"), self.tr("Werkbak {team}").format(team=team.name), ("team", team.id))
        for colleague in colleagues:
            self.target.addItem(theme.icon("person"), colleague.display_name, ("assignee", colleague.id))
        form.addRow(self.tr("Soort taak"), self.task_type)
        form.addRow(self.tr("Omschrijving"), self.description)
        form.addRow(self.tr("Uiterlijk"), self.deadline)
        form.addRow(self.tr("Voor"), self.target)
        layout.addLayout(form)
        layout.addWidget(muted(self.tr("Een taak in de werkbak gaat per e-mail naar iedereen in het team; wie tijd heeft pakt hem op.")))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Taak aanmaken"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.task_type.textChanged.connect(self._validate)
        self._validate()

    def _validate(self) -> None:
        ok = bool(self.task_type.text().strip()) and self.target.count() > 0
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def values(self) -> dict:
        kind, target = self.target.currentData()
        return {"task_type": self.task_type.text().strip(), "description": self.description.toPlainText().strip() or None,
                "deadline": self.deadline.date().toString("yyyy-MM-dd"), f"{kind}_id": target}


class CompleteStepDialog(QDialog):
    """A summary of the step the user completes."""

    def __init__(self, step: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_case_tr("Stap afronden: {name}").format(name=step.get("name", "")))
        layout = QVBoxLayout(self)
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText(_case_tr("Samenvatting van deze stap"))
        self.summary.setAccessibleName(_case_tr("Samenvatting"))
        layout.addWidget(self.summary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def _case_tr(text: str) -> str:
    return translate("CaseView", text)  # texts of the case view (translation context "CaseView")


def task_state(task: Any) -> str:
    if task.status == "queued":
        return _case_tr("In de werkbak van {team}").format(team=task.team_name or "")
    if task.status == "completed":
        return _case_tr("Afgerond")
    return _case_tr("Bij {name}").format(name=task.assignee_name or "")


class CaseView(QWidget):
    back_requested = Signal()
    changed = Signal(str)  # case id, after a local change was written

    def __init__(self, workspace: WorkspaceRef | None, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace  # None: a view that only shows (tests, screenshots)
        self.runner = runner
        self.case: dict = {}
        self.colleagues: list[Any] = []
        self.from_search = False  # a search result: not in the cache, not refreshed from it
        self.is_online: Callable[[], bool] = lambda: False  # the desk's: reaches the service now
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(28, 16, 28, 20)
        self._layout.setSpacing(14)
        back = QPushButton(self.tr("← Terug naar de lijst"))
        back.setFlat(True)
        back.setShortcut("Alt+Left")
        back.clicked.connect(self.back_requested)
        self._layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        self.header = PageHeader("")
        self._layout.addWidget(self.header)
        self.pending_notice = Notice("", "sync")
        self.pending_notice.hide()
        self._layout.addWidget(self.pending_notice)
        self.read_only_notice = Notice("", "info")
        self.read_only_notice.hide()
        self._layout.addWidget(self.read_only_notice)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        left = QVBoxLayout()
        left.setSpacing(14)
        right = QVBoxLayout()
        right.setSpacing(14)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self._layout.addLayout(columns)
        self._layout.addStretch(1)

        steps_card, self.steps_layout = card(self.tr("Zaakstappen"))
        left.addWidget(steps_card)
        journal_card, journal = card(self.tr("Journaal"))
        self.journal_layout = QVBoxLayout()
        self.journal_layout.setSpacing(10)
        journal.addLayout(self.journal_layout)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(self.tr("Nieuwe aantekening…"))
        self.note.setAccessibleName(self.tr("Nieuwe aantekening"))
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)
        journal.addWidget(self.note)
        self.add_note_button = QPushButton(theme.icon("note"), self.tr("Aantekening toevoegen"))
        self.add_note_button.clicked.connect(self._add_note)
        journal.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignRight)
        left.addWidget(journal_card)
        left.addStretch(1)

        self.people = PeopleCard(self.workspace, runner, self._run)
        self.people.replaced.connect(self._replaced)
        right.addWidget(self.people)

        tasks_card, tasks_box = card(self.tr("Taken"))
        self.tasks_layout = QVBoxLayout()
        tasks_box.addLayout(self.tasks_layout)
        self.new_task_button = QPushButton(theme.icon("add"), self.tr("Taak aanmaken…"))
        self.new_task_button.clicked.connect(self._new_task)
        tasks_box.addWidget(self.new_task_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(tasks_card)

        actions_card, actions = card(self.tr("Zaak"))
        self.close_button = QPushButton(theme.icon("close-case"), self.tr("Zaak afsluiten…"))
        self.close_button.clicked.connect(self._close_case)
        actions.addWidget(self.close_button)
        self.delete_button = QPushButton(self.tr("Zaak verwijderen"))
        actions.addWidget(self.delete_button)
        actions.addWidget(muted(self.tr(
            "Een zaak kan niet worden verwijderd, zodat er geen dossiers verloren gaan. Is de zaak per vergissing "
            "aangemaakt? Sluit haar dan af met het resultaat 'Administratieve fout'.")))
        right.addWidget(actions_card)
        right.addStretch(1)

    # --- showing ------------------------------------------------------------------------------
    def show_case(self, case: dict, tasks: list[Any] = (), colleagues: list[Any] = (), pending_changes: int = 0,
                  read_only_reason: str = "", teams: list[Any] = ()) -> None:
        """Render `case` (the service's object). `read_only_reason` for a search result (seed C6)."""
        self.from_search = False
        self.case = case
        self.colleagues = list(colleagues)
        self.teams = list(teams)
        caps = case.get("capabilities") or {}
        if case.get("status") == "closed":
            # Closed here and not yet sent: the service's capabilities still say "open"; the
            # service will refuse every edit of a closed case, so none is offered now.
            refused = {"allowed": False, "reason": "case-closed"}
            caps = {name: refused if name in CLOSED_CASE_REFUSES else verdict for name, verdict in caps.items()}
        status = self.tr("Open") if case.get("status") == "open" else self.tr("Afgesloten ({outcome})").format(
            outcome=labels.outcome(case.get("outcome") or ""))
        self.header.title.setText(self.tr("Zaak {number}").format(number=case.get("number", "")))
        citizens = ", ".join(c.get("name", "") for c in case.get("citizens") or [])
        self.header.set_subtitle(" · ".join(p for p in (
            (case.get("case_type") or {}).get("name", ""), citizens, (case.get("group") or {}).get("name", ""), status) if p))
        self.pending_notice.setVisible(pending_changes > 0)
        # What is true now: online the change is on its way (the view refreshes when it is in).
        self.pending_notice.set_text(self.tr("Uw wijzigingen aan deze zaak worden nu verstuurd.") if self.is_online()
                                     else self.tr("Uw wijzigingen aan deze zaak zijn op dit apparaat bewaard en worden verstuurd zodra er verbinding is."))
        self.read_only_notice.setVisible(bool(read_only_reason))
        self.read_only_notice.set_text(read_only_reason)

        self._clear(self.steps_layout, keep=1)
        for step in sorted(case.get("steps") or [], key=lambda s: s.get("position", 0)):
            self.steps_layout.addWidget(self._step_row(step, caps))
        self._clear(self.journal_layout)
        for entry in sorted(case.get("journal") or [], key=lambda e: e.get("written_at") or e.get("created_at") or "",
                            reverse=True):
            self.journal_layout.addWidget(self._journal_entry(entry))
        if not case.get("journal"):
            self.journal_layout.addWidget(muted(self.tr("Nog geen aantekeningen.")))
        can_note = bind_capability(self.add_note_button, caps, "add_note")
        self.note.setEnabled(can_note)
        self.note.setToolTip(self.add_note_button.toolTip())

        self.people.show_people({**case, "capabilities": caps}, self.colleagues)

        self._clear(self.tasks_layout)
        for task in tasks:
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            line = QLabel(f"<b>{task.type}</b><br><span>{task_state(task)}</span>")
            line.setWordWrap(True)
            row_layout.addWidget(line, 1)
            forward = QToolButton()
            forward.setIcon(theme.icon("forward"))
            forward.setAutoRaise(True)
            forward.setAccessibleName(self.tr("Taak {name} doorsturen").format(name=task.type))
            if bind_capability(forward, task.capabilities, "forward", self.tr("Doorsturen naar een collega of team")):
                forward.clicked.connect(lambda checked=False, t=task: self._forward_task(t))
            row_layout.addWidget(forward)
            self.tasks_layout.addWidget(row)
        if not tasks:
            self.tasks_layout.addWidget(muted(self.tr("Geen open taken.")))
        bind_capability(self.new_task_button, caps, "create_task")
        bind_capability(self.close_button, caps, "close")
        bind_capability(self.delete_button, caps, "delete")

    def show_search_result(self, case: dict, colleagues: list[Any], teams: list[Any]) -> None:
        """A case found by search: read-only, with why, unless the user is a member (seed C6)."""
        read_only = "" if (case.get("capabilities") or {}).get("add_note", {}).get("allowed") else translate("DesktopApp",
            "U bent geen zaakcoördinator of zaakondersteuner van deze zaak: u kunt alleen de afgesloten stappen inzien.")
        self.show_case(case, [], colleagues, 0, read_only, teams)
        self.from_search = True

    def show_no_longer_member(self) -> None:
        """The case left the user's cache (removed as supporter, coordinator handed on, …): it stays
        on screen to read, with every action refused and why, until the user goes back."""
        case = dict(self.case)
        refused = {"allowed": False, "reason": "not-case-member"}
        case["capabilities"] = {name: (verdict if name in ("read", "read_closed_steps") else refused)
                                for name, verdict in (case.get("capabilities") or {}).items()}
        self.show_case(case, [], self.colleagues, 0, self.tr(
            "U bent geen zaakcoördinator of zaakondersteuner meer van deze zaak; ze staat niet meer onder Mijn zaken."),
            self.teams)

    def _step_row(self, step: dict, caps: dict) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        mark = QLabel()
        closed = step.get("status") == "closed"
        mark.setPixmap(theme.icon("check" if closed else "clock").pixmap(QSize(18, 18)))
        name = QLabel(str(step.get("name", "")))
        if not closed:
            name.setStyleSheet("font-weight: 600;")
        layout.addWidget(mark)
        layout.addWidget(name, 1)
        if closed:
            when = muted(local_time(step.get("closed_at")))
            layout.addWidget(when)
            view = QToolButton()
            view.setIcon(theme.icon("magnifier"))
            view.setAutoRaise(True)
            view.setAccessibleName(self.tr("Afgesloten stap {name} inzien").format(name=step.get("name", "")))
            allowed = bind_capability(view, caps, "read_closed_steps", self.tr("Inzien (alleen lezen)"))
            if allowed:
                view.clicked.connect(lambda checked=False, s=step: ClosedStepDialog(s, self).open())
            layout.addWidget(view)
        else:
            complete = QPushButton(self.tr("Stap afronden"))
            complete.setAccessibleName(self.tr("Stap {name} afronden").format(name=step.get("name", "")))
            if bind_capability(complete, caps, "complete_step"):
                complete.clicked.connect(lambda checked=False, s=step: self._complete_step(s))
            layout.addWidget(complete)
        return row

    def _journal_entry(self, entry: dict) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        author = (entry.get("author") or {}).get("display_name", "")
        written, received = parse_time(entry.get("written_at")), parse_time(entry.get("created_at"))
        when = local_time(entry.get("written_at") or entry.get("created_at"))
        if written is not None and received is not None and received - written > NOTE_RECEIVED_LATER:
            # Written offline: the time it was written, and when the service had it.
            when = self.tr("{written} (offline geschreven, ontvangen {received})").format(
                written=when, received=local_time(entry.get("created_at")))
        layout.addWidget(muted(f"{author} · {when}"))
        text = QLabel(str(entry.get("text", "")))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        return holder

    @staticmethod
    def _clear(layout: Any, keep: int = 0) -> None:
        while layout.count() > keep:
            item = layout.takeAt(keep)
            if item.widget() is not None:
                item.widget().deleteLater()

    # --- acting -------------------------------------------------------------------------------
    def _run(self, operation: Operation) -> None:
        case_id = self.case.get("id", "")
        operation.success(lambda result: self.changed.emit(case_id)).run_in(self.runner)

    def _add_note(self) -> None:
        text = self.note.toPlainText().strip()
        if not text:
            return
        self.note.clear()
        self._run(cases.add_note(self, self.workspace, self.case["id"], text))

    def _complete_step(self, step: dict) -> None:
        dialog = CompleteStepDialog(step, self)
        dialog.accepted.connect(lambda: self._run(
            cases.complete_step(self, self.workspace, self.case["id"], step["id"], dialog.summary.toPlainText().strip())))
        dialog.open()

    def _forward_task(self, task: Any) -> None:
        dialog = ForwardDialog(self.colleagues, self.teams, self)

        def forward() -> None:
            kind, target = dialog.chosen()
            self._run(tasks.forward(self, self.workspace, task.id, **{f"{kind}_id": target}))

        dialog.accepted.connect(forward)
        dialog.open()

    def _replaced(self, case: Any) -> None:
        if isinstance(case, dict) and case.get("id") == self.case.get("id"):
            from_search = self.from_search
            self.show_case(case, [], self.colleagues, 0, self.read_only_notice.text.text() if self.read_only_notice.isVisibleTo(self) else "",
                           self.teams)
            self.from_search = from_search
        self.changed.emit(self.case.get("id", ""))

    def _new_task(self) -> None:
        dialog = NewTaskDialog(self.colleagues, self.teams, self)
        dialog.accepted.connect(lambda: self._run(cases.create_task(self, self.workspace, self.case["id"], **dialog.values())))
        dialog.open()

    def _close_case(self) -> None:
        dialog = CloseCaseDialog(self)
        dialog.accepted.connect(lambda: self._run(cases.close_case(self, self.workspace, self.case["id"], dialog.chosen())))
        dialog.open()
