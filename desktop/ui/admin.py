"""Beheer (seed L4, D1, D2): for local administrators and the helpdesk only.

Locked accounts → reactivate; one-time enrollment codes; devices → revoke; delete a group through
a wizard that first moves its cases and data to another group. Everything is online and goes
through the core's admin operations; the service checks the role again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desktop.timefmt import local_time
from desktop.ui import theme
from desktop.ui.failures import expected_sentence
from desktop.ui.operations import OperationRunner
from desktop.ui.ops import WorkspaceRef, admin as ops
from desktop.ui.widgets import PAGE_MARGINS, Notice, PageHeader, Retranslatable, Text, muted


class GroupDeleteWizard(Retranslatable, QWizard):
    """Seed D2 before D1: choose where the group's cases and data go, move them, then delete."""

    def __init__(
        self,
        group: dict,
        others: list[dict],
        workspace: WorkspaceRef | None,
        runner: OperationRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.group, self.workspace, self.runner = group, workspace, runner
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.choose = choose = QWizardPage()
        box = QVBoxLayout(choose)
        self.intro = muted("")
        box.addWidget(self.intro)
        self.target = QComboBox()
        for other in others:
            self.target.addItem(other.get("name", ""), other.get("id"))
        box.addWidget(self.target)
        self.addPage(choose)
        self.confirm = confirm = QWizardPage()
        confirm_box = QVBoxLayout(confirm)
        self.summary = muted("")
        confirm_box.addWidget(self.summary)
        self.result = Notice("", "info")
        self.result.hide()
        confirm_box.addWidget(self.result)
        self.addPage(confirm)
        self.currentIdChanged.connect(self._page_changed)
        self._done = False
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Groep verwijderen: {name}").format(name=self.group.get("name", "")))
        self.choose.setTitle(self.tr("Waar moeten de zaken en gegevens heen?"))
        self.intro.setText(
            self.tr(
                "Een groep wordt pas verwijderd als ze leeg is, zodat er geen dossiers verloren gaan. Kies de groep die "
                "de zaken en gegevens overneemt."
            )
        )
        self.target.setAccessibleName(self.tr("Doelgroep"))
        self.confirm.setTitle(self.tr("Overzetten en verwijderen"))
        finish = self.button(QWizard.WizardButton.FinishButton)
        finish.setText(self.tr("Sluiten") if self._done else self.tr("Overzetten en verwijderen"))
        self._page_changed(self.currentId())

    def _page_changed(self, page_id: int) -> None:
        if page_id == 1:
            self.summary.setText(
                self.tr(
                    "Alle zaken en gegevens van '{group}' gaan naar '{target}'. Daarna wordt '{group}' verwijderd."
                ).format(group=self.group.get("name", ""), target=self.target.currentText())
            )

    def accept(self) -> None:
        if self._done:
            super().accept()
            return
        target_id = self.target.currentData()
        group_id = self.group.get("id")
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)

        def done(result: Any) -> None:
            self._done = True
            self.result.set_text(lambda: self.tr("De gegevens zijn overgezet en de groep is verwijderd."))
            self.result.show()
            finish = self.button(QWizard.WizardButton.FinishButton)
            finish.setText(self.tr("Sluiten"))
            finish.setEnabled(True)

        def failed(exc: BaseException) -> None:
            self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
            self.result.set_text(
                lambda: expected_sentence(exc) or self.tr("Verwijderen is niet gelukt; er is niets verwijderd.")
            )
            self.result.show()

        ops.delete_group(self, self.workspace, group_id, target_id).success(done).failure(failed).run_in(self.runner)


