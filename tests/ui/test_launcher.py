"""`menscentraal` without a command opens the windows, `menscentraal gui` too; commands stay the command line."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
import types
from pathlib import Path

import pytest

from desktop import launcher, preload

REPO = Path(__file__).resolve().parents[2]

# Runs the real launcher in a fresh process; a timer lists the top-level windows once the event
# loop runs, then quits (the windows would otherwise wait for the user).
PROBE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(["menscentraal"])
def report():
    print("WINDOWS:" + "|".join(w.windowTitle() for w in app.topLevelWidgets() if w.isVisible()), flush=True)
    app.quit()
QTimer.singleShot(0, report)
from desktop import launcher
sys.exit(launcher.main(sys.argv[1:]))
"""


def run_launcher(*args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "MENSCENTRAAL_NO_KEYRING": "1",
        "MENSCENTRAAL_ORGANISATION_FILE": "",
    }
    env.pop("MENSCENTRAAL_PROFILE", None)
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=60
    )


@pytest.mark.parametrize("args", [(), ("gui",)])
def test_no_command_or_gui_opens_the_windows(tmp_path, args):
    result = run_launcher("--profile", str(tmp_path / "profile"), *args)
    assert result.returncode == 0, result.stderr
    assert "WINDOWS:Apparaat aanmelden — MensCentraal Mobiel" in result.stdout  # a new profile enrolls first


def test_commands_and_flags_stay_the_command_line(tmp_path):
    result = run_launcher("--profile", str(tmp_path / "profile"), "doctor", "--json")
    assert "WINDOWS:" not in result.stdout and '"cause"' in result.stdout
    version = run_launcher("--version")
    assert version.returncode == 0 and version.stdout.startswith("MensCentraal Mobiel ")


@pytest.mark.parametrize(
    "argv, command, options",
    [
        ([], None, []),
        (["--profile", "p", "--lang", "en"], None, ["--profile", "p", "--lang", "en"]),
        (["--profile=p", "gui"], "gui", ["--profile=p"]),
        (["gui", "--english"], "gui", ["--english"]),
        (["--profile", "p", "sync"], "sync", ["--profile", "p"]),
        (["--help"], "--help", []),
    ],
)
def test_split_command(argv, command, options):
    assert launcher.split_command(argv) == (command, options)


def test_windows_arguments_spell_options_for_the_windows():
    assert launcher.windows_arguments(["--profile=p", "--lang", "en"]) == ["--profile", "p", "--lang=en"]


# Issue 19: the login's libraries load on a second thread while the windows' code loads.
def _stub_windows(monkeypatch, calls: list[str]) -> None:
    stub = types.ModuleType("desktop.ui.app")
    stub.main = lambda argv=None: calls.append("windows") or 0
    monkeypatch.setitem(sys.modules, "desktop.ui.app", stub)
    monkeypatch.setattr(preload, "start", lambda: calls.append("preload"))


def test_the_windows_entry_points_start_the_preload_before_the_windows_code(monkeypatch):
    calls: list[str] = []
    _stub_windows(monkeypatch, calls)
    assert launcher.main(["gui"]) == 0
    with pytest.raises(SystemExit):
        runpy.run_module("desktop.ui.__main__", run_name="__main__")
    assert calls == ["preload", "windows", "preload", "windows"]


def test_the_preload_imports_the_login_libraries_and_nothing_of_the_windows():
    code = (
        "import sys; from desktop import preload; thread = preload.start(); assert preload.start() is thread; "
        "thread.join(); print(sorted(set(preload.LIBRARIES) - set(sys.modules))); "
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'desktop.ui', 'desktop.session'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["[]", "[]"]
