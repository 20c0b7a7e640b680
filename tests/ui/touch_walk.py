"""Walks over real widgets for the touch and tablet tests: what a finger can hit and how big it is,
and what is cut off or lies over something else at a window size or text size."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QComboBox,
    QFocusFrame,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QMenu,
    QScrollBar,
    QTabBar,
    QWidget,
)

# Scroll bars are left out on purpose: WCAG 2.5.8's "equivalent" exception (the same scrolling by
# swipe, wheel and keyboard), and Fusion's bars cannot be widened without drawing them ourselves.
FIELDS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)


def shown(root: QWidget) -> list[QWidget]:
    return [w for w in (root, *root.findChildren(QWidget)) if w.isVisible() and not isinstance(w, QFocusFrame)]


def targets(root: QWidget) -> list[tuple[str, QWidget, QRect]]:
    """(description, widget, rectangle) of everything under `root` a finger can tap."""
    found = []
    for widget in shown(root):
        name = f"{type(widget).__name__} {_label(widget)!r} in {_where(widget)}"
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the spin box or combo box around it is the target
        if isinstance(widget, FIELDS):
            found.append((name, widget, widget.rect()))
        elif isinstance(widget, QTabBar):
            found += [(f"{name} tab {i}", widget, widget.tabRect(i)) for i in range(widget.count())]
        elif isinstance(widget, QHeaderView):
            found.append((f"{name} header", widget, widget.rect()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), 50)):
                rect = widget.visualRect(model.index(row, 0))
                if widget.viewport().rect().intersects(rect):
                    found.append((f"{name} row {row}", widget, QRect(rect.topLeft(), rect.size())))
        elif isinstance(widget, QMenu):
            found += [
                (f"{name} item {a.text()!r}", widget, widget.actionGeometry(a))
                for a in widget.actions()
                if a.isVisible() and a.isEnabled() and not a.isSeparator()
            ]
    return found


def too_small(root: QWidget, minimum: int) -> list[str]:
    return [
        f"{name}: {rect.width()}×{rect.height()}"
        for name, _, rect in targets(root)
        if rect.width() < minimum or rect.height() < minimum
    ]


def _label(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLabel)) else ""
    return (widget.objectName() or widget.accessibleName() or text)[:40]


def _where(widget: QWidget) -> str:
    names = []
    parent = widget.parentWidget()
    while parent is not None and len(names) < 3:
        if parent.objectName() or parent.accessibleName():
            names.append(parent.objectName() or parent.accessibleName()[:30])
        parent = parent.parentWidget()
    return "/".join(names) or type(widget.window()).__name__


# --- cut off or overlapping -----------------------------------------------------------------------
def layout_widgets(layout: QLayout) -> list[QWidget]:
    found = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if isinstance(item.widget(), QWidget):
            found.append(item.widget())
        elif isinstance(item.layout(), QLayout):
            found += layout_widgets(item.layout())
    return found


def _scrolled(widget: QWidget) -> bool:
    """A scroll area's content: larger than the view is scrolled to, not cut off."""
    area = widget.parentWidget().parentWidget()
    return isinstance(area, QAbstractScrollArea) and area.viewport() is widget.parentWidget()


def _needs(widget: QWidget) -> tuple[int, int]:
    """The size below which the widget cannot show itself whole: its own minimum size hint (a
    button's text, a field's frame); a label that wraps or elides needs only its minimum."""
    hint = widget.minimumSizeHint()
    if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
        return 0, 0
    return max(hint.width(), widget.minimumWidth()), max(hint.height(), widget.minimumHeight())


def layout_problems(root: QWidget) -> list[str]:
    """Visible controls cut off by their parent or squeezed below what they need to show whole, and
    siblings in one layout that lie over each other."""
    problems = []
    window = root.window()
    if window.width() < window.minimumSizeHint().width() or window.height() < window.minimumSizeHint().height():
        problems.append(f"the window needs {window.minimumSizeHint().toTuple()}, has {window.size().toTuple()}")
    for widget in shown(root):
        if widget.isWindow() or isinstance(widget, QScrollBar):
            continue
        parent = widget.parentWidget()
        if parent is None or isinstance(parent, QLineEdit) or _scrolled(widget):
            continue
        name = f"{type(widget).__name__} {_label(widget)!r} in {_where(widget)}"
        geometry = widget.geometry()
        if not parent.rect().adjusted(-1, -1, 1, 1).contains(geometry):
            problems.append(f"{name} {geometry.getRect()} is cut off by its parent {parent.rect().getRect()}")
        if isinstance(widget, (*FIELDS, QLabel, QTabBar)):
            width, height = _needs(widget)
            if widget.width() + 1 < width or widget.height() + 1 < height:
                problems.append(f"{name} {widget.size().toTuple()} is squeezed below {(width, height)}")
        if isinstance(widget.layout(), QLayout):  # (a wrapper reused at the same address can be a spacer)
            inside = [w for w in layout_widgets(widget.layout()) if w.isVisible()]
            for i, a in enumerate(inside):
                for b in inside[i + 1 :]:
                    overlap = a.geometry().intersected(b.geometry())
                    if overlap.width() > 1 and overlap.height() > 1:
                        problems.append(f"{type(a).__name__} and {type(b).__name__} overlap in {name}")
    return problems


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
