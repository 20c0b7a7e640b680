"""The About dialog: the version, and whom to ask for help in this organisation.

Contacts come from `desktop.org_config.effective_contacts`: the service's where it sent them,
else the organisation file's. The dialog only shows; the caller gathers them.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop import errors
from desktop.org_config import OrganisationConfigError, effective_contacts, load_organisation
from desktop.ui import scaling, theme
from desktop.ui.widgets import Retranslatable
from desktop.version import PRODUCT_NAME, version

CONTACT_ROLES = (
    ("local_admin", QT_TRANSLATE_NOOP("AboutDialog", "Lokaal beheerder")),
    ("helpdesk", QT_TRANSLATE_NOOP("AboutDialog", "Helpdesk")),
)


def organisation_contacts(service_contacts: Any = None) -> dict[str, Any]:
    """The contacts to show; a broken organisation file shows the service's alone (it was reported at start)."""
    try:
        organisation = load_organisation()
    except OrganisationConfigError:
        organisation = None
    return effective_contacts(organisation, service_contacts)


class AboutDialog(Retranslatable, QDialog):
    def __init__(self, contacts: dict[str, Any] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self._contacts = contacts = contacts or {}
        layout = QVBoxLayout(self)
        layout.setSpacing(12)

        heading = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(theme.app_icon().pixmap(scaling.px(48), scaling.px(48)))
        self.title = title = QLabel()
        title.setObjectName("aboutVersion")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # for the helpdesk call
        heading.addWidget(logo)
        heading.addWidget(title, 1)
        layout.addLayout(heading)

        self.contacts_label = QLabel()
        self.contacts_label.setObjectName("aboutContacts")
        self.contacts_label.setWordWrap(True)
        self.contacts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.contacts_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Over {product}").format(product=PRODUCT_NAME))
        self.title.setText(
            f"<b>{html.escape(PRODUCT_NAME)}</b><br>"
            + html.escape(self.tr("Versie {version}").format(version=version()))
        )
        self.contacts_label.setText(self.contacts_html(self._contacts))

    def contacts_html(self, contacts: dict[str, Any]) -> str:
        lines = []
        organisation = contacts.get("organisation")
        if organisation:
            lines.append(html.escape(self.tr("Organisatie: {name}").format(name=organisation)))
        lines.append(html.escape(self.tr("Vragen? Stel ze eerst aan de superuser van uw team; daarna:")))
        found = False
        for key, title in CONTACT_ROLES:
            entry = contacts.get(key)
            if isinstance(entry, dict) and entry:
                found = True
                lines.append(f"<b>{html.escape(self.tr(title))}</b>: {html.escape(errors.describe_contact(entry))}")
        if not found:
            lines.append(html.escape(self.tr("Vraag de superuser van uw team wie uw lokaal beheerder is.")))
        return "<br>".join(lines)


def show_about(parent: QWidget | None, service_contacts: Any = None) -> AboutDialog:
    """Open the dialog (non-blocking) and return it."""
    dialog = AboutDialog(organisation_contacts(service_contacts), parent)
    dialog.open()
    return dialog
