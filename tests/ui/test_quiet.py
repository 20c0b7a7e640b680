"""An idle app sleeps: the text cursor stops blinking a while after the last input (issue 19)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.ui.quiet import BlinkTimeout


def test_the_cursor_stops_blinking_after_a_while_and_blinks_again_at_the_next_key(qtbot):
    app = QApplication.instance()
    hints = app.styleHints()
    flash = hints.cursorFlashTime()
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    quiet = BlinkTimeout(app, seconds=0.05)
    try:
        assert quiet.blinking()
        qtbot.waitUntil(lambda: not quiet.blinking(), timeout=2000)
        assert hints.cursorFlashTime() == 0
        qtbot.keyClick(edit, Qt.Key.Key_A)
        assert quiet.blinking() and hints.cursorFlashTime() == flash
        qtbot.waitUntil(lambda: not quiet.blinking(), timeout=2000)
    finally:
        quiet.deleteLater()
        hints.setCursorFlashTime(flash)
