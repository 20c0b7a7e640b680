"""Small parts of the login card: contacts, password fields, link buttons, the page stack, the rules."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QToolButton, QVBoxLayout, QWidget

from desktop import errors
from desktop.i18n import translate
from desktop.ui import theme
from desktop.ui.widgets import Retranslatable


def contacts_text(contacts: dict[str, Any] | None) -> str:
    """Who can reactivate an account: the organisation's local administrator and helpdesk."""
    contacts = contacts or {}
    parts = []
    for key, title in (
        ("local_admin", QT_TRANSLATE_NOOP("LoginWindow", "Lokaal beheerder")),
        ("helpdesk", QT_TRANSLATE_NOOP("LoginWindow", "Helpdesk")),
    ):
        entry = contacts.get(key)
        if entry:
            parts.append(f"<b>{_tr(title)}</b>: {errors.describe_contact(entry)}")
    return "<br>".join(parts) or translate("LoginWindow", "Vraag de superuser van uw team wie uw lokaal beheerder is.")


def _tr(text: str) -> str:
    """Translate a text marked with QT_TRANSLATE_NOOP("LoginWindow", …)."""
    return translate("LoginWindow", text)


class PasswordField(Retranslatable, QLineEdit):
    """A password field with a 'show' toggle, as users expect on a tablet. Its owner sets the
    placeholder and accessible name in its own `retranslate_ui`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.toggle = QAction(theme.icon("eye"), "", self)
        self.toggle.setObjectName("showPassword")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._show)
        self.addAction(self.toggle, QLineEdit.ActionPosition.TrailingPosition)
        # Qt leaves the toggle's button out of the Tab chain: put it in, right after the field,
        # so a keyboard user can show the password too (Space toggles it).
        for button in self.findChildren(QToolButton):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.retranslate_ui()

    def _show(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        # The eye says what a click does next: show, or (crossed out) hide again.
        self.toggle.setIcon(theme.icon("eye-off" if shown else "eye"))
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        shown = self.toggle.isChecked()
        self.toggle.setText(
            translate("LoginWindow", "Wachtwoord verbergen") if shown else translate("LoginWindow", "Wachtwoord tonen")
        )


def password_field(placeholder: str = "", accessible: str = "") -> PasswordField:
    """A password field; a translated placeholder and name belong in the owner's `retranslate_ui`."""
    field = PasswordField()
    field.setPlaceholderText(placeholder)
    field.setAccessibleName(accessible)
    return field


def link_button(text: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setFlat(True)
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setStyleSheet(
        "QPushButton { text-align: left; padding: 2px 0; border: none; color: palette(link); }"
        "QPushButton:hover, QPushButton:focus { text-decoration: underline; }"
    )
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


class PasswordRules(Retranslatable, QWidget):
    """The password policy, ticked off live while the user types; `rules` says them again in a new language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.rows: list[QLabel] = []
        self._rules: Callable[[], list[tuple[str, bool | None]]] = list

    def show_rules(self, rules: Callable[[], list[tuple[str, bool | None]]]) -> None:
        self._rules = rules
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        rules = self._rules()
        while len(self.rows) < len(rules):
            label = QLabel()
            self._layout.addWidget(label)
            self.rows.append(label)
        for label, (text, ok) in zip(self.rows, rules):
            mark = "•" if ok is None else ("✓" if ok else "○")  # None: checked by the service on saving
            label.setText(f"{mark}  {text}")
            label.setProperty("muted", ok is not True)
            state = (
                translate("LoginWindow", "controle bij opslaan")
                if ok is None
                else (translate("LoginWindow", "voldaan") if ok else translate("LoginWindow", "nog niet voldaan"))
            )
            label.setAccessibleName(f"{text}: {state}")
            label.style().unpolish(label)
            label.style().polish(label)
        for label in self.rows[len(rules) :]:
            label.hide()


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("cardTitle")  # its size follows the text size: theme.stylesheet()
    label.setAccessibleName(text)
    return label
