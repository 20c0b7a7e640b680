"""The real command (`python -m desktop ...`) in a subprocess, for what needs no service."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.profile import Profile

from tests.client.test_login_offline import PASSWORD, offline_profile

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "MENSCENTRAAL_NO_KEYRING": "1",
        "MENSCENTRAAL_KDF": "1024,1,1",
        "QT_QPA_PLATFORM": "offscreen",
        **(env or {}),
    }
    environment.pop("MENSCENTRAAL_PROFILE", None)
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=60,
    )


def assert_one_sentence(text: str) -> None:
    assert "Traceback" not in text
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].endswith("."), text


def fresh_offline_profile(tmp_path) -> Profile:
    profile = offline_profile(tmp_path / "p", None)
    profile.update_config(last_contact_at=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return profile


def test_not_enrolled_profile_says_so(tmp_path):
    result = run_cli("--profile", str(tmp_path / "none"), "login", "--password-stdin", stdin="x\n")
    assert result.returncode == 5
    assert_one_sentence(result.stderr)
    assert "menscentraal enroll" in result.stderr


def test_login_without_terminal_and_without_password_stdin_fails_clearly(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    result = run_cli("--profile", str(profile.root), "login")
    assert result.returncode == 2
    assert_one_sentence(result.stderr)
    assert "--password-stdin" in result.stderr


def test_offline_login_from_stdin_unlocks(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    result = run_cli("--profile", str(profile.root), "login", "--password-stdin", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert "Offline ontgrendeld" in result.stdout
    assert "Traceback" not in result.stderr


def test_wrong_offline_password_counts_down_and_changes_nothing_else(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    before = profile.cache_path.read_bytes()
    result = run_cli("--profile", str(profile.root), "login", "--password-stdin", stdin="fout\n")
    assert result.returncode == 4
    assert "9" in result.stderr and "Traceback" not in result.stderr
    assert profile.cache_path.read_bytes() == before


def test_empty_password_line_is_refused(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    result = run_cli("--profile", str(profile.root), "login", "--password-stdin", stdin="\n")
    assert result.returncode == 2
    assert_one_sentence(result.stderr)


def test_doctor_json_prints_only_json_and_names_the_cause(tmp_path):
    profile = fresh_offline_profile(tmp_path)  # its service port is closed
    result = run_cli("--profile", str(profile.root), "doctor", "--json")
    assert result.returncode == 3
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["cause"] == "connection-refused"
    assert {check["name"]: check["status"] for check in report["checks"]}["device-certificate"] == "pass"


def test_doctor_never_prompts_and_needs_no_password(tmp_path):
    result = run_cli("--profile", str(tmp_path / "none"), "doctor")
    assert result.returncode == 3
    assert "Oorzaak:" in result.stdout and "Traceback" not in result.stderr


def test_wipe_removes_every_file_of_the_profile(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    # Never opened by this client: how many changes are unsent is unknown, so only a confirmed wipe.
    refused = run_cli("--profile", str(profile.root), "wipe")
    assert refused.returncode == 2 and "--discard-unsent" in refused.stderr and profile.cache_path.exists()
    result = run_cli("--profile", str(profile.root), "wipe", "--discard-unsent")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in profile.root.iterdir()) == []


def test_usage_error_exits_2_without_traceback(tmp_path):
    result = run_cli("--profile", str(tmp_path), "enroll", "--server", "https://x")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_enroll_refuses_plain_http(tmp_path):
    ca = tmp_path / "ca.pem"
    from tests.client.test_transport import make_ca, pem

    ca.write_bytes(pem(make_ca()[1]))
    result = run_cli(
        "--profile",
        str(tmp_path / "p"),
        "enroll",
        "--server",
        "http://localhost:1",
        "--ca",
        str(ca),
        "--user",
        "u",
        "--code",
        "c",
        "--password-stdin",
        stdin="pw\n",
    )
    assert result.returncode == 2
    assert_one_sentence(result.stderr)
    assert "https://" in result.stderr
    assert not (tmp_path / "p" / "profile.json").exists()


def test_damaged_profile_json_is_a_sentence_not_a_traceback(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    profile.config_path.write_text("{ not json")
    for command in (["login", "--password-stdin"], ["doctor"]):
        result = run_cli("--profile", str(profile.root), *command, stdin=PASSWORD + "\n")
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
        assert (result.stderr + result.stdout).strip()


def test_prompts_for_the_password_on_a_terminal(tmp_path):
    """On a real terminal (a pseudo-terminal here) the password is asked with getpass, unechoed."""
    import pty
    import select
    import time

    profile = fresh_offline_profile(tmp_path)
    env = {**os.environ, "MENSCENTRAAL_NO_KEYRING": "1", "QT_QPA_PLATFORM": "offscreen"}
    pid, master = pty.fork()
    if pid == 0:  # the child: its controlling terminal is the pseudo-terminal
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "desktop", "--profile", str(profile.root), "login"], env)
    output = b""
    sent = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(master, 1024)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not sent and b"Wachtwoord:" in output:
            os.write(master, (PASSWORD + "\n").encode())
            sent = True
    _, status = os.waitpid(pid, 0)
    os.close(master)
    assert sent, output
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert b"Offline ontgrendeld" in output
    assert PASSWORD.encode() not in output  # not echoed


def test_doctor_names_name_resolution(tmp_path):
    profile = fresh_offline_profile(tmp_path)
    profile.update_config(service_url="https://menscentraal.invalid")
    report = json.loads(run_cli("--profile", str(profile.root), "doctor", "--json").stdout)
    assert report["cause"] == "dns"
