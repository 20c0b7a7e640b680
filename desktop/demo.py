"""`make demo`: a local service with demo data, an enrolled demo profile, and the app.

It creates the service's data directory once (`menscentraal-server init`), starts the service
(`menscentraal-server run`), enrolls demo profiles once for three people (a field worker, a
colleague in her team, their local administrator), prints the demo accounts and one command per
person to open their window, and starts the desktop app on the field worker's profile. Closing
that app stops the service.

The service is driven through its command line, never imported: client and service share no code.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from desktop import errors
from desktop.profile import Profile
from desktop.secrets import approved_system_store
from desktop.session import enroll_device
from desktop.sync.transport import Transport
from desktop.vault import KdfParams

DEFAULT_PORT = 8443
STARTUP_TIMEOUT_S = 30.0


def server_command() -> list[str]:
    """The service's command beside this interpreter (the venv's console script), else `-m`."""
    beside = Path(sys.executable).with_name("menscentraal-server")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "server_stub"]


def free_port(preferred: int) -> int:
    """`preferred` when nothing listens there, else any free loopback port."""
    for port in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def ensure_service_data(data_dir: Path) -> list[dict]:
    """Create the demo service once; later runs reuse its data (and the changes made in the demo)."""
    accounts_file = data_dir / "demo-accounts.json"
    if not accounts_file.exists():
        if data_dir.exists():
            shutil.rmtree(data_dir)  # a half-made directory from an interrupted first run
        print("demo: de dienst wordt aangemaakt met fictieve demogegevens …", flush=True)
        subprocess.run([*server_command(), "init", str(data_dir)], check=True, stdout=subprocess.DEVNULL)
    return json.loads(accounts_file.read_text(encoding="utf-8"))


def start_service(data_dir: Path, port: int) -> subprocess.Popen:
    log = open(data_dir / "service.log", "ab")  # ids only: the service logs no personal data
    return subprocess.Popen(
        [*server_command(), "run", str(data_dir), "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )


def wait_until_healthy(url: str, ca_pem: bytes, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    with Transport(url, ca_pem) as transport:
        while True:
            if process.poll() is not None:
                raise SystemExit(f"demo: de dienst stopte meteen (code {process.returncode}); zie service.log")
            try:
                transport.get_json("/health", authenticated=False)
                return
            except errors.ClientError:
                if time.monotonic() > deadline:
                    raise SystemExit("demo: de dienst start niet binnen 30 seconden; zie service.log")
                time.sleep(0.2)  # polling a child process that has no other way to say it is ready


def enroll_code(data_dir: Path, username: str) -> str:
    out = subprocess.run(
        [*server_command(), "enroll-code", str(data_dir), username], check=True, capture_output=True, text=True
    ).stdout
    return out.strip().splitlines()[-1]


def demo_account(accounts: list[dict]) -> dict:
    """The field worker whose profile the demo opens: the first medewerker with a team."""
    return next(a for a in accounts if a["role"] == "medewerker" and a["teams"])


def demo_people(accounts: list[dict]) -> list[tuple[str, dict]]:
    """Three people at once: the field worker, a colleague in her team, and their organisation's
    local administrator (each with a profile of their own)."""
    worker = demo_account(accounts)
    colleague = next(
        a
        for a in accounts
        if a is not worker
        and a["role"] == "medewerker"
        and a["organisation"] == worker["organisation"]
        and set(a["teams"]) & set(worker["teams"])
    )
    admin = next(a for a in accounts if a["role"] == "lokaal_beheerder" and a["organisation"] == worker["organisation"])
    return [("medewerker", worker), ("collega", colleague), ("lokaal beheerder", admin)]


def profile_root(root: Path, index: int, account: dict) -> Path:
    """The field worker keeps `profile` (as before); the others `profile-USERNAME`."""
    return root / ("profile" if index == 0 else f"profile-{account['username']}")


def app_command(profile: Path) -> str:
    """The command that opens one person's window (the venv's `menscentraal` when installed)."""
    beside = Path(sys.executable).with_name("menscentraal")
    program = [str(beside)] if beside.exists() else [sys.executable, "-m", "desktop"]
    return shlex.join([*program, "--profile", str(profile)])


def ensure_profile(profile: Profile, data_dir: Path, url: str, account: dict) -> None:
    if profile.config_path.exists() and profile.load_config().device_id:
        profile.update_config(service_url=url)  # the port may differ from the last run
        return
    print(f"demo: dit apparaat wordt aangemeld voor {account['username']} …", flush=True)
    ca_pem = (data_dir / "ca.pem").read_bytes()
    session, _outcome = enroll_device(
        profile,
        approved_system_store(),
        url,
        ca_pem,
        account["username"],
        account["password"],
        enroll_code(data_dir, account["username"]),
        kdf=KdfParams.from_environment(),
    )
    session.close()


def print_accounts(accounts: list[dict], url: str, data_dir: Path) -> None:
    print(f"\nMensCentraal demo-dienst: {url}   (CA: {data_dir / 'ca.pem'}, e-mail: {data_dir / 'mail'})\n")
    print(f"{'gebruiker':<16} {'wachtwoord':<26} {'rol':<18} {'organisatie':<24} teams")
    for a in accounts:
        print(
            f"{a['username']:<16} {a['password']:<26} {a['role']:<18} {a['organisation']:<24} {', '.join(a['teams'])}"
        )
    print()


def print_windows(people: list[tuple[str, dict, Path]]) -> None:
    print("Aangemelde demoprofielen; zolang de demo loopt, opent elk commando het venster van die persoon")
    print("(in een eigen terminal; het eerste venster opent de demo zelf):")
    for label, account, profile in people:
        print(f"  {account['username']} ({label}, wachtwoord {account['password']}):\n    {app_command(profile)}")
    print()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    root = Path(argv[0] if argv else ".demo").resolve()
    data_dir = root / "service"
    accounts = ensure_service_data(data_dir)
    port = free_port(DEFAULT_PORT)
    url = f"https://localhost:{port}"
    service = start_service(data_dir, port)
    try:
        wait_until_healthy(url, (data_dir / "ca.pem").read_bytes(), service)
        people = [
            (label, account, profile_root(root, index, account))
            for index, (label, account) in enumerate(demo_people(accounts))
        ]
        for _label, account, profile in people:
            ensure_profile(Profile(profile), data_dir, url, account)
        print_accounts(accounts, url, data_dir)
        print_windows(people)
        if os.environ.get("MENSCENTRAAL_DEMO_NO_APP") == "1":  # the test of this script stops here
            return 0
        return subprocess.call([sys.executable, "-m", "desktop.ui", "--profile", str(people[0][2])])
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            service.wait(timeout=10)
        except subprocess.TimeoutExpired:
            service.kill()


if __name__ == "__main__":
    raise SystemExit(main())
