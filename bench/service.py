"""The service for the benchmarks: demo data made once per code version, run as its own process.

`prepare_data(scale)` runs `menscentraal-server init DIR --scale N` into a cache directory keyed
by a hash of `server_stub/` (init at 20,000 cases takes ~20 s), then copies it to a fresh temp dir
per run: the service writes to its database, and every run must start from the same data.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import platformdirs

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60
# The service benchmarks' users (issue 19): 200 field workers of their own, each a supporter on
# CASES_PER_LOAD_USER cases, so that every no-op sync is a different user's own feed and cursor.
LOAD_USERS = 200
CASES_PER_LOAD_USER = 10
LOAD_TEAM = "team-load"
# The load processes enroll and log in a device for each of the 200 load users from one address, and the
# families enroll more profiles: a benchmark, not an attack. The bench's own service raises the
# request throttles as tests/service_fixtures.py does (the per-request work is unchanged: the
# throttle is still counted on every login and enrollment).
BENCH_THROTTLES = {
    "login_per_source": 100_000,
    "login_per_account": 100_000,
    "enrollment_per_source": 100_000,
    "enrollment_per_account": 100_000,
}


def code_version() -> str:
    """A hash of every file of the service: demo data is rebuilt when any of them changes."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "server_stub").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".sql", ".txt"):
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_data(
    scale: int,
    workdir: Path,
    cache_root: Path | None = None,
    fast_kdf: bool = False,
    load_users: int = LOAD_USERS,
) -> tuple[Path, float | None]:
    """A fresh copy of the service's data at `scale`; returns (data dir, init seconds or None if cached).
    `cache_root` (default the user cache directory) and `fast_kdf` (cheap Argon2 on the service) are
    for the smoke run, which must neither touch the user's cache nor spend seconds hashing."""
    cache_root = cache_root or Path(platformdirs.user_cache_dir("menscentraal-bench"))
    cache = cache_root / f"scale{scale}-{code_version()}{'-fastkdf' if fast_kdf else ''}-load{load_users}"
    init_seconds = None
    if not (cache / "done").exists():
        shutil.rmtree(cache, ignore_errors=True)
        cache.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "server_stub.cli",
                "init",
                str(cache / "data"),
                "--scale",
                str(scale),
                *(["--fast-kdf"] if fast_kdf else []),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=REPO,
        )
        add_load_users(cache / "data", load_users)
        init_seconds = time.perf_counter() - started
        (cache / "done").write_text("ok\n")
        for old in cache.parent.glob(f"scale{scale}-*"):  # keep only the current version's data
            if old != cache:
                shutil.rmtree(old, ignore_errors=True)
    target = workdir / "service"
    shutil.copytree(cache / "data", target)
    raise_throttles(target)
    return target, init_seconds


def add_load_users(data_dir: Path, count: int = LOAD_USERS) -> None:
    """`count` users `load000`... in a team of their own (a machine's accounts, kept out of the
    colleague directory as `bench` is), each a supporter on CASES_PER_LOAD_USER existing cases.
    Their passwords are hashed with cheap Argon2: 200 enrollments and logins are set-up, not what
    is measured. The password is in DATA_DIR/load-accounts.json."""
    from server_stub.accounts import PasswordHasher
    from server_stub.config import Argon2Params, DataDir, database_target, load_config
    from server_stub.demo_work import rebuild_visibility
    from server_stub.store import Database, to_iso, utc_now
    from server_stub.store import accounts as store

    password = secrets.token_urlsafe(16)
    phc = PasswordHasher(Argon2Params.cheap()).hash(password)
    now = to_iso(utc_now())
    db = Database(database_target(DataDir(data_dir), load_config(data_dir)), pool_size=2)
    try:
        with db.transaction() as conn:
            store.insert_team(conn, id=LOAD_TEAM, name="Belastingproef", organisation_id="org-demodorp")
            cases = [row[0] for row in conn.execute("SELECT id FROM cases ORDER BY id")]
            supporters = []
            for index in range(count):
                user_id = f"usr-load{index:03d}"
                store.insert_user(
                    conn,
                    id=user_id,
                    username=f"load{index:03d}",
                    display_name=f"Belasting {index:03d}",
                    email=f"load{index:03d}@demodorp.example",
                    role="medewerker",
                    organisation_id="org-demodorp",
                    password_hash=phc,
                    created_at=now,
                )
                store.add_team_member(conn, LOAD_TEAM, user_id)
                supporters += [
                    (cases[(index * CASES_PER_LOAD_USER + k) % len(cases)], user_id) for k in range(CASES_PER_LOAD_USER)
                ]
            conn.execute("UPDATE users SET service_account = 1 WHERE id LIKE 'usr-load%'")
            conn.executemany("INSERT OR IGNORE INTO case_supporters (case_id, user_id) VALUES (?, ?)", supporters)
            rebuild_visibility(conn)
    finally:
        db.close()
    accounts_file = data_dir / "load-accounts.json"
    accounts_file.write_text(json.dumps({"usernames": [f"load{i:03d}" for i in range(count)], "password": password}))
    os.chmod(accounts_file, 0o600)


def load_config_database(data_dir: Path) -> str:
    """The PostgreSQL URL in DATA_DIR's config.json ("" for SQLite)."""
    from server_stub.config import load_config

    return load_config(data_dir).database


def load_accounts(data_dir: Path) -> tuple[list[str], str]:
    """(usernames, password) of the load users `add_load_users` made."""
    body = json.loads((data_dir / "load-accounts.json").read_text(encoding="utf-8"))
    return body["usernames"], body["password"]


def enroll_codes(data_dir: Path, usernames: list[str]) -> list[str]:
    """One one-time enrollment code per username, as `enroll_code` issues them, in one service context."""
    from server_stub.app import open_context
    from server_stub.store import accounts as store

    context = open_context(data_dir)
    try:
        conn = context.db.conn()
        return [
            context.accounts.issue_enrollment_code(store.user_by_username(conn, name)["id"], None)[0]
            for name in usernames
        ]
    finally:
        context.db.close()


def raise_throttles(data_dir: Path) -> None:
    """Set BENCH_THROTTLES in the copy's config.json (the cached data stays as `init` made it)."""
    from server_stub.config import DataDir

    path = DataDir(data_dir).config
    config = json.loads(path.read_text(encoding="utf-8"))
    config["throttle"] = {**config.get("throttle", {}), **BENCH_THROTTLES}
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")  # keeps the file's 0600


def accounts(data_dir: Path) -> dict[str, str]:
    """username → password of the demo accounts."""
    rows = json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    return {row["username"]: row["password"] for row in rows}


def enroll_code(data_dir: Path, username: str) -> str:
    """A one-time enrollment code, issued as `menscentraal-server enroll-code` does (quietly)."""
    from server_stub import cli

    with contextlib.redirect_stdout(io.StringIO()):
        return cli.enroll_code(data_dir, username)


class ServiceProcess:
    """`menscentraal-server run DATA_DIR --port 0` as a separate process; `.url` once it listens."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.data_dir = data_dir
        self.ca_path = data_dir / "ca.pem"
        self._log_path = log_path
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server_stub.cli", "run", str(data_dir), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=REPO,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        self.url = self._wait_for_url()

    def _wait_for_url(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = self.process.stdout.readline().decode("utf-8", "replace")
            if not line:
                break
            found = re.search(r"(https://[\d.]+:\d+)/api/v1", line)
            if found:
                return found.group(1)
        self.stop()
        tail = self._log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise RuntimeError(f"the service did not start; the end of its log:\n{tail}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()
        self._log.close()
