"""The sign-in form, the login window's first page: username and password, its two ways in (online
login on the network lane, offline unlock of this device's cache on the cache lane) and what went
wrong, said under the fields. The window around it (login.py) holds the other pages, the
reachability probe and the diagnosis; this form asks for those by signal.

Its texts keep the translation context "LoginWindow", as before the form was its own widget."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop import errors
from desktop.i18n import translate
from desktop.ui import theme
from desktop.ui.failures import expected_sentence, show_failure
from desktop.ui.login_pages import set_busy
from desktop.ui.login_parts import contacts_text, link_button, password_field, title_label
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import Notice, Retranslatable, Text

# A failed login that the connection explains: the sentence, the offline way in, and the diagnosis.
CONNECTION_ERRORS = (
    errors.ConnectionProblem,
    errors.NoSecureConnection,
    errors.DeviceCertificateRequired,
    errors.ServerCertificateUntrusted,
    errors.DeviceCertificateNotAccepted,
    errors.DeviceCertificateExpired,
    errors.ClockSkew,
)


def _tr(text: str) -> str:
    return translate("LoginWindow", text)


class LoginForm(Retranslatable, QWidget):
    """Username, password, Inloggen, offline werken, and the links to the other pages."""

    signed_in = Signal(object)  # the core's login result
    unlocked_offline = Signal(object)
    new_password_needed = Signal()  # the service asks for the definitive password (seed L3)
    forgot_password_requested = Signal()
    forgot_username_requested = Signal()
    diagnosis_needed = Signal()  # the connection failed: the window shows what the doctor finds
    attempt_started = Signal()  # a new try: the last diagnosis no longer applies
    submitted = Signal()  # a login or offline unlock runs off the GUI thread: the GUI thread waits

    def __init__(self, actions: Any, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions, self.runner = actions, runner
        self._login_result: Any = None
        self._known_username = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.login_title = title_label("")
        layout.addWidget(self.login_title)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.username = QLineEdit()
        self.password = password_field()
        self.username_label, self.password_label = QLabel(), QLabel()
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        layout.addLayout(form)
        self.login_error = Notice("", "warning")
        self.login_error.hide()
        layout.addWidget(self.login_error)
        self.login_button = QPushButton()
        self.login_button.setDefault(True)
        self.login_button.setAutoDefault(True)
        self.login_button.clicked.connect(self._login)
        self.password.returnPressed.connect(self._login)
        self.username.returnPressed.connect(self.password.setFocus)
        layout.addWidget(self.login_button)
        self.offline_button = QPushButton(theme.icon("offline"), "")
        self.offline_button.clicked.connect(self._unlock_offline)
        self.offline_button.hide()
        layout.addWidget(self.offline_button)
        self.forgot_link, self.no_mail_link = link_button(), link_button()
        self.forgot_link.clicked.connect(self.forgot_password_requested)
        self.no_mail_link.clicked.connect(self.forgot_username_requested)
        layout.addWidget(self.forgot_link)
        layout.addWidget(self.no_mail_link)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.login_title.setText(_tr("Inloggen"))
        self.login_title.setAccessibleName(self.login_title.text())
        self.username.setAccessibleName(_tr("Gebruikersnaam"))
        self.username.setPlaceholderText(_tr("bijv. j.devries"))
        self.password.setPlaceholderText(_tr("Uw wachtwoord"))
        self.password.setAccessibleName(_tr("Wachtwoord"))
        self.username_label.setText(_tr("Gebruikersnaam"))
        self.password_label.setText(_tr("Wachtwoord"))
        self.login_button.setText(_tr("Inloggen"))
        self.offline_button.setText(_tr("Offline werken met de gegevens op dit apparaat"))
        for link, text in (
            (self.forgot_link, _tr("Wachtwoord vergeten?")),
            (self.no_mail_link, _tr("Gebruikersnaam vergeten of geen e-mail ontvangen?")),
        ):
            link.setText(text)
            link.setAccessibleName(text)
        if self._known_username:
            self.username.setToolTip(translate("DesktopApp", "Dit apparaat is aangemeld voor deze gebruiker."))

    def set_known_username(self, username: str) -> None:
        """This device is enrolled for `username`: shown, not editable."""
        self._known_username = True
        self.username.setText(username)
        self.username.setReadOnly(True)
        self.retranslate_ui()

    def explain_logout(self) -> None:
        """Back here after Afmelden: say so, and that the data stays safe on this device."""
        self._show_login_error(lambda: _tr("U bent afgemeld. Uw gegevens blijven versleuteld op dit apparaat."))

    def explain_refusal(self, exc: errors.ClientError) -> None:
        """Why the app came back here from the main window (session ended, account locked)."""
        self._login_failed(exc)

    # --- online -------------------------------------------------------------------------------
    def _login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._show_login_error(lambda: _tr("Vul uw gebruikersnaam en wachtwoord in."))
            return
        self.login_error.hide()
        self.attempt_started.emit()
        set_busy(self, True, self.login_button)
        self.runner.submit(
            lambda token: self.actions.login(username, password),
            lane=Lane.NETWORK,
            on_success=self._logged_in,
            on_failure=self._login_failed,
            parent_widget=self,
        )
        self.submitted.emit()

    def _logged_in(self, result: Any) -> None:
        set_busy(self, False, self.login_button)
        self.password.clear()
        if getattr(result, "must_change_password", False):
            self._login_result = result
            self.new_password_needed.emit()
            return
        self.signed_in.emit(result)

    def _login_failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.login_button)
        if isinstance(exc, errors.AccountLocked):
            contacts = exc.details.get("contacts") or self.actions.contacts()
            self._show_login_error(
                lambda: (
                    _tr("Uw account is geblokkeerd na meer dan 10 mislukte aanmeldingen. Laat het heractiveren door:")
                    + "<br>"
                    + contacts_text(contacts)
                )
            )
            return
        if isinstance(exc, errors.PasswordChangeRequired):
            self.new_password_needed.emit()
            return
        if isinstance(exc, CONNECTION_ERRORS):
            self._show_login_error(exc.message)
            self.offline_button.setVisible(self.actions.can_work_offline())
            self.diagnosis_needed.emit()
            return
        if expected_sentence(exc) is None:
            show_failure(self.window(), exc)
            return
        self._show_login_error(lambda: expected_sentence(exc))

    def _show_login_error(self, text: Text) -> None:
        self.login_error.set_text(text)
        self.login_error.show()

    # --- offline ------------------------------------------------------------------------------
    def _unlock_offline(self) -> None:
        password = self.password.text()
        if not password:
            self._show_login_error(lambda: _tr("Vul uw wachtwoord in om offline te werken."))
            return
        set_busy(self, True, self.login_button, self.offline_button)
        self.runner.submit(
            lambda token: self.actions.unlock_offline(password),
            lane=Lane.CACHE,
            on_success=self._unlocked,
            on_failure=self._unlock_failed,
            parent_widget=self,
        )
        self.submitted.emit()

    def _unlocked(self, result: Any) -> None:
        set_busy(self, False, self.login_button, self.offline_button)
        self.password.clear()
        self.unlocked_offline.emit(result)

    def _unlock_failed(self, exc: BaseException) -> None:
        set_busy(self, False, self.login_button, self.offline_button)
        if expected_sentence(exc) is None:
            show_failure(self.window(), exc)
        else:
            self._show_login_error(lambda: expected_sentence(exc))
