"""Keyboard-only driving for pytest-qt: every event is a key press on the widget that has the
focus, as a keyboard sends it; no mouse event and no `click()`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

MAX_TABS = 60


def focused() -> QWidget:
    """Where a key goes: the focused widget, or the active window when nothing in it has the focus."""
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None, "no active window to take the keys"
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def tab_to(qtbot, target: QWidget, backwards: bool = False) -> int:
    """Tab (or Shift+Tab) until `target` has the focus; fails when Tab never gets there."""
    modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
    seen = []
    for presses in range(MAX_TABS):
        if target.hasFocus():
            return presses
        seen.append(f"{type(focused()).__name__}({focused().accessibleName() or focused().objectName()})")
        press(qtbot, Qt.Key.Key_Tab, modifier)
    raise AssertionError(f"Tab did not reach {type(target).__name__}({target.accessibleName()}): " + " → ".join(seen))
