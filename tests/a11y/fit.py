"""Nothing cut off or overlapping in a window (issue 18: 200% text, WCAG 1.4.4 and 1.4.10).

Run inside the app (tests/a11y/app_driver.py `fit`) on the window shown: Qt knows what each label
and button needs (its size hint, or for wrapped text the height for its width) and what it got.
Each finding names the widget by its class, object name and text, so it can be found.
"""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QComboBox,
    QDialog,
    QFocusFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

SLACK = 1  # a pixel of rounding


def name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else widget.accessibleName()
    return f"{type(widget).__name__}({widget.objectName() or ''}) {text.replace('&', '')[:50]!r}"


def shown(top: QWidget) -> list[QWidget]:
    """The widgets shown in `top` (the focus ring is drawn over the focused control on purpose)."""
    return [
        w
        for w in top.findChildren(QWidget)
        if w.isVisible() and not w.isWindow() and w.window() is top and not isinstance(w, QFocusFrame)
    ]


def in_scroll_area(widget: QWidget) -> bool:
    """Inside a scroll area's viewport: what does not fit is scrolled to, never cut off."""
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        if isinstance(parent, QAbstractScrollArea) and parent.viewport().isAncestorOf(widget):
            return True
        parent = parent.parentWidget()
    return False


def clipped(widget: QWidget) -> str | None:
    """What the widget needs and did not get (None: it fits)."""
    size = widget.size()
    if isinstance(widget, QLabel):
        if not widget.text() and widget.pixmap().isNull():
            return None
        hint = widget.sizeHint()
        if widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(size.width())
            if needed > size.height() + SLACK:
                return f"needs {needed} px height at {size.width()} px width, has {size.height()}"
            return None
    elif isinstance(widget, (QAbstractButton, QLineEdit, QComboBox)):
        hint = widget.minimumSizeHint() if isinstance(widget, (QLineEdit, QComboBox)) else widget.sizeHint()
    else:
        return None
    if hint.width() > size.width() + SLACK or hint.height() > size.height() + SLACK:
        return f"needs {hint.width()}×{hint.height()} px, has {size.width()}×{size.height()}"
    return None


def findings(top: QWidget, limit: tuple[int, int]) -> list[str]:
    """Every shown label and control of `top` has the room it needs, inside its parent, apart from
    its siblings; `top` fits within `limit` (width, height) and on its screen."""
    problems = []
    frame = top.frameGeometry()
    if frame.width() > limit[0] or frame.height() > limit[1]:
        problems.append(f"the window is {frame.width()}×{frame.height()} px, more than {limit[0]}×{limit[1]}")
    screen = top.screen().availableGeometry() if top.screen() else None
    if isinstance(top, QDialog) and screen is not None and not screen.contains(frame):
        problems.append(f"the window {frame.getRect()} is not wholly on the screen {screen.getRect()}")
    widgets = shown(top)
    for area in (w for w in widgets if isinstance(w, QScrollArea)):  # a page read sideways (WCAG 1.4.10)
        if area.horizontalScrollBar().maximum() > 0:
            problems.append(f"scrolls sideways: {name(area)} by {area.horizontalScrollBar().maximum()} px")
    for widget in widgets:
        if in_scroll_area(widget):
            continue
        lack = clipped(widget)
        if lack:
            problems.append(f"cut off: {name(widget)} {lack}")
        parent = widget.parentWidget()
        if parent is not top and not isinstance(parent, QAbstractScrollArea):
            if not parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(widget.geometry()):
                problems.append(
                    f"outside its parent: {name(widget)} at {widget.geometry().getRect()} in {name(parent)}"
                )
    by_parent: dict[int, list[QWidget]] = {}
    for widget in widgets:
        parent = widget.parentWidget()
        if not isinstance(parent, (QStackedWidget, QAbstractScrollArea)) and not in_scroll_area(widget):
            by_parent.setdefault(id(parent), []).append(widget)
    for siblings in by_parent.values():
        for index, first in enumerate(siblings):
            for second in siblings[index + 1 :]:
                shared: QRect = first.geometry().intersected(second.geometry())
                if shared.width() > SLACK and shared.height() > SLACK:
                    problems.append(f"overlap: {name(first)} and {name(second)}")
    return problems
