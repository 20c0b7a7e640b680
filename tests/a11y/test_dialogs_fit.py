"""Every dialog at 200% text (WCAG 1.4.4): nothing cut off, nothing overlapping, the dialog on the
screen, in a laptop's 1280×800 and a tablet's upright 800×1280 alike.

The app runs as in the AT-SPI walk (tests/a11y/app_driver.py), its text twice the size, and opens
each dialog as a flow does; inside the app, tests/a11y/fit.py compares what each label and control
needs with what it got. A dialog's size does not depend on its window's, so one opening checks
both screens: it must fit in 800×800, their common part.

MENSCENTRAAL_DIALOG_SHOTS=DIR also saves each dialog as DIR/<name>-200.png (docs/screenshots).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.a11y.app_driver import DIALOGS
from tests.a11y.conftest import private_desktop, started_app

# What opens in front of the main or login window: the dialogs and the list of changes.
FIT_DIALOGS = (*DIALOGS, "pending")
BOTH_SCREENS = (800, 800)  # the part 1280×800 and 800×1280 have in common
# The enrolment and password windows: their own windows, asked for before the app opens, laid out
# to the window's size: checked at each (the login pages at 1280×800 also in tests/ui/test_touch.py).
LANDSCAPE, PORTRAIT = (1280, 800), (800, 1280)
FIT_WINDOWS = {
    "enrollment": (LANDSCAPE, PORTRAIT),
    "login": (PORTRAIT,),
    "new_password": (PORTRAIT,),
    "forgot_password": (PORTRAIT,),
}


@pytest.fixture(scope="module")
def desktop_bus():
    """A screen both upright and wide (1280×1280): X keeps a window within its screen."""
    yield from private_desktop("1280x1280x24")


@pytest.fixture(scope="module")
def app_process(desktop_bus, service_module, tmp_path_factory):
    yield from started_app(desktop_bus, service_module, tmp_path_factory, text_scale=2)


def fits(app_process, screen: str, limit: tuple[int, int], shot: str) -> None:
    shots = os.environ.get("MENSCENTRAAL_DIALOG_SHOTS")
    if shots:
        assert app_process.ask(f"grab {Path(shots).resolve() / shot}") == "grabbed True"
    verb, _, found = app_process.ask("fit {} {}".format(*limit)).partition(" ")
    assert verb == "fit", found
    problems = json.loads(found)
    assert problems == [], f"{screen} at 200% text in {limit}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("screen", FIT_DIALOGS)
def test_no_dialog_is_cut_off_or_overlaps_at_200_percent_text(app_process, screen):
    answer = app_process.ask(f"show {screen}")
    assert answer.startswith(f"ready {screen}"), answer
    fits(app_process, screen, BOTH_SCREENS, f"{screen}-200.png")


@pytest.mark.parametrize("screen", FIT_WINDOWS)
def test_the_enrolment_and_password_windows_fit_at_200_percent_text(app_process, screen):
    answer = app_process.ask(f"show {screen}")
    assert answer.startswith(f"ready {screen}"), answer
    for size in FIT_WINDOWS[screen]:
        assert app_process.ask("resize {} {}".format(*size)) == "resized"
        fits(app_process, screen, size, f"{screen}-200-{size[0]}x{size[1]}.png")
