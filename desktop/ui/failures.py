"""How a failed operation reaches the user.

Three kinds, as the house style says: cancelled (silent, handled by `operations`), expected
(one sentence in the user's language saying what to do next) and bugs (a short apology with
"copy details": the exception type and code locations only — never the exception's message or
local values, which may hold personal data).
"""

from __future__ import annotations

import platform
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.errors import ClientError, storage_error
from desktop.i18n import translate


def expected_sentence(exc: BaseException) -> str | None:
    """The user-facing sentence of an expected error (`desktop.errors.ClientError`), else None."""
    if isinstance(exc, ClientError):
        return exc.message()
    disk_fault = storage_error(exc)  # disk full, read-only, no permission, a damaged page
    return disk_fault.message() if disk_fault is not None else None


def bug_details(exc: BaseException) -> str:
    """A report safe to paste into a helpdesk ticket: where it broke, not what data it held."""
    frames = traceback.extract_tb(exc.__traceback__)
    lines = [f"{type(exc).__module__}.{type(exc).__qualname__}"]
    lines += [f"  {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}" for frame in frames]
    lines.append(f"Python {platform.python_version()} · {platform.system()} {platform.release()}")
    return "\n".join(lines)


def show_failure(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show `exc` without blocking: a sentence for expected errors, a bug report otherwise."""
    sentence = expected_sentence(exc)
    box = QMessageBox(parent)
    box.setObjectName("failureMessage")
    box.setWindowTitle(translate("Failures", "MensCentraal Mobiel"))
    if sentence is not None:
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(sentence)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
    else:
        details = bug_details(exc)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setText(
            translate("Failures", "Er ging iets mis in het programma. Kopieer de details en stuur ze naar de helpdesk.")
        )
        box.setDetailedText(details)
        copy = box.addButton(translate("Failures", "Details kopiëren"), QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # keep the box open after copying
        copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
        box.addButton(QMessageBox.StandardButton.Close)
    box.setAccessibleName(box.text())
    box.open()  # window-modal, never blocks the event loop
    return box
