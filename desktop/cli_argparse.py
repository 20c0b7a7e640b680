"""argparse in the user's language: its own words ("usage:", "options:", "-h", its error
messages) come from gettext, which argparse looks up through its module's `_` and `ngettext`.
`install()` points those at this catalogue, so `--help` and usage errors are Dutch throughout
when the command line speaks Dutch, and argparse's own English otherwise. Headless (no Qt)."""

from __future__ import annotations

import argparse

from desktop.i18n import current_language

# argparse's message ids (Python 3.11–3.13) → Dutch. An id not listed stays argparse's English.
DUTCH = {
    "usage: ": "gebruik: ",
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "the following arguments are required: %s": "de volgende argumenten zijn verplicht: %s",
    "one of the arguments %s is required": "een van de argumenten %s is verplicht",
    "not allowed with argument %s": "niet toegestaan samen met argument %s",
    "ignored explicit argument %r": "genegeerd argument %r",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "ambiguous option: %(option)s could match %(matches)s": "dubbelzinnige optie: %(option)s kan %(matches)s zijn",
    "unexpected option string: %s": "onverwachte optie: %s",
    "invalid %(type)s value: %(value)r": "ongeldige waarde (%(type)s): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht %(parser_name)r (kies uit %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan '%(filename)s' niet openen: %(error)s",
    'argument "-" with mode %r': 'argument "-" met modus %r',
    "expected %s argument": "verwacht %s waarde",
    "expected %s arguments": "verwacht %s waarden",
}


def gettext(message: str) -> str:
    return DUTCH.get(message, message) if current_language() == "nl" else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return gettext(singular if n == 1 else plural)


def install() -> None:
    """argparse reads `_` and `ngettext` from its module when it speaks, so this also covers
    parsers built before the call."""
    argparse._ = gettext
    argparse.ngettext = ngettext
