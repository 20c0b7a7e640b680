"""The example organisation file, the menu entry, the metainfo and the XDG install script."""

from __future__ import annotations

import ast
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


@pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli missing (make validate-desktop installs it)"
)
def test_metainfo_validates():
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(LINUX / f"{APP_ID}.metainfo.xml")], capture_output=True, text=True
    )
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
    assert f"Exec={app_dir}/menscentraal %u" in desktop_file.read_text()
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
    run = subprocess.run(
        [sys.executable, str(entry), "--version"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert run.returncode == 0 and run.stdout.startswith("MensCentraal Mobiel ")


# --- the URL scheme of the task links (menscentraal://taak/ID) ------------------------------------


@pytest.fixture(scope="module")
def desktop_tools():
    """desktop-file-validate and xdg-mime, installed from Debian when missing (as `make validate-desktop`)."""
    tools = ("desktop-file-validate", "xdg-mime", "update-desktop-database")
    if not all(shutil.which(tool) for tool in tools):
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip("run: sudo apt-get install desktop-file-utils xdg-utils")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "desktop-file-utils", "xdg-utils"],
            check=True,
            capture_output=True,
            timeout=300,
        )


def test_desktop_file_registers_the_task_link_scheme(tmp_path, desktop_tools):
    entry = (LINUX / f"{APP_ID}.desktop").read_text()
    assert "MimeType=x-scheme-handler/menscentraal;" in entry and "Exec=menscentraal %u" in entry
    checked = subprocess.run(
        ["desktop-file-validate", str(LINUX / f"{APP_ID}.desktop")], capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout == "", checked.stdout
    # Installed for a user in a temporary home: the desktop answers "this app" for the scheme.
    home = tmp_path / "home"
    (home / "system").mkdir(parents=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("XDG_CURRENT_DESKTOP", "DESKTOP_SESSION", "KDE_FULL_SESSION", "GNOME_DESKTOP_SESSION_ID")
    }
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "share"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_DIRS=str(home / "system"),
        XDG_CONFIG_DIRS=str(home / "system"),
        DIST=str(fake_dist(tmp_path)),
    )
    subprocess.run([str(LINUX / "install-desktop.sh")], env=env, check=True, capture_output=True)
    query = subprocess.run(
        ["xdg-mime", "query", "default", "x-scheme-handler/menscentraal"], env=env, capture_output=True, text=True
    )
    assert query.stdout.strip() == f"{APP_ID}.desktop", query.stdout + query.stderr
    # System-wide (no per-user default): the desktop database offers it for the scheme.
    cache = (home / "share" / "applications" / "mimeinfo.cache").read_text()
    assert f"x-scheme-handler/menscentraal={APP_ID}.desktop;" in cache
    assert home.joinpath("config", "mimeapps.list").is_file()  # nothing was written outside the temporary home


def test_windows_installer_registers_the_task_link_scheme():
    """Inno Setup cannot run here: the [Registry] section is read. The scheme's class key is
    removed at uninstall, and the command passes the link as one argument."""
    script = (REPO / "packaging" / "windows" / "menscentraal.iss").read_text(encoding="utf-8")
    section = script.split("[Registry]", 1)[1].split("\n[", 1)[0]
    entries = []
    for line in section.splitlines():
        if line.startswith("Root:"):
            fields = dict(part.strip().split(": ", 1) for part in line.split("; "))
            entries.append(fields)
    values = {(e["Subkey"], e["ValueName"].strip('"')): e["ValueData"] for e in entries}
    base = '"Software\\Classes\\menscentraal'
    assert values[(base + '"', "URL Protocol")] == '""'
    assert values[(base + '"', "")].startswith('"URL:')
    assert values[(base + '\\shell\\open\\command"', "")] == '"""{app}\\menscentraal.exe"" ""%1"""'
    assert all(e["Root"] == "HKA" for e in entries)
    assert any("uninsdeletekey" in e.get("Flags", "") for e in entries if e["Subkey"] == base + '"')


def test_macos_bundle_registers_the_task_link_scheme():
    """PyInstaller cannot build a macOS bundle here: the spec's BUNDLE(info_plist=...) is read. The
    running app gets the link as a QFileOpenEvent (tests/ui/test_task_links.py)."""
    tree = ast.parse((REPO / "packaging" / "menscentraal.spec").read_text(encoding="utf-8"))
    bundles = [
        node for node in ast.walk(tree) if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "BUNDLE"
    ]
    assert len(bundles) == 1
    plist = next(k.value for k in bundles[0].keywords if k.arg == "info_plist")
    entries = {ast.literal_eval(key): value for key, value in zip(plist.keys, plist.values)}
    url_types = ast.literal_eval(entries["CFBundleURLTypes"])
    assert [t["CFBundleURLSchemes"] for t in url_types] == [["menscentraal"]]
    assert all(t["CFBundleURLName"].startswith("nl.menscentraal.") for t in url_types)
