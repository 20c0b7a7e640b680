"""Getting in (seed L1–L4): log in, forgotten password, forgotten username, the definitive password,
a locked account with whom to call, and a connection failure explained by the doctor.

The screen holds no logic of its own: every step calls a `LoginActions` method as an operation
off the GUI thread and shows what comes back.
"""
from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFormLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from desktop import errors
from desktop.i18n import translate
from desktop.ui import theme
from desktop.ui.diagnosis import DiagnosisFrame
from desktop.ui.failures import expected_sentence, show_failure
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import LanguageChoice, Notice, muted


class LoginActions(Protocol):
    """What the login screen asks of the core (wired in `desktop.ui.app`)."""

    def organisation_name(self) -> str: ...
    def contacts(self) -> dict[str, Any]: ...
    def can_work_offline(self) -> bool: ...
    def login(self, username: str, password: str) -> Any: ...  # result has `must_change_password`
    def unlock_offline(self, password: str) -> Any: ...
    def request_password_reset(self, username: str) -> str: ...  # the service's neutral sentence
    def change_password(self, new_password: str) -> Any: ...
    def password_rules(self, password: str) -> list[tuple[str, bool | None]]: ...  # None: the service checks
    def diagnose(self) -> tuple[list[Any], list[str]]: ...  # (checks, missing secure ways)


def contacts_text(contacts: dict[str, Any] | None) -> str:
    """Who can reactivate an account: the organisation's local administrator and helpdesk."""
    contacts = contacts or {}
    parts = []
    for key, title in (("local_admin", QT_TRANSLATE_NOOP("LoginWindow", "Lokaal beheerder")),
                       ("helpdesk", QT_TRANSLATE_NOOP("LoginWindow", "Helpdesk"))):
        entry = contacts.get(key)
        if entry:
            parts.append(f"<b>{_tr(title)}</b>: {errors.describe_contact(entry)}")
    return "<br>".join(parts) or translate("LoginWindow", "Vraag de superuser van uw team wie uw lokaal beheerder is.")


def _tr(text: str) -> str:
    """Translate a text marked with QT_TRANSLATE_NOOP("LoginWindow", …)."""
    return translate("LoginWindow", text)


def password_field(placeholder: str, accessible: str) -> QLineEdit:
    """A password field with a 'show' toggle, as users expect on a tablet."""
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(accessible)
    toggle = QAction(theme.icon("eye"), translate("LoginWindow", "Wachtwoord tonen"), field)
    toggle.setObjectName("showPassword")
    toggle.setCheckable(True)

    def show(shown: bool) -> None:
        field.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        # The eye says what a click does next: show, or (crossed out) hide again.
        toggle.setIcon(theme.icon("eye-off" if shown else "eye"))
        toggle.setText(translate("LoginWindow", "Wachtwoord verbergen") if shown else translate("LoginWindow", "Wachtwoord tonen"))

    toggle.toggled.connect(show)
    field.addAction(toggle, QLineEdit.ActionPosition.TrailingPosition)
    return field


def link_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet("QPushButton { text-align: left; padding: 2px 0; border: none; color: palette(link); }"
                         "QPushButton:hover, QPushButton:focus { text-decoration: underline; }")
    button.setAccessibleName(text)
    return button


class PageStack(QWidget):
    """Pages of which one shows, as tall as that page.

    Not a QStackedWidget: its height-for-width is the tallest page's, so a short page (with
    word-wrapped text) would leave the card with empty space at the bottom.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current = -1

    def addWidget(self, page: QWidget) -> None:
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(len(self._pages) - 1 == self._current)

    def setCurrentIndex(self, index: int) -> None:
        self._current = index
        for i, page in enumerate(self._pages):
            page.setVisible(i == index)

    def currentIndex(self) -> int:
        return self._current

    def currentWidget(self) -> QWidget | None:
        return self._pages[self._current] if 0 <= self._current < len(self._pages) else None

    def count(self) -> int:
        return len(self._pages)

    def widget(self, index: int) -> QWidget:
        return self._pages[index]


class PasswordRules(QWidget):
    """The password policy, ticked off live while the user types."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.rows: list[QLabel] = []

    def show_rules(self, rules: list[tuple[str, bool]]) -> None:
        while len(self.rows) < len(rules):
            label = QLabel()
            self._layout.addWidget(label)
            self.rows.append(label)
        for label, (text, ok) in zip(self.rows, rules):
            mark = "•" if ok is None else ("✓" if ok else "○")  # None: checked by the service on saving
            label.setText(f"{mark}  {text}")
            label.setProperty("muted", ok is not True)
            state = translate("LoginWindow", "controle bij opslaan") if ok is None else (translate("LoginWindow", "voldaan") if ok else translate("LoginWindow", "nog niet voldaan"))
            label.setAccessibleName(f"{text}: {state}")
            label.style().unpolish(label)
            label.style().polish(label)
        for label in self.rows[len(rules):]:
            label.hide()


