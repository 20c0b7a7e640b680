"""The case view (seed C5–C8, D3): header, steps, journal, tasks, coordinator and supporters.

The view holds the header and its notices, and runs the actions its cards ask for (case_cards.py:
steps, journal, tasks, the case's own actions; case_people.py: who holds the case).

Every action is offered exactly as the case's `capabilities` from the service say: a refused one
stays visible, disabled, with the reason as tooltip. Closed steps are read-only behind the
magnifier (seed C6). There is no delete; the help text says why (seed D3).
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop.i18n import translate
from desktop.ui import labels, tab_order
from desktop.ui.operations import Operation, OperationRunner
from desktop.ui.ops import WorkspaceRef, cases, tasks
from desktop.ui.case_dialogs import (  # noqa: F401 - ClosedStepDialog, NewTaskDialog: tests find them here
    ClosedStepDialog,
    CloseCaseDialog,
    CompleteStepDialog,
    NewTaskDialog,
    _case_tr,
)
from desktop.ui.case_cards import CaseActionsCard, JournalCard, StepsCard, TasksCard
from desktop.ui.case_people import PeopleCard
from desktop.ui.tasks import ask_forward
from desktop.ui.widgets import Notice, PageHeader, Retranslatable, Text, say


CLOSED_CASE_REFUSES = frozenset(
    {"add_note", "complete_step", "close", "create_task", "add_supporter", "remove_supporter", "change_coordinator"}
)


class CaseView(Retranslatable, QWidget):
    back_requested = Signal()
    changed = Signal(str)  # case id, after a local change was written

    def __init__(
        self,
        workspace: WorkspaceRef | None,
        runner: OperationRunner,
        parent: QWidget | None = None,
        people: Callable[[], tuple[list[Any], list[Any], list[str]]] | None = None,
    ) -> None:
        super().__init__(parent)
        # Whom a task can go to: the desk's (as the Werkbak's: recent colleagues first), else the case's.
        self.forward_choices = people or (lambda: (self.colleagues, self.teams, []))
        self.workspace = workspace  # None: a view that only shows (tests, screenshots)
        self.runner = runner
        self.case: dict = {}
        self.colleagues: list[Any] = []
        self.teams: list[Any] = []
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

        self.steps_card = StepsCard()
        self.steps_card.complete_requested.connect(self._complete_step)
        left.addWidget(self.steps_card)
        self.journal_card = JournalCard()
        self.journal_card.note_added.connect(self._add_note)
        self.note, self.add_note_button = self.journal_card.note, self.journal_card.add_note_button
        left.addWidget(self.journal_card)
        left.addStretch(1)

        self.people = PeopleCard(self.workspace, runner, self._run)
        self.people.replaced.connect(self._replaced)
        right.addWidget(self.people)
        self.tasks_card = TasksCard()
        self.tasks_card.forward_requested.connect(self._forward_task)
        self.tasks_card.new_task_requested.connect(self._new_task)
        self.new_task_button = self.tasks_card.new_task_button
        right.addWidget(self.tasks_card)
        self.actions_card = CaseActionsCard()
        self.actions_card.close_requested.connect(self._close_case)
        self.close_button, self.delete_button = self.actions_card.close_button, self.actions_card.delete_button
        right.addWidget(self.actions_card)
        right.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.back.setText(self.tr("← Terug naar de lijst"))
        self.scroll.setAccessibleName(self.tr("Zaak"))  # a Tab stop: the arrow keys scroll the case
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

        self.steps_card.show_steps(case.get("steps") or [], caps)
        self.journal_card.show_journal(case.get("journal") or [], caps)
        self.people.show_people({**case, "capabilities": caps}, self.colleagues)
        self.tasks_card.show_tasks(tasks, caps)
        self.actions_card.show_actions(caps)
        tab_order.chain(self._layout.parentWidget())  # the rows just made: Qt put them last

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

    # --- acting -------------------------------------------------------------------------------
    def _run(self, operation: Operation) -> None:
        case_id = self.case.get("id", "")
        operation.success(lambda result: self.changed.emit(case_id)).run_in(self.runner)

    def _add_note(self, text: str) -> None:
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
        def forward(kind: str, target: str, note: str) -> None:
            self._run(tasks.forward(self, self.workspace, task.id, note=note, **{f"{kind}_id": target}))

        ask_forward(self, self.forward_choices, task, forward)

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
