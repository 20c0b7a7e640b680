"""`menscentraal-server init | run | enroll-code`, and the demo people."""

from __future__ import annotations

import json
import queue
import re
import signal
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from server_stub.demo_people import build_people
from tests.service_fixtures import API

ROOT = Path(__file__).resolve().parents[2]
ROLES = {"medewerker", "superuser", "lokaal_beheerder", "helpdesk"}


def _cli(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "server_stub", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "data"
    _cli("init", path, "--fast-kdf", "--hostname", "laptop.example", "--hostname", "10.1.2.3", "--scale", "0")
    return path


def test_init_creates_ca_server_certificate_database_config_and_accounts(data_dir):
    for name in (
        "ca.pem",
        "ca-key.pem",
        "server.pem",
        "server-key.pem",
        "service.db",
        "config.json",
        "demo-accounts.json",
    ):
        assert (data_dir / name).exists(), name
    assert (data_dir / "ca-key.pem").stat().st_mode & 0o077 == 0
    server = x509.load_pem_x509_certificate((data_dir / "server.pem").read_bytes())
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(names.get_values_for_type(x509.DNSName)) == {"localhost", "laptop.example"}
    assert {str(ip) for ip in names.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "10.1.2.3"}
    config = json.loads((data_dir / "config.json").read_text())
    assert config["argon2"]["memory_cost_kib"] == 8  # --fast-kdf
    accounts = json.loads((data_dir / "demo-accounts.json").read_text())
    assert all(set(a) == {"username", "password", "role", "organisation", "teams"} for a in accounts)


def test_init_refuses_a_non_empty_directory_unless_forced(tmp_path):
    target = tmp_path / "busy"
    target.mkdir()
    (target / "something.txt").write_text("keep me")
    refused = _cli("init", target, "--fast-kdf", check=False)
    assert refused.returncode == 2 and "niet leeg" in refused.stderr and "Traceback" not in refused.stderr
    assert sorted(p.name for p in target.iterdir()) == ["something.txt"]
    _cli("init", target, "--fast-kdf", "--force", "--scale", "0")
    assert (target / "ca.pem").exists() and (target / "something.txt").read_text() == "keep me"


def test_production_init_uses_owasp_argon2_parameters(tmp_path):
    _cli("init", tmp_path / "prod", "--scale", "0")
    argon2 = json.loads((tmp_path / "prod" / "config.json").read_text())["argon2"]
    assert argon2["memory_cost_kib"] >= 19456 and argon2["iterations"] >= 2


def test_demo_people_cover_every_role_and_team_rule():
    people = build_people(7)
    assert len(people.organisations) >= 2 and len(people.teams) >= 3 and len(people.users) >= 12
    assert {u.role for u in people.users} == ROLES
    for team in people.teams:
        assert len([u for u in people.members(team.id) if u.role == "medewerker"]) >= 2, team.name
    assert people.user("bench").team_ids
    demo = people.organisation("org-demodorp")
    assert demo.contacts["helpdesk"]["phone"] == "085-4899080"
    assert all(u.email.endswith(".example") for u in people.users)
    assert build_people(7) == people and build_people(8).users[0].password != people.users[0].password


def test_init_prints_the_accounts(tmp_path):
    out = _cli("init", tmp_path / "d", "--fast-kdf", "--scale", "0").stdout
    for account in json.loads((tmp_path / "d" / "demo-accounts.json").read_text()):
        assert account["username"] in out and account["password"] in out


def _start_run(data_dir):
    """`run` in a subprocess on a free port; returns (process, url)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "server_stub", "run", str(data_dir), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        match = re.search(r"(https://127\.0\.0\.1:\d+)/api/v1", lines.get(timeout=30))
        if match:
            return process, match.group(1)
    process.kill()
    raise AssertionError("run did not say where it listens")


def _stop_with_sigterm(process) -> float:
    start = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)
    return time.monotonic() - start


def test_run_serves_tls13_and_stops_within_seconds_on_sigterm(data_dir):
    process, url = _start_run(data_dir)
    try:
        context = ssl.create_default_context(cafile=str(data_dir / "ca.pem"))
        with httpx.Client(verify=context) as client:
            assert client.get(f"{url}{API}/health").json()["status"] == "ok"  # the keep-alive connection stays open
            assert _stop_with_sigterm(process) < 5
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_shutdown_takes_seconds_even_with_an_open_long_poll(service):
    """SIGTERM in `run` sets the same flag as `stop()`; here the open long-poll can be waited for."""
    from tests.service_fixtures import enrolled_client, wait_until

    client = enrolled_client(service, "eva", login=True)
    client.timeout = httpx.Timeout(40)
    cursor = client.get(f"{API}/sync/changes").json()["cursor"]
    answers: list = []
    poll = threading.Thread(
        target=lambda: answers.append(_safe_get(client, f"{API}/sync/changes", {"cursor": cursor, "wait": 25}))
    )
    poll.start()
    state = service.app.state
    wait_until(
        lambda: (
            getattr(state, "feed_signal", None) is not None and service.user_id("eva") in state.feed_signal._waiters
        ),
        message="the long-poll to be waiting",
    )
    start = time.monotonic()
    service.stop()
    assert time.monotonic() - start < 5
    poll.join(timeout=10)
    assert answers and not poll.is_alive()
    client.close()


def _safe_get(client, path, params):
    try:
        return client.get(path, params=params).status_code
    except httpx.TransportError as exc:
        return type(exc).__name__


def test_enroll_code_prints_a_usable_code_as_its_last_line(service):
    result = _cli("enroll-code", service.data_dir, "anouk")
    code = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code)
    from tests.service_fixtures import make_csr, plain_client

    with plain_client(service) as client:
        response = client.post(
            f"{API}/enrollments",
            json={"username": "anouk", "password": service.password("anouk"), "code": code, "csr": make_csr()[1]},
        )
    assert response.status_code == 201


def test_enroll_code_for_unknown_user_is_one_sentence(data_dir):
    result = _cli("enroll-code", data_dir, "nobody", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "nobody" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["init", "--help"],
        ["run", "--help"],
        ["enroll-code", "--help"],
        ["init"],
        ["run", "data", "--port", "abc"],
        ["frobnicate"],
    ],
)
def test_help_and_usage_errors_are_dutch_throughout(argv, capsys):
    from server_stub import cli

    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    printed = capsys.readouterr()
    text = printed.out + printed.err
    assert done.value.code == (0 if "--help" in argv else 2)
    assert text.startswith("gebruik: menscentraal-server")
    for english in (
        "usage:",
        "options:",
        "positional arguments",
        "show this help",
        "error:",
        "required",
        "invalid",
        "create DATA_DIR",
        "serve DATA_DIR",
        "print a one-time",
    ):
        assert english not in text, (argv, english)
