"""Service benchmarks: `bench.load` (its own process) against the service process.

The cursor the load clients send is the user's current one (taken by a no-op sync of an
enrolled profile just before), so every request is a real no-op sync of the 20,000-case user.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from desktop.actions import Workspace

from bench import client
from bench import service as service_mod
from bench.common import Metric, loadavg
from bench.service import REPO

CLIENTS = 50
OPEN_RATE = 250


def current_cursor(service, workdir: Path, password: str) -> str:
    profile = client.enroll(service, workdir / "profile-cursor", "bench", password)
    session = client.login(profile, password)
    ws = Workspace(session, page_limit=2000)
    try:
        ws.sync()  # a first sync: the cursor then is at the head of the feed
        return ws.read(lambda conn: conn.execute("SELECT cursor FROM sync_state").fetchone()[0])
    finally:
        ws.close()
        session.close()


def run(
    service,
    workdir: Path,
    password: str,
    closed_seconds: float = 10,
    open_seconds: float = 10,
    runs: int = 2,
    clients: int = CLIENTS,
    open_rate: float = OPEN_RATE,
    warm_up_seconds: float = 2.0,
) -> list[Metric]:
    cursor = current_cursor(service, workdir, password)
    rps, p99, notes, loads, cpu = [], [], [], [], []
    for _ in range(runs):
        spec = {
            "url": service.url,
            "ca_pem": service.ca_path.read_text(),
            "username": "bench",
            "password": password,
            "codes": [service_mod.enroll_code(service.data_dir, "bench") for _ in range(clients)],
            "cursor": cursor,
            "closed_seconds": closed_seconds,
            "open_seconds": open_seconds,
            "open_rate": open_rate,
            "service_pid": service.pid,
            "warm_up_seconds": warm_up_seconds,
        }
        before = loadavg()
        done = subprocess.run(
            [sys.executable, "-m", "bench.load"],
            input=json.dumps(spec).encode(),
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=600,
        )
        result = json.loads(done.stdout)
        loads.append(f"{before} / {loadavg()}")
        closed = result["closed"]
        rps.append(closed["rps"])
        cpu.append(
            f"service {closed['service_cpu_ms_per_request']:.2f} ms CPU/request "
            f"({closed['service_cpu_share']:.0%} of a core), load process "
            f"{closed['load_cpu_ms_per_request']:.2f} ms ({closed['load_cpu_share']:.0%})"
        )
        p99.append(result["open"]["p99_ms"])
        notes.append(
            f"open loop p50 {result['open']['p50_ms']:.1f} ms, max {result['open']['max_ms']:.0f} ms, "
            f"achieved {result['open']['achieved_rate']:.0f}/s"
        )
    return [
        Metric(
            "server_noop_sync_rps",
            sorted(rps)[len(rps) // 2] if len(rps) % 2 else sum(rps) / len(rps),
            "1/s",
            ">= 500",
            rps,
            f"{clients} closed-loop kept-alive mTLS clients, one load process; " + "; ".join(cpu),
            "; ".join(loads),
        ),
        Metric(
            "server_p99_ms",
            sorted(p99)[len(p99) // 2] if len(p99) % 2 else sum(p99) / len(p99),
            "ms",
            "<= 50",
            p99,
            f"{open_rate:g}/s open loop from {clients} clients; " + "; ".join(notes),
            "; ".join(loads),
        ),
    ]
