"""The case view's cards, each a widget that shows its part of the case and asks for the actions it
offers (the `CaseView` runs them): the steps, the journal with its note field, the tasks, and the
case's own actions (close; why there is no delete, seed D3). `PeopleCard` (case_people.py) is the
fifth. Their texts keep the translation context "CaseView", as before they were their own widgets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.timefmt import local_time, parse_time
from desktop.ui import scaling, theme
from desktop.ui.announce import announce
from desktop.ui.case_dialogs import ClosedStepDialog, _case_tr as _tr
from desktop.ui.widgets import Retranslatable, bind_capability, clear_layout, muted, section_title

NOTE_RECEIVED_LATER = dt.timedelta(minutes=5)  # a note's received time is shown beside its written one


def task_state(task: Any) -> str:
    if task.status == "queued":
        return _tr("In de werkbak van {team}").format(team=task.team_name or "")
    if task.status == "completed":
        return _tr("Afgerond")
    return _tr("Bij {name}").format(name=task.assignee_name or "")


def journal_entry(entry: dict) -> QWidget:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    author = (entry.get("author") or {}).get("display_name", "")
    written, received = parse_time(entry.get("written_at")), parse_time(entry.get("created_at"))
    when = local_time(entry.get("written_at") or entry.get("created_at"))
    if written is not None and received is not None and received - written > NOTE_RECEIVED_LATER:
        # Written offline: the time it was written, and when the service had it.
        when = _tr("{written} (offline geschreven, ontvangen {received})").format(
            written=when, received=local_time(entry.get("created_at"))
        )
    layout.addWidget(muted(f"{author} · {when}"))
    text = QLabel(str(entry.get("text", "")))
    text.setWordWrap(True)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(text)
    return holder


class CaseCard(Retranslatable, QFrame):
    """A titled card of the case view; `box` holds what comes under the title."""

    TITLE = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(16, 12, 16, 14)
        self.box.setSpacing(8)
        self.title = section_title("")
        self.box.addWidget(self.title)

    def retranslate_ui(self) -> None:
        self.title.setText(_tr(self.TITLE))
        self.title.setAccessibleName(self.title.text())


class StepsCard(CaseCard):
    """'Zaakstappen': open steps to complete, closed ones to read behind the magnifier (seed C6)."""

    TITLE = "Zaakstappen"
    complete_requested = Signal(dict)  # the step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.retranslate_ui()

    def show_steps(self, steps: list[dict], caps: dict) -> None:
        clear_layout(self.box, keep=1)
        for step in sorted(steps, key=lambda s: s.get("position", 0)):
            self.box.addWidget(self._step_row(step, caps))

    def _step_row(self, step: dict, caps: dict) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 2, 0, 2)
        mark = QLabel()
        closed = step.get("status") == "closed"
        mark.setPixmap(theme.icon("check" if closed else "clock").pixmap(QSize(scaling.px(18), scaling.px(18))))
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
            view.setAccessibleName(_tr("Afgesloten stap {name} inzien").format(name=step.get("name", "")))
            allowed = bind_capability(view, caps, "read_closed_steps", _tr("Inzien (alleen lezen)"))
            if allowed:
                view.clicked.connect(lambda checked=False, s=step: ClosedStepDialog(s, self).open())
            layout.addWidget(view)
        else:
            complete = QPushButton(_tr("Stap afronden"))
            complete.setAccessibleName(_tr("Stap {name} afronden").format(name=step.get("name", "")))
            if bind_capability(complete, caps, "complete_step"):
                complete.clicked.connect(lambda checked=False, s=step: self.complete_requested.emit(s))
            layout.addWidget(complete)
        return row


class JournalCard(CaseCard):
    """'Journaal': the notes, newest first, and the field to add one."""

    TITLE = "Journaal"
    note_added = Signal(str)  # the note's text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = QVBoxLayout()
        self.entries.setSpacing(10)
        self.box.addLayout(self.entries)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)
        self.box.addWidget(self.note)
        self.add_note_button = QPushButton(theme.icon("note"), "")
        self.add_note_button.clicked.connect(self._add_note)
        self.box.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignRight)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.note.setPlaceholderText(_tr("Nieuwe aantekening…"))
        self.note.setAccessibleName(_tr("Nieuwe aantekening"))
        self.add_note_button.setText(_tr("Aantekening toevoegen"))

    def show_journal(self, journal: list[dict], caps: dict) -> None:
        clear_layout(self.entries)
        for entry in sorted(journal, key=lambda e: e.get("written_at") or e.get("created_at") or "", reverse=True):
            self.entries.addWidget(journal_entry(entry))
        if not journal:
            self.entries.addWidget(muted(_tr("Nog geen aantekeningen.")))
        can_note = bind_capability(self.add_note_button, caps, "add_note")
        self.note.setEnabled(can_note)
        self.note.setToolTip(self.add_note_button.toolTip())

    def _add_note(self) -> None:
        text = self.note.toPlainText().strip()
        if not text:
            return
        self.note.clear()
        self.note_added.emit(text)
        # the only sign otherwise is a field emptied and, after the sync, a line in the journal
        announce(self, _tr("Aantekening toegevoegd"))


class TasksCard(CaseCard):
    """'Taken': the case's tasks, where each is, a forward button each, and a new task."""

    TITLE = "Taken"
    forward_requested = Signal(object)  # the task
    new_task_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = QVBoxLayout()
        self.box.addLayout(self.rows)
        self.new_task_button = QPushButton(theme.icon("add"), "")
        self.new_task_button.clicked.connect(self.new_task_requested)
        self.box.addWidget(self.new_task_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.new_task_button.setText(_tr("Taak aanmaken…"))

    def show_tasks(self, tasks: list[Any], caps: dict) -> None:
        clear_layout(self.rows)
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
            forward.setAccessibleName(_tr("Taak {name} doorsturen").format(name=task.type))
            if bind_capability(forward, task.capabilities, "forward", _tr("Doorsturen naar een collega of team")):
                forward.clicked.connect(lambda checked=False, t=task: self.forward_requested.emit(t))
            row_layout.addWidget(forward)
            self.rows.addWidget(row)
        if not tasks:
            self.rows.addWidget(muted(_tr("Geen open taken.")))
        bind_capability(self.new_task_button, caps, "create_task")


class CaseActionsCard(CaseCard):
    """'Zaak': close the case; delete is never offered, and the card says why (seed D3)."""

    TITLE = "Zaak"
    close_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.close_button = QPushButton(theme.icon("close-case"), "")
        self.close_button.clicked.connect(self.close_requested)
        self.box.addWidget(self.close_button)
        self.delete_button = QPushButton()
        self.box.addWidget(self.delete_button)
        self.no_delete = muted("")
        self.box.addWidget(self.no_delete)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        super().retranslate_ui()
        self.close_button.setText(_tr("Zaak afsluiten…"))
        self.delete_button.setText(_tr("Zaak verwijderen"))
        self.no_delete.setText(
            _tr(
                "Een zaak kan niet worden verwijderd, zodat er geen dossiers verloren gaan. Is de zaak per vergissing "
                "aangemaakt? Sluit haar dan af met het resultaat 'Administratieve fout'."
            )
        )

    def show_actions(self, caps: dict) -> None:
        bind_capability(self.close_button, caps, "close")
        bind_capability(self.delete_button, caps, "delete")
