"""Orca, the screen reader of the Linux desktop, on the accessibility run's private desktop.

Orca runs as it would for a user (its own preferences folder, the run's AT-SPI bus). There is no
sound card here, so speech-dispatcher is not started (Orca goes on without it); what Orca says is
read from its debug log, where each utterance it hands to speech is a `SPEECH OUTPUT: '…'` line.
Started and ended here by its process id.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.a11y.desktop_bus import SYSTEM_PYTHON

LAUNCHER = Path(__file__).with_name("orca_launch.py")
UTTERANCE = re.compile(r"SPEECH OUTPUT: '(.*)'\{")
START_TIMEOUT = 40.0


class Orca:
    def __init__(self, env: dict) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="mc-orca-"))
        self.log = self._folder / "debug.out"
        (self._folder / "prefs").mkdir()
        # not --replace: that kills every Orca of this user on the machine
        self.process = subprocess.Popen(
            [SYSTEM_PYTHON, str(LAUNCHER), "--user-prefs", str(self._folder / "prefs"), "--debug-file", str(self.log)],
            # speech-dispatcher's start refused at once: its start under load can hang Orca's own
            env={**env, "SPEECHD_CMD": "/bin/false"},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._read = 0
        try:
            self.wait_until_said("Screen reader on", START_TIMEOUT)
        except AssertionError:
            self.stop()
            raise

    def utterances(self) -> list[str]:
        """What Orca said since the last call."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        lines = text.splitlines()
        new, self._read = lines[self._read :], len(lines)
        return [match.group(1) for line in new if (match := UTTERANCE.search(line))]

    def wait_until_said(self, words: str, timeout: float = 20.0) -> list[str]:
        """Everything Orca said until it said `words` (fails after `timeout` seconds)."""
        heard: list[str] = []
        deadline = time.monotonic() + timeout
        while not any(words in utterance for utterance in heard):
            if self.process.poll() is not None:
                raise AssertionError(f"Orca ended (exit {self.process.returncode}); it said {heard}")
            if time.monotonic() > deadline:
                raise AssertionError(f"Orca did not say {words!r} within {timeout:.0f} s; it said {heard}")
            time.sleep(0.2)
            heard += self.utterances()
        return heard

    def until_quiet(self, quiet: float = 2.0, timeout: float = 90.0) -> list[str]:
        """Everything Orca says until it has said nothing for `quiet` seconds (it speaks each event
        as it comes to it, behind the app on a loaded machine)."""
        heard: list[str] = []
        deadline = time.monotonic() + timeout
        last = time.monotonic()
        while time.monotonic() - last < quiet and time.monotonic() < deadline:
            time.sleep(0.2)
            new = self.utterances()
            if new:
                heard += new
                last = time.monotonic()
        return heard

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)
