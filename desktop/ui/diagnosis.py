"""The connection diagnosis: what `desktop.sync.doctor` found, in words a field worker can act on.

Seed L1/L2: when the service cannot be reached there is usually no secure connection where the
user is. The panel says which of the three secure ways (Gemnet, a workplace on the allowlist,
Mobiel Werken) is missing and what to do, instead of a raw error.
"""

from __future__ import annotations

from html import escape
from typing import Any, Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.i18n import translate
from desktop.ui import theme
from desktop.ui.widgets import Retranslatable, Text, say, section_title

OK_COLOR = QColor("#2e7d32")
FAIL_COLOR = QColor("#c62828")


def _field(check: Any, name: str, default: Any = None) -> Any:
    """A check may be a dataclass or a dict (the doctor's JSON form); read either."""
    if isinstance(check, dict):
        return check.get(name, default)
    return getattr(check, name, default)


def _code(check: Any) -> str | None:
    error = _field(check, "error")
    return getattr(error, "code", None) if error is not None else _field(check, "code")


def _message(check: Any) -> str:
    return str(_field(check, "message", "") or "")


class DiagnosisPanel(Retranslatable, QWidget):
    """Renders a doctor report: the three secure ways, then each check with its advice."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("sectionTitle")
        layout.addWidget(self.summary)
        self.ways_title = section_title("")
        layout.addWidget(self.ways_title)
        self.ways = QGridLayout()
        self.ways.setHorizontalSpacing(10)
        self.ways.setVerticalSpacing(6)
        layout.addLayout(self.ways)
        self.checks_title = section_title("")
        layout.addWidget(self.checks_title)
        self.checks = QGridLayout()
        self.checks.setHorizontalSpacing(10)
        self.checks.setVerticalSpacing(8)
        layout.addLayout(self.checks)
        buttons = QHBoxLayout()
        self.copy_button = QPushButton(theme.icon("copy"), "")
        self.copy_button.clicked.connect(self._copy)
        self.retry_button = QPushButton(theme.icon("sync"), "")
        self.retry_button.clicked.connect(self.retry_requested)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        layout.addLayout(buttons)
        self._plain = ""
        self._shown = False
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setAccessibleName(self.tr("Diagnose van de verbinding"))
        for title, text in (
            (self.ways_title, self.tr("Beveiligde verbinding")),
            (self.checks_title, self.tr("Controles")),
        ):
            title.setText(text)
            title.setAccessibleName(text)
        self.copy_button.setText(self.tr("Kopieer voor de helpdesk"))
        self.retry_button.setText(self.tr("Opnieuw controleren"))
        if self._shown and self.retry_button.isEnabled():
            # The checks' sentences come from the doctor in the language of its run: check again.
            self.retry_requested.emit()

    NETWORK_CHECKS = frozenset({"dns", "tcp", "tls", "health"})  # failed: the service could not be asked
    WAYS = (
        ("gemnet", QT_TRANSLATE_NOOP("DiagnosisPanel", "Gemnet (het gemeentelijke netwerk)")),
        (
            "allowlisted-workplace",
            QT_TRANSLATE_NOOP("DiagnosisPanel", "Een werkplek waarvan het IP-adres is aangemeld"),
        ),
        ("mobiel-werken", QT_TRANSLATE_NOOP("DiagnosisPanel", "Mobiel Werken (dit apparaat, met apparaatcertificaat)")),
    )

    def show_report(self, checks: Iterable[Any], missing: Iterable[str] = ()) -> None:
        """`checks`: items with `label`, `ok` (True/False/None = not run) and `message`;
        `missing`: the secure ways the doctor found missing (codes as in `desktop.errors`).

        One story, top down: what is wrong, which secure way is missing, then each check; a
        check that passed is one quiet line, a failed one says what to do."""
        self._shown = True
        checks = list(checks)
        missing = set(missing)
        self._clear(self.ways)
        self._clear(self.checks)
        failed = [c for c in checks if _field(c, "ok") is False]
        unreached = not missing and any(
            _field(c, "ok") is False and _field(c, "name") in self.NETWORK_CHECKS for c in checks
        )
        if not failed:
            self.summary.setText(self.tr("De verbinding met de dienst werkt."))
        elif missing:
            self.summary.setText(self.tr("Er is hier geen beveiligde verbinding met MensCentraal."))
        elif unreached:
            self.summary.setText(
                self.tr(
                    "De dienst is hier niet bereikbaar. Meestal ontbreekt dan een beveiligde verbinding: Gemnet, een "
                    "aangemelde werkplek of Mobiel Werken."
                )
            )
        else:
            self.summary.setText(self.tr("De verbinding met de dienst werkt niet; hieronder staat wat u kunt doen."))
        lines = [self.summary.text()]
        self.ways_title.setVisible(bool(missing) or unreached)
        if missing or unreached:
            # The service says which way is missing; unreached, only Mobiel Werken is known here
            # (this device's certificate), the network ways could not be checked.
            device_ok = next((_field(c, "ok") for c in checks if _field(c, "name") == "device-certificate"), None)
            for row, (code, text) in enumerate(self.WAYS):
                if missing:
                    present: bool | None = code not in missing
                else:
                    present = device_ok if code == "mobiel-werken" else None
                label = translate("DiagnosisPanel", text)
                self.ways.addWidget(self._mark(present), row, 0, Qt.AlignmentFlag.AlignTop)
                state = {True: self.tr("aanwezig"), False: self.tr("ontbreekt"), None: self.tr("niet gecontroleerd")}[
                    present
                ]
                way = QLabel(f"{escape(label, quote=False)} — <b>{state}</b>")
                way.setWordWrap(True)
                way.setAccessibleName(f"{label}: {state}")
                self.ways.addWidget(way, row, 1)
                lines.append(f"[{ {True: 'ok', False: '--', None: '..'}[present] }] {label}: {state}")
        for row, check in enumerate(checks):
            ok = _field(check, "ok")
            title = str(_field(check, "label", ""))
            message = _message(check)
            if ok is True:
                text = QLabel(title)  # passed: the title says it all
                text.setTextFormat(Qt.TextFormat.PlainText)  # shown as written: no entity for an apostrophe
            else:
                colour = "palette(text)" if ok is False else "palette(placeholder-text)"
                text = QLabel(
                    f"<b>{escape(title, quote=False)}</b><br>"
                    f"<span style='color: {colour}'>{escape(message, quote=False)}</span>"
                )
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setAccessibleName(f"{title}: {message}")
            self.checks.addWidget(self._mark(ok), row, 0, Qt.AlignmentFlag.AlignTop)
            self.checks.addWidget(text, row, 1)
            mark = {True: "ok", False: "!!", None: ".."}[ok if ok in (True, False) else None]
            lines.append(f"[{mark}] {title}: {message}")
        self.checks.setColumnStretch(1, 1)
        self.ways.setColumnStretch(1, 1)
        self._plain = "\n".join(lines)

    def plain_text(self) -> str:
        """The report as text (no personal data: the doctor reports only connection facts)."""
        return self._plain

    def _copy(self) -> None:
        QApplication.clipboard().setText(self._plain)

    def _mark(self, ok: bool | None) -> QLabel:
        label = QLabel()
        if ok is True:
            pixmap = theme.icon("check", OK_COLOR).pixmap(QSize(18, 18))
            label.setAccessibleName(self.tr("in orde"))
        elif ok is False:
            pixmap = theme.icon("warning", FAIL_COLOR).pixmap(QSize(18, 18))
            label.setAccessibleName(self.tr("probleem"))
        else:
            pixmap = theme.icon("clock").pixmap(QSize(18, 18))
            label.setAccessibleName(self.tr("niet gecontroleerd"))
        label.setPixmap(pixmap)
        return label

    @staticmethod
    def _clear(layout: QGridLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()  # gone from view now, deleted by Qt later
                item.widget().deleteLater()
            elif item.layout() is not None:
                DiagnosisPanel._clear(item.layout())  # type: ignore[arg-type]


class DiagnosisFrame(Retranslatable, QFrame):
    """The panel in a card, for the login screen and the diagnosis window."""

    def __init__(self, parent: QWidget | None = None, title: Text = "") -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        self._title = title
        self.heading = QLabel()
        self.heading.setObjectName("pageTitle")
        self.heading.setVisible(bool(title))
        layout.addWidget(self.heading)
        self.panel = DiagnosisPanel()
        layout.addWidget(self.panel)
        layout.addStretch(1)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        title = say(self._title)
        self.heading.setText(title)
        self.setWindowTitle(title)

    def show_report(self, checks: Iterable[Any], missing: Iterable[str] = ()) -> None:
        """Show a report and, as a window of its own, grow to fit it.

        Qt sizes a top-level window from its size hint, which ignores how tall wrapped sentences
        become at the window's width; without this the advice of a failed check would be clipped.
        """
        self.panel.show_report(checks, missing)
        if self.isWindow():
            # Once the layout has taken in the new rows; with `self` as context, a window closed
            # before then cancels the call instead of resizing a deleted widget.
            QTimer.singleShot(0, self, self.fit_to_content)

    def fit_to_content(self) -> None:
        needed = self.heightForWidth(self.width())
        screen = self.screen().availableGeometry().height() if self.screen() else needed
        if needed > self.height():
            self.resize(self.width(), min(needed, screen))
