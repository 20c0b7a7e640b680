"""`make demo` sets up a real service and an enrolled profile, and stops the service afterwards."""

import json
import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path


def run_demo(root):
    env = {**os.environ, "MENSCENTRAAL_DEMO_NO_APP": "1", "MENSCENTRAAL_KDF": "1024,1,1"}
    return subprocess.run(
        [sys.executable, "-m", "desktop.demo", str(root)], env=env, capture_output=True, text=True, timeout=180
    )


def port_is_free(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_demo_creates_service_enrolls_profile_and_stops_the_service(tmp_path):
    first = run_demo(tmp_path)
    assert first.returncode == 0, first.stderr
    accounts = json.loads((tmp_path / "service" / "demo-accounts.json").read_text())
    for account in accounts:  # every demo account is printed with its password
        assert account["username"] in first.stdout and account["password"] in first.stdout
    profile = json.loads((tmp_path / "profile" / "profile.json").read_text())
    assert profile["device_id"] and profile["username"] == "anouk"
    assert (tmp_path / "profile" / "cache.db").read_bytes()[:16] != b"SQLite format 3\x00"
    assert port_is_free(profile["service_url"])  # closing the demo stopped the service
    # The colleague in her team and the local administrator are enrolled too, each with the
    # command that opens their window.
    for username, folder in (("anouk", "profile"), ("bram", "profile-bram"), ("gerrit", "profile-gerrit")):
        enrolled = json.loads((tmp_path / folder / "profile.json").read_text())
        assert enrolled["username"] == username and enrolled["device_id"]
        command = next(
            line.strip() for line in first.stdout.splitlines() if line.strip().endswith(str(tmp_path / folder))
        )
        assert shlex.split(command)[-2:] == ["--profile", str(tmp_path / folder)]
        assert shlex.split(command)[0] == str(Path(sys.executable).with_name("menscentraal"))

    second = run_demo(tmp_path)  # reuses the service data and the enrolled profile
    assert second.returncode == 0, second.stderr
    assert "wordt aangemaakt" not in second.stdout and "wordt aangemeld" not in second.stdout
    assert json.loads((tmp_path / "profile" / "profile.json").read_text())["device_id"] == profile["device_id"]
    assert second.stdout.count("--profile") == 3