class LoginWindow(QWidget):
    """A centred card on the window background; each step is a page of the card."""

    signed_in = Signal(object)  # the core's session / login result
    unlocked_offline = Signal(object)
    language_requested = Signal(str)

    PAGE_LOGIN, PAGE_FORGOT_PASSWORD, PAGE_FORGOT_USERNAME, PAGE_NEW_PASSWORD = range(4)

    def __init__(self, actions: LoginActions, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.runner = runner
        self._login_result: Any = None
        self.setWindowTitle(self.tr("Inloggen — MensCentraal Mobiel"))
        self.setWindowIcon(theme.app_icon())
        self.resize(980, 720)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        centre = QVBoxLayout(holder)
        centre.setContentsMargins(24, 40, 24, 24)
        centre.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(16)
        brand = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(theme.app_icon().pixmap(44, 44))
        name = QLabel(self.tr("MensCentraal Mobiel"))
        name.setObjectName("pageTitle")
        brand.addWidget(logo)
        brand.addWidget(name)
        brand.addStretch(1)
        self.language = LanguageChoice()
        self.language.language_requested.connect(self.language_requested)
        brand.addWidget(self.language, 0, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(brand)
        self.organisation = muted(actions.organisation_name())
        column.addWidget(self.organisation)
        card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(520)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 22, 24, 22)
        self.stack = PageStack()
        card_layout.addWidget(self.stack)
        column.addWidget(card)
        self.diagnosis = DiagnosisFrame()
        self.diagnosis.setFixedWidth(520)
        self.diagnosis.hide()
        self.diagnosis.panel.retry_requested.connect(self._diagnose)
        column.addWidget(self.diagnosis)
        row.addLayout(column)
        row.addStretch(1)
        centre.addLayout(row)
        centre.addStretch(2)
        scroll.setWidget(holder)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.stack.addWidget(self._login_page())
        self.stack.addWidget(self._forgot_password_page())
        self.stack.addWidget(self._forgot_username_page())
        self.stack.addWidget(self._new_password_page())
        self.show_page(self.PAGE_LOGIN)

    # --- pages --------------------------------------------------------------------------------
    def _title(self, text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-size: 14pt; font-weight: 600;")
        label.setAccessibleName(text)
        return label

    def _login_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._title(self.tr("Inloggen")))
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Gebruikersnaam"))
        self.username.setPlaceholderText(self.tr("bijv. j.devries"))
        self.password = password_field(self.tr("Uw wachtwoord"), self.tr("Wachtwoord"))
        form.addRow(self.tr("Gebruikersnaam"), self.username)
        form.addRow(self.tr("Wachtwoord"), self.password)
        layout.addLayout(form)
        self.login_error = Notice("", "warning")
        self.login_error.hide()
        layout.addWidget(self.login_error)
        self.login_button = QPushButton(self.tr("Inloggen"))
        self.login_button.setDefault(True)
        self.login_button.setAutoDefault(True)
        self.login_button.clicked.connect(self._login)
        self.password.returnPressed.connect(self._login)
        self.username.returnPressed.connect(self.password.setFocus)
        layout.addWidget(self.login_button)
        self.offline_button = QPushButton(theme.icon("offline"), self.tr("Offline werken met de gegevens op dit apparaat"))
        self.offline_button.clicked.connect(self._unlock_offline)
        self.offline_button.hide()
        layout.addWidget(self.offline_button)
        forgot = link_button(self.tr("Wachtwoord vergeten?"))
        forgot.clicked.connect(lambda: self.show_page(self.PAGE_FORGOT_PASSWORD))
        no_mail = link_button(self.tr("Gebruikersnaam vergeten of geen e-mail ontvangen?"))
        no_mail.clicked.connect(lambda: self.show_page(self.PAGE_FORGOT_USERNAME))
        self.forgot_link, self.no_mail_link = forgot, no_mail
        layout.addWidget(forgot)
        layout.addWidget(no_mail)
        layout.addStretch(1)
        return page

    def _forgot_password_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._title(self.tr("Wachtwoord vergeten")))
        layout.addWidget(muted(self.tr(
            "Vul uw gebruikersnaam in. U krijgt een e-mail met een tijdelijk wachtwoord; daarmee logt u in "
            "en kiest u meteen een nieuw wachtwoord.")))
        self.reset_username = QLineEdit()
        self.reset_username.setAccessibleName(self.tr("Gebruikersnaam"))
        self.reset_username.setPlaceholderText(self.tr("Gebruikersnaam"))
        self.reset_username.returnPressed.connect(self._request_reset)
        layout.addWidget(self.reset_username)
        self.reset_answer = Notice("", "info")
        self.reset_answer.hide()
        layout.addWidget(self.reset_answer)
        buttons = QHBoxLayout()
        back = QPushButton(self.tr("Terug"))
        back.clicked.connect(lambda: self.show_page(self.PAGE_LOGIN))
        self.reset_button = QPushButton(self.tr("Tijdelijk wachtwoord aanvragen"))
        self.reset_button.setDefault(True)
        self.reset_button.clicked.connect(self._request_reset)
        buttons.addWidget(back)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        layout.addLayout(buttons)
        layout.addStretch(1)
        return page

    def _forgot_username_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._title(self.tr("Gebruikersnaam vergeten of geen e-mail")))
        layout.addWidget(muted(self.tr(
            "Weet u uw gebruikersnaam niet meer, kreeg u geen e-mail met een tijdelijk wachtwoord, of is uw "
            "account geblokkeerd na meer dan 10 mislukte pogingen? Dan moet uw account opnieuw worden "
            "geactiveerd door uw lokaal beheerder of de helpdesk.")))
        self.username_contacts = QLabel(contacts_text(self.actions.contacts()))
        self.username_contacts.setWordWrap(True)
        self.username_contacts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.username_contacts)
        back = QPushButton(self.tr("Terug naar inloggen"))
        back.clicked.connect(lambda: self.show_page(self.PAGE_LOGIN))
        layout.addWidget(back, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def _new_password_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self._title(self.tr("Kies uw definitieve wachtwoord")))
        layout.addWidget(muted(self.tr("U bent ingelogd met een tijdelijk wachtwoord. Kies nu een eigen wachtwoord om verder te gaan.")))
        self.new_password = password_field(self.tr("Nieuw wachtwoord"), self.tr("Nieuw wachtwoord"))
        self.repeat_password = password_field(self.tr("Herhaal het nieuwe wachtwoord"), self.tr("Herhaal het nieuwe wachtwoord"))
        layout.addWidget(self.new_password)
        layout.addWidget(self.repeat_password)
        self.rules = PasswordRules()
        layout.addWidget(self.rules)
        self.new_password_error = Notice("", "warning")
        self.new_password_error.hide()
        layout.addWidget(self.new_password_error)
        self.save_password_button = QPushButton(self.tr("Wachtwoord opslaan en verder"))
        self.save_password_button.setDefault(True)
        self.save_password_button.clicked.connect(self._change_password)
        layout.addWidget(self.save_password_button)
        self.new_password.textChanged.connect(self._update_rules)
        self.repeat_password.textChanged.connect(self._update_rules)
        self._update_rules()
        layout.addStretch(1)
        return page

    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)  # the card takes the height of the page shown
        if index != self.PAGE_LOGIN:
            self.diagnosis.hide()
        focus = {
            self.PAGE_LOGIN: self.username if not self.username.text() else self.password,
            self.PAGE_FORGOT_PASSWORD: self.reset_username,
            self.PAGE_NEW_PASSWORD: self.new_password,
        }.get(index)
        if index == self.PAGE_FORGOT_PASSWORD and not self.reset_username.text():
            self.reset_username.setText(self.username.text())
        if focus is not None:
            focus.setFocus()

    # --- steps --------------------------------------------------------------------------------
    def _busy(self, busy: bool, *buttons: QPushButton) -> None:
        for button in buttons:
            button.setEnabled(not busy)
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def _login(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self._show_login_error(self.tr("Vul uw gebruikersnaam en wachtwoord in."))
            return
        self.login_error.hide()
        self.diagnosis.hide()
        self._busy(True, self.login_button)
        self.runner.submit(lambda token: self.actions.login(username, password), lane=Lane.NETWORK,
                           on_success=self._logged_in, on_failure=self._login_failed, parent_widget=self)

    def _logged_in(self, result: Any) -> None:
        self._busy(False, self.login_button)
        self.password.clear()
        if getattr(result, "must_change_password", False):
            self._login_result = result
            self.show_page(self.PAGE_NEW_PASSWORD)
            return
        self.signed_in.emit(result)

    def explain_refusal(self, exc: errors.ClientError) -> None:
        """Why the app came back here from the main window (session ended, account locked)."""
        self._login_failed(exc)

    def _login_failed(self, exc: BaseException) -> None:
        self._busy(False, self.login_button)
        if isinstance(exc, errors.AccountLocked):
            self._show_login_error(
                self.tr("Uw account is geblokkeerd na meer dan 10 mislukte aanmeldingen. Laat het heractiveren door:")
                + "<br>" + contacts_text(exc.details.get("contacts") or self.actions.contacts()))
            return
        if isinstance(exc, errors.PasswordChangeRequired):
            self.show_page(self.PAGE_NEW_PASSWORD)
            return
        if isinstance(exc, (errors.ConnectionProblem, errors.NoSecureConnection, errors.DeviceCertificateRequired,
                            errors.ServerCertificateUntrusted, errors.DeviceCertificateNotAccepted,
                            errors.DeviceCertificateExpired, errors.ClockSkew)):
            self._show_login_error(exc.message())
            self.offline_button.setVisible(self.actions.can_work_offline())
            self._diagnose()
            return
        sentence = expected_sentence(exc)
        if sentence is None:
            show_failure(self, exc)
            return
        self._show_login_error(sentence)

    def _show_login_error(self, text: str) -> None:
        self.login_error.set_text(text)
        self.login_error.show()

    def _diagnose(self) -> None:
        self.diagnosis.panel.retry_button.setEnabled(False)
        self.runner.submit(lambda token: self.actions.diagnose(), lane=Lane.NETWORK,
                           on_success=self._diagnosed, on_failure=lambda exc: self.diagnosis.panel.retry_button.setEnabled(True),
                           parent_widget=self)

    def _diagnosed(self, report: tuple[list[Any], list[str]]) -> None:
        checks, missing = report
        self.diagnosis.panel.show_report(checks, missing)
        self.diagnosis.panel.retry_button.setEnabled(True)
        self.diagnosis.show()

    def _unlock_offline(self) -> None:
        password = self.password.text()
        if not password:
            self._show_login_error(self.tr("Vul uw wachtwoord in om offline te werken."))
            return
        self._busy(True, self.login_button, self.offline_button)
        self.runner.submit(lambda token: self.actions.unlock_offline(password), lane=Lane.CACHE,
                           on_success=self._unlocked, on_failure=self._unlock_failed, parent_widget=self)

    def _unlocked(self, result: Any) -> None:
        self._busy(False, self.login_button, self.offline_button)
        self.password.clear()
        self.unlocked_offline.emit(result)

    def _unlock_failed(self, exc: BaseException) -> None:
        self._busy(False, self.login_button, self.offline_button)
        sentence = expected_sentence(exc)
        if sentence is None:
            show_failure(self, exc)
        else:
            self._show_login_error(sentence)

    def _request_reset(self) -> None:
        username = self.reset_username.text().strip()
        if not username:
            self.reset_answer.set_text(self.tr("Vul uw gebruikersnaam in."))
            self.reset_answer.show()
            return
        self._busy(True, self.reset_button)
        self.runner.submit(lambda token: self.actions.request_password_reset(username), lane=Lane.NETWORK,
                           on_success=self._reset_requested, on_failure=self._reset_failed, parent_widget=self)

    def _reset_requested(self, sentence: str) -> None:
        self._busy(False, self.reset_button)
        self.reset_answer.set_text(sentence or self.tr(
            "Als deze gebruikersnaam bestaat, is er een e-mail met een tijdelijk wachtwoord verstuurd."))
        self.reset_answer.show()

    def _reset_failed(self, exc: BaseException) -> None:
        self._busy(False, self.reset_button)
        self.reset_answer.set_text(expected_sentence(exc) or self.tr("Het aanvragen is niet gelukt; probeer het opnieuw."))
        self.reset_answer.show()

    def _update_rules(self) -> None:
        new, repeat = self.new_password.text(), self.repeat_password.text()
        rules = list(self.actions.password_rules(new))
        rules.append((self.tr("Beide wachtwoorden zijn gelijk"), bool(new) and new == repeat))
        self.rules.show_rules(rules)
        self.save_password_button.setEnabled(all(ok is not False for _, ok in rules))

    def _change_password(self) -> None:
        new = self.new_password.text()
        if new != self.repeat_password.text():
            return
        self.new_password_error.hide()
        self._busy(True, self.save_password_button)
        self.runner.submit(lambda token: self.actions.change_password(new), lane=Lane.NETWORK,
                           on_success=self._password_changed, on_failure=self._password_failed, parent_widget=self)

    def _password_changed(self, result: Any) -> None:
        self._busy(False, self.save_password_button)
        self.new_password.clear()
        self.repeat_password.clear()
        self.signed_in.emit(result)

    def _password_failed(self, exc: BaseException) -> None:
        self._busy(False, self.save_password_button)
        self._update_rules()
        sentence = expected_sentence(exc)
        if sentence is None:
            show_failure(self, exc)
            return
        self.new_password_error.set_text(sentence)
        self.new_password_error.show()
