"""Seen by everyone (issue 18, WCAG 2.1 AA 1.4.3 / 1.4.11): every text colour of the look has at
least 4.5:1 contrast against each ground it is drawn on, and focus/selection marks 3:1, in light
and dark system palettes and in the high-contrast look."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui.theme import Colors, contrast

TEXT_MIN, COMPONENT_MIN = 4.5, 3.0


def test_the_formula_is_wcags():
    # Reference values from the WCAG 2.1 definition and WebAIM's contrast checker.
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast(QColor("#0000ff"), QColor("#ffffff")) == pytest.approx(8.59, abs=0.01)
    assert contrast(QColor("#ff0000"), QColor("#ffffff")) == pytest.approx(4.0, abs=0.01)


def palette(window: str, text: str, base: str) -> QPalette:
    result = QPalette(QApplication.palette())
    result.setColor(QPalette.ColorRole.Window, QColor(window))
    result.setColor(QPalette.ColorRole.WindowText, QColor(text))
    result.setColor(QPalette.ColorRole.Base, QColor(base))
    return result


# Fusion's own, and the light and dark schemes of the common desktops (Breeze, Adwaita, Windows 11).
PALETTES = {
    "fusion-light": ("#efefef", "#000000", "#ffffff"),
    "breeze-light": ("#eff0f1", "#232629", "#fcfcfc"),
    "adwaita-light": ("#fafafa", "#323232", "#ffffff"),
    "windows-light": ("#f0f0f0", "#000000", "#ffffff"),
    "fusion-dark": ("#353535", "#ffffff", "#2a2a2a"),
    "breeze-dark": ("#202326", "#fcfcfc", "#141618"),
    "adwaita-dark": ("#242424", "#ffffff", "#1e1e1e"),
    "windows-dark": ("#202020", "#ffffff", "#2b2b2b"),
}


def pairs(c: Colors) -> list[tuple[str, QColor, QColor, float]]:
    text = [
        ("text/window", c.text, c.window),
        ("text/base", c.text, c.base),
        ("text/side", c.text, c.side),
        ("text/selected", c.text, c.selected_bg),
        ("muted/window", c.muted, c.window),
        ("muted/base", c.muted, c.base),
        ("muted/side", c.muted, c.side),
        ("warning", c.warn_text, c.warn_bg),
        ("ok/window", c.ok, c.window),
        ("ok/base", c.ok, c.base),
        ("fail/window", c.fail, c.window),
        ("fail/base", c.fail, c.base),
    ]
    components = [("accent/window", c.accent, c.window), ("accent/base", c.accent, c.base)]
    return [(n, a, b, TEXT_MIN) for n, a, b in text] + [(n, a, b, COMPONENT_MIN) for n, a, b in components]


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high-contrast"])
@pytest.mark.parametrize("name", sorted(PALETTES))
def test_every_pair_of_the_look_meets_aa(qapp, name, high_contrast):
    colors = Colors.of(palette(*PALETTES[name]), high_contrast)
    too_low = [
        f"{pair} {contrast(a, b):.2f} < {minimum}" for pair, a, b, minimum in pairs(colors) if contrast(a, b) < minimum
    ]
    assert too_low == []


def test_high_contrast_is_plain_black_and_white(qapp):
    for name, dark in (("fusion-light", False), ("fusion-dark", True)):
        colors = Colors.of(palette(*PALETTES[name]), True)
        assert contrast(colors.text, colors.window) == pytest.approx(21.0)
        assert colors.muted == colors.text  # no greyed-out text in high contrast
        assert colors.window == QColor("#000000" if dark else "#ffffff")  # the system's light or dark kept
