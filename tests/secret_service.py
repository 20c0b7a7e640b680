"""A real Secret Service for tests: gnome-keyring-daemon on a private D-Bus session bus.

Both run in a temporary directory (HOME, XDG_* and the bus socket there), the "login" keyring
unlocked with a known password, and both are stopped afterwards; nothing touches the user's own
keyring or bus. The Debian packages are installed when missing (the suite runs as root on a fresh
Debian machine in CI, as the Makefile's validate-desktop does). Only when apt itself is missing
does the test skip, and it says why.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

KEYRING_PASSWORD = b"sleutelbos-test-wachtwoord"
PACKAGES = ["gnome-keyring", "dbus"]
START_TIMEOUT_S = 15.0


def ensure_installed() -> None:
    """gnome-keyring-daemon and dbus-daemon, from Debian's packages when missing."""
    if shutil.which("gnome-keyring-daemon") and shutil.which("dbus-daemon"):
        return
    if shutil.which("apt-get") is None:
        pytest.skip(
            "apt-get is not available on this machine, so gnome-keyring (a real Secret Service) "
            "cannot be installed for this test"
        )
    if os.geteuid() != 0:
        pytest.fail(
            "gnome-keyring and dbus are missing and installing them needs root: "
            f"run 'apt-get install -y {' '.join(PACKAGES)}' first"
        )
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(install, capture_output=True, text=True, env=env)
    if done.returncode != 0:  # a fresh machine has no package lists yet
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, text=True, env=env)
        done = subprocess.run(install, capture_output=True, text=True, env=env)
    if done.returncode != 0 or not shutil.which("gnome-keyring-daemon"):
        pytest.fail(f"installing {' '.join(PACKAGES)} failed: {done.stderr[-2000:]}")


@dataclass
class SecretService:
    root: Path
    env: dict[str, str]  # what a child process (the CLI) needs to find this bus

    def collection(self):
        """The default collection, through secretstorage (to look behind the client's back)."""
        import secretstorage

        connection = secretstorage.dbus_init()
        return connection, secretstorage.get_default_collection(connection)

    def items(self, service: str) -> dict[str, bytes]:
        connection, collection = self.collection()
        try:
            return {
                item.get_attributes().get("username", ""): item.get_secret()
                for item in collection.search_items({"service": service})
            }
        finally:
            connection.close()


def _wait_until_ready(deadline: float) -> None:
    import secretstorage

    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            connection = secretstorage.dbus_init()
            try:
                if not secretstorage.get_default_collection(connection).is_locked():
                    return
            finally:
                connection.close()
        except Exception as exc:  # not on the bus yet
            last = exc
        time.sleep(0.1)
    raise RuntimeError(f"gnome-keyring did not come up on the private bus: {last!r}")


@contextlib.contextmanager
def running_secret_service(root: Path) -> Iterator[SecretService]:
    """Start dbus-daemon and gnome-keyring-daemon under `root`; the process's environment points
    at them while the block runs, and both are stopped at its end."""
    ensure_installed()
    run = root / "run"
    run.mkdir(mode=0o700, parents=True)
    env = {
        "HOME": str(root),
        "XDG_RUNTIME_DIR": str(run),
        "XDG_DATA_HOME": str(root / "data"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "XDG_CACHE_HOME": str(root / "cache"),
    }
    child_env = {**os.environ, **env}
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", f"--address=unix:path={run}/bus", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=child_env,
    )
    daemon = None
    try:
        address = bus.stdout.readline().decode().strip()
        if not address:
            raise RuntimeError("dbus-daemon gave no address")
        env["DBUS_SESSION_BUS_ADDRESS"] = child_env["DBUS_SESSION_BUS_ADDRESS"] = address
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=child_env,
        )
        daemon.stdin.write(KEYRING_PASSWORD)  # --unlock reads the login keyring's password from stdin
        daemon.stdin.close()
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            _wait_until_ready(time.monotonic() + START_TIMEOUT_S)
            yield SecretService(root, child_env)
    finally:
        for process in (daemon, bus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if bus.stdout is not None:
            bus.stdout.close()
