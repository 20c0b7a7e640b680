"""A soak of the real service: N live clients against `menscentraal-server run` in its own process.

The service runs as a separate process (`python -m server_stub run`), so that its open files
(/proc/PID/fd), threads and resident memory are its own and not the test's. Each client is a
device enrolled over mutual TLS with the service test helpers and signed in, and runs two threads
as the desktop client does: a long-poll on the change feed, and a sync every few seconds that
pushes a note now and then and pulls until the feed has nothing more.

`run_soak` returns a `SoakReport`: the samples taken during the load, the growth per minute of
each measure (least squares over the samples after the warm-up), and one sample after the clients
stopped and the service had been idle long enough for its worker threads to end.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from server_stub import cli
from server_stub.config import DataDir
from server_stub.demo_people import build_people
from tests.service_fixtures import API, enrolled_client, wait_until

LONG_POLL_SECONDS = 15
# anyio ends a worker thread after 10 s without work; a long-poll the client left ends by its wait.
IDLE_SETTLE_SECONDS = LONG_POLL_SECONDS + 15
SYNC_EVERY = (4.0, 12.0)  # seconds between a client's syncs, drawn uniformly
NOTE_CHANCE = 0.6  # a sync pushes one note this often


@dataclass(frozen=True)
class Sample:
    at: float  # seconds since the load started
    fds: int
    threads: int
    rss_mib: float


def _slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares growth per minute of (seconds, value) points."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return 0.0
    return 60 * sum((t - mean_t) * (v - mean_v) for t, v in points) / var


@dataclass
class SoakReport:
    clients: int
    seconds: float
    warmup_seconds: float
    before: Sample  # the idle service after set-up, before the load
    samples: list[Sample]
    after: Sample  # the idle service after the load
    syncs: int
    notes: int
    errors: list[str] = field(default_factory=list)

    def growth_per_minute(self, measure: str) -> float:
        return _slope_per_minute([(s.at, getattr(s, measure)) for s in self.samples if s.at >= self.warmup_seconds])

    def text(self) -> str:
        lines = [
            f"soak: {self.clients} clients for {self.seconds / 60:.1f} min, {self.syncs} syncs, "
            f"{self.notes} notes, {len(self.errors)} client errors",
            f"{'minute':>8} {'open files':>11} {'threads':>8} {'RSS MiB':>8}",
            f"{'before':>8} {self.before.fds:>11} {self.before.threads:>8} {self.before.rss_mib:>8.1f}",
        ]
        lines += [f"{s.at / 60:>8.2f} {s.fds:>11} {s.threads:>8} {s.rss_mib:>8.1f}" for s in self.samples]
        lines.append(f"{'idle':>8} {self.after.fds:>11} {self.after.threads:>8} {self.after.rss_mib:>8.1f}")
        lines.append(
            f"growth per minute after {self.warmup_seconds / 60:.1f} min warm-up: "
            f"open files {self.growth_per_minute('fds'):+.2f}, threads {self.growth_per_minute('threads'):+.2f}, "
            f"RSS {self.growth_per_minute('rss_mib'):+.2f} MiB"
        )
        lines.append(
            f"after the load, against before: open files {self.after.fds - self.before.fds:+d}, "
            f"threads {self.after.threads - self.before.threads:+d}, "
            f"RSS {self.after.rss_mib - self.before.rss_mib:+.1f} MiB"
        )
        return "\n".join(lines)


class ServiceProcess:
    """`menscentraal-server run` on a fresh DATA_DIR, in a child process; duck-types the parts of
    `RunningService` that `enrolled_client` uses."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.layout = DataDir(self.data_dir)
        self.accounts = cli.init(self.data_dir, scale=1, seed=1, fast_kdf=True, port=0)
        self.people = build_people(1)
        self.ca_path = self.layout.ca_cert
        self.host = "127.0.0.1"
        with socket.socket() as probe:
            probe.bind((self.host, 0))
            self.port = probe.getsockname()[1]
        self._log = open(self.data_dir.parent / "service.log", "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server_stub", "run", str(self.data_dir), "--port", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._accepts, timeout=30, interval=0.1, message="the service process to listen")

    def _accepts(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"the service exited with {self.process.returncode}; see {self._log.name}")
        try:
            socket.create_connection((self.host, self.port), timeout=1).close()
            return True
        except OSError:
            return False

    @property
    def url(self) -> str:
        return f"https://{self.host}:{self.port}"

    def password(self, username: str) -> str:
        return next(a["password"] for a in self.accounts if a["username"] == username)

    def enroll_code(self, username: str) -> str:
        with contextlib.redirect_stdout(io.StringIO()):  # the command prints the code for its user
            return cli.enroll_code(self.data_dir, username)

    def sample(self, at: float) -> Sample:
        pid = self.process.pid
        fds = len(os.listdir(f"/proc/{pid}/fd"))
        status = dict(
            line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
        )
        return Sample(at, fds, int(status["Threads"]), int(status["VmRSS"].split()[0]) / 1024)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


