"""The login card's other pages: a forgotten password, a forgotten username, the definitive password.
Their texts are the login window's (translation context "LoginWindow").

Each page runs its own step through the login window's `LoginActions` (off the GUI thread) and
says what came back; the window only decides which page shows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.ui.failures import expected_sentence, show_failure
from desktop.ui.login_parts import PasswordRules, _tr, contacts_text, password_field, title_label
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import Notice, Retranslatable, Text, muted


def page_layout(page: QWidget) -> QVBoxLayout:
    """The page's layout, with its title (`page.title`) and intro (`page.intro`) on top."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(12)
    page.title, page.intro = title_label(""), muted("")
    layout.addWidget(page.title)
    layout.addWidget(page.intro)
    return layout


def set_title(page: Any, title: str, intro: str) -> None:
    page.title.setText(title)
    page.title.setAccessibleName(title)
    page.intro.setText(intro)


def set_busy(widget: QWidget, busy: bool, *buttons: QPushButton) -> None:
    for button in buttons:
        button.setEnabled(not busy)
    if busy:
        widget.window().setCursor(Qt.CursorShape.BusyCursor)
    else:
        widget.window().unsetCursor()


class ResetPasswordPage(Retranslatable, QWidget):
    """Seed L2: a temporary password by e-mail; the service's answer never says whether the name exists."""

    back_requested = Signal()

    def __init__(self, actions: Any, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions, self.runner = actions, runner
        layout = page_layout(self)
        self.username = QLineEdit()
        self.username.returnPressed.connect(self._request_reset)
        layout.addWidget(self.username)
        self.answer = Notice("", "info")
        self.answer.hide()
        layout.addWidget(self.answer)
        buttons = QHBoxLayout()
        self.back = back = QPushButton()
        back.clicked.connect(self.back_requested)
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.clicked.connect(self._request_reset)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_title(
            self,
            _tr("Wachtwoord vergeten"),
            _tr(
                "Vul uw gebruikersnaam in. U krijgt een e-mail met een tijdelijk wachtwoord; daarmee logt u in "
                "en kiest u meteen een nieuw wachtwoord."
            ),
        )
        self.username.setAccessibleName(_tr("Gebruikersnaam"))
        self.username.setPlaceholderText(_tr("Gebruikersnaam"))
        self.back.setText(_tr("Terug"))
        self.button.setText(_tr("Tijdelijk wachtwoord aanvragen"))

    def _say(self, text: Text) -> None:
        self.answer.set_text(text)
        self.answer.show()

    def _request_reset(self) -> None:
        username = self.username.text().strip()
        if not username:
            self._say(lambda: _tr("Vul uw gebruikersnaam in."))
            return
        set_busy(self, True, self.button)
        self.runner.submit(
            lambda token: self.actions.request_password_reset(username),
            lane=Lane.NETWORK,
            on_success=self._reset_requested,
            on_failure=self._reset_failed,
            parent_widget=self,
        )

    def _reset_requested(self, sentence: str) -> None:
        set_busy(self, False, self.button)
        # The service's own sentence is in the language it was asked in; only ours can be said again.
        self._say(
            sentence
            or (
                lambda: _tr("Als deze gebruikersnaam bestaat, is er een e-mail met een tijdelijk wachtwoord verstuurd.")
            )
        )

    def _reset_failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.button)
        self._say(lambda: expected_sentence(exc) or _tr("Het aanvragen is niet gelukt; probeer het opnieuw."))


class ForgotUsernamePage(Retranslatable, QWidget):
    """Seed L3/L4: only the organisation can help; say whom to call."""

    back_requested = Signal()

    def __init__(self, contacts: dict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = page_layout(self)
        self._contacts = contacts
        self.contacts = QLabel()
        self.contacts.setWordWrap(True)
        self.contacts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.contacts)
        self.back = QPushButton()
        self.back.clicked.connect(self.back_requested)
        layout.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_title(
            self,
            _tr("Gebruikersnaam vergeten of geen e-mail"),
            _tr(
                "Weet u uw gebruikersnaam niet meer, kreeg u geen e-mail met een tijdelijk wachtwoord, of is uw "
                "account geblokkeerd na meer dan 10 mislukte pogingen? Dan moet uw account opnieuw worden "
                "geactiveerd door uw lokaal beheerder of de helpdesk."
            ),
        )
        self.contacts.setText(contacts_text(self._contacts))
        self.back.setText(_tr("Terug naar inloggen"))


class NewPasswordPage(Retranslatable, QWidget):
    """Seed L2: after a temporary password, the user's own one before anything else."""

    changed = Signal(object)  # the core's login result

    def __init__(self, actions: Any, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions, self.runner = actions, runner
        layout = page_layout(self)
        self.new_password = password_field()
        self.repeat_password = password_field()
        layout.addWidget(self.new_password)
        layout.addWidget(self.repeat_password)
        self.rules = PasswordRules()
        layout.addWidget(self.rules)
        self.error = Notice("", "warning")
        self.error.hide()
        layout.addWidget(self.error)
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._change_password)
        layout.addWidget(self.save_button)
        self.new_password.textChanged.connect(self._update_rules)
        self.repeat_password.textChanged.connect(self._update_rules)
        self._update_rules()
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        set_title(
            self,
            _tr("Kies uw definitieve wachtwoord"),
            _tr("U bent ingelogd met een tijdelijk wachtwoord. Kies nu een eigen wachtwoord om verder te gaan."),
        )
        for field, text in (
            (self.new_password, _tr("Nieuw wachtwoord")),
            (self.repeat_password, _tr("Herhaal het nieuwe wachtwoord")),
        ):
            field.setPlaceholderText(text)
            field.setAccessibleName(text)
        self.save_button.setText(_tr("Wachtwoord opslaan en verder"))

    def _rules(self) -> list[tuple[str, bool | None]]:
        new, repeat = self.new_password.text(), self.repeat_password.text()
        rules = list(self.actions.password_rules(new))
        rules.append((_tr("Beide wachtwoorden zijn gelijk"), bool(new) and new == repeat))
        return rules

    def _update_rules(self) -> None:
        self.rules.show_rules(self._rules)
        self.save_button.setEnabled(all(ok is not False for _, ok in self._rules()))

    def _change_password(self) -> None:
        new = self.new_password.text()
        if new != self.repeat_password.text():
            return
        self.error.hide()
        set_busy(self, True, self.save_button)
        self.runner.submit(
            lambda token: self.actions.change_password(new),
            lane=Lane.NETWORK,
            on_success=self._password_changed,
            on_failure=self._password_failed,
            parent_widget=self,
        )

    def _password_changed(self, result: Any) -> None:
        set_busy(self, False, self.save_button)
        self.new_password.clear()
        self.repeat_password.clear()
        self.changed.emit(result)

    def _password_failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.save_button)
        self._update_rules()
        if expected_sentence(exc) is None:
            show_failure(self, exc)
            return
        self.error.set_text(lambda: expected_sentence(exc))
        self.error.show()
