"""Translated names for the codes the service sends: capability reasons, roles, outcomes.

The service decides (docs/API.md); the client only says it in the user's language.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.i18n import translate

REASONS = {
    "not-case-member": QT_TRANSLATE_NOOP("Labels", "Alleen de zaakcoördinator of een zaakondersteuner kan dit doen."),
    "case-closed": QT_TRANSLATE_NOOP("Labels", "De zaak is afgesloten."),
    "not-authorised-for-case-type": QT_TRANSLATE_NOOP("Labels", "U bent niet geautoriseerd voor dit zaaktype."),
    "case-delete-not-possible": QT_TRANSLATE_NOOP(
        "Labels",
        "Een zaak kan niet worden verwijderd; sluit een per vergissing aangemaakte zaak af met de reden "
        "'administratieve fout'.",
    ),
    "task-held-by-other": QT_TRANSLATE_NOOP("Labels", "Een collega heeft deze taak al opgepakt."),
    "not-task-holder": QT_TRANSLATE_NOOP("Labels", "Alleen wie de taak heeft opgepakt kan dit doen."),
    "task-not-in-queue": QT_TRANSLATE_NOOP("Labels", "De taak staat niet (meer) in de werkbak."),
    "task-completed": QT_TRANSLATE_NOOP("Labels", "De taak is al afgerond."),
    "admin-only": QT_TRANSLATE_NOOP("Labels", "Alleen de lokaal beheerder of de helpdesk kan dit doen."),
}

ROLES = {
    "medewerker": QT_TRANSLATE_NOOP("Labels", "Medewerker"),
    "superuser": QT_TRANSLATE_NOOP("Labels", "Superuser"),
    "lokaal_beheerder": QT_TRANSLATE_NOOP("Labels", "Lokaal beheerder"),
    "helpdesk": QT_TRANSLATE_NOOP("Labels", "Helpdesk"),
}
ADMIN_ROLES = frozenset({"lokaal_beheerder", "helpdesk"})

CASE_ROLES = {
    "coordinator": QT_TRANSLATE_NOOP("Labels", "Zaakcoördinator"),
    "supporter": QT_TRANSLATE_NOOP("Labels", "Zaakondersteuner"),
}

OUTCOMES = {
    "afgerond": QT_TRANSLATE_NOOP("Labels", "Afgerond"),
    "doorverwezen": QT_TRANSLATE_NOOP("Labels", "Doorverwezen"),
    "ingetrokken": QT_TRANSLATE_NOOP("Labels", "Ingetrokken"),
    "administratieve_fout": QT_TRANSLATE_NOOP("Labels", "Administratieve fout"),
}


def _t(text: str) -> str:
    """Translate a text marked above with QT_TRANSLATE_NOOP("Labels", …)."""
    return translate("Labels", text)


def reason(code: str | None) -> str:
    """The sentence for a capability's reason code; a neutral one for codes we do not know."""
    if code in REASONS:
        return _t(REASONS[code])
    return translate("Labels", "Dit is nu niet mogelijk.")


def role(code: str) -> str:
    return _t(ROLES[code]) if code in ROLES else code


def case_role(code: str) -> str:
    return _t(CASE_ROLES[code]) if code in CASE_ROLES else code


def outcome(code: str) -> str:
    return _t(OUTCOMES[code]) if code in OUTCOMES else code
