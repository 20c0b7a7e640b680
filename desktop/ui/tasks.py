"""Werkbak and Mijn taken (seed T1–T5): team-queue tasks to pick up, and my own tasks.

A team-queue task was sent to the whole team (seed T3); the detail pane says so plainly and
offers what the user can do when it is not meant for them (seed T5): "niet voor mij" (hidden from
their Werkbak until the task changes), hand it back, or forward it with a note. The pane shows
what the task asks and its short history. Every button follows the task's capabilities from the
service; where a task may be forwarded is the service's decision too (`forward_teams`).
"""

from __future__ import annotations

import html
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.timefmt import local_time
from desktop.ui import theme
from desktop.ui.announce import announce
from desktop.ui.models import TaskListModel, waiting_since
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import WorkspaceRef, tasks as ops_tasks
from desktop.ui.widgets import (
    PAGE_MARGINS,
    Notice,
    PageHeader,
    Retranslatable,
    Text,
    bind_capability,
    empty_state,
    muted,
    retranslate_model,
    section_title,
    size_columns,
)

CLIENT_SHARE = 0.4  # of the room the task and the client's name have: names elided less on a wide window
MAX_NOTE = 2_000  # the service's limit for the note that travels with a forwarded task
ID_ROLE = Qt.ItemDataRole.UserRole


def ask_forward(
    parent: QWidget,
    people: Callable[[], tuple[list[Any], list[Any], list[str]]],
    task: Any,
    forward: Callable[[str, str, str], None],
) -> "ForwardDialog":
    """The one way to forward a task, from the Werkbak, Mijn taken and the case view alike: the
    desk's colleagues but the user, the recent ones first, the queues the service allows; then
    `forward(kind, target id, note)` ("user"/"team") when the user chose."""
    colleagues, teams, recent = people()
    dialog = ForwardDialog(colleagues, teams, parent, task=task, recent=recent)

    def chosen() -> None:
        choice = dialog.chosen()
        if choice is not None:
            forward(choice[0], choice[1], dialog.note())

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog


