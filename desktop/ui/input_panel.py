"""The on-screen keyboard of a tablet never covers the field being typed in (issue 18).

When Qt reports the input panel's rectangle (`QInputMethod.keyboardRectangle`, in the focused
window's coordinates; empty when no panel is shown or the platform cannot tell), the scroll area
around the focused field ends above it, as a phone app's does: its viewport gets a bottom margin as
high as the part the panel covers (so it can also scroll its last field up), and the field is
scrolled into view. When the panel goes, the margin goes. A field in no scroll area stays where it
is: our windows' forms that are taller than a panel leaves room for are all in scroll areas.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QObject, QPoint, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

ROOM = 16  # px kept between the field and the panel


class KeyboardAvoider(QObject):
    """Follows the panel's rectangle and the focus; one per application (`install`)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._margins: dict[QScrollArea, QMargins] = {}  # areas made shorter, with their own margins
        method = QGuiApplication.inputMethod()
        method.keyboardRectangleChanged.connect(self.follow)
        method.visibleChanged.connect(self.follow)
        app.focusChanged.connect(self._focus_changed)
        self._later = QTimer(self, singleShot=True, interval=0)  # after the shorter viewport is laid out
        self._later.timeout.connect(self._scroll_to_focus)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        self.follow()

    def follow(self) -> None:
        field = QApplication.focusWidget()
        area = _scroll_area_of(field)
        panel = QGuiApplication.inputMethod().keyboardRectangle().toAlignedRect()
        for other in [a for a in self._margins if a is not area or panel.isEmpty()]:
            other.setViewportMargins(self._margins.pop(other))
        if area is None or panel.isEmpty():
            return
        own = self._margins.setdefault(area, area.viewportMargins())
        bottom = area.mapTo(area.window(), QPoint(0, area.height())).y()
        covered = max(0, bottom - panel.top())
        area.setViewportMargins(own.left(), own.top(), own.right(), own.bottom() + covered)
        self._later.start()

    def _scroll_to_focus(self) -> None:
        field = QApplication.focusWidget()
        area = _scroll_area_of(field)
        if area is not None and area in self._margins:
            area.ensureWidgetVisible(field, 0, ROOM)


def _scroll_area_of(field: QWidget | None) -> QScrollArea | None:
    parent = field.parentWidget() if field is not None else None
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent


def install(app: QApplication) -> KeyboardAvoider:
    """The application's one avoider (a second would take the first one's margin for the area's own)."""
    avoider = app.findChild(KeyboardAvoider, "keyboardAvoider")
    if avoider is None:
        avoider = KeyboardAvoider(app)
        avoider.setObjectName("keyboardAvoider")
    return avoider
