"""A keyboard user sees where the focus is (WCAG 2.4.7): a ring in the accent colour around the
focused control, moving with Tab, 3:1 against the ground."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QFocusFrame, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.ui import theme


@pytest.fixture
def themed(qapp):
    """The app's look for one test, and the default one back afterwards."""
    style = qapp.style().name()
    theme.apply(qapp)
    yield qapp
    qapp.focusChanged.disconnect(theme._ring_follows_focus)
    qapp.setProperty("focusRing", False)
    qapp.setStyleSheet("")
    qapp.setStyle(style)


def ring_pixel(window: QWidget, widget: QWidget) -> QColor:
    """The colour on the widget's left edge, halfway down: where the ring's line runs."""
    image = window.grab().toImage()
    geometry = widget.geometry()
    return QColor(image.pixel(geometry.left() + theme.FOCUS_WIDTH // 2, geometry.center().y()))


def test_the_focused_control_has_a_ring_that_follows_tab(qtbot, themed):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.setContentsMargins(20, 20, 20, 20)
    field, box, button = QLineEdit(), QCheckBox("Melding tonen"), QPushButton("Opslaan")
    for widget in (field, box, button):
        layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    field.setFocus()
    accent = theme.colors().accent
    for expected, following in ((field, box), (box, button)):
        qtbot.waitUntil(lambda: expected.hasFocus())
        ring = window.findChild(QFocusFrame, "focusRing")
        assert ring is not None and ring.widget() is expected and ring.isVisible()
        seen = ring_pixel(window, expected)
        assert theme.contrast(seen, theme.colors().window) >= 3.0
        assert (
            abs(seen.red() - accent.red()) + abs(seen.green() - accent.green()) + abs(seen.blue() - accent.blue()) < 40
        )
        qtbot.keyClick(expected, Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: following.hasFocus())
    assert window.findChild(QFocusFrame, "focusRing").widget() is button