class AdminPage(Retranslatable, QWidget):
    def __init__(self, workspace: WorkspaceRef | None, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.runner = workspace, runner
        self._lists: tuple | None = None
        self._code: dict | None = None
        self._tab_texts: list[tuple[QLabel, QPushButton, QPushButton]] = []  # hint, refresh, action per list tab
        layout = QVBoxLayout(self)
        layout.setContentsMargins(*PAGE_MARGINS)
        layout.setSpacing(12)
        self.header = PageHeader("")
        layout.addWidget(self.header)
        self.message = Notice("", "info")
        self.message.hide()
        layout.addWidget(self.message)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.locked = QListWidget()
        self.devices = QListWidget()
        self.groups = QListWidget()
        for widget in (self.locked, self.devices, self.groups):
            widget.setAlternatingRowColors(True)
            widget.setSpacing(3)
        self.tabs.addTab(self._list_tab(self.locked, self._reactivate), theme.icon("lock"), "")
        self.tabs.addTab(self._code_tab(), theme.icon("key"), "")
        self.tabs.addTab(self._list_tab(self.devices, self._revoke), theme.icon("device"), "")
        self.tabs.addTab(self._list_tab(self.groups, self._delete_group), theme.icon("people"), "")
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.header.set_title(self.tr("Beheer"))
        self.tabs.setAccessibleName(self.tr("Beheer"))
        self.header.set_subtitle(self.tr("Voor lokaal beheerders en de helpdesk."))
        names = (self.tr("Geblokkeerde accounts"), self.tr("Apparaten"), self.tr("Groepen"))
        for widget, name in zip((self.locked, self.devices, self.groups), names):
            widget.setAccessibleName(name)
        for index, name in enumerate((names[0], self.tr("Aanmeldcodes"), names[1], names[2])):
            self.tabs.setTabText(index, name)
        tab_texts = (
            (self.tr("Accounts die zijn geblokkeerd na meer dan 10 mislukte aanmeldingen."), self.tr("Heractiveren")),
            (self.tr("Een ingetrokken apparaat wist zijn gegevens bij de volgende verbinding."), self.tr("Intrekken")),
            (
                self.tr(
                    "Een groep wordt pas verwijderd nadat haar zaken en gegevens naar een andere groep zijn overgezet."
                ),
                self.tr("Groep verwijderen…"),
            ),
        )
        for (hint, refresh, action), (hint_text, action_text) in zip(self._tab_texts, tab_texts):
            hint.setText(hint_text)
            refresh.setText(self.tr("Vernieuwen"))
            action.setText(action_text)
        self.code_hint.setText(
            self.tr("Maak een eenmalige code waarmee een medewerker een apparaat aanmeldt voor Mobiel Werken.")
        )
        self.code_username.setPlaceholderText(self.tr("Gebruikersnaam"))
        self.code_username.setAccessibleName(self.tr("Gebruikersnaam voor de aanmeldcode"))
        self.make_code.setText(self.tr("Code aanmaken"))
        if self._code is not None:
            self._show_code(self._code)
        if self._lists is not None:
            self._show(self._lists)

    def _list_tab(self, widget: QListWidget, slot: Any) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        hint = muted("")
        box.addWidget(hint)
        box.addWidget(widget, 1)
        row = QHBoxLayout()
        refresh = QPushButton(theme.icon("sync"), "")
        refresh.clicked.connect(self.refresh)
        button = QPushButton()
        self._tab_texts.append((hint, refresh, button))
        button.clicked.connect(slot)
        row.addWidget(refresh)
        row.addStretch(1)
        row.addWidget(button)
        box.addLayout(row)
        return tab

    def _code_tab(self) -> QWidget:
        tab = QWidget()
        box = QVBoxLayout(tab)
        self.code_hint = muted("")
        box.addWidget(self.code_hint)
        row = QHBoxLayout()
        self.code_username = QLineEdit()
        self.make_code = make = QPushButton()
        make.clicked.connect(self._issue_code)
        self.code_username.setMaximumWidth(360)
        row.addWidget(self.code_username, 1)
        row.addWidget(make)
        row.addStretch(1)
        box.addLayout(row)
        self.code_result = QLabel()
        # Selectable by keyboard too, so the code is a Tab stop a screen reader reads; hidden until there is one.
        self.code_result.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.code_result.hide()
        box.addWidget(self.code_result)
        box.addStretch(1)
        return tab

    def _say(self, text: Text) -> None:
        self.message.set_text(text)
        self.message.show()

    def _fail(self, exc: BaseException) -> None:
        self._say(lambda: expected_sentence(exc) or self.tr("Dat is niet gelukt; probeer het opnieuw."))

    def refresh(self) -> None:
        ops.load_lists(self, self.workspace).success(self._show).failure(self._fail).run_in(self.runner)

    def _show(self, lists: tuple[list[dict], list[dict], list[dict]]) -> None:
        self._lists = lists
        locked, devices, groups = lists
        self._fill(
            self.locked,
            locked,
            lambda a: f"{a.get('display_name') or a.get('username', '')} ({a.get('username', '')})",
            self.tr("Er zijn geen geblokkeerde accounts."),
        )
        self._fill(
            self.devices,
            devices,
            lambda d: " · ".join(
                p
                for p in (
                    str(d.get("username") or (d.get("user") or {}).get("display_name", "")),
                    self.tr("ingetrokken") if d.get("revoked") or d.get("revoked_at") else self.tr("actief"),
                    self.tr("geldig tot {date}").format(date=local_time(d.get("not_after")))
                    if d.get("not_after")
                    else "",
                )
                if p
            ),
            self.tr("Er zijn geen apparaten aangemeld."),
        )
        self._fill(
            self.groups,
            groups,
            lambda g: f"{g.get('name', '')} — " + (self.tr("%n zaken", None, g.get("case_count", 0))),
            self.tr("Er zijn geen groepen."),
        )
        self._groups = groups

    @staticmethod
    def _fill(widget: QListWidget, rows: list[dict], text: Any, empty: str) -> None:
        current = widget.currentRow()
        widget.clear()
        for row in rows:
            item = QListWidgetItem(text(row))
            item.setData(Qt.ItemDataRole.UserRole, row)
            widget.addItem(item)
        if not rows:  # say so, rather than show an empty box
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)
        elif 0 <= current < len(rows):
            widget.setCurrentRow(current)  # the same rows said again (a language switch): the same choice

    def _selected(self, widget: QListWidget) -> dict | None:
        item = widget.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _reactivate(self) -> None:
        account = self._selected(self.locked)
        if account:
            ops.reactivate(self, self.workspace, account["id"]).success(
                lambda r: (self._say(lambda: self.tr("Het account is weer actief.")), self.refresh())
            ).failure(self._fail).run_in(self.runner)

    def _issue_code(self) -> None:
        username = self.code_username.text().strip()
        if username:
            ops.issue_enrollment_code(self, self.workspace, username).success(self._show_code).failure(
                self._fail
            ).run_in(self.runner)

    def _show_code(self, code: dict) -> None:
        self._code = code
        self.code_result.setText(
            self.tr("Code: <b>{code}</b> — geldig tot {until}").format(
                code=code.get("code", ""), until=local_time(code.get("expires_at"))
            )
        )
        self.code_result.show()

    def _revoke(self) -> None:
        device = self._selected(self.devices)
        if not device:
            return
        # window-modal and open(), not the blocking question(): the loop runs on while it is asked,
        # so a screen reader's walk (tests/a11y) reads it like every other dialog
        question = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Apparaat intrekken?"),
            self.tr("Het apparaat kan daarna niet meer verbinden en wist zijn gegevens. Doorgaan?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        question.setObjectName("revokeQuestion")
        question.buttonClicked.connect(
            lambda button: (
                question.standardButton(button) == QMessageBox.StandardButton.Yes and self._revoke_now(device)
            )
        )
        question.open()

    def _revoke_now(self, device: dict) -> None:
        ops.revoke_device(self, self.workspace, device["id"]).success(
            lambda r: (self._say(lambda: self.tr("Het apparaat is ingetrokken.")), self.refresh())
        ).failure(self._fail).run_in(self.runner)

    def _delete_group(self) -> None:
        group = self._selected(self.groups)
        if not group:
            return
        others = [g for g in getattr(self, "_groups", []) if g.get("id") != group.get("id")]
        wizard = GroupDeleteWizard(group, others, self.workspace, self.runner, self)
        wizard.finished.connect(lambda _: self.refresh())
        wizard.open()
