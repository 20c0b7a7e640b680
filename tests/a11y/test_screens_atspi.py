"""Every main screen, read as a screen reader reads it: the real AT-SPI tree of the running app.

The app runs in its own process under Xvfb with Qt's AT-SPI bridge, against the real service over
mutual TLS; the distribution's AT-SPI client reads its tree and presses Tab through it. Each screen
fails on a focusable object without a name or role, a table without column headers, a control Tab
does not reach, or a control Tab does not leave (tests/a11y/checks.py).
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from tests.a11y import checks
from tests.a11y.app_driver import MAIN_PAGES, SCREENS


# The main window's screens: Tab from the window itself (nothing focused) starts at the stop that
# reads first, the header, and the status bar is last (the walk starts there, not anywhere in the cycle).
WINDOW_SCREENS = {*MAIN_PAGES, "case", "settings", "admin_0", "admin_1", "admin_2", "admin_3"}
KEY_WAIT = 10.0  # a loaded machine: the app may take seconds for one key


def keys_seen(app_process) -> int:
    return int(app_process.ask("keys").split()[1])


def press_tab(app_process, walker, wait: float = KEY_WAIT) -> bool:
    """One Tab injected; True once the app's focused widget has received it."""
    before = keys_seen(app_process)
    answer = json.loads(walker.ask("press"))
    assert "error" not in answer, answer
    deadline = time.monotonic() + wait
    while keys_seen(app_process) == before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def tab_through(app_process, walker, screen: str, presses: int, from_nothing: bool = False) -> list:
    """The focus after each Tab, in lock-step with the app: each press is read only after the app
    handled it, so a slow app never shifts the sequence. The first press must arrive before the
    walk starts: without a window manager X may drop the window's first focus request.
    `from_nothing`: the first press is made with nothing focused, and where it lands is the first."""
    for _ in range(3):
        if from_nothing:
            assert app_process.ask("unfocus") == "unfocused True"
        if press_tab(app_process, walker, wait=3.0):
            break
        assert app_process.ask("activate") == "activated"
    else:
        raise AssertionError(f"{screen}: no Tab press reached the app; Qt's {app_process.ask('focus')}")
    focused = [json.loads(walker.ask("focus"))] if from_nothing else []
    for press in range(presses):
        assert press_tab(app_process, walker), f"{screen}: Tab press {press + 1} did not reach the app"
        focused.append(json.loads(walker.ask("focus")))
    return focused


def read_screen(app_process, walker, screen: str) -> tuple[list[dict], list]:
    answer = app_process.ask(f"show {screen}")
    assert answer.startswith(f"ready {screen}"), answer
    objects = json.loads(walker.ask("tree"))
    assert "error" not in objects, objects
    assert any(obj["parent"] is None for obj in objects), f"no showing window of {screen} on the AT-SPI bus"
    controls = [obj for obj in objects if "focusable" in obj["states"] or checks.is_control(obj)]
    return objects, tab_through(app_process, walker, screen, len(controls) + 2, screen in WINDOW_SCREENS)


@pytest.mark.parametrize("screen", SCREENS)
def test_screen_names_every_control_and_tab_reaches_it(app_process, walker, screen):
    objects, focused = read_screen(app_process, walker, screen)
    import os

    if os.environ.get("DUMP"):
        Path(f"/tmp/a11y5-dump-{screen}.json").write_text(json.dumps([objects, focused]))
    problems = checks.findings(objects, focused, from_start=screen in WINDOW_SCREENS)
    assert problems == [], (
        f"{screen}:\n  " + "\n  ".join(problems) + "\nTab order: " + checks.tab_order(objects, focused)
    )


def test_keys_go_through_a_registry_on_this_display(desktop_bus, walker):
    """The cause of a cold-start flake: a second at-spi-bus-launcher, started on demand by the
    session bus without DISPLAY, won org.a11y.Bus; its registry dropped every injected key."""
    session = ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"]
    activatable = subprocess.run(
        [*session, "org.freedesktop.DBus.ListActivatableNames"], env=desktop_bus.env, capture_output=True, text=True
    )
    assert activatable.returncode == 0, activatable.stderr
    assert "org.a11y.Bus" not in activatable.stdout, "the session bus could start a launcher of its own"
    address = subprocess.run(
        [
            "dbus-send",
            "--session",
            "--print-reply=literal",
            "--dest=org.a11y.Bus",
            "/org/a11y/bus",
            "org.a11y.Bus.GetAddress",
        ],
        env=desktop_bus.env,
        capture_output=True,
        text=True,
    ).stdout.strip()
    registry = subprocess.run(
        [
            "dbus-send",
            f"--bus={address}",
            "--print-reply=literal",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetConnectionUnixProcessID",
            "string:org.a11y.atspi.Registry",
        ],
        capture_output=True,
        text=True,
    )
    assert registry.returncode == 0, registry.stderr
    environment = Path(f"/proc/{registry.stdout.split()[-1]}/environ").read_bytes().split(b"\0")
    assert f"DISPLAY={desktop_bus.env['DISPLAY']}".encode() in environment


# What each status change must make a screen reader say (WCAG 4.1.3), in the order they are made.
ANNOUNCED = (
    ("offline", "Offline"),
    ("online", "Online"),
    ("refused", "1 wijziging niet verwerkt"),
    ("accepted", "Alles verstuurd"),
    ("sync", "Synchronisatie klaar"),
    ("pickup", "De taak staat nu bij Mijn taken"),
)


def test_status_changes_are_announced(app_process, walker):
    """Status changes reach the AT-SPI bus as announcements, as a screen reader hears them
    (desktop/ui/announce.py). Last in this file: a listener on the bus makes Qt route every key
    through the registry."""
    assert app_process.ask("show work_queue").startswith("ready work_queue")
    for change in ("online", "accepted"):  # a known state first: the first one is not announced
        assert app_process.ask(f"do {change}") == f"done {change}"
    assert json.loads(walker.ask("listen")) == {"listening": True}
    # Qt sends announcements once it has heard from the registry that someone listens
    for change, words in (("probe", "probe"), *ANNOUNCED):
        assert app_process.ask(f"do {change}", timeout=120) == f"done {change}"
        heard: list[dict] = []
        deadline = time.monotonic() + 30
        while not any(words in event["text"] for event in heard):
            assert time.monotonic() < deadline, f"{change}: no announcement {words!r}; heard {heard}"
            answer = json.loads(walker.ask("heard 2", timeout=60))
            assert "error" not in answer, answer
            heard += answer
            if change == "probe" and not heard:
                assert app_process.ask("do probe") == "done probe"
