"""One translation path for the command line and the GUI.

Source strings are Dutch (the default language); English comes from
`desktop/ui/i18n/menscentraal_en.qm`, built by `make translations` from the `.ts` that
`pyside6-lupdate` fills from this code. lupdate recognises a call named `translate(context, text)`
(a bare `tr(context, text)` would be read as text + comment), so core code calls `translate`;
`tr` is the same function for readers who expect that name. QtCore only: this runs headless.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
I18N_DIR = Path(__file__).resolve().parent / "ui" / "i18n"

# Keeps the installed translator alive (Qt holds only a pointer) and lets a switch replace it.
_installed: QTranslator | None = None


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
    return I18N_DIR / f"menscentraal_{language}.qm"


def install_language(language: str) -> bool:
    """Switch every later `translate` call to `language`; True when its translation loaded.

    Dutch needs no file. A missing .qm (translations not built) falls back to Dutch rather than
    failing: the program must stay usable.
    """
    global _installed
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    app = ensure_application()
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    if language == DEFAULT_LANGUAGE:
        return True
    translator = QTranslator()
    if not translator.load(str(qm_path(language))):
        return False
    app.installTranslator(translator)
    _installed = translator
    return True


def current_language() -> str:
    return DEFAULT_LANGUAGE if _installed is None else _installed.language() or "en"
