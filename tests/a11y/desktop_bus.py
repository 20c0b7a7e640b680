"""A private desktop for the accessibility run: Xvfb, a D-Bus session bus and the AT-SPI bus.

Every part is the distribution's (tests/a11y/system-deps.sh installs them) and runs in its own
process group, started here and ended here by its id. The environment it hands out (`env`) points
the app and the AT-SPI client at this display and these buses only: nothing of the developer's own
desktop is used, and two runs side by side do not meet.

The session bus starts no service on demand (its configuration lists no service directory): the
distribution's org.a11y.Bus.service would otherwise let the first client that asks for the AT-SPI
bus before our launcher has taken its name start a second launcher, with the bus daemon's
environment and so without DISPLAY. That launcher won the name on a cold, loaded start; its
registry could not open the display, and every key the walker injected through it was dropped
without an error (libatspi's generate_keyboard_event answers True whatever happens).
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

# Debian and recent Ubuntu put the launcher in libexec; older Ubuntu under lib/at-spi2-core.
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
# The AT-SPI client is the distribution's (python3-pyatspi and its GObject bindings), so the walker
# runs under the distribution's Python, not the project's venv.
SYSTEM_PYTHON = "/usr/bin/python3"
START_TIMEOUT = 15.0
# A session bus like the distribution's, without <standard_session_servicedirs/>: a name nobody
# owns is an error, never a service started behind our back.
SESSION_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={runtime}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def bus_launcher() -> str | None:
    return next((path for path in BUS_LAUNCHERS if os.access(path, os.X_OK)), None)


def missing_parts() -> list[str]:
    """What this machine lacks for the run (empty when all is there)."""
    missing = [tool for tool in ("Xvfb", "dbus-daemon") if shutil.which(tool) is None]
    if bus_launcher() is None:
        missing.append("at-spi-bus-launcher")
    probe = (
        subprocess.run(
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('Atspi', '2.0'); import pyatspi"], capture_output=True
        )
        if os.access(SYSTEM_PYTHON, os.X_OK)
        else None
    )
    if probe is None or probe.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


def _read_line(fd: int, what: str) -> str:
    """One line a child writes on a pipe (its display number, its bus address), with a deadline."""
    deadline = time.monotonic() + START_TIMEOUT
    data = b""
    while not data.endswith(b"\n"):
        if time.monotonic() > deadline:
            raise RuntimeError(f"a11y: {what} did not start within {START_TIMEOUT:.0f} s")
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                raise RuntimeError(f"a11y: {what} ended before it was ready")
            data += chunk
    os.close(fd)
    return data.decode().strip()


class DesktopBus:
    """Xvfb + dbus-daemon + at-spi-bus-launcher; `env` is what a process on this desktop needs."""

    def __init__(self, size: str = "1280x800x24") -> None:
        self.size = size
        self._processes: list[subprocess.Popen] = []
        self._runtime = Path(tempfile.mkdtemp(prefix="mc-a11y-"))
        self.env: dict[str, str] = {}

    def _spawn(self, args: list[str], env: dict, pass_fds=()) -> subprocess.Popen:
        process = subprocess.Popen(
            args,
            env=env,
            pass_fds=pass_fds,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._processes.append(process)
        return process

    def start(self) -> "DesktopBus":
        runtime = self._runtime / "run"
        runtime.mkdir(mode=0o700)
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DBUS_", "AT_SPI", "WAYLAND", "XDG_", "QT_QPA"))
        }
        # The launcher keeps its socket under XDG_RUNTIME_DIR (or ~/.cache/at-spi, keyed by display).
        base.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(self._runtime), NO_AT_BRIDGE="0")

        read_end, write_end = os.pipe()
        self._spawn(
            ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", self.size],
            base,
            pass_fds=(write_end,),
        )
        os.close(write_end)
        display = ":" + _read_line(read_end, "Xvfb")

        config = self._runtime / "session.conf"
        config.write_text(SESSION_CONFIG.format(runtime=runtime))
        read_end, write_end = os.pipe()
        self._spawn(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--nosyslog", f"--print-address={write_end}"],
            {**base, "DISPLAY": display},
            pass_fds=(write_end,),
        )
        os.close(write_end)
        address = _read_line(read_end, "dbus-daemon")

        self.env = {**base, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address}
        launcher = self._spawn([bus_launcher(), "--launch-immediately"], self.env)
        self._wait_for_accessibility_bus(launcher)
        return self

    def _ask_session_bus(self, *call: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["dbus-send", "--session", "--print-reply", *call], env=self.env, capture_output=True, text=True
        )

    def _wait_for_accessibility_bus(self, launcher: subprocess.Popen) -> None:
        """Our launcher owns org.a11y.Bus and answers GetAddress: the bus every client finds is the
        one whose registry has this display (it injects the walker's keys into it)."""
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if launcher.poll() is not None:
                raise RuntimeError(
                    f"a11y: at-spi-bus-launcher ended (exit {launcher.returncode}) before its bus was up"
                )
            owner = self._ask_session_bus(
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                "string:org.a11y.Bus",
            )
            if owner.returncode == 0:
                pid = int(owner.stdout.split()[-1])
                if pid != launcher.pid:
                    raise RuntimeError(f"a11y: org.a11y.Bus is owned by pid {pid}, not by our launcher {launcher.pid}")
                answer = self._ask_session_bus("--dest=org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus.GetAddress")
                if answer.returncode == 0 and "unix:" in answer.stdout:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"a11y: the AT-SPI bus did not come up: {owner.stderr.strip()}")
            time.sleep(0.1)

    def stop(self) -> None:
        for process in reversed(self._processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)  # the launcher's own bus and registry too
                except ProcessLookupError:
                    pass
        for process in reversed(self._processes):
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._processes.clear()
        shutil.rmtree(self._runtime, ignore_errors=True)

    def __enter__(self) -> "DesktopBus":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
