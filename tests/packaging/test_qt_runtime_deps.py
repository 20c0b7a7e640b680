"""`make demo` on a fresh Debian/Ubuntu desktop: the libraries Qt's xcb plug-in misses (by ldd)
are installed when root, or the demo stops before starting anything with the exact command.
`ldd`, `id` and `apt-get` are stand-ins on PATH: this machine's libraries are not ours to change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "packaging" / "linux" / "qt-runtime-deps.sh"

FAKE_LDD = """#!/bin/sh
# What a fresh desktop's ldd says of libqxcb.so, until the fake apt-get has "installed" the packages.
echo "	libxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f0000000000)"
[ -f "$FAKE_STATE/installed" ] && exit 0
for library in $FAKE_MISSING; do echo "	$library => not found"; done
"""
FAKE_APT = """#!/bin/sh
echo "$@" >> "$FAKE_STATE/apt-get"
[ "$1" = install ] && touch "$FAKE_STATE/installed"
exit 0
"""


def fake_machine(tmp_path: Path, uid: int, missing: str) -> dict:
    bin_dir, state = tmp_path / "bin", tmp_path / "state"
    bin_dir.mkdir(parents=True)
    state.mkdir()
    for name, text in (("ldd", FAKE_LDD), ("apt-get", FAKE_APT), ("id", f"#!/bin/sh\necho {uid}\n")):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "FAKE_STATE": str(state), "FAKE_MISSING": missing}
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("MAKEFLAGS", None)
    return env


def test_missing_qt_libraries_as_user_stop_the_demo_with_the_exact_command(tmp_path):
    env = fake_machine(tmp_path, 1000, "libxcb-icccm.so.4 libEGL.so.1 libxcb-icccm.so.4")
    demo_dir = tmp_path / "demo"
    run = subprocess.run(
        ["make", "-s", "-o", ".venv/.installed", "demo", f"DEMO_DIR={demo_dir}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "  sudo apt-get install -y libegl1 libxcb-icccm4\n" in run.stderr, run.stderr
    assert "Er is nog niets gestart" in run.stderr
    assert not demo_dir.exists()  # no service, no profile, no app
    assert not (tmp_path / "state" / "apt-get").exists()


def test_missing_qt_libraries_as_root_are_installed(tmp_path):
    env = fake_machine(tmp_path, 0, "libxcb-cursor.so.0 libxkbcommon-x11.so.0")
    run = subprocess.run([str(SCRIPT), sys.executable], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    calls = (tmp_path / "state" / "apt-get").read_text().splitlines()
    assert calls == ["update -qq", "install -y -qq libxcb-cursor0 libxkbcommon-x11-0"]


def test_nothing_missing_or_another_platform_does_nothing(tmp_path):
    env = fake_machine(tmp_path, 1000, "")
    assert subprocess.run([str(SCRIPT), sys.executable], env=env, capture_output=True, timeout=60).returncode == 0
    env = {**fake_machine(tmp_path / "offscreen", 1000, "libEGL.so.1"), "QT_QPA_PLATFORM": "offscreen"}
    assert subprocess.run([str(SCRIPT), sys.executable], env=env, capture_output=True, timeout=60).returncode == 0


def test_a_library_without_a_known_package_is_named(tmp_path):
    env = fake_machine(tmp_path, 0, "libvreemd.so.3")
    run = subprocess.run([str(SCRIPT), sys.executable], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "libvreemd.so.3" in run.stderr
    assert not (tmp_path / "state" / "apt-get").exists()
