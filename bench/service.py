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
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import platformdirs

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60
# The load generator enrolls and logs in 50 devices of one user per run from one address, and the
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
    scale: int, workdir: Path, cache_root: Path | None = None, fast_kdf: bool = False
) -> tuple[Path, float | None]:
    """A fresh copy of the service's data at `scale`; returns (data dir, init seconds or None if cached).
    `cache_root` (default the user cache directory) and `fast_kdf` (cheap Argon2 on the service) are
    for the smoke run, which must neither touch the user's cache nor spend seconds hashing."""
    cache_root = cache_root or Path(platformdirs.user_cache_dir("menscentraal-bench"))
    cache = cache_root / f"scale{scale}-{code_version()}{'-fastkdf' if fast_kdf else ''}"
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
        init_seconds = time.perf_counter() - started
        (cache / "done").write_text("ok\n")
        for old in cache.parent.glob(f"scale{scale}-*"):  # keep only the current version's data
            if old != cache:
                shutil.rmtree(old, ignore_errors=True)
    target = workdir / "service"
    shutil.copytree(cache / "data", target)
    raise_throttles(target)
    return target, init_seconds


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
