"""Sizes that follow the text size (issue 18: 200% text, WCAG 1.4.4).

A width chosen for the text at the size we design with (9 pt, Windows' default) grows in
proportion when the system's text is larger, so a card fixed at 520 px at 9 pt is 1040 px at
18 pt and its sentences and links still fit. It never shrinks below the designed size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

DESIGN_POINTS = 9.0


def text_points() -> float:
    """The application's text size in points (a font set in pixels has none: then the designed size)."""
    points = QApplication.font().pointSizeF()
    return points if points > 0 else DESIGN_POINTS


def px(value: int) -> int:
    return round(value * max(1.0, text_points() / DESIGN_POINTS))
