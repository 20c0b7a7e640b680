"""Werkbak and Mijn taken (seed T1–T5): team-queue tasks to pick up, and my own tasks.

A team-queue task was sent to the whole team (seed T3); the detail pane says so plainly and
offers what the user can do when it is not meant for them (seed T5): leave it, hand it back,
forward it. Every button follows the task's capabilities from the service.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFrame, QHeaderView, QLabel, QPushButton,
    QSplitter, QTableView, QVBoxLayout, QWidget,
)

from desktop.timefmt import local_time
from desktop.ui import theme
from desktop.ui.models import TaskListModel, waiting_since
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import WorkspaceRef, tasks as ops_tasks
from desktop.ui.widgets import (
    PAGE_MARGINS, Notice, PageHeader, Retranslatable, Text, bind_capability, muted, retranslate_model, section_title,
    size_columns,
)


class ForwardDialog(Retranslatable, QDialog):
    """Forward a task to a colleague or a team (seed T2)."""

    def __init__(self, colleagues: list[Any], teams: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.intro = muted("")
        layout.addWidget(self.intro)
        self.target = QComboBox()
        self._teams = teams
        for team in teams:
            self.target.addItem(theme.icon("work-queue"), "", ("team", team.id))
        for colleague in colleagues:
            self.target.addItem(theme.icon("person"), colleague.display_name, ("user", colleague.id))
        layout.addWidget(self.target)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons = buttons
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Taak doorsturen"))
        self.intro.setText(self.tr("Stuur de taak naar een collega, of naar de werkbak van een team als nog niet "
                                   "bekend is wie haar oppakt."))
        self.target.setAccessibleName(self.tr("Doorsturen naar"))
        for row, team in enumerate(self._teams):
            self.target.setItemText(row, self.tr("Werkbak {team}").format(team=team.name))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Doorsturen"))

    def chosen(self) -> tuple[str, str]:
        return self.target.currentData()


class TaskDetail(Retranslatable, QFrame):
    """The selected task: case summary, waiting time, deadline, the team-queue explanation, actions."""

    def __init__(self, mine: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.mine = mine
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        self.title = section_title("")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        self.description = muted("")
        layout.addWidget(self.description)
        self.team_notice = Notice("", "people")
        layout.addWidget(self.team_notice)
        buttons = QVBoxLayout()
        self.primary = QPushButton()
        self.primary.setDefault(True)
        self.release = QPushButton(theme.icon("hand-back"), "")
        self.forward = QPushButton(theme.icon("forward"), "")
        self.open_case = QPushButton(theme.icon("my-cases"), "")
        self.primary.setIcon(theme.icon("check" if mine else "pickup"))
        if not mine:
            self.leave = QPushButton()
            self.release.hide()
        for button in (self.primary, self.release, self.forward, self.open_case):
            buttons.addWidget(button)
        if not mine:
            buttons.addWidget(self.leave)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.task: Any = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.release.setText(self.tr("Teruggeven aan de werkbak"))
        self.forward.setText(self.tr("Doorsturen…"))
        self.open_case.setText(self.tr("Zaak openen"))
        self.primary.setText(self.tr("Afronden") if self.mine else self.tr("Oppakken"))
        if not self.mine:
            self.leave.setText(self.tr("Niet voor u? Laten staan"))
        self.show_task(self.task)

    def show_task(self, task: Any) -> None:
        self.task = task
        for child in (self.primary, self.release, self.forward, self.open_case, self.team_notice):
            child.setVisible(task is not None and (child is not self.release or self.mine))
        if task is None:
            self.title.setText(self.tr("Geen taak gekozen"))
            self.summary.setText(self.tr("Kies een taak in de lijst om de details te zien."))
            self.description.setText("")
            if not self.mine:
                self.leave.hide()
            return
        self.title.setText(task.type)
        client = task.citizen_name or task.group_name or ""
        rows = [
            (self.tr("Zaak"), " · ".join(p for p in (task.case_number, task.case_type) if p)),
            (self.tr("Cliënt / groep"), client),
            (self.tr("Wacht sinds"), f"{local_time(task.queued_at)} ({waiting_since(task.queued_at)})" if task.queued_at else ""),
            (self.tr("Uiterlijk"), local_time(task.deadline, with_time=False) if task.deadline else ""),
        ]
        self.summary.setText("<table cellspacing='3'>" + "".join(
            f"<tr><td style='padding-right:12px'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows if v) + "</table>")
        self.description.setText(task.description or "")
        if task.via_team_queue:
            self.team_notice.set_text(self.tr(
                "Dit is een werkbaktaak: hij is naar iedereen in team {team} gestuurd, omdat nog niet bekend was wie hem "
                "oppakt. Wie tijd heeft pakt hem op, volgens de afspraken van uw team. Niet voor u bedoeld? Laat hem "
                "staan, geef hem terug of stuur hem door.").format(team=task.team_name or ""))
        else:
            self.team_notice.set_text(self.tr("Deze taak is rechtstreeks aan u toegewezen."))
        # A team task shows the team, a task for the user alone the person.
        self.team_notice.icon.setPixmap(theme.icon("people" if task.via_team_queue else "person",
                                                   theme.warning_colors()[1]).pixmap(20, 20))
        caps = task.capabilities
        if self.mine:
            bind_capability(self.primary, caps, "complete")
            bind_capability(self.release, caps, "release")
        else:
            bind_capability(self.primary, caps, "pickup")
            self.leave.setVisible(True)
        bind_capability(self.forward, caps, "forward")


class TaskListPage(Retranslatable, QWidget):
    """One page for both lists; `mine` decides the columns and the actions."""

    case_opened = Signal(str)
    changed = Signal()

    def __init__(self, mine: bool, model: TaskListModel, workspace: WorkspaceRef | None, runner: OperationRunner,
                 people: Callable[[], tuple[list[Any], list[Any]]] = lambda: ([], []),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mine = mine
        self.model = model
        self.workspace = workspace  # None: a page that only shows (tests, screenshots)
        self.runner = runner
        self.people = people  # (colleagues, teams) for forwarding
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(12)
        self.header = PageHeader("")
        layout.addWidget(self.header)
        self.message = Notice("", "info")
        self.message.hide()
        layout.addWidget(self.message)
        splitter = QSplitter()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab goes on to the next control; arrows move in the table
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setHighlightSections(False)
        # The task stretches; case number, waiting time and deadline fit their (short) contents;
        # names and teams start at a sensible width and elide. At 1280×800 all fit without scrolling.
        keys = model.column_keys()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        size_columns(self.table, stretch=keys.index("type"),
                     fit=tuple(keys.index(k) for k in ("case", "waiting", "deadline") if k in keys),
                     widths={keys.index(k): w for k, w in (("client", 135), ("team", 115), ("origin", 150)) if k in keys})
        splitter.addWidget(self.table)
        self.detail = TaskDetail(mine)
        self.detail.setMinimumWidth(280)
        splitter.addWidget(self.detail)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 280])
        layout.addWidget(splitter, 1)
        self.splitter = splitter
        # Nothing to do: one calm sentence where the list would be, not an empty table and detail.
        self.empty = QWidget()
        empty_box = QVBoxLayout(self.empty)
        empty_box.addStretch(1)
        empty_icon = QLabel()
        empty_icon.setPixmap(theme.icon("my-tasks" if mine else "work-queue").pixmap(40, 40))
        empty_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_box.addWidget(empty_icon)
        self.empty_text = muted("")
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty_box.addWidget(self.empty_text)
        empty_box.addStretch(2)
        layout.addWidget(self.empty, 1)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self.detail.show_task(model.task(current.row())))
        model.modelReset.connect(self._model_reset)
        model.dataChanged.connect(lambda *_: self.detail.show_task(self._current()))
        self.detail.primary.clicked.connect(self._primary)
        self.detail.release.clicked.connect(lambda: self._act(lambda t: ops_tasks.release(self, self.workspace, t.id)))
        self.detail.forward.clicked.connect(self._forward)
        self.detail.open_case.clicked.connect(lambda: self.detail.task and self.case_opened.emit(self.detail.task.case_id))
        if not mine:
            self.detail.leave.clicked.connect(self._leave)
        self._reset_pending = False
        self._after_reset()
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.header.set_title(self.tr("Mijn taken") if self.mine else self.tr("Werkbak"))
        self.table.setAccessibleName(self.header.title.text())
        self.empty_text.setText(self.tr("Er staan geen taken voor u klaar.") if self.mine else self.tr("De werkbakken van uw teams zijn leeg."))
        self._show_team_column()
        retranslate_model(self.model)

    def _current(self) -> Any:
        return self.model.task(self.table.currentIndex().row())

    def _model_reset(self) -> None:
        if self.isVisible():
            self._after_reset()
        else:
            # A hidden page catches up when shown: selecting and laying out a Werkbak of 1,700
            # tasks that nobody looks at held the window ~50 ms after every sync.
            self._reset_pending = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._reset_pending:
            self._reset_pending = False
            self._after_reset()

    def _after_reset(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.splitter.setVisible(has_rows)
        self._show_team_column()
        if has_rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))  # currentRowChanged shows the task
        else:
            self.detail.show_task(self._current())

    def _show_team_column(self) -> None:
        """Tasks of one team only: the team is said once, above the list, not in every row."""
        keys = self.model.column_keys()
        if "team" not in keys:
            self.header.set_subtitle(self.tr("Taken die aan u zijn toegewezen of die u hebt opgepakt."))
            return
        teams = {(task.team_id, task.team_name) for task in self.model.tasks()}
        self.table.setColumnHidden(keys.index("team"), len(teams) <= 1)
        if len(teams) == 1:
            self.header.set_subtitle(self.tr("Taken in de werkbak van team {team}. Oppakken zet een taak meteen bij Mijn taken.").format(
                team=next(iter(teams))[1] or ""))
        else:
            self.header.set_subtitle(self.tr("Taken in de werkbakken van uw teams. Oppakken zet een taak meteen bij Mijn taken."))

    def show_message(self, text: Text) -> None:
        self.message.set_text(text)
        self.message.show()

    def _act(self, work: Callable[[Any], Any], done: Text = "") -> None:
        task = self.detail.task
        if task is None or self.workspace is None:
            return

        def succeeded(result: Any) -> None:
            # The change is queued; the service's answer (a lost pick-up race, a refusal) comes
            # with the push, through the sync bridge (Desk's sync-finished handling).
            if done:
                self.show_message(done)
            self.changed.emit()
            self.model.refresh()

        work(task).success(succeeded).run_in(self.runner)

    def _primary(self) -> None:
        if self.mine:
            self._act(lambda t: ops_tasks.complete(self, self.workspace, t.id), lambda: self.tr("De taak is afgerond."))
        else:
            self._act(lambda t: ops_tasks.pickup(self, self.workspace, t.id), lambda: self.tr(
                "De taak staat nu bij Mijn taken. Zonder verbinding wordt het oppakken verstuurd zodra er verbinding is."))

    def _leave(self) -> None:
        self.show_message(lambda: self.tr("De taak blijft in de werkbak voor uw teamgenoten. U hoeft niets te doen."))

    def _forward(self) -> None:
        colleagues, teams = self.people()
        dialog = ForwardDialog(colleagues, teams, self)

        def forward() -> None:
            kind, target = dialog.chosen()
            self._act(lambda t: ops_tasks.forward(self, self.workspace, t.id, **{f"{kind}_id": target}),
                      lambda: self.tr("De taak is doorgestuurd."))

        dialog.accepted.connect(forward)
        dialog.open()
