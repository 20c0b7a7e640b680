"""First run: enroll this device for Mobiel Werken (service, username, password, one-time code).

The organisation's configuration may preset the service address and its CA; preset fields are
shown but not editable. Enrolling runs off the GUI thread; a refusal is one sentence and leaves
nothing behind (the core records nothing when the service refuses).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QFrame,
    QLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import scaling, theme
from desktop.ui.failures import expected_sentence, show_failure
from desktop.ui.login_parts import password_field
from desktop.ui.operations import Lane, OperationRunner
from desktop.ui.widgets import LanguageChoice, Notice, Retranslatable, Text, muted

Enroll = Callable[[str, bytes, str, str, str], Any]  # (service url, CA PEM, username, password, code)


class EnrollmentWindow(Retranslatable, QWidget):
    enrolled = Signal(object)
    language_requested = Signal(str)

    def __init__(
        self, enroll: Enroll, runner: OperationRunner, preset: dict | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._enroll = enroll
        self.runner = runner
        preset = preset or {}
        self.setWindowIcon(theme.app_icon())
        self.resize(980, 720)
        outer = QVBoxLayout(self)
        outer.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # the card follows the window (resizeEvent)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(14)
        brand = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(theme.app_icon().pixmap(scaling.px(44), scaling.px(44)))
        self.title = title = QLabel()
        title.setObjectName("pageTitle")
        title.setWordWrap(True)  # on two lines beside the language when an upright screen has no room
        brand.addWidget(logo)
        brand.addWidget(title)
        brand.addStretch(1)
        self.language = LanguageChoice()
        self.language.language_requested.connect(self.language_requested)
        brand.addWidget(self.language, 0, Qt.AlignmentFlag.AlignVCenter)
        column.addLayout(brand)
        self.intro = intro = muted("")
        intro.setFixedWidth(scaling.card_width(scaling.px(scaling.CARD)))
        column.addWidget(intro)
        self.card = card = QFrame()
        card.setObjectName("card")
        card.setFixedWidth(scaling.card_width(scaling.px(scaling.CARD)))
        form_box = QVBoxLayout(card)
        form_box.setContentsMargins(24, 20, 24, 20)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        self.service = QLineEdit(preset.get("service_url", ""))
        self.service.setPlaceholderText("https://menscentraal.gemeente.nl")
        self.ca_path = QLineEdit(str(preset.get("ca_path", "")))
        self.browse = browse = QPushButton()
        browse.clicked.connect(self._browse)
        ca_row = QHBoxLayout()
        ca_row.setSpacing(6)
        ca_row.addWidget(self.ca_path, 1)
        ca_row.addWidget(browse)
        if preset.get("service_url"):
            self.service.setReadOnly(True)
        if preset.get("ca_path"):
            self.ca_path.setReadOnly(True)
            browse.hide()
        self.username = QLineEdit()
        self.password = password_field()
        self.code = QLineEdit()
        self.form_labels = [QLabel() for _ in range(5)]
        for label, field in zip(self.form_labels, (self.service, ca_row, self.username, self.password, self.code)):
            form.addRow(label, field)
        form_box.addLayout(form)
        self.error = Notice("", "warning")
        self.error.hide()
        form_box.addWidget(self.error)
        self.submit = QPushButton()
        self.submit.setDefault(True)
        self.submit.clicked.connect(self._submit)
        self.code.returnPressed.connect(self._submit)
        form_box.addWidget(self.submit)
        column.addWidget(card)
        row.addLayout(column)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.retranslate_ui()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # the card narrower than designed when the window is (upright at 200% text): nothing cut off
        margins = self.layout().contentsMargins()
        scaling.fit_cards([self.intro, self.card], event.size().width() - margins.left() - margins.right())
        super().resizeEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Apparaat aanmelden — MensCentraal Mobiel"))
        self.title.setText(self.tr("Dit apparaat aanmelden"))
        self.intro.setText(
            self.tr(
                "Met Mobiel Werken maakt dit apparaat een beveiligde verbinding met MensCentraal, ook buiten Gemnet. "
                "U hebt een eenmalige aanmeldcode nodig van uw lokaal beheerder."
            )
        )
        self.service.setAccessibleName(self.tr("Adres van de dienst"))
        if self.service.isReadOnly():
            self.service.setToolTip(self.tr("Ingesteld door uw organisatie"))
        self.ca_path.setAccessibleName(self.tr("Certificaat van uw organisatie (CA-bestand)"))
        self.browse.setText(self.tr("Kies…"))
        self.username.setAccessibleName(self.tr("Gebruikersnaam"))
        self.password.setPlaceholderText(self.tr("Uw wachtwoord"))
        self.password.setAccessibleName(self.tr("Wachtwoord"))
        self.code.setAccessibleName(self.tr("Eenmalige aanmeldcode"))
        self.code.setPlaceholderText(self.tr("Code van uw lokaal beheerder"))
        for label, text in zip(
            self.form_labels,
            (
                self.tr("Dienst"),
                self.tr("CA-bestand"),
                self.tr("Gebruikersnaam"),
                self.tr("Wachtwoord"),
                self.tr("Aanmeldcode"),
            ),
        ):
            label.setText(text)
        self.submit.setText(self.tr("Apparaat aanmelden"))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA-bestand kiezen"), "", self.tr("Certificaten (*.pem *.crt);;Alle bestanden (*)")
        )
        if path:
            self.ca_path.setText(path)

    def show_error(self, text: Text) -> None:
        self.error.set_text(text)
        self.error.show()

    def _submit(self) -> None:
        fields = (
            self.service.text().strip(),
            self.ca_path.text().strip(),
            self.username.text().strip(),
            self.password.text(),
            self.code.text().strip(),
        )
        if not all(fields):
            self.show_error(lambda: self.tr("Vul alle velden in; de aanmeldcode krijgt u van uw lokaal beheerder."))
            return
        service, ca_path, username, password, code = fields
        try:
            ca_pem = Path(ca_path).read_bytes()
        except OSError:
            self.show_error(
                lambda: self.tr(
                    "Het CA-bestand is niet te lezen; kies het bestand dat u van uw lokaal beheerder kreeg."
                )
            )
            return
        self.error.hide()
        self.submit.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.runner.submit(
            lambda token: self._enroll(service, ca_pem, username, password, code),
            lane=Lane.NETWORK,
            on_success=self._done,
            on_failure=self._failed,
            parent_widget=self,
        )

    def _done(self, result: Any) -> None:
        self.unsetCursor()
        self.submit.setEnabled(True)
        self.password.clear()
        self.code.clear()
        self.enrolled.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.unsetCursor()
        self.submit.setEnabled(True)
        if expected_sentence(exc) is None:
            show_failure(self, exc)
        else:
            self.show_error(lambda: expected_sentence(exc))
