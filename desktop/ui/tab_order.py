"""Tab in reading order (WCAG 2.4.3) where Qt's own order is not. Qt puts each new widget at the
end of its window's focus chain, so the rows a view builds when it shows something (a case's
steps, people and tasks) would come after everything that was there before, wherever they are on
the screen. `chain` puts a view's Tab stops in the order of its layouts again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QWidget


def in_layout_order(widget: QWidget) -> list[QWidget]:
    """The Tab stops in and under `widget` in the order of its layouts: top to bottom, and left to
    right within a row (a column beside another is read whole first, as the views here are laid out)."""
    if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return [widget]  # a control: what it holds (a text field's viewport) is its own
    layout = widget.layout()
    return _in_layout(layout) if layout is not None else []


def _in_layout(layout: QLayout) -> list[QWidget]:
    stops: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item.widget() is not None:
            stops += in_layout_order(item.widget())
        elif item.layout() is not None:
            stops += _in_layout(item.layout())
    return stops


def chain(widget: QWidget) -> None:
    """Tab goes through `widget`'s stops in layout order (the first stays where it is in the chain)."""
    stops = in_layout_order(widget)
    for first, second in zip(stops, stops[1:]):
        QWidget.setTabOrder(first, second)


def reachable(widget: QWidget) -> list[QWidget]:
    """The stops in and under `widget` Tab can land on now (shown and enabled), in layout order."""
    return [stop for stop in in_layout_order(widget) if stop.isVisible() and stop.isEnabled()]


def enter(first: QWidget, last: QWidget, forward: bool) -> bool:
    """Tab into a window from nowhere (its own focus on nothing): to the first stop of `first`,
    Shift+Tab to the last of `last`. False when there is none (Qt's own order then)."""
    stops = reachable(first if forward else last)
    if not stops:
        return False
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    (stops[0] if forward else stops[-1]).setFocus(reason)
    return True
