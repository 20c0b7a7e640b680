"""Service benchmarks (issue 19): several `bench.load` processes against the service process.

The 200 load users (`bench.service.add_load_users`) are split over LOAD_PROCESSES processes; each
user enrolls its own device, logs in and first-syncs to its own cursor, so every request is a real
no-op sync of a different user. The service's CPU is read from its own /proc/PID/stat
(utime+stime, all its threads) over exactly the measured window, the load processes' from their own
`time.process_time()`: CPU per request is what the machine's load skews least.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from bench import service as service_mod
from bench.common import Metric, loadavg, median, percentile, process_cpu_seconds
from bench.service import REPO

LOAD_PROCESSES = 4
OPEN_RATE = 500
LONGPOLL_WAIT = 25  # the service's longest wait: the long-polls stay open while we look


class LoadFleet:
    """LOAD_PROCESSES `python -m bench.load` processes with their share of the users each."""

    def __init__(self, service, usernames: list[str], password: str, processes: int = LOAD_PROCESSES):
        codes = service_mod.enroll_codes(service.data_dir, usernames)
        users = [
            {"username": name, "password": password, "code": code, "index": index}
            for index, (name, code) in enumerate(zip(usernames, codes))
        ]
        self.users = len(users)
        self.processes = []
        for share in range(processes):
            process = subprocess.Popen(
                [sys.executable, "-m", "bench.load"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=REPO,
            )
            spec = {
                "url": service.url,
                "ca_pem": service.ca_path.read_text(),
                "users": users[share::processes],
                "total_users": len(users),
            }
            process.stdin.write((json.dumps(spec) + "\n").encode())
            process.stdin.flush()
            self.processes.append(process)
        ready = sum(self._read(p)["ready"] for p in self.processes)
        assert ready == len(users), (ready, len(users))

    def _read(self, process) -> dict:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"a load process ended (exit status {process.wait()})")
        body = json.loads(line)
        if "error" in body:
            raise RuntimeError(f"a load process failed: {body['error']}")
        return body

    def send(self, command: dict) -> None:
        for process in self.processes:
            process.stdin.write((json.dumps(command) + "\n").encode())
            process.stdin.flush()

    def results(self) -> list[dict]:
        return [self._read(p) for p in self.processes]

    def close(self) -> None:
        for process in self.processes:
            try:
                self.send_one(process, {"do": "quit"})
                process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()

    @staticmethod
    def send_one(process, command: dict) -> None:
        process.stdin.write((json.dumps(command) + "\n").encode())
        process.stdin.close()


def sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.perf_counter()))


def closed_loop(fleet: LoadFleet, service_pid: int, warm_up: float, seconds: float) -> dict:
    start = time.perf_counter() + 0.3
    fleet.send({"do": "closed", "start": start, "warm_up": warm_up, "seconds": seconds})
    sleep_until(start + warm_up)
    cpu = process_cpu_seconds(service_pid)
    sleep_until(start + warm_up + seconds)
    cpu = process_cpu_seconds(service_pid) - cpu
    found = fleet.results()
    requests = sum(r["requests"] for r in found)
    load_cpu = sum(r["cpu_seconds"] for r in found)
    return {
        "rps": requests / seconds,
        "service_ms": cpu * 1000 / max(1, requests),
        "load_ms": load_cpu * 1000 / max(1, requests),
        "service_share": cpu / seconds,
        "load_share": load_cpu / seconds,
    }


def open_loop(fleet: LoadFleet, service_pid: int, seconds: float, rate: float) -> dict:
    start = time.perf_counter() + 0.3
    fleet.send({"do": "open", "start": start, "seconds": seconds, "rate": rate})
    cpu = process_cpu_seconds(service_pid)
    found = fleet.results()
    cpu = process_cpu_seconds(service_pid) - cpu
    latencies = [ms for r in found for ms in r["latencies_ms"]]
    return {
        "p50": percentile(latencies, 50),
        "p99": percentile(latencies, 99),
        "max": max(latencies),
        "requests": len(latencies),
        "achieved": len(latencies) / seconds,
        "service_ms": cpu * 1000 / len(latencies),
        "load_ms": sum(r["cpu_seconds"] for r in found) * 1000 / len(latencies),
    }


def run(
    service,
    *,
    closed_seconds: float = 10,
    open_seconds: float = 10,
    runs: int = 3,
    users: int | None = None,
    open_rate: float = OPEN_RATE,
    warm_up_seconds: float = 2.0,
    processes: int = LOAD_PROCESSES,
    suffix: str = "",
    fleet: LoadFleet | None = None,
) -> list[Metric]:
    """server_cpu_ms_per_noop, server_noop_capacity_rps, server_noop_sync_rps, server_p99_ms (+suffix)."""
    usernames, password = service_mod.load_accounts(service.data_dir)
    usernames = usernames[:users] if users else usernames
    own_fleet = fleet is None
    fleet = fleet or LoadFleet(service, usernames, password, processes)
    closed, opened, loads = [], [], []
    try:
        for _ in range(runs):
            before = loadavg()
            closed.append(closed_loop(fleet, service.pid, warm_up_seconds, closed_seconds))
            opened.append(open_loop(fleet, service.pid, open_seconds, open_rate))
            loads.append(f"{before} / {loadavg()}")
    finally:
        if own_fleet:
            fleet.close()
    cpu = [c["service_ms"] for c in closed]
    who = f"{fleet.users} users, each its own device, session and cursor, from {processes} load processes"
    closed_notes = "; ".join(
        f"{c['rps']:.0f}/s: service {c['service_ms']:.3f} ms CPU/sync ({c['service_share']:.0%} of a core), "
        f"load processes {c['load_ms']:.3f} ms ({c['load_share']:.0%} of a core)"
        for c in closed
    )
    open_notes = "; ".join(
        f"p50 {o['p50']:.1f} ms, max {o['max']:.0f} ms, achieved {o['achieved']:.0f}/s, "
        f"service {o['service_ms']:.3f} ms CPU/sync, load {o['load_ms']:.3f} ms"
        for o in opened
    )
    load_text = "; ".join(loads)
    return [
        Metric(
            f"server_cpu_ms_per_noop{suffix}",
            median(cpu),
            "ms",
            "<= 0.5",
            cpu,
            f"service CPU (its /proc stat, utime+stime) per no-op sync in the closed loop; {who}; {closed_notes}",
            load_text,
        ),
        Metric(
            f"server_noop_capacity_rps{suffix}",
            1000 / median(cpu),
            "1/s",
            "reported",
            [1000 / c for c in cpu],
            "1000 / server_cpu_ms_per_noop: no-op syncs per second one core of the service could serve",
            load_text,
        ),
        Metric(
            f"server_noop_sync_rps{suffix}",
            median([c["rps"] for c in closed]),
            "1/s",
            "reported",
            [c["rps"] for c in closed],
            f"closed loop ({warm_up_seconds:g} s warm-up, {closed_seconds:g} s counted); {who}; service and load "
            f"processes share the machine's cores: {closed_notes}",
            load_text,
        ),
        Metric(
            f"server_p99_ms{suffix}",
            median([o["p99"] for o in opened]),
            "ms",
            "<= 50",
            [o["p99"] for o in opened],
            f"open loop at a fixed {open_rate:g}/s for {open_seconds:g} s, latency from the scheduled send; {who}; "
            + open_notes,
            load_text,
        ),
    ]


def service_footprint(pid: int) -> tuple[float, int]:
    """(VmRSS in MiB, open file descriptors) of the service process now."""
    with open(f"/proc/{pid}/status") as handle:
        rss = next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:")) / 1024
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def wait_for_fds(pid: int, at_least: int, timeout: float = 30, settle: float = 1.0) -> None:
    deadline = time.monotonic() + timeout
    while service_footprint(pid)[1] < at_least and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(settle)  # the last requests reach their wait


def long_polls(
    fleet: LoadFleet,
    service,
    steps: tuple[int, ...] = (1, 5),
    suffix: str = "",
    wait: float = LONGPOLL_WAIT,
    idle_close: float = 6,
) -> list[Metric]:
    """Memory and descriptors of the service with users * steps[i] long-polls open: 200 and 1,000
    with the 200 load users (the names say so; a smoke run's few users open fewer, as its note says)."""
    time.sleep(idle_close)  # the load users' idle kept-alive connections are closed (5 s): a clean baseline
    base_rss, base_fds = service_footprint(service.pid)
    cpu, started = process_cpu_seconds(service.pid), time.perf_counter()
    rows, opened = [], 0
    for step in steps:
        more = step - opened
        fleet.send({"do": "longpoll", "start": time.perf_counter() + 0.2, "connections": more, "wait": wait})
        opened = step
        wait_for_fds(service.pid, base_fds + fleet.users * opened, timeout=90, settle=1.0)
        rows.append((fleet.users * opened, *service_footprint(service.pid)))
    fleet.send({"do": "release"})
    found = [fleet.results() for _ in steps]
    cpu, seconds = process_cpu_seconds(service.pid) - cpu, time.perf_counter() - started
    held = sum(r["held"] for batch in found for r in batch)
    failed = sum(r["failed"] for batch in found for r in batch)
    metrics = []
    for step, (count, rss, fds) in zip(steps, rows):
        label = service_mod.LOAD_USERS * step
        per = f"{(rss - base_rss) * 1024 / count:.0f} KiB and {(fds - base_fds) / count:.2f} descriptors per long-poll"
        note = f"{count} long-polls open (wait {wait:g} s); before: {base_rss:.0f} MiB, {base_fds} fds; {per}"
        metrics.append(Metric(f"longpoll_{label}_rss_mb{suffix}", rss, "MiB", "reported", [rss], note))
        metrics.append(Metric(f"longpoll_{label}_fds{suffix}", fds, "", "reported", [fds], note))
    metrics.append(
        Metric(
            f"longpolls_held{suffix}",
            held,
            "",
            f">= {rows[-1][0]}",
            [held],
            f"{held} of {rows[-1][0]} connections held their long-polls (every answer the empty page) for "
            f"{seconds:.0f} s, {failed} failed; service CPU meanwhile {cpu:.1f} s ({cpu / seconds:.0%} of a core: "
            "the TLS handshakes of the new connections, then a no-op check, session recheck and empty page "
            f"per connection every {wait:g} s)",
        )
    )
    return metrics
