"""The changes waiting to be sent, and those the service did not process (conflicts, refusals).

Opened from the status bar. An unprocessed change keeps the user's own text, so it can be copied
and entered again; nothing here re-sends on its own.
"""

from __future__ import annotations

import html
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop import errors
from desktop.cache import outbox, queries
from desktop.i18n import translate
from desktop.ui import labels, scaling, theme
from desktop.timefmt import local_time
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import WorkspaceRef, changes
from desktop.ui.widgets import Retranslatable, clear_layout, muted, section_title

KIND_NAMES = {
    "journal.add": QT_TRANSLATE_NOOP("PendingChangesDialog", "Aantekening toevoegen"),
    "step.complete": QT_TRANSLATE_NOOP("PendingChangesDialog", "Stap afronden"),
    "case.close": QT_TRANSLATE_NOOP("PendingChangesDialog", "Zaak afsluiten"),
    "case.set_coordinator": QT_TRANSLATE_NOOP("PendingChangesDialog", "Zaakcoördinator wijzigen"),
    "case.add_supporter": QT_TRANSLATE_NOOP("PendingChangesDialog", "Zaakondersteuner toevoegen"),
    "case.remove_supporter": QT_TRANSLATE_NOOP("PendingChangesDialog", "Zaakondersteuner verwijderen"),
    "task.create": QT_TRANSLATE_NOOP("PendingChangesDialog", "Taak aanmaken"),
    "task.pickup": QT_TRANSLATE_NOOP("PendingChangesDialog", "Taak oppakken"),
    "task.release": QT_TRANSLATE_NOOP("PendingChangesDialog", "Taak teruggeven"),
    "task.complete": QT_TRANSLATE_NOOP("PendingChangesDialog", "Taak afronden"),
    "task.forward": QT_TRANSLATE_NOOP("PendingChangesDialog", "Taak doorsturen"),
    "preferences.set": QT_TRANSLATE_NOOP("PendingChangesDialog", "Meldingen wijzigen"),
}


def _t(text: str) -> str:
    """Translate a text marked with QT_TRANSLATE_NOOP("PendingChangesDialog", …)."""
    return translate("PendingChangesDialog", text)


def kind_name(kind: str) -> str:
    return _t(KIND_NAMES.get(kind, kind))


def own_text(payload: dict) -> str:
    """What the user typed in this change, to copy and enter again."""
    parts = [str(payload[key]) for key in ("text", "summary", "description") if payload.get(key)]
    if payload.get("outcome"):
        parts.append(labels.outcome(payload["outcome"]))
    return "\n".join(parts)


def pickup_lost(held_by: dict | None, reason: str | None = None) -> str:
    """A lost pick-up race, in the same words online (the desk's message) and offline (this list)."""
    if held_by and held_by.get("display_name"):
        return translate("PendingChangesDialog", "{name} had deze taak al opgepakt.").format(
            name=held_by["display_name"]
        )
    return labels.reason(reason or "task-held-by-other")


def subject_text(subject: queries.ChangeSubject, kind: str) -> str:
    """ "Zaak Z-2026-00012" or "Taak Huisbezoek · zaak Z-2026-00012": which case or task a change is about."""
    if subject.task_type:
        if subject.case_number:
            return _t("Taak {task} · zaak {number}").format(task=subject.task_type, number=subject.case_number)
        return _t("Taak {task}").format(task=subject.task_type)
    if subject.case_number:
        return _t("Zaak {number}").format(number=subject.case_number)
    if kind == "preferences.set":
        return _t("Uw instellingen")
    return _t("Een zaak of taak die niet meer op dit apparaat staat")


def why(change: Any) -> str:
    if change.status == "stuck":
        return errors.stuck_reason(change.reason)
    if change.held_by:
        return pickup_lost(change.held_by)
    if change.reason in labels.REASONS:
        return labels.reason(change.reason)
    if change.status == "conflict":
        return translate("PendingChangesDialog", "Iemand anders heeft dit intussen gewijzigd.")
    if change.status == "removed":
        return translate("PendingChangesDialog", "De zaak of taak is niet meer zichtbaar voor u.")
    return translate("PendingChangesDialog", "De dienst heeft deze wijziging niet verwerkt.")


NO_SUBJECT = queries.ChangeSubject(None, None, None)


