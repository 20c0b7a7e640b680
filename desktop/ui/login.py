"""Getting in (seed L1–L4): log in, forgotten password, forgotten username, the definitive password,
a locked account with whom to call, and a connection failure explained by the doctor.

The screen holds no logic of its own: every step calls a `LoginActions` method as an operation
off the GUI thread and shows what comes back. The window holds the pages (the sign-in form is
login_form.py, the others login_pages.py), the background probe of the service and the diagnosis.
"""

from __future__ import annotations

from typing import Any, Protocol

import shiboken6

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QStyle, QVBoxLayout, QWidget

from desktop import errors
from desktop.ui import scaling, theme
from desktop.ui.diagnosis import DiagnosisFrame
from desktop.ui.login_form import LoginForm
from desktop.ui.login_pages import ForgotUsernamePage, NewPasswordPage, ResetPasswordPage
from desktop.ui.login_parts import PageStack
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import LanguageChoice, Notice, Retranslatable, muted


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
    def probe(self) -> Any: ...  # None when the service answers, else the error that says why not


class LoginWindow(Retranslatable, QWidget):
    """A centred card on the window background; each step is a page of the card."""

    signed_in = Signal(object)  # the core's session / login result
    unlocked_offline = Signal(object)
    language_requested = Signal(str)
    submitted = Signal()  # a login or offline unlock was sent off (LoginForm.submitted)

    PAGE_LOGIN, PAGE_FORGOT_PASSWORD, PAGE_FORGOT_USERNAME, PAGE_NEW_PASSWORD = range(4)

    def __init__(self, actions: LoginActions, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.actions = actions
        self.runner = runner
        self.setWindowIcon(theme.app_icon())
        self.resize(980, 720)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a silent Tab stop; each field scrolls into view on focus
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
        logo.setPixmap(theme.app_icon().pixmap(scaling.px(44), scaling.px(44)))
        name = QLabel()  # the product's name: the same in every language
        name.setObjectName("pageTitle")
        name.setWordWrap(True)  # on two lines beside the language when an upright screen has no room
        brand.addWidget(logo)
        brand.addWidget(name)
        brand.addStretch(1)
        self.language = LanguageChoice()
        self.language.language_requested.connect(self.language_requested)
        brand.addWidget(self.language, 0, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(brand)
        self.organisation = muted(actions.organisation_name())
        column.addWidget(self.organisation)
        self.reachability = Notice("", "warning")  # the background probe's verdict, before any try
        self.reachability.setObjectName("serviceUnreachable")
        self.reachability.setFixedWidth(scaling.card_width(scaling.px(scaling.CARD)))
        self.reachability.hide()
        column.addWidget(self.reachability)
        self.card = card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(scaling.card_width(scaling.px(scaling.CARD)))
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(24, 22, 24, 22)
        self.stack = PageStack()
        card_layout.addWidget(self.stack)
        column.addWidget(card)
        self.diagnosis = DiagnosisFrame()
        self.diagnosis.setFixedWidth(scaling.card_width(scaling.px(scaling.CARD)))
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

        self.form = form = LoginForm(actions, runner)
        form.signed_in.connect(self.signed_in)
        form.unlocked_offline.connect(self.unlocked_offline)
        form.new_password_needed.connect(lambda: self.show_page(self.PAGE_NEW_PASSWORD))
        form.forgot_password_requested.connect(lambda: self.show_page(self.PAGE_FORGOT_PASSWORD))
        form.forgot_username_requested.connect(lambda: self.show_page(self.PAGE_FORGOT_USERNAME))
        form.diagnosis_needed.connect(self._diagnose)
        form.attempt_started.connect(self.diagnosis.hide)
        form.submitted.connect(self.submitted)
        # the form's fields, as the tests and the language switch know them
        self.username, self.password, self.login_error = form.username, form.password, form.login_error
        self.login_button, self.offline_button = form.login_button, form.offline_button
        self.forgot_link = form.forgot_link
        self.reset_page = ResetPasswordPage(actions, runner)
        self.username_page = ForgotUsernamePage(actions.contacts())
        self.new_password_page = NewPasswordPage(actions, runner)
        for page in (self.reset_page, self.username_page):
            page.back_requested.connect(lambda: self.show_page(self.PAGE_LOGIN))
        self.new_password_page.changed.connect(self.signed_in)
        for page in (form, self.reset_page, self.username_page, self.new_password_page):
            self.stack.addWidget(page)
        # Tab as one reads (WCAG 2.4.3): the language choice above the card, the card, the diagnosis
        # below it. The pages joined Qt's focus chain before the language: it goes after the
        # diagnosis, which round the Tab cycle is before the card.
        QWidget.setTabOrder(self.diagnosis.panel.retry_button, self.language)
        self.show_page(self.PAGE_LOGIN)
        name.setText("MensCentraal Mobiel")
        self.retranslate_ui()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # the cards narrower than designed when the window is (upright at 200% text): no sideways scrolling
        room = event.size().width() - 48 - self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        scaling.fit_cards([self.reachability, self.card, self.diagnosis], room)
        super().resizeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Inloggen — MensCentraal Mobiel"))

    def set_known_username(self, username: str) -> None:
        """This device is enrolled for `username`: shown, not editable."""
        self.form.set_known_username(username)
        self.show_page(self.PAGE_LOGIN)

    # --- pages --------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)  # the card takes the height of the page shown
        if index != self.PAGE_LOGIN:
            self.diagnosis.hide()
        focus = {
            self.PAGE_LOGIN: self.username if not self.username.text() else self.password,
            self.PAGE_FORGOT_PASSWORD: self.reset_page.username,
            self.PAGE_NEW_PASSWORD: self.new_password_page.new_password,
        }.get(index)
        if index == self.PAGE_FORGOT_PASSWORD and not self.reset_page.username.text():
            self.reset_page.username.setText(self.username.text())
        if focus is not None:
            focus.setFocus()

    # --- before the user tries ----------------------------------------------------------------
    def start_probe(self) -> None:
        """Ask, off the GUI thread, whether the service can be reached; say so before the user tries."""
        self.runner.submit(
            lambda token: self.actions.probe(),
            lane=Lane.NETWORK,
            on_success=self._probed,
            on_failure=lambda exc: None,
            parent_widget=self,
        )

    def _probed(self, unreachable: Any) -> None:
        if not shiboken6.isValid(self):
            return  # signed in (or retired) meanwhile
        if unreachable is None:
            self.reachability.hide()
            return
        offline = self.actions.can_work_offline()
        self.reachability.set_text(
            lambda: (
                self.tr(  # said again after a language switch
                    "De dienst is vanaf hier nu niet bereikbaar. Meestal ontbreekt een beveiligde verbinding (Gemnet, een "
                    "aangemelde werkplek of Mobiel Werken); de diagnose hieronder zegt wat er mis is."
                )
                + (" " + self.tr("U kunt offline werken met de gegevens op dit apparaat.") if offline else "")
            )
        )
        self.reachability.show()
        self.offline_button.setVisible(self.actions.can_work_offline())
        if self.stack.currentIndex() == self.PAGE_LOGIN:
            self._diagnose()

    def explain_logout(self) -> None:
        """Back here after Afmelden: say so, and that the data stays safe on this device."""
        self.form.explain_logout()

    def explain_refusal(self, exc: errors.ClientError) -> None:
        """Why the app came back here from the main window (session ended, account locked)."""
        self.form.explain_refusal(exc)

    def _diagnose(self) -> None:
        self.diagnosis.panel.retry_button.setEnabled(False)
        self.runner.submit(
            lambda token: self.actions.diagnose(),
            lane=Lane.NETWORK,
            on_success=self._diagnosed,
            on_failure=lambda exc: self.diagnosis.panel.retry_button.setEnabled(True),
            parent_widget=self,
        )

    def _diagnosed(self, report: tuple[list[Any], list[str]]) -> None:
        if not shiboken6.isValid(self):
            return  # the window was retired while the doctor ran (signed in meanwhile)
        checks, missing = report
        self.diagnosis.panel.show_report(checks, missing)
        self.diagnosis.panel.retry_button.setEnabled(True)
        self.diagnosis.show()
