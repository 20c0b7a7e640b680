"""Translated names for the codes the service sends: capability reasons, roles, outcomes.

The service decides (docs/API.md); the client only says it in the user's language.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors
from desktop.i18n import translate

REASONS = errors.CAPABILITY_REASONS  # the command line says them too (kept in the core)

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
    return errors.capability_reason(code)


def role(code: str) -> str:
    return _t(ROLES[code]) if code in ROLES else code


def case_role(code: str) -> str:
    return _t(CASE_ROLES[code]) if code in CASE_ROLES else code


def outcome(code: str) -> str:
    return _t(OUTCOMES[code]) if code in OUTCOMES else code
