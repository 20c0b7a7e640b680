"""The example organisation file, the menu entry, the metainfo and the XDG install script."""
from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop.org_config import parse_organisation
from tests.client.test_transport import make_ca, pem

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
APP_ID = "nl.menscentraal.Mobiel"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_example_organisation_file_is_valid(tmp_path):
    shutil.copy(REPO / "packaging" / "organisation.example.toml", tmp_path / "organisation.toml")
    (tmp_path / "organisation-ca.pem").write_bytes(pem(make_ca()[1]))
    org = parse_organisation((tmp_path / "organisation.toml").read_bytes(), tmp_path / "organisation.toml")
    assert org.policy == {"offline_lock_hours": 72, "offline_wipe_days": 30, "auto_lock_minutes": 15}


def test_metainfo_names_the_current_version_first():
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.find("releases/release").get("version") == VERSION
    assert root.find("launchable").text == f"{APP_ID}.desktop"


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstreamcli missing (make validate-desktop installs it)")
def test_metainfo_validates():
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def fake_dist(tmp_path) -> Path:
    """A stand-in for dist/menscentraal: the script copies a folder with an executable in it."""
    dist = tmp_path / "dist" / "menscentraal"
    (dist / "_internal").mkdir(parents=True)
    program = dist / "menscentraal"
    program.write_text("#!/bin/sh\necho 'MensCentraal Mobiel test'\n")
    program.chmod(0o755)
    return dist


def test_install_desktop_for_the_user_and_uninstall(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "share"), "DIST": str(fake_dist(tmp_path))}
    script = LINUX / "install-desktop.sh"
    subprocess.run([str(script)], env=env, check=True, capture_output=True)
    app_dir = home / ".local" / "opt" / "menscentraal-mobiel"
    desktop_file = home / "share" / "applications" / f"{APP_ID}.desktop"
    assert (app_dir / "menscentraal").is_file() and (app_dir / "_internal").is_dir()
    assert os.readlink(home / ".local" / "bin" / "menscentraal") == str(app_dir / "menscentraal")
    assert f"Exec={app_dir}/menscentraal %U" in desktop_file.read_text()
    assert (home / "share" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (home / "share" / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    if shutil.which("desktop-file-validate"):
        checked = subprocess.run(["desktop-file-validate", str(desktop_file)], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stdout
    subprocess.run([str(script), "--uninstall"], env=env, check=True, capture_output=True)
    assert not app_dir.exists() and not desktop_file.exists()
    assert not (home / ".local" / "bin" / "menscentraal").exists()


def test_install_desktop_without_a_build_says_what_to_do(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "DIST": str(tmp_path / "nothing")}
    result = subprocess.run([str(LINUX / "install-desktop.sh")], env=env, capture_output=True, text=True)
    assert result.returncode == 1 and "make package" in result.stderr
    assert not (tmp_path / ".local").exists()


def test_frozen_entry_is_the_installed_launcher():
    """The frozen program decides windows-or-command-line exactly as `menscentraal` does
    (tests/ui/test_launcher.py covers that decision, `gui` included)."""
    import os
    import subprocess
    import sys

    entry = REPO / "packaging" / "menscentraal_entry.py"
    assert "from desktop.launcher import main" in entry.read_text(encoding="utf-8")
    run = subprocess.run([sys.executable, str(entry), "--version"], capture_output=True, text=True, cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert run.returncode == 0 and run.stdout.startswith("MensCentraal Mobiel ")
