"""Every main screen, read as a screen reader reads it: the real AT-SPI tree of the running app.

The app runs in its own process under Xvfb with Qt's AT-SPI bridge, against the real service over
mutual TLS; the distribution's AT-SPI client reads its tree and presses Tab through it. Each screen
fails on a focusable object without a name or role, a table without column headers, a control Tab
does not reach, or a control Tab does not leave (tests/a11y/checks.py).
"""

from __future__ import annotations

import json

import pytest

from tests.a11y import checks
from tests.a11y.app_driver import SCREENS


def read_screen(app_process, walker, screen: str) -> tuple[list[dict], list]:
    answer = app_process.ask(f"show {screen}")
    assert answer.startswith(f"ready {screen}"), answer
    objects = json.loads(walker.ask("tree"))
    assert "error" not in objects, objects
    assert any(obj["parent"] is None for obj in objects), f"no showing window of {screen} on the AT-SPI bus"
    controls = [obj for obj in objects if "focusable" in obj["states"] or checks.is_control(obj)]
    for _ in range(3):
        keys = int(app_process.ask("keys").split()[1])
        focused = json.loads(walker.ask(f"tab {len(controls) + 2}", timeout=120))
        assert "error" not in focused, focused
        if int(app_process.ask("keys").split()[1]) > keys:
            return objects, focused
        # X dropped the window's focus request (no window manager under Xvfb): ask again.
        assert app_process.ask("activate") == "activated"
    raise AssertionError(f"{screen}: no Tab press reached the app; Qt's {app_process.ask('focus')}")


@pytest.mark.parametrize("screen", SCREENS)
def test_screen_names_every_control_and_tab_reaches_it(app_process, walker, screen):
    objects, focused = read_screen(app_process, walker, screen)
    problems = checks.findings(objects, focused)
    assert problems == [], (
        f"{screen}:\n  " + "\n  ".join(problems) + "\nTab order: " + checks.tab_order(objects, focused)
    )
