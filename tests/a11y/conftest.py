"""The accessibility run's parts: a private desktop with the AT-SPI bus, the app, the walker.

Skipped when this machine lacks the distribution's parts (tests/a11y/system-deps.sh installs
them: `make test` and `make a11y` run it first). In CI (CI set) and in `make a11y`
(MENSCENTRAAL_A11Y_REQUIRED=1) a missing part fails instead: the proof must not pass by skipping.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.a11y.desktop_bus import SYSTEM_PYTHON, DesktopBus, missing_parts
from tests.client.sync_helpers import Device

REPO = Path(__file__).resolve().parents[2]
ANSWER_TIMEOUT = 60.0
# Who sees which screens: a field worker, an organisation's administrator, an enrolled laptop at
# its login, and a laptop not enrolled yet.
USERS = {"worker": "anouk", "admin": "gerrit", "login": "bram"}


class LineProcess:
    """A child that answers one line per request; a late or missing answer fails the test."""

    def __init__(self, args: list[str], env: dict, name: str) -> None:
        self.name = name
        self.process = subprocess.Popen(
            args,
            env=env,
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._stderr: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for line in self.process.stderr:
            self._stderr.append(line)

    def read(self, timeout: float = ANSWER_TIMEOUT) -> str:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(timeout)
        if not result or not result[0]:
            raise AssertionError(
                f"{self.name} did not answer within {timeout:.0f} s "
                f"(exit {self.process.poll()}): {''.join(self._stderr)[-3000:]}"
            )
        return result[0].rstrip("\n")

    def ask(self, line: str, timeout: float = ANSWER_TIMEOUT) -> str:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.read(timeout)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def desktop_bus():
    yield from private_desktop()


def private_desktop(size: str = "1280x800x24"):
    missing = missing_parts()
    if missing:
        message = f"accessibility run needs {', '.join(missing)} (tests/a11y/system-deps.sh installs them)"
        if os.environ.get("MENSCENTRAAL_A11Y_REQUIRED") or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with DesktopBus(size) as bus:
        yield bus


@pytest.fixture(scope="module")
def app_process(desktop_bus, service_module, tmp_path_factory):
    yield from started_app(desktop_bus, service_module, tmp_path_factory)


def started_app(desktop_bus, service_module, tmp_path_factory, **settings):
    """The app driver with its profiles enrolled; `settings` go to its configuration (text_scale)."""
    root = tmp_path_factory.mktemp("a11y-profiles")
    profiles = {"new": str(root / "new")}
    for role, username in USERS.items():
        Device(service_module, root / role, username, keyring=False)
        profiles[role] = str(root / role)
    config = root / "driver.json"
    config.write_text(
        json.dumps(
            {
                "profiles": profiles,
                "passwords": {role: service_module.password(user) for role, user in USERS.items()},
                **settings,
            }
        )
    )
    env = {
        **desktop_bus.env,
        "QT_QPA_PLATFORM": "xcb",
        "QT_ACCESSIBILITY": "1",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "MENSCENTRAAL_NO_KEYRING": "1",
        "MENSCENTRAAL_ORGANISATION_FILE": "",
    }
    app = LineProcess([sys.executable, "-m", "tests.a11y.app_driver", str(config)], env, "the app")
    try:
        assert app.read() == "started"
        yield app
    finally:
        app.close()


@pytest.fixture(scope="module")
def walker(desktop_bus, app_process):
    walker = LineProcess(
        [SYSTEM_PYTHON, str(REPO / "tests" / "a11y" / "atspi_walker.py"), str(app_process.process.pid)],
        desktop_bus.env,
        "the AT-SPI walker",
    )
    try:
        assert json.loads(walker.read())["ready"]
        yield walker
    finally:
        walker.close()
