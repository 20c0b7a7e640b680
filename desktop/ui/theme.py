"""The look: the system palette (light or dark), our own SVG icons tinted to it, calm spacing.

Nothing here hard-codes a background colour: colours are derived from the running palette, so a
dark desktop gets a dark program, and a system that asks for high contrast gets plain text on
plain ground (`Colors`). Every pair of text and ground meets WCAG 2.1 AA contrast (4.5:1, 3:1 for
UI components); tests/ui/test_contrast.py computes them. The focused control wears a ring in the
accent colour (`FocusRing`, tests/a11y/test_focus_ring.py). Icons are line drawings in
`resources/icons/` that use `currentColor`; they are rendered at the screen's device pixel ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QFocusFrame, QLineEdit, QProxyStyle, QStyle, QStyleFactory, QWidget

from desktop.ui import scaling, touch

ICON_DIR = Path(__file__).resolve().parent / "resources" / "icons"
ACCENT = QColor("#1f7a8c")  # the app icon's teal; used sparingly (selection in navigation, focus)
SPACING = 12
ICON_SIZES = (16, 20, 24, 32, 48)
FOCUS_WIDTH = 2  # the focus ring's line (WCAG 2.4.7: visible; in the accent colour, 3:1 on the ground)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0–1) towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def high_contrast() -> bool:
    """Whether the system asks for high contrast (Qt reports it where the platform tells)."""
    hints = QGuiApplication.styleHints()
    return hints.accessibility().contrastPreference() == Qt.ContrastPreference.HighContrast


@dataclass(frozen=True)
class Colors:
    """The named colours of the look, derived from one palette. Text roles are drawn on `window`
    (or `base`, `side`, `selected_bg`, `warn_bg` where named so); the test pairs them."""

    window: QColor
    base: QColor
    text: QColor
    muted: QColor  # secondary text
    side: QColor  # the navigation's ground
    line: QColor  # decorative separators (no meaning of their own)
    accent: QColor  # focus and selection marks: a UI component, 3:1 against the ground
    selected_bg: QColor
    warn_bg: QColor
    warn_text: QColor
    ok: QColor  # a check that passed (always with a word or symbol beside it)
    fail: QColor  # a check that failed (idem)

    @classmethod
    def of(cls, palette: QPalette, contrast: bool = False) -> "Colors":
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Base)
        dark = window.lightness() < 128
        if contrast:
            # Plain text on plain ground: no tints, no mixed greys, lines as strong as text.
            window, base = (QColor("#000000"), QColor("#000000")) if dark else (QColor("#ffffff"), QColor("#ffffff"))
            text = QColor("#ffffff") if dark else QColor("#000000")
            return cls(
                window,
                base,
                text,
                text,
                window,
                text,
                text,
                mix(window, text, 0.25),
                window,
                text,
                QColor("#8fff8f") if dark else QColor("#005a00"),
                QColor("#ffb3b3") if dark else QColor("#9b0000"),
            )
        side = mix(window, text, 0.04)
        grounds = (window, base, side)

        # A margin above 4.5:1 so rounding in a renderer cannot tip a pair under the line.
        def text_on_grounds(color: QColor) -> QColor:
            return readable(color, grounds, 4.6, text)

        acc = readable(ACCENT.lighter(160) if dark else ACCENT, grounds, 3.1, text)
        warn_bg, warn_text = (QColor("#4a3b12"), QColor("#ffe7a3")) if dark else (QColor("#fff4d6"), QColor("#5c4300"))
        ok, fail = (QColor("#81c784"), QColor("#ef9a9a")) if dark else (QColor("#2e7d32"), QColor("#c62828"))
        return cls(
            window,
            base,
            text,
            text_on_grounds(mix(text, window, 0.38)),
            side,
            mix(window, text, 0.14),
            acc,
            mix(base, acc, 0.18),
            warn_bg,
            warn_text,
            text_on_grounds(ok),
            text_on_grounds(fail),
        )


_colors_cache: dict[tuple[int, bool], Colors] = {}


def colors() -> Colors:
    """The look's colours now; kept per palette and contrast (a list asks for them per cell)."""
    palette = QGuiApplication.palette()
    key = (palette.cacheKey(), high_contrast())
    if key not in _colors_cache:
        _colors_cache.clear()  # the system changed its look: the old colours are not needed again
        _colors_cache[key] = Colors.of(palette, key[1])
    return _colors_cache[key]