class PendingChangesDialog(Retranslatable, QDialog):
    """`subject(case_id, task_id)` names what each change is about; `open_case(case_id)` opens it."""

    def __init__(
        self,
        waiting: list[Any],
        unprocessed: list[Any],
        dismiss: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
        retry: Callable[[str], None] | None = None,
        subject: Callable[[str | None, str | None], queries.ChangeSubject] | None = None,
        open_case: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.resize(680, 460)
        self._dismiss = dismiss
        self._retry = retry
        lookup = subject or (lambda case_id, task_id: NO_SUBJECT)
        # Looked up once: a language switch says them again without reading the cache.
        self._subjects = {(c.case_id, c.task_id): lookup(c.case_id, c.task_id) for c in (*waiting, *unprocessed)}
        self._open_case = open_case
        self._changes = (waiting, unprocessed)
        self._handled: set[str] = set()  # removed or retried here: no longer shown
        layout = QVBoxLayout(self)
        scroll = QScrollArea()
        self.scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setSpacing(10)
        scroll.setWidget(body)
        layout.addWidget(scroll)
        self.retranslate_ui()  # before the buttons: the first change's button takes the focus, as before
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Wijzigingen"))
        self.scroll.setAccessibleName(self.windowTitle())  # a Tab stop: the arrow keys scroll the list
        clear_layout(self.body)  # the lists again, in the language of the moment
        waiting = self._changes[0]
        unprocessed = [change for change in self._changes[1] if change.id not in self._handled]
        self.body.addWidget(section_title(self.tr("Niet verwerkt ({count})").format(count=len(unprocessed))))
        if not unprocessed:
            self.body.addWidget(muted(self.tr("Alle verstuurde wijzigingen zijn verwerkt.")))
        for change in unprocessed:
            self.body.addWidget(self._unprocessed_card(change))
        self.body.addWidget(section_title(self.tr("Wacht op verzending ({count})").format(count=len(waiting))))
        if not waiting:
            self.body.addWidget(muted(self.tr("Er wacht niets op verzending.")))
        else:
            self.body.addWidget(
                muted(
                    self.tr("Deze wijzigingen zijn op dit apparaat bewaard en worden verstuurd zodra er verbinding is.")
                )
            )
        for mutation in waiting:
            self.body.addWidget(self._waiting_row(mutation))
        self.body.addStretch(1)

    def _handle(self, act: Callable[[str], None], change_id: str, frame: QWidget) -> None:
        self._handled.add(change_id)
        act(change_id)
        frame.hide()

    def _unprocessed_card(self, change: Any) -> QWidget:
        frame = QFrame()
        frame.setObjectName("card")
        box = QVBoxLayout(frame)
        box.setContentsMargins(14, 10, 14, 10)
        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(theme.icon("conflict").pixmap(scaling.px(18), scaling.px(18)))
        head.addWidget(icon)
        subject = self._subjects.get((change.case_id, change.task_id), NO_SUBJECT)
        head.addWidget(QLabel(f"<b>{html.escape(kind_name(change.kind))}</b> · {local_time(change.created_at)}"), 1)
        head.addWidget(self._open_button(subject))
        box.addLayout(head)
        about = QLabel(subject_text(subject, change.kind))  # which case or task
        about.setWordWrap(True)
        box.addWidget(about)
        box.addWidget(muted(why(change)))
        text = own_text(change.payload)
        if text:
            mine = QLabel(text)
            mine.setWordWrap(True)
            mine.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.addWidget(mine)
        actions = QHBoxLayout()
        actions.addStretch(1)
        if text:
            copy = QPushButton(theme.icon("copy"), self.tr("Tekst kopiëren"))
            copy.setProperty("copies", change.id)
            copy.clicked.connect(lambda checked=False, t=text: QApplication.clipboard().setText(t))
            actions.addWidget(copy)
        stuck = change.status == "stuck"  # still queued: only the user removes or retries it
        if stuck and self._retry is not None:
            again = QPushButton(self.tr("Opnieuw proberen"))
            again.setToolTip(
                self.tr(
                    "Zet deze wijziging terug in de wachtrij; ze wordt opnieuw verstuurd, meteen of zodra er verbinding is."
                )
            )
            again.clicked.connect(lambda checked=False, i=change.id, f=frame: self._handle(self._retry, i, f))
            actions.addWidget(again)
        if self._dismiss is not None:
            done = QPushButton(self.tr("Verwijderen") if stuck else self.tr("Gezien"))
            done.setToolTip(
                self.tr("Verwijder deze wijziging; ze wordt nooit verstuurd.")
                if stuck
                else self.tr("Haal deze wijziging uit de lijst; er wordt niets verstuurd.")
            )
            done.setProperty("removes", change.id)
            done.clicked.connect(lambda checked=False, i=change.id, f=frame: self._handle(self._dismiss, i, f))
            actions.addWidget(done)
        box.addLayout(actions)
        return frame

    def _waiting_row(self, mutation: Any) -> QWidget:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        subject = self._subjects.get((mutation.case_id, mutation.task_id), NO_SUBJECT)
        text = QLabel(
            f"• {kind_name(mutation.kind)} · {subject_text(subject, mutation.kind)} — {local_time(mutation.created_at)}"
        )
        text.setWordWrap(True)
        line.addWidget(text, 1)
        line.addWidget(self._open_button(subject))
        return row

    def _open_button(self, subject: queries.ChangeSubject) -> QPushButton:
        """Opens the case (a task's own case, with its tasks); disabled, with why, when it is not here."""
        button = QPushButton(self.tr("Openen"))
        button.setProperty("opens", subject.case_id)
        if subject.case_id is None or self._open_case is None:
            button.setEnabled(False)
            button.setToolTip(self.tr("Deze zaak staat niet (meer) op dit apparaat."))
        else:
            button.setAccessibleName(self.tr("{what} openen").format(what=subject_text(subject, "")))
            button.clicked.connect(
                lambda checked=False, case_id=subject.case_id: (self._open_case(case_id), self.accept())
            )
        return button


def open_pending_changes(
    parent: QWidget,
    runner: OperationRunner,
    workspace: WorkspaceRef,
    read_conn: Any,
    changed: Callable[[], None],
    open_case: Callable[[str], None] | None = None,
) -> PendingChangesDialog:
    """The status bar's "changes waiting": the list, with dismiss and retry for the stuck ones."""

    def dismiss(mutation_id: str) -> None:
        changes.dismiss(parent, workspace, mutation_id).success(lambda result: changed()).run_in(runner)

    def retry(mutation_id: str) -> None:
        def sent_again(result: Any) -> None:
            changed()
            ws = workspace()
            if ws is not None:
                ws.engine.nudge()  # pushed now when live; else at the next sync

        changes.retry(parent, workspace, mutation_id).success(sent_again).run_in(runner)

    dialog = PendingChangesDialog(
        outbox.pending(read_conn),
        queries.unprocessed_changes(read_conn),
        dismiss,
        parent,
        retry,
        lambda case_id, task_id: queries.change_subject(read_conn, case_id, task_id),
        open_case,
    )
    dialog.setObjectName("pendingChanges")
    dialog.open()
    return dialog
