"""Fingers: targets large enough to hit, and lists that scroll when swiped (issue 18).

Every control is at least 24×24 px (WCAG 2.2 SC 2.5.8). On a machine with a touch screen
("touch mode": a Windows tablet in a kitchen) buttons, fields, check boxes, list and table rows
are 44 px high (the size WCAG 2.5.5 and the platform guides ask for); with a mouse they stay
compact. `MENSCENTRAAL_TOUCH=1` or `=0` overrides the detection (a tablet docked to a keyboard).

Every scroll area (lists, tables, the case's pages) scrolls kinetically when swiped by a finger:
`QScroller` grabs the touch gesture only, so the left mouse button keeps selecting, dragging and
clicking as before. The hook is the app style's `polish` (`theme.AppStyle`), which Qt calls
once for every widget before it is first shown, so a list added later needs no code of its own.
"""

from __future__ import annotations

import os
from functools import lru_cache

from PySide6.QtGui import QInputDevice
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QAbstractItemView,
    QAbstractScrollArea,
    QScroller,
    QScrollerProperties,
    QTableView,
    QWidget,
)

MINIMUM = 24  # px: WCAG 2.2 SC 2.5.8, everywhere
COMFORTABLE = 44  # px: where room allows, on a touch screen
TOUCH_ENV = "MENSCENTRAAL_TOUCH"
TAPPED = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)


@lru_cache(maxsize=1)
def touch_mode() -> bool:
    """A touch screen is attached (or the environment says so); decided once, at first use."""
    forced = os.environ.get(TOUCH_ENV, "").strip()
    if forced in ("0", "1"):
        return forced == "1"
    return any(device.type() == QInputDevice.DeviceType.TouchScreen for device in QInputDevice.devices())


def stylesheet() -> str:
    """The parts that are not widgets of their own: rows, tabs, menu items, check marks. (Widgets
    get their minimum in `polish`: a style sheet min-height would also let a layout squeeze a
    widget down to it when large text needs more.)"""
    if touch_mode():
        return """
    QCheckBox::indicator, QRadioButton::indicator { width: 24px; height: 24px; }
    QTabBar::tab { min-height: 36px; }
    QListView::item { min-height: 44px; }
    QListWidget#navigationList::item { min-height: 26px; }
    QMenu::item { padding: 12px 24px 12px 12px; min-height: 20px; }
    """
    return """
    QTabBar::tab { min-height: 22px; }
    QListView::item { min-height: 24px; }
    QListWidget#navigationList::item { min-height: 0px; }
    QMenu::item { padding: 4px 24px 4px 8px; min-height: 16px; }
    """


def field_icon_size() -> int:
    """The icon size of a field's own buttons (the password eye, the clear button): Qt makes the
    button 6 px wider and 2 px taller than the icon, so 22 gives 28×24 (Qt's default 16 gives 22×18)."""
    return 28 if touch_mode() else 22


def _own(widget: QWidget, name: str, value: int) -> int:
    """The widget's own `value` of `name`, as it was before our first polish: polish runs again
    after every style sheet change (a larger text size, then back), and must not ratchet."""
    key = f"touch_own_{name}"
    own = widget.property(key)
    if own is None:
        widget.setProperty(key, value)
        return value
    return int(own)


def polish(widget: QWidget) -> None:
    """Called by the app's style for every widget before it is first shown (and again after a
    style sheet change): kinetic scrolling on scroll areas, controls and rows high enough to tap."""
    if isinstance(widget, QAbstractScrollArea):
        kinetic(widget)
    if isinstance(widget, TAPPED) and not isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
        # Never below what its text needs (the size hint: it follows the text size) nor below the
        # target size; the width only where an icon-only button would be narrower.
        in_field = isinstance(widget.parentWidget(), QLineEdit)  # the password eye: the field places it
        tall = COMFORTABLE if touch_mode() and not in_field else MINIMUM
        height, width = _own(widget, "height", widget.minimumHeight()), _own(widget, "width", widget.minimumWidth())
        widget.setMinimumHeight(max(tall, height, widget.sizeHint().height()))
        widget.setMinimumWidth(max(MINIMUM, width, widget.minimumSizeHint().width()))
    if isinstance(widget, QTableView):
        # A row tall enough to tap and to hold its text at any text size.
        header = widget.verticalHeader()
        own = _own(widget, "row", header.defaultSectionSize())
        tall = COMFORTABLE if touch_mode() else MINIMUM + 4
        header.setDefaultSectionSize(max(own, tall, widget.fontMetrics().height() + 12))
        _columns_follow_text(widget)


def _columns_follow_text(table: QTableView) -> None:
    """Columns given a width for their text (the ones the user may drag) grow with the text size:
    at 200% a case number stays whole and the table scrolls sideways, as data tables may."""
    header = table.horizontalHeader()
    ratio = table.fontMetrics().height() / _own(table, "text", table.fontMetrics().height())
    for column in range(header.count()):
        if header.sectionResizeMode(column) == QHeaderView.ResizeMode.Interactive:
            header.resizeSection(column, round(_own(header, f"column{column}", header.sectionSize(column)) * ratio))


def kinetic(area: QAbstractScrollArea) -> None:
    """Swipe to scroll, with momentum, on the area's viewport. The touch gesture only: a left-button
    gesture would turn every mouse drag into scrolling (no drag-select, clicks delayed)."""
    viewport = area.viewport()
    if QScroller.hasScroller(viewport):
        return
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)
    scroller = QScroller.scroller(viewport)
    properties = scroller.scrollerProperties()
    off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff  # a list that bounces looks broken
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy, off)
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.VerticalOvershootPolicy, off)
    scroller.setScrollerProperties(properties)
    if isinstance(area, QAbstractItemView):
        # Momentum moves by pixels; per item it would jump a row at a time.
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        area.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
