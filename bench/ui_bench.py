"""Desktop-app benchmarks: `bench.app_probe` in its own process (offscreen Qt), driven from here.

- `ui_max_stall_ms`, `peak_rss_mb`: probe `sync` mode on an empty cache (production KDF).
- `filter_20k_median_ms`: the keystrokes the probe types after that sync (20,000 cases).
- `queue_propagation_p95_s`: while the probe's app is online, `anouk` (same team) creates a task
  for the team queue through the service; from just before her push until the task is in the
  probe's Werkbak model (stamped by the probe on the shared monotonic clock). 50 tasks, p95.
- `cold_start_s`: probe `cold` mode with the 20,000 cached cases: from just before the process
  is spawned until the My Cases rows were painted.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench import client
from bench.common import Metric, loadavg, median, percentile
from bench.service import REPO

PROBE_TIMEOUT = 120
QUEUE_TASKS = 50


class Probe:
    """One `bench.app_probe` process; its JSON events arrive on a queue."""

    def __init__(self, profile_dir: Path, mode: str, password: str, log_path: Path) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
        self._log_path = log_path
        self._log = open(log_path, "ab")
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.app_probe", str(profile_dir), mode],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
        )
        self.process.stdin.write(password.encode() + b"\n")
        self.process.stdin.flush()
        self.events: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            try:
                self.events.put(json.loads(line))
            except ValueError:
                continue
        self.events.put({"event": "exit"})

    def wait_for(self, name: str, timeout: float = PROBE_TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            try:
                event = self.events.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise RuntimeError(
                    f"the app probe did not report '{name}' within {timeout:.0f} s; "
                    f"the end of its log:\n{self._log_tail()}"
                ) from None
            if event["event"] == name:
                return event
            if event["event"] in ("exit", "error"):
                raise RuntimeError(
                    f"the app probe stopped before '{name}': {event}; the end of its log:\n{self._log_tail()}"
                )

    def _log_tail(self) -> str:
        self._log.flush()
        return self._log_path.read_text(encoding="utf-8", errors="replace")[-2000:]

    def quit(self) -> None:
        try:
            self.process.stdin.write(b"quit\n")
            self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def team_queue_case(data_dir: Path, username: str) -> str:
    """An open case `username` coordinates (so she may create tasks on it), read from the service's file."""
    conn = sqlite3.connect(f"file:{data_dir / 'service.db'}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT c.id FROM cases c JOIN users u ON u.id = c.coordinator_id "
            "WHERE u.username = ? AND c.status = 'open' ORDER BY c.id LIMIT 1",
            (username,),
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        raise RuntimeError(f"no open case of {username} in the demo data")
    return row[0]


def queue_propagation(probe: Probe, session, case_id: str, tasks: int = QUEUE_TASKS) -> list[float]:
    samples = []
    for _ in range(tasks):
        task_id = str(uuid.uuid4())
        mutation = {
            "id": str(uuid.uuid4()),
            "kind": "task.create",
            "payload": {"task_id": task_id, "case_id": case_id, "type": "Huisbezoek plannen", "team_id": "team-jgn"},
        }
        started = time.perf_counter()
        answer = session.transport.post_json("/sync/push", {"mutations": [mutation]})
        if answer["results"][0]["status"] != "applied":
            raise RuntimeError(f"task.create was not applied: {answer['results'][0].get('code')}")
        while True:
            event = probe.wait_for("task_seen", timeout=30)
            if event["id"] == task_id:
                samples.append(event["t"] - started)
                break
    return samples


def run(
    service,
    workdir: Path,
    passwords: dict[str, str],
    sync_runs: int = 2,
    cold_runs: int = 5,
    scale: int = 20000,
    queue_tasks: int = QUEUE_TASKS,
    kdf=client.PRODUCTION_KDF,
) -> list[Metric]:
    password = passwords["bench"]
    profile = client.enroll(service, workdir / "profile-app", "bench", password, kdf=kdf)
    colleague = client.login(
        client.enroll(service, workdir / "profile-anouk", "anouk", passwords["anouk"]), passwords["anouk"]
    )
    case_id = team_queue_case(service.data_dir, "anouk")
    log = workdir / "app-probe.log"
    stalls, rss, filters, worst, queue_samples, gc_notes, slot_notes, stacks = [], [], [], [], [], [], [], []
    load_sync = []
    try:
        for run_index in range(sync_runs):
            client.drop_cache(profile)
            load_before = loadavg()
            probe = Probe(profile.root, "sync", password, log)
            try:
                done = probe.wait_for("sync_done")
                filtered = probe.wait_for("filter")
                probe.wait_for("ready")
                if run_index == 0:
                    queue_samples = queue_propagation(probe, colleague, case_id, queue_tasks)
            finally:
                probe.quit()
            load_sync.append(f"{load_before} / {loadavg()}")
            stalls.append(done["max_gap_ms"])
            worst.append(
                ", ".join(f"{ms:.0f} ms at {at:.1f} s" for ms, at in done["worst_gaps"])
                + f" (sync finished at {done['sync_finished_s']:.1f} s)"
            )
            gc_notes.append(
                f"{done['gc_gen2_runs']} full GCs, {done['gc_gen2_total_ms']:.0f} ms in all, "
                f"longest GC {done['gc_max_ms']:.0f} ms"
            )
            stacks.append(" / ".join(f"{count}× {where}" for count, where in done["stall_stacks"][:3]) or "none")
            if done.get("slow_events"):  # BENCH_SLOW_EVENTS=1
                stacks.append(
                    "slow events: " + ", ".join(f"{ms:.0f} ms after {what}" for ms, what in done["slow_events"])
                )
            slowest = sorted(done["slots"].items(), key=lambda item: -item[1]["max_ms"])[:4]
            slot_notes.append(
                ", ".join(
                    f"{name} max {v['max_ms']:.0f} ms ({v['calls']} calls, {v['total_ms']:.0f} ms)"
                    for name, v in slowest
                )
            )
            rss.append(done["vm_hwm_mb"])
            filters.extend(filtered["samples_ms"])
            if done["rows"] < scale:
                raise RuntimeError(f"the app shows {done['rows']} cases after the first sync, not {scale:,}")
    finally:
        colleague.close()

    cold, cold_cpu, load_cold, cold_note = [], [], loadavg(), ""
    for _ in range(cold_runs):
        probe = Probe(profile.root, "cold", password, log)
        try:
            painted = probe.wait_for("painted", timeout=120)
        finally:
            probe.quit()
        cold.append(painted["t"] - probe.spawned)
        cold_cpu.append(painted["cpu_s"])
        phases = ", ".join(f"{k[:-2]} {v:.2f}" for k, v in painted["phases"].items())
        spent = ", ".join(f"{k} {v['total_ms']:.0f} ms" for k, v in painted["timing"].items())
        cold_note = (
            f"last run, seconds after the interpreter started: {phases}; spawn to interpreter "
            f"{painted['started'] - probe.spawned:.2f} s; time in: {spent}"
        )
    load_cold = f"{load_cold} / {loadavg()}"
    load_s = "; ".join(load_sync)
    return [
        Metric(
            "ui_max_stall_ms",
            median(stalls),
            "ms",
            "<= 50",
            stalls,
            f"max gap of a 2 ms GUI timer during the 20k first sync, per run; worst gaps: {' | '.join(worst)}; "
            f"garbage collector (holds the GIL): {'; '.join(gc_notes)}; "
            f"GUI-thread work: {'; '.join(slot_notes)}; "
            f"GUI thread's stack while stalled (5 ms samples): {' | '.join(stacks)}",
            load_s,
        ),
        Metric(
            "filter_20k_median_ms",
            median(filters),
            "ms",
            "<= 30",
            filters,
            "keystroke until the table repainted (no debounce: the filter runs in memory); "
            f"p90 {percentile(filters, 90):.1f} ms",
            load_s,
        ),
        Metric(
            "cold_start_s",
            median(cold),
            "s",
            "<= 2.0",
            cold,
            "spawn until My Cases painted, production KDF, online login; CPU time of the app process "
            f"(all threads) until then: median {median(cold_cpu):.2f} s; " + cold_note,
            load_cold,
        ),
        Metric(
            "queue_propagation_p95_s",
            percentile(queue_samples, 95) if queue_samples else None,
            "s",
            "<= 2",
            queue_samples,
            f"median {median(queue_samples):.3f} s" if queue_samples else "",
            load_s,
        ),
        Metric(
            "peak_rss_mb",
            max(rss),
            "MiB",
            "<= 300",
            rss,
            "VmHWM of the app process at the end of the 20k first sync (KDF included); max of runs",
            load_s,
        ),
    ]