class ForwardDialog(Retranslatable, QDialog):
    """Forward a task (seed T2): to a colleague, found by typing, the recent ones first (never
    oneself: the caller leaves them out), or to a team queue the service allows; with a note."""

    def __init__(
        self,
        colleagues: list[Any],
        teams: list[Any],
        parent: QWidget | None = None,
        *,
        task: Any = None,
        recent: list[str] | tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.setMinimumWidth(460)
        allowed = getattr(task, "forward_teams", None)
        # The queues the service allows for this task; an older service did not say: the user's teams.
        self.teams = [(t["id"], t["name"]) for t in allowed] if allowed is not None else [(t.id, t.name) for t in teams]
        rank = {user_id: i for i, user_id in enumerate(recent)}
        holder = getattr(task, "assignee_id", None) if getattr(task, "status", None) == "assigned" else None
        # Never to whom has it already (the user forwarding their own task, too).
        self.colleagues = sorted(
            (c for c in colleagues if c.id != holder),
            key=lambda c: (rank.get(c.id, len(rank)), c.display_name.casefold()),
        )
        self.recent = set(rank)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.intro = muted("")
        layout.addWidget(self.intro)
        self.to_person = QRadioButton()
        self.to_team = QRadioButton()
        self.kind = QButtonGroup(self)
        for button in (self.to_person, self.to_team):
            self.kind.addButton(button)
            layout.addWidget(button)
        self.to_person.setChecked(True)
        self.stack = QStackedWidget()
        person_box = QWidget()
        person_layout = QVBoxLayout(person_box)
        person_layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        person_layout.addWidget(self.search)
        self.people = QListWidget()
        for colleague in self.colleagues:
            item = QListWidgetItem(
                theme.icon("clock" if colleague.id in self.recent else "person"), colleague.display_name
            )
            item.setData(ID_ROLE, colleague.id)
            item.setToolTip(colleague.display_name)
            self.people.addItem(item)
        person_layout.addWidget(self.people)
        self.stack.addWidget(person_box)
        team_box = QWidget()
        team_layout = QVBoxLayout(team_box)
        team_layout.setContentsMargins(0, 0, 0, 0)
        self.queues = QListWidget()
        for team_id, name in self.teams:
            item = QListWidgetItem(theme.icon("work-queue"), name)
            item.setData(ID_ROLE, team_id)
            item.setToolTip(name)
            self.queues.addItem(item)
        team_layout.addWidget(self.queues)
        self.no_queue = muted("")
        self.no_queue.setVisible(not self.teams)
        self.queues.setVisible(bool(self.teams))
        team_layout.addWidget(self.no_queue)
        self.stack.addWidget(team_box)
        self.stack.setMinimumHeight(200)
        layout.addWidget(self.stack, 1)
        self.note_label = QLabel()
        layout.addWidget(self.note_label)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(80)
        self.note_label.setBuddy(self.note_edit)
        self.note_edit.textChanged.connect(self._update)
        layout.addWidget(self.note_edit)
        self.note_count = muted("")
        self.note_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.note_count)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.kind.buttonToggled.connect(lambda *_: self._kind_changed())
        self.people.currentRowChanged.connect(lambda *_: self._update())
        self.queues.currentRowChanged.connect(lambda *_: self._update())
        self.people.itemDoubleClicked.connect(lambda *_: self._accept_if_ready())
        self.queues.itemDoubleClicked.connect(lambda *_: self._accept_if_ready())
        self.retranslate_ui()
        self._kind_changed()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Taak doorsturen"))
        self.intro.setText(
            self.tr(
                "Stuur de taak naar een collega, of naar de werkbak van een team als nog niet "
                "bekend is wie haar oppakt."
            )
        )
        self.to_person.setText(self.tr("Naar een collega"))
        self.to_team.setText(self.tr("Naar de werkbak van een team"))
        self.search.setPlaceholderText(self.tr("Zoek een collega op naam"))
        self.search.setAccessibleName(self.tr("Zoek een collega"))
        self.people.setAccessibleName(self.tr("Collega's, wie u onlangs iets stuurde eerst"))
        self.queues.setAccessibleName(self.tr("Werkbakken waar deze taak heen mag"))
        self.no_queue.setText(self.tr("Geen andere werkbak behandelt dit zaaktype; stuur de taak naar een collega."))
        self.note_label.setText(self.tr("&Bericht bij de taak (niet verplicht)"))
        self.note_edit.setPlaceholderText(self.tr("Bijvoorbeeld waarom u hem doorstuurt, of wat al gedaan is."))
        self.note_edit.setAccessibleName(self.tr("Bericht bij de taak"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Doorsturen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Annuleren"))
        self._update()

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        first_shown = -1
        for row in range(self.people.count()):
            item = self.people.item(row)
            hidden = not all(w in item.text().casefold() for w in words)
            item.setHidden(hidden)
            if not hidden and first_shown < 0:
                first_shown = row
        current = self.people.currentItem()
        if current is None or current.isHidden():
            self.people.setCurrentRow(first_shown)
        self._update()

    def _kind_changed(self) -> None:
        self.stack.setCurrentIndex(0 if self.to_person.isChecked() else 1)
        (self.search if self.to_person.isChecked() else self.queues).setFocus()
        self._update()

    def _list(self) -> QListWidget:
        return self.people if self.to_person.isChecked() else self.queues

    def _update(self) -> None:
        item = self._list().currentItem()
        length = len(self.note_edit.toPlainText())
        self.note_count.setText(self.tr("{used} van {most} tekens").format(used=length, most=MAX_NOTE))
        self.note_count.setVisible(length > MAX_NOTE * 3 // 4)
        ready = item is not None and not item.isHidden() and length <= MAX_NOTE
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def _accept_if_ready(self) -> None:
        if self.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled():
            self.accept()

    def choose(self, kind: str, target_id: str) -> None:
        """Pick a target as the user would (tests, a default)."""
        (self.to_person if kind == "user" else self.to_team).setChecked(True)
        widget = self._list()
        for row in range(widget.count()):
            if widget.item(row).data(ID_ROLE) == target_id:
                widget.setCurrentRow(row)

    def chosen(self) -> tuple[str, str] | None:
        item = self._list().currentItem()
        if item is None:
            return None
        return ("user" if self.to_person.isChecked() else "team"), item.data(ID_ROLE)

    def note(self) -> str:
        return self.note_edit.toPlainText().strip()


class TaskDetail(Retranslatable, QFrame):
    """The selected task: what it asks, its case, waiting time and deadline, the note it came
    with, the team-queue explanation, the actions, and its short history."""

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
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = Notice("", "note")
        self.team_notice = Notice("", "people")
        # What to do comes right after what it is; then what it asks, the note, why it is here.
        buttons = QGridLayout()
        buttons.setSpacing(6)
        self.primary = QPushButton()
        self.primary.setDefault(True)
        self.release = QPushButton(theme.icon("hand-back"), "")
        self.forward = QPushButton(theme.icon("forward"), "")
        self.open_case = QPushButton(theme.icon("my-cases"), "")
        self.primary.setIcon(theme.icon("check" if mine else "pickup"))
        # "Niet voor mij" (T5): out of my Werkbak until the task changes; the team keeps it.
        self.leave = QPushButton(theme.icon("eye-off"), "")
        for at, button in enumerate((self.primary, self.forward, self.release if mine else self.leave, self.open_case)):
            buttons.addWidget(button, at // 2, at % 2)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.description)
        layout.addWidget(self.team_notice)
        self.history_title = section_title("")
        layout.addWidget(self.history_title)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.history)
        layout.addStretch(1)
        self.task: Any = None
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.primary.setText(self.tr("Afronden") if self.mine else self.tr("Oppakken"))
        self.release.setText(self.tr("Teruggeven aan de werkbak"))
        self.forward.setText(self.tr("Doorsturen…"))
        self.open_case.setText(self.tr("Zaak openen"))
        self.leave.setText(self.tr("Niet voor mij"))
        self.leave_tip = self.tr(
            "Haalt de taak uit uw werkbak tot er iets aan verandert; uw teamgenoten zien hem gewoon."
        )
        self.history_title.setText(self.tr("Geschiedenis"))
        self.history_title.setAccessibleName(self.history_title.text())
        self.show_task(self.task)

    def history_lines(self, history: list[dict]) -> list[str]:
        """One plain sentence per event, newest last: who did what, to whom, and the note."""
        lines = []
        for event in history:
            actor = (event.get("actor") or {}).get("display_name") or self.tr("iemand")
            to_user = (event.get("to_user") or {}).get("display_name")
            to_team = (event.get("to_team") or {}).get("name")
            target = to_user or (self.tr("werkbak {team}").format(team=to_team) if to_team else "")
            kind = event.get("event")
            if kind == "created":
                text = (
                    self.tr("Aangemaakt door {actor} voor {target}") if target else self.tr("Aangemaakt door {actor}")
                )
            elif kind == "forwarded":
                text = self.tr("Doorgestuurd door {actor} naar {target}")
            elif kind == "picked_up":
                text = self.tr("Opgepakt door {actor}")
            elif kind == "handed_back":
                text = self.tr("Teruggegeven aan de werkbak door {actor}")
            elif kind == "completed":
                text = self.tr("Afgerond door {actor}")
            elif kind == "case_closed":  # the case was closed while the task was open
                text = self.tr("Afgerond: {actor} heeft de zaak afgesloten")
            else:
                continue
            line = f"<b>{html.escape(local_time(event.get('at')))}</b>&nbsp; " + html.escape(
                text.format(actor=actor, target=target)
            )
            if event.get("note"):
                line += "<br><i>“" + html.escape(event["note"]) + "”</i>"
            lines.append(line)
        return lines

    def show_task(self, task: Any) -> None:
        self.task = task
        for child in (self.primary, self.forward, self.open_case, self.team_notice, self.history_title, self.history):
            child.setVisible(task is not None)
        self.release.setVisible(task is not None and self.mine)
        self.leave.setVisible(task is not None and not self.mine)
        self.description.setVisible(bool(task is not None and task.description))
        if task is None:
            self.title.setText(self.tr("Geen taak gekozen"))
            self.summary.setText(self.tr("Kies een taak in de lijst om de details te zien."))
            self.note.hide()
            return
        self.title.setText(task.type)
        client = task.citizen_name or task.group_name or ""
        deadline = local_time(task.deadline, with_time=False) if task.deadline else ""
        if deadline and task.overdue:
            deadline = self.tr("⚠ {day}, de termijn is verstreken").format(day=deadline)
        rows = [
            (self.tr("Zaak"), " · ".join(p for p in (task.case_number, task.case_type) if p)),
            (self.tr("Cliënt / groep"), client),
            (
                self.tr("Wacht sinds"),
                f"{local_time(task.queued_at)} ({waiting_since(task.queued_at)})"
                if task.queued_at and task.status == "queued"
                else "",
            ),
            (self.tr("Uiterlijk"), deadline),
        ]
        self.summary.setText(
            "<table cellspacing='3'>"
            + "".join(
                f"<tr><td style='padding-right:12px'><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                for k, v in rows
                if v
            )
            + "</table>"
        )
        self.description.setText(task.description or "")
        # The newest forward's note travels with the task: shown where the user reads first.
        forwarded = next((e for e in reversed(task.history) if e.get("event") == "forwarded"), None)
        if forwarded and forwarded.get("note"):
            who = (forwarded.get("actor") or {}).get("display_name") or ""
            self.note.set_text(self.tr("Bericht van {name}: “{note}”").format(name=who, note=forwarded["note"]))
            self.note.show()
        else:
            self.note.hide()
        if task.via_team_queue:
            self.team_notice.set_text(
                self.tr(
                    "Dit is een werkbaktaak: hij is naar iedereen in team {team} gestuurd, omdat nog niet bekend was wie hem "
                    "oppakt. Wie tijd heeft pakt hem op, volgens de afspraken van uw team. Niet voor u bedoeld? Kies "
                    "‘Niet voor mij’, geef hem terug of stuur hem door."
                ).format(team=task.team_name or "")
            )
        else:
            self.team_notice.set_text(self.tr("Deze taak is rechtstreeks aan u toegewezen."))
        # A team task shows the team, a task for the user alone the person.
        self.team_notice.icon.setPixmap(
            theme.icon("people" if task.via_team_queue else "person", theme.warning_colors()[1]).pixmap(20, 20)
        )
        lines = self.history_lines(task.history)
        self.history.setText("<br>".join(lines) if lines else self.tr("Nog niets vastgelegd."))
        self.history_title.setVisible(True)
        caps = task.capabilities
        if self.mine:
            bind_capability(self.primary, caps, "complete")
            bind_capability(self.release, caps, "release")
        else:
            bind_capability(self.primary, caps, "pickup")
            bind_capability(self.leave, caps, "dismiss", self.leave_tip)
        bind_capability(self.forward, caps, "forward")


class TaskListPage(Retranslatable, QWidget):
    """One page for both lists; `mine` decides the columns and the actions. The Werkbak shows
    one queue or all of the user's queues (`show_queue`, from the navigation)."""

    case_opened = Signal(str)
    changed = Signal()

    def __init__(
        self,
        mine: bool,
        model: TaskListModel,
        workspace: WorkspaceRef | None,
        runner: OperationRunner,
        people: Callable[[], tuple[list[Any], list[Any], list[str]]] = lambda: ([], [], []),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.mine = mine
        self.model = model
        self.workspace = workspace  # None: a page that only shows (tests, screenshots)
        self.runner = runner
        self.people = people  # (colleagues but me, my teams, recent colleague ids) for forwarding
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(12)
        self.header = PageHeader("", "")
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
        # names and teams start at a sensible width and elide (the whole text in the tooltip).
        # At 1280×800 all fit without scrolling.
        keys = model.column_keys()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        size_columns(
            self.table,
            stretch=keys.index("type"),
            fit=tuple(keys.index(k) for k in ("case", "waiting", "deadline") if k in keys),
            widths={keys.index(k): w for k, w in (("client", 135), ("team", 115), ("origin", 150)) if k in keys},
            share=(keys.index("client"), CLIENT_SHARE),
        )
        splitter.addWidget(self.table)
        self.detail = TaskDetail(mine)
        # A long description or history scrolls inside the pane, never pushes the buttons away.
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidget(self.detail)
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_scroll.setMinimumWidth(320)
        splitter.addWidget(self.detail_scroll)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([720, 360])
        layout.addWidget(splitter, 1)
        self.splitter = splitter
        # Nothing to do: one calm sentence where the list would be, not an empty table and detail.
        self.empty, self.empty_text = empty_state("my-tasks" if mine else "work-queue")
        layout.addWidget(self.empty, 1)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _: self.detail.show_task(model.task(current.row()))
        )
        model.modelReset.connect(self._model_reset)
        model.rowsInserted.connect(lambda *_: self._model_reset())  # the empty state, the first row selected
        model.rowsRemoved.connect(lambda *_: self._model_reset())
        model.dataChanged.connect(lambda *_: self.detail.show_task(self._current()))
        self.detail.primary.clicked.connect(self._primary)
        self.detail.release.clicked.connect(lambda: self._act(lambda t: ops_tasks.release(self, self.workspace, t.id)))
        self.detail.forward.clicked.connect(self._forward)
        self.detail.open_case.clicked.connect(
            lambda: self.detail.task and self.case_opened.emit(self.detail.task.case_id)
        )
        self.detail.leave.clicked.connect(self._leave)
        self._reset_pending = False
        self._seen_due = False  # the Werkbak was shown: leaving it marks its tasks as seen
        self.retranslate_ui()
        self._after_reset()

    def retranslate_ui(self) -> None:
        self.header.set_title(self.tr("Mijn taken") if self.mine else self.tr("Werkbak"))
        self.empty_text.setText(
            self.tr("Er staan geen taken voor u klaar.")
            if self.mine
            else self.tr("De werkbakken van uw teams zijn leeg.")
        )
        self.table.setAccessibleName(self.header.title.text())
        self.detail_scroll.setAccessibleName(self.tr("Gekozen taak"))  # a Tab stop: the arrow keys scroll the detail
        self._show_subtitle()
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
        self._seen_due = not self.mine
        if self._reset_pending:
            self._reset_pending = False
            self._after_reset()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().hideEvent(event)
        self.leave_werkbak()

    def leave_werkbak(self) -> None:
        """The user leaves the Werkbak (another page, a lock, quitting): what it showed is seen."""
        if self._seen_due and self.workspace is not None and self.workspace() is not None:
            self._seen_due = False
            # A mark that could not be written (locked or quitting meanwhile) only leaves the
            # tasks marked new a little longer: nothing to tell the user.
            ops_tasks.mark_seen(self, self.workspace).success(lambda _: self.model.refresh()).failure(
                lambda error: None
            ).run_in(self.runner)

    def _after_reset(self) -> None:
        has_rows = self.model.rowCount() > 0
        self.empty.setVisible(not has_rows)
        self.splitter.setVisible(has_rows)
        self._show_team_column()
        if has_rows and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))  # currentRowChanged shows the task
        else:
            self.detail.show_task(self._current())

    def show_queue(self, team_id: str | None) -> None:
        """One queue of the Werkbak (chosen in the navigation), or all of the user's queues."""
        self.model.set_team(team_id)
        self._after_reset()

    def _show_team_column(self) -> None:
        """Tasks of one team only: the team is said once, above the list, not in every row."""
        keys = self.model.column_keys()
        if "team" in keys:
            teams = {task.team_id for task in self.model.tasks()}
            self.table.setColumnHidden(keys.index("team"), len(teams) <= 1)
        self._show_subtitle()

    def _show_subtitle(self) -> None:
        if self.mine:
            self.header.set_subtitle(self.tr("Taken die aan u zijn toegewezen of die u hebt opgepakt."))
            return
        names = {task.team_name or "" for task in self.model.tasks()}
        if self.model.team() is not None or len(names) == 1:
            team = next(iter(names), "") if names else ""
            self.header.set_subtitle(
                self.tr(
                    "Taken in de werkbak van team {team}, wie het langst wacht bovenaan. Oppakken zet een taak meteen bij "
                    "Mijn taken."
                ).format(team=team)
                if team
                else self.tr("Er staan geen taken in deze werkbak.")
            )
        else:
            self.header.set_subtitle(
                self.tr(
                    "Taken in de werkbakken van uw teams, wie het langst wacht bovenaan. "
                    "Oppakken zet een taak meteen bij Mijn taken."
                )
            )

    def show_message(self, text: Text, urgent: bool = False) -> None:
        self.message.set_text(text)
        self.message.show()
        if self.isVisible():  # both task pages get a lost pick-up: the one on screen says it
            announce(self.message, self.message.text.text(), urgent=urgent)

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
            self._act(
                lambda t: ops_tasks.pickup(self, self.workspace, t.id),
                lambda: self.tr(
                    "De taak staat nu bij Mijn taken. Zonder verbinding wordt het oppakken verstuurd zodra er verbinding is."
                ),
            )

    def _leave(self) -> None:
        if self.workspace is None:
            self.show_message(
                lambda: self.tr("De taak blijft in de werkbak voor uw teamgenoten. U hoeft niets te doen.")
            )
            return
        self._act(
            lambda t: ops_tasks.dismiss(self, self.workspace, t.id),
            lambda: self.tr(
                "De taak staat niet meer in uw werkbak; uw teamgenoten zien hem nog. Verandert er "
                "iets aan, dan komt hij terug."
            ),
        )

    def _forward(self) -> None:
        def forward(kind: str, target: str, note: str) -> None:
            self._act(
                lambda t: ops_tasks.forward(self, self.workspace, t.id, note=note, **{f"{kind}_id": target}),
                lambda: self.tr("De taak is doorgestuurd."),
            )

        ask_forward(self, self.people, self.detail.task, forward)