class SoakClient:
    """One device: a long-poll thread and a sync thread sharing one mutual-TLS HTTP client."""

    def __init__(self, service: ServiceProcess, username: str, number: int, stop: threading.Event):
        self.http = enrolled_client(service, username, login=True)
        self.number = number
        self.stop = stop
        self.random = random.Random(number)
        self.syncs = self.notes = 0
        self.errors: list[str] = []
        self.sync_cursor: str | None = None
        self.case_ids: list[str] = []
        self._sync()  # the first full pull also finds the cases this user may write notes in
        self.poll_cursor = self.sync_cursor
        self.threads = [
            threading.Thread(target=self._guard, args=(loop,), name=f"soak-{number}-{loop.__name__}", daemon=True)
            for loop in (self._long_poll_loop, self._sync_loop)
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=LONG_POLL_SECONDS + 15)
        self.http.close()

    def _guard(self, loop) -> None:
        while not self.stop.is_set():
            try:
                loop()
            except (httpx.HTTPError, AssertionError) as exc:
                self.errors.append(f"client {self.number}: {type(exc).__name__}: {exc}"[:300])
                self.stop.wait(1)

    def _long_poll_loop(self) -> None:
        while not self.stop.is_set():
            response = self.http.get(
                f"{API}/sync/changes",
                params={"cursor": self.poll_cursor, "wait": LONG_POLL_SECONDS},
                timeout=LONG_POLL_SECONDS + 15,
            )
            assert response.status_code == 200, f"long-poll answered {response.status_code}"
            self.poll_cursor = response.json()["cursor"]

    def _sync_loop(self) -> None:
        while not self.stop.wait(self.random.uniform(*SYNC_EVERY)):
            if self.case_ids and self.random.random() < NOTE_CHANCE:
                case_id = self.random.choice(self.case_ids)
                response = self.http.post(
                    f"{API}/sync/push",
                    json={
                        "mutations": [
                            {
                                "id": str(uuid.uuid4()),
                                "kind": "journal.add",
                                "payload": {"case_id": case_id, "entry_id": str(uuid.uuid4()), "text": "Soak-notitie."},
                            }
                        ]
                    },
                )
                assert response.status_code == 200, f"push answered {response.status_code}"
                assert response.json()["results"][0]["status"] == "applied", response.json()["results"][0].get("code")
                self.notes += 1
            self._sync()

    def _sync(self) -> None:
        while True:
            params = {"cursor": self.sync_cursor} if self.sync_cursor else {}
            response = self.http.get(f"{API}/sync/changes", params=params)
            assert response.status_code == 200, f"pull answered {response.status_code}"
            page = response.json()
            self.sync_cursor = page["cursor"]
            for case in page["upserts"]["cases"]:
                if case["capabilities"]["add_note"]["allowed"] and case["id"] not in self.case_ids:
                    self.case_ids.append(case["id"])
            if not page["has_more"]:
                break
        self.syncs += 1


def run_soak(work_dir: Path, *, clients: int, seconds: float, sample_every: float, warmup_seconds: float) -> SoakReport:
    service = ServiceProcess(work_dir / "service")
    stop = threading.Event()
    made: list[SoakClient] = []
    try:
        users = [a["username"] for a in service.accounts if a["role"] == "medewerker"]
        made = [SoakClient(service, users[n % len(users)], n, stop) for n in range(clients)]
        time.sleep(IDLE_SETTLE_SECONDS)  # the set-up's worker threads end: a fair "before"
        before = service.sample(0.0)
        samples: list[Sample] = []
        started = time.monotonic()
        for client in made:
            client.start()
        while (elapsed := time.monotonic() - started) < seconds:
            time.sleep(min(sample_every, seconds - elapsed))
            samples.append(service.sample(time.monotonic() - started))
        stop.set()
        for client in made:
            client.join()
        time.sleep(IDLE_SETTLE_SECONDS)
        # anyio ends idle worker threads when the next work arrives: one request, as an idle
        # service still gets now and then, lets it prune them before the last sample.
        with enrolled_client(service, users[0], login=True) as last:
            assert last.get(f"{API}/sync/changes", params={"limit": 1}).status_code == 200
        time.sleep(2)
        after = service.sample(time.monotonic() - started)
        return SoakReport(
            clients,
            seconds,
            warmup_seconds,
            before,
            samples,
            after,
            syncs=sum(c.syncs for c in made),
            notes=sum(c.notes for c in made),
            errors=[e for c in made for e in c.errors],
        )
    finally:
        stop.set()
        for client in made:
            client.http.close()
        service.stop()
