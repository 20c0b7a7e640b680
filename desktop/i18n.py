"""One translation path for the command line and the GUI.

Source strings are Dutch (the default language); English comes from
`desktop/ui/i18n/menscentraal_en.qm`, built by `make translations` from the `.ts` that
`pyside6-lupdate` fills from this code. lupdate recognises a call named `translate(context, text)`
(a bare `tr(context, text)` would be read as text + comment), so core code calls `translate`;
`tr` is the same function for readers who expect that name. QtCore only: this runs headless.

The core's own sentences (errors, doctor, command line, session) have their English in
`desktop/ui/i18n/core_en.ts`; refresh it with
`pyside6-lupdate desktop/errors.py desktop/cli.py desktop/session.py desktop/sync/doctor.py -ts desktop/ui/i18n/core_en.ts`
and translate the new entries (a test fails while an error sentence has no English).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
I18N_DIR = Path(__file__).resolve().parent / "ui" / "i18n"

# Keeps the installed translators alive (Qt holds only pointers) and lets a switch replace them.
_installed: list[QTranslator] = []
_language = DEFAULT_LANGUAGE


def translate(context: str, text: str, n: int = -1) -> str:
    """The sentence in the chosen language (Dutch when nothing is installed)."""
    return QCoreApplication.translate(context, text, None, n)


tr = translate


def ensure_application() -> QCoreApplication:
    """The running Qt application, or a headless QCoreApplication for the command line.

    The GUI creates its QApplication first; Qt installs translators only on an existing one.
    """
    app = QCoreApplication.instance()
    if app is None:
        app = QCoreApplication(["menscentraal"])
    return app


def qm_path(language: str) -> Path:
    """The GUI's translation (sources: menscentraal_<lang>.ts)."""
    return I18N_DIR / f"menscentraal_{language}.qm"


def qm_paths(language: str) -> list[Path]:
    """Every compiled translation for `language`: the GUI's and the core's (core_<lang>.ts)."""
    return sorted(I18N_DIR.glob(f"*_{language}.qm"))


def install_language(language: str) -> bool:
    """Switch every later `translate` call to `language`; True when a translation loaded.

    Dutch needs no file but its plural forms. A missing .qm (translations not built) falls back to Dutch rather than
    failing: the program must stay usable.
    """
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    app = ensure_application()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    _language = language
    # Dutch is the source language; its file holds only the plural forms (numerus, `%n`).
    for path in qm_paths(language):
        translator = QTranslator()
        if translator.load(str(path)):
            app.installTranslator(translator)
            _installed.append(translator)
    return language == DEFAULT_LANGUAGE or bool(_installed)


def current_language() -> str:
    return _language