def luminance(color: QColor) -> float:
    """WCAG 2.1 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2.1 contrast ratio, 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable(color: QColor, grounds: tuple[QColor, ...], minimum: float, towards: QColor) -> QColor:
    """`color`, moved towards `towards` (the text colour) just far enough to reach `minimum`
    contrast on every ground: a system palette we did not choose cannot make it unreadable."""
    for step in range(21):
        candidate = mix(color, towards, step / 20)
        if all(contrast(candidate, ground) >= minimum for ground in grounds):
            return candidate
    return QColor(towards)


def accent() -> QColor:
    return colors().accent


def warning_colors() -> tuple[QColor, QColor]:
    """Background and text of the offline banner and warnings, readable in light and dark."""
    c = colors()
    return c.warn_bg, c.warn_text


def _svg(name: str, color: str) -> QByteArray:
    text = (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")
    return QByteArray(text.replace("currentColor", color).encode("utf-8"))


def _render(data: QByteArray, size: int, ratio: float) -> QPixmap:
    pixmap = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(data).render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


@lru_cache(maxsize=256)
def _icon(name: str, normal: str, disabled: str, selected: str, ratio: float) -> QIcon:
    result = QIcon()
    for size in ICON_SIZES:
        result.addPixmap(_render(_svg(name, normal), size, ratio), QIcon.Mode.Normal)
        result.addPixmap(_render(_svg(name, disabled), size, ratio), QIcon.Mode.Disabled)
        result.addPixmap(_render(_svg(name, selected), size, ratio), QIcon.Mode.Selected)
    return result


def icon(name: str, color: QColor | None = None) -> QIcon:
    """Icon `name` from resources/icons, in the palette's text colour unless `color` is given."""
    palette = QGuiApplication.palette()
    normal = color or palette.color(QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    selected = normal  # our selection is a soft tint, not the strong highlight colour
    app = QGuiApplication.instance()
    ratio = app.devicePixelRatio() if app is not None else 1.0
    return _icon(name, normal.name(), disabled.name(), selected.name(), max(ratio, 1.0))


def app_icon() -> QIcon:
    result = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        data = QByteArray((ICON_DIR / "app.svg").read_bytes())
        result.addPixmap(_render(data, size, 1.0))
    return result


def stylesheet() -> str:
    """Spacing and a few calm surfaces; colours come from the current palette."""
    c = colors()
    window, text, base, side, line, muted = c.window, c.text, c.base, c.side, c.line, c.muted
    points = scaling.text_points()  # titles grow with the system's text size (issue 18: 200%)
    selected_bg, warn_bg, warn_text = c.selected_bg, c.warn_bg, c.warn_text
    return f"""
    QWidget#navigation {{ background: {side.name()}; border-right: 1px solid {line.name()}; }}
    QListWidget#navigationList {{ background: transparent; border: none; outline: 0; }}
    QListWidget#navigationList::item {{ padding: 9px 12px; margin: 2px 8px; border-radius: 6px; }}
    QListWidget#navigationList::item:selected {{ background: {selected_bg.name()}; color: {text.name()}; }}
    QListWidget#navigationList::item:hover:!selected {{ background: {mix(side, text, 0.06).name()}; }}
    QWidget#headerBar {{ border-bottom: 1px solid {line.name()}; }}
    QLabel#productName {{ font-weight: 600; }}
    QLabel#pageTitle {{ font-size: {points * 2:.1f}pt; font-weight: 600; }}
    QLabel#cardTitle {{ font-size: {points * 14 / 9:.1f}pt; font-weight: 600; }}
    QLabel#muted, QLabel[muted="true"] {{ color: {muted.name()}; }}
    QLabel#sectionTitle {{ font-weight: 600; font-size: {points * 11 / 9:.1f}pt; margin-top: 6px; qproperty-indent: 0; }}
    QFrame#banner {{ background: {warn_bg.name()}; border-bottom: 1px solid {mix(warn_bg, warn_text, 0.25).name()}; }}
    QFrame#banner QLabel {{ color: {warn_text.name()}; }}
    QFrame#notice {{ background: {warn_bg.name()}; border-radius: 6px; }}
    QFrame#notice QLabel {{ color: {warn_text.name()}; }}
    QFrame#card {{ background: {base.name()}; border: 1px solid {line.name()}; border-radius: 8px; }}
    QStatusBar {{ border-top: 1px solid {line.name()}; }}
    QStatusBar::item {{ border: none; }}
    QToolButton#personButton {{ padding: 4px 22px 4px 8px; border-radius: 6px; }}
    QToolButton#personButton::menu-indicator {{ subcontrol-origin: padding; subcontrol-position: center right;
                                               right: 6px; }}
    QToolButton#personButton:hover {{ background: {mix(window, text, 0.08).name()}; }}
    QTableView {{ gridline-color: {line.name()}; }}
    QTableView::item {{ padding: 0 5px; }}
    QHeaderView::section {{ padding: 6px 8px; border: none; border-bottom: 1px solid {line.name()};
                           background: {window.name()}; font-weight: 600; }}
    QWidget#lockOverlay {{ background: {window.name()}; }}
    """ + touch.stylesheet()


# The icons Qt sizes by the style: at 200% text they are twice as large (issue 18, WCAG 1.4.4).
TEXT_SIZED_ICONS = {
    QStyle.PixelMetric.PM_ButtonIconSize,
    QStyle.PixelMetric.PM_SmallIconSize,
    QStyle.PixelMetric.PM_ListViewIconSize,
    QStyle.PixelMetric.PM_TabBarIconSize,
    QStyle.PixelMetric.PM_MessageBoxIconSize,
    QStyle.PixelMetric.PM_ToolBarIconSize,
}


class AppStyle(QProxyStyle):
    """Fusion, with icons that grow with the text and the touch polish of every widget. Qt asks a
    style for every cell, button, hint and metric it draws or lays out: each Python override is a
    call with its arguments wrapped (~2-40 µs), so only pixelMetric is one, and it answers the
    common case first. The focus ring is `FocusRing`, with a style of its own (`_RingStyle`)."""

    def pixelMetric(self, metric, option=None, widget=None) -> int:
        if metric not in TEXT_SIZED_ICONS:
            return super().pixelMetric(metric, option, widget)
        if metric == QStyle.PixelMetric.PM_SmallIconSize and isinstance(widget, QLineEdit):
            return touch.field_icon_size()  # the password eye and the clear button: 24 px or more
        if widget is not None and isinstance(widget.parentWidget(), QLineEdit):
            return super().pixelMetric(metric, option, widget)  # a field's own buttons do not grow
        return scaling.px(super().pixelMetric(metric, option, widget))  # a button's, a list's icon grows with the text

    def polish(self, target):
        result = super().polish(target)
        if isinstance(target, QWidget):
            touch.polish(target)  # every widget, once before it is shown: kinetic scrolling, row heights
        return result


class _RingStyle(QProxyStyle):
    """The focus ring's own style: the ring lies over the control's edge, not under it or outside."""

    def styleHint(self, hint, option=None, widget=None, returnData=None) -> int:  # noqa: N802 (Qt's name)
        if hint == QStyle.StyleHint.SH_FocusFrame_AboveWidget:
            return 1  # over the control's own border, not hidden under it
        return super().styleHint(hint, option, widget, returnData)

    def pixelMetric(self, metric, option=None, widget=None) -> int:  # noqa: N802 (Qt's name)
        if metric in (QStyle.PixelMetric.PM_FocusFrameHMargin, QStyle.PixelMetric.PM_FocusFrameVMargin):
            return 0  # on the control's own edge: outside it, a tight layout would clip it
        return super().pixelMetric(metric, option, widget)


class FocusRing(QFocusFrame):
    """A solid accent line around the focused control (Fusion's own mark is a faint inner tint on
    buttons, none on styled ones). Painted here, by the one frame, not by the style for everyone."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._style = _RingStyle(QStyleFactory.create("Fusion"))  # kept: the widget does not own it
        self.setStyle(self._style)

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt's name)
        if self.widget() is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(accent(), FOCUS_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        half = FOCUS_WIDTH / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 4, 4)
        painter.end()


def _ring_follows_focus(old: QWidget | None, new: QWidget | None) -> None:
    """One QFocusFrame per window (it lives and dies with the window), moved to the focused widget."""
    if new is None or new.isWindow():
        return
    window = new.window()
    ring = window.findChild(QFocusFrame, "focusRing")
    if ring is None:
        ring = FocusRing(window)
        ring.setObjectName("focusRing")
    ring.setWidget(new)


def apply(app: QApplication) -> None:
    """Fusion follows the system colour scheme on every platform; our sheet only adds spacing."""
    app.setStyle(AppStyle(QStyleFactory.create("Fusion")))
    if not app.property("focusRing"):
        app.setProperty("focusRing", True)
        app.focusChanged.connect(_ring_follows_focus)
    app.setWindowIcon(app_icon())
    app.setStyleSheet(stylesheet())
    scaling.install(app)  # dialogs as large as their text needs (200% text)
    # The system may switch light/dark or high contrast while the app runs: follow it.
    hints = app.styleHints()
    hints.colorSchemeChanged.connect(lambda *_: app.setStyleSheet(stylesheet()))
    hints.accessibility().contrastPreferenceChanged.connect(lambda *_: app.setStyleSheet(stylesheet()))
