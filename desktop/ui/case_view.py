"""The case view (seed C5–C8, D3): header, steps, journal, tasks, coordinator and supporters.

Every action is offered exactly as the case's `capabilities` from the service say: a refused one
stays visible, disabled, with the reason as tooltip. Closed steps are read-only behind the
magnifier (seed C6). There is no delete; the help text says why (seed D3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import translate
from desktop.timefmt import local_time, parse_time
from desktop.ui import labels, theme
from desktop.ui.operations import Operation, OperationRunner
from desktop.ui.ops import WorkspaceRef, cases, tasks
from desktop.ui.case_dialogs import (  # noqa: F401 - ClosedStepDialog, NewTaskDialog: tests find them here
    ClosedStepDialog,
    CloseCaseDialog,
    CompleteStepDialog,
    NewTaskDialog,
    _case_tr,
)
from desktop.ui.case_people import PeopleCard, card
from desktop.ui.tasks import ForwardDialog
from desktop.ui.widgets import Notice, PageHeader, Retranslatable, Text, bind_capability, clear_layout, muted, say


CLOSED_CASE_REFUSES = frozenset(
    {"add_note", "complete_step", "close", "create_task", "add_supporter", "remove_supporter", "change_coordinator"}
)
NOTE_RECEIVED_LATER = dt.timedelta(minutes=5)  # a note's received time is shown beside its written one


def task_state(task: Any) -> str:
    if task.status == "queued":
        return _case_tr("In de werkbak van {team}").format(team=task.team_name or "")
    if task.status == "completed":
        return _case_tr("Afgerond")
    return _case_tr("Bij {name}").format(name=task.assignee_name or "")


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
        when = _case_tr("{written} (offline geschreven, ontvangen {received})").format(
            written=when, received=local_time(entry.get("created_at"))
        )
    layout.addWidget(muted(f"{author} · {when}"))
    text = QLabel(str(entry.get("text", "")))
    text.setWordWrap(True)
    text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(text)
    return holder


class CaseView(Retranslatable, QWidget):
    back_requested = Signal()
    changed = Signal(str)  # case id, after a local change was written

    def __init__(self, workspace: WorkspaceRef | None, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace  # None: a view that only shows (tests, screenshots)
        self.runner = runner
        self.case: dict = {}
        self.colleagues: list[Any] = []
        self._shown: tuple | None = None  # show_case's arguments: the case is drawn again in a new language
        self.from_search = False  # a search result: not in the cache, not refreshed from it
        self.is_online: Callable[[], bool] = lambda: False  # the desk's: reaches the service now
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll = scroll
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        self._layout = QVBoxLayout(body)
        self._layout.setContentsMargins(28, 16, 28, 20)
        self._layout.setSpacing(14)
        self.back = back = QPushButton()
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

        steps_card, self.steps_layout = card("")
        left.addWidget(steps_card)
        journal_card, journal = card("")
        self.journal_layout = QVBoxLayout()
        self.journal_layout.setSpacing(10)
        journal.addLayout(self.journal_layout)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)
        journal.addWidget(self.note)
        self.add_note_button = QPushButton(theme.icon("note"), "")
        self.add_note_button.clicked.connect(self._add_note)
        journal.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignRight)
        left.addWidget(journal_card)
        left.addStretch(1)

        self.people = PeopleCard(self.workspace, runner, self._run)
        self.people.replaced.connect(self._replaced)
        right.addWidget(self.people)

        tasks_card, tasks_box = card("")
        self.tasks_layout = QVBoxLayout()
        tasks_box.addLayout(self.tasks_layout)
        self.new_task_button = QPushButton(theme.icon("add"), "")
        self.new_task_button.clicked.connect(self._new_task)
        tasks_box.addWidget(self.new_task_button, 0, Qt.AlignmentFlag.AlignLeft)
        right.addWidget(tasks_card)

        actions_card, actions = card("")
        self.close_button = QPushButton(theme.icon("close-case"), "")
        self.close_button.clicked.connect(self._close_case)
        actions.addWidget(self.close_button)
        self.delete_button = QPushButton()
        actions.addWidget(self.delete_button)
        self.no_delete = muted("")
        actions.addWidget(self.no_delete)
        right.addWidget(actions_card)
        right.addStretch(1)
        self.card_titles = [c.layout().itemAt(0).widget() for c in (steps_card, journal_card, tasks_card, actions_card)]
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.back.setText(self.tr("← Terug naar de lijst"))
        for title, text in zip(
            self.card_titles, (self.tr("Zaakstappen"), self.tr("Journaal"), self.tr("Taken"), self.tr("Zaak"))
        ):
            title.setText(text)
            title.setAccessibleName(text)
        self.note.setPlaceholderText(self.tr("Nieuwe aantekening…"))
        self.note.setAccessibleName(self.tr("Nieuwe aantekening"))
        self.scroll.setAccessibleName(self.tr("Zaak"))  # a Tab stop: the arrow keys scroll the case
        self.add_note_button.setText(self.tr("Aantekening toevoegen"))
        self.new_task_button.setText(self.tr("Taak aanmaken…"))
        self.close_button.setText(self.tr("Zaak afsluiten…"))
        self.delete_button.setText(self.tr("Zaak verwijderen"))
        self.no_delete.setText(
            self.tr(
                "Een zaak kan niet worden verwijderd, zodat er geen dossiers verloren gaan. Is de zaak per vergissing "
                "aangemaakt? Sluit haar dan af met het resultaat 'Administratieve fout'."
            )
        )
        if self._shown is not None:  # the case's rows again, where the user had scrolled to
            position = self.scroll.verticalScrollBar().value()
            self.show_case(*self._shown, from_search=self.from_search)
            QTimer.singleShot(0, self.scroll, lambda: self.scroll.verticalScrollBar().setValue(position))

    # --- showing ------------------------------------------------------------------------------
    def show_case(
        self,
        case: dict,
        tasks: list[Any] = (),
        colleagues: list[Any] = (),
        pending_changes: int = 0,
        read_only_reason: Text = "",
        teams: list[Any] = (),
        *,
        from_search: bool = False,
    ) -> None:
        """Render `case` (the service's object). `read_only_reason` for a search result (seed C6)."""
        self._shown = (case, tasks, colleagues, pending_changes, read_only_reason, teams)
        self.from_search = from_search
        self.case = case
        self.colleagues = list(colleagues)
        self.teams = list(teams)
        caps = case.get("capabilities") or {}
        if case.get("status") == "closed":
            # Closed here and not yet sent: the service's capabilities still say "open"; the
            # service will refuse every edit of a closed case, so none is offered now.
            refused = {"allowed": False, "reason": "case-closed"}
            caps = {name: refused if name in CLOSED_CASE_REFUSES else verdict for name, verdict in caps.items()}
        status = (
            self.tr("Open")
            if case.get("status") == "open"
            else self.tr("Afgesloten ({outcome})").format(outcome=labels.outcome(case.get("outcome") or ""))
        )
        self.header.title.setText(self.tr("Zaak {number}").format(number=case.get("number", "")))
        citizens = ", ".join(c.get("name", "") for c in case.get("citizens") or [])
        self.header.set_subtitle(
            " · ".join(
                p
                for p in (
                    (case.get("case_type") or {}).get("name", ""),
                    citizens,
                    (case.get("group") or {}).get("name", ""),
                    status,
                )
                if p
            )
        )
        self.pending_notice.setVisible(pending_changes > 0)
        # What is true now: online the change is on its way (the view refreshes when it is in).
        self.pending_notice.set_text(
            self.tr("Uw wijzigingen aan deze zaak worden nu verstuurd.")
            if self.is_online()
            else self.tr(
                "Uw wijzigingen aan deze zaak zijn op dit apparaat bewaard en worden verstuurd zodra er verbinding is."
            )
        )
        self.read_only_notice.setVisible(bool(say(read_only_reason)))
        self.read_only_notice.set_text(read_only_reason)

        clear_layout(self.steps_layout, keep=1)
        for step in sorted(case.get("steps") or [], key=lambda s: s.get("position", 0)):
            self.steps_layout.addWidget(self._step_row(step, caps))
        clear_layout(self.journal_layout)
        for entry in sorted(
            case.get("journal") or [], key=lambda e: e.get("written_at") or e.get("created_at") or "", reverse=True
        ):
            self.journal_layout.addWidget(journal_entry(entry))
        if not case.get("journal"):
            self.journal_layout.addWidget(muted(self.tr("Nog geen aantekeningen.")))
        can_note = bind_capability(self.add_note_button, caps, "add_note")
        self.note.setEnabled(can_note)
        self.note.setToolTip(self.add_note_button.toolTip())

        self.people.show_people({**case, "capabilities": caps}, self.colleagues)

        clear_layout(self.tasks_layout)
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
        read_only = (
            ""
            if (case.get("capabilities") or {}).get("add_note", {}).get("allowed")
            else lambda: translate(
                "DesktopApp",
                "U bent geen zaakcoördinator of zaakondersteuner van deze zaak: u kunt alleen de afgesloten stappen inzien.",
            )
        )
        self.show_case(case, [], colleagues, 0, read_only, teams, from_search=True)

    def show_no_longer_member(self) -> None:
        """The case left the user's cache (removed as supporter, coordinator handed on, …): it stays
        on screen to read, with every action refused and why, until the user goes back."""
        case = dict(self.case)
        refused = {"allowed": False, "reason": "not-case-member"}
        case["capabilities"] = {
            name: (verdict if name in ("read", "read_closed_steps") else refused)
            for name, verdict in (case.get("capabilities") or {}).items()
        }
        self.show_case(
            case,
            [],
            self.colleagues,
            0,
            lambda: _case_tr(
                "U bent geen zaakcoördinator of zaakondersteuner meer van deze zaak; ze staat niet meer onder Mijn zaken."
            ),
            self.teams,
        )

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
        dialog.accepted.connect(
            lambda: self._run(
                cases.complete_step(
                    self, self.workspace, self.case["id"], step["id"], dialog.summary.toPlainText().strip()
                )
            )
        )
        dialog.open()

    def _forward_task(self, task: Any) -> None:
        dialog = ForwardDialog(self.colleagues, self.teams, self, task=task)

        def forward() -> None:
            kind, target = dialog.chosen()
            self._run(tasks.forward(self, self.workspace, task.id, note=dialog.note(), **{f"{kind}_id": target}))

        dialog.accepted.connect(forward)
        dialog.open()

    def _replaced(self, case: Any) -> None:
        if isinstance(case, dict) and case.get("id") == self.case.get("id"):
            self.show_case(
                case,
                [],
                self.colleagues,
                0,
                self._shown[4] if self._shown else "",
                self.teams,
                from_search=self.from_search,
            )
        self.changed.emit(self.case.get("id", ""))

    def _new_task(self) -> None:
        dialog = NewTaskDialog(self.colleagues, self.teams, self)
        dialog.accepted.connect(
            lambda: self._run(cases.create_task(self, self.workspace, self.case["id"], **dialog.values()))
        )
        dialog.open()

    def _close_case(self) -> None:
        dialog = CloseCaseDialog(self)
        dialog.accepted.connect(
            lambda: self._run(cases.close_case(self, self.workspace, self.case["id"], dialog.chosen()))
        )
        dialog.open()
