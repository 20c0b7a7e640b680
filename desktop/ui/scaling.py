"""Sizes that follow the text size (issue 18: 200% text, WCAG 1.4.4).

A width chosen for the text at the size we design with (9 pt, Windows' default) grows in
proportion when the system's text is larger, so a card fixed at 520 px at 9 pt is 1040 px at
18 pt and its sentences and links still fit. It never shrinks below the designed size.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from desktop.ui.app_events import app_events

DESIGN_POINTS = 9.0


def text_points() -> float:
    """The application's text size in points (a font set in pixels has none: then the designed size)."""
    points = QApplication.font().pointSizeF()
    return points if points > 0 else DESIGN_POINTS


def px(value: int) -> int:
    return round(value * max(1.0, text_points() / DESIGN_POINTS))


CARD = 520  # the login and enrolment cards' width at the designed text size


def card_width(room: int) -> int:
    """A card's width: the designed one grown with the text, or the room there is when that is
    less (an upright tablet at 200% text), never so narrow that a word must break (240 px)."""
    return max(240, min(px(CARD), room))


def fit_cards(widgets: list, room: int) -> None:
    for widget in widgets:
        widget.setFixedWidth(card_width(room))


def _fit_shown_dialog(watched: QObject, _event: QEvent) -> None:
    """Every dialog as large as its text needs when it opens (issue 18: 200% text). A dialog sized
    at 9 pt (a width of 460 px, its height at that width) would cut off wrapped sentences and
    squeeze its buttons at 18 pt: Qt bounds a window by its layout's minimum, which counts a
    wrapped label as one line and lets a button box shrink. Wide enough for its buttons whole,
    tall enough for its layout at that width, within the screen, centred where it was."""
    if isinstance(watched, QDialog) and watched.isWindow():
        fit_dialog(watched)


def fit_dialog(dialog: QDialog) -> None:
    layout = dialog.layout()
    screen = dialog.screen().availableGeometry() if dialog.screen() is not None else None
    if layout is None or screen is None or dialog.maximumWidth() == dialog.minimumWidth():
        return  # no layout, or a fixed size: as it was made
    layout.activate()
    margins = layout.contentsMargins()
    buttons = [box.sizeHint().width() for box in dialog.findChildren(QDialogButtonBox) if not box.isHidden()]
    width = min(max([dialog.width()] + [w + margins.left() + margins.right() for w in buttons]), screen.width())
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    height = min(max(dialog.height(), needed), screen.height())
    if (width, height) == (dialog.width(), dialog.height()):
        return
    centre = dialog.geometry().center()
    dialog.resize(width, height)
    frame = dialog.frameGeometry()
    frame.moveCenter(centre)
    left = max(screen.left(), min(frame.left(), screen.right() - frame.width() + 1))
    top = max(screen.top(), min(frame.top(), screen.bottom() - frame.height() + 1))
    dialog.move(left, top)


def install(app: QApplication) -> None:
    if not app.property("dialogFitter"):
        app_events(app).subscribe({QEvent.Type.Show}, _fit_shown_dialog, owner=app)
        app.setProperty("dialogFitter", True)
