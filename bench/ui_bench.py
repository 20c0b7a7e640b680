"""Desktop-app benchmarks: `bench.app_probe` in its own process (offscreen Qt), driven from here.
Names as at 20,000 cases; at 100,000 they carry the size (`bench.common.scaled`).

- `ui_max_stall_ms`, `peak_rss_mb`: probe `sync` mode on an empty cache (production KDF); the
  maximum over all runs.
- `filter_20k_p90_ms`, `filter_20k_median_ms`: the keystrokes the probe types after that sync,
  every kind (full scans, narrowing, backspaces, clearing); the scan-only p90 in the note.
- `queue_propagation_p95_s`: while the probe's app is online, `anouk` (same team) creates a task
  for the team queue through the service; from just before her push until the task is in the
  probe's Werkbak model (stamped by the probe on the shared monotonic clock). 50 tasks, p95.
- `idle_cpu_percent`, `idle_wakeups_per_s`: then the probe's app only waits (online, long-poll
  open, nothing happening) for `idle_seconds`: its CPU time and its threads' context switches
  over that window, from /proc (the probe itself runs nothing then).
- `cold_start_s`, `cold_start_full_list_s`: probe `cold` mode with the cached cases, the OS page
  cache emptied first where allowed: from just before the process is spawned until the My Cases
  viewport painted its first rows, and until the whole list was in the model and painted.
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
from bench.common import (
    Metric,
    context_switches,
    drop_page_cache,
    loadavg,
    median,
    percentile,
    process_cpu_seconds,
    scaled,
    switches_between,
    target,
)
from bench.service import REPO

PROBE_TIMEOUT = 120
QUEUE_TASKS = 50
IDLE_S = 300  # issue 19: five minutes of waiting for the long-poll
IDLE_QUICK_S = 30
IDLE_SETTLE_S = 60  # at most, after the last queue task, until the app's refreshes of it are over


# The app as a user has it: an install of the client alone (`make bench` makes it), without the
# development venv's test tools (httpx imports their rich and click when they are there).
CLIENT_PYTHON = REPO / ".venv-client" / "bin" / "python"


def app_python() -> tuple[str, str]:
    """The interpreter the app probes run with, and a note saying which."""
    if CLIENT_PYTHON.exists():
        return str(CLIENT_PYTHON), "the app ran from an install of the client alone (.venv-client)"
    return sys.executable, "the app ran from the development venv (test tools installed: no .venv-client)"


class Probe:
    """One `bench.app_probe` process; its JSON events arrive on a queue."""

    def __init__(self, profile_dir: Path, mode: str, password: str, log_path: Path) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
        self._log_path = log_path
        self._log = open(log_path, "ab")
        self.spawned = time.perf_counter()
        self.process = subprocess.Popen(
            [app_python()[0], "-m", "bench.app_probe", str(profile_dir), mode],
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
    idle_seconds: float = 0,
) -> list[Metric]:
    """The app probe's runs at `scale`; the Werkbak's propagation and the idle window only when
    `queue_tasks` / `idle_seconds` ask for them (once per bench run, at the first scale)."""
    password = passwords["bench"]
    profile = client.enroll(service, workdir / "profile-app", "bench", password, kdf=kdf)
    colleague = client.login(
        client.enroll(service, workdir / "profile-anouk", "anouk", passwords["anouk"]), passwords["anouk"]
    )
    case_id = team_queue_case(service.data_dir, "anouk")
    log = workdir / "app-probe.log"
    stalls, rss, filters, worst, queue_samples, gc_notes, slot_notes, stacks = [], [], [], [], [], [], [], []
    load_sync, kinds, idle = [], [], None
    try:
        for run_index in range(sync_runs):
            client.drop_cache(profile)
            load_before = loadavg()
            probe = Probe(profile.root, "sync", password, log)
            try:
                done = probe.wait_for("sync_done")
                filtered = probe.wait_for("filter")
                probe.wait_for("ready")
                if run_index == 0 and queue_tasks:
                    queue_samples = queue_propagation(probe, colleague, case_id, queue_tasks)
                if run_index == 0 and idle_seconds:
                    idle = idle_window(probe, idle_seconds)
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
            kinds.extend(filtered["kinds"])
            if done["rows"] < scale:
                raise RuntimeError(f"the app shows {done['rows']} cases after the first sync, not {scale:,}")
    finally:
        colleague.close()

    cold, full, cold_cpu, cold_rss, load_cold, cold_note, dropped = [], [], [], [], loadavg(), "", []
    for _ in range(cold_runs):
        dropped.append(drop_page_cache())
        probe = Probe(profile.root, "cold", password, log)
        try:
            first = probe.wait_for("painted", timeout=120)
            whole = probe.wait_for("full_list", timeout=120)
        finally:
            probe.quit()
        if whole["rows"] < scale:
            raise RuntimeError(f"the cold start's list has {whole['rows']} cases, not {scale:,}")
        cold.append(first["t"] - probe.spawned)
        full.append(whole["t"] - probe.spawned)
        cold_cpu.append(whole["cpu_s"])
        cold_rss.append(whole["vm_hwm_mb"])
        phases = ", ".join(f"{k[:-2]} {v:.2f}" for k, v in whole["phases"].items())
        spent = ", ".join(f"{k} {v['total_ms']:.0f} ms" for k, v in whole["timing"].items())
        cold_note = (
            f"last run, seconds after the interpreter started: {phases}; spawn to interpreter "
            f"{whole['started'] - probe.spawned:.2f} s; time in: {spent}"
        )
    page_cache = (
        "OS page cache emptied before each start (drop_caches)"
        if all(dropped)
        else f"OS page cache NOT emptied before {dropped.count(False)} of {len(dropped)} starts (not allowed here): warm"
    )
    load_cold = f"{load_cold} / {loadavg()}"
    load_s = "; ".join(load_sync)
    k = f"{scale:,}"
    scans = [ms for ms, kind in zip(filters, kinds) if kind == "scan"]
    by_kind = ", ".join(
        f"{kind} {kinds.count(kind)}× p90 {percentile([ms for ms, x in zip(filters, kinds) if x == kind], 90):.1f} ms"
        for kind in dict.fromkeys(kinds)
    )
    metrics = [
        Metric(
            scaled("ui_max_stall_ms", scale),
            max(stalls),
            "ms",
            "<= 50",
            stalls,
            f"max gap of a 2 ms GUI timer during the {k}-case first sync, maximum over the runs; "
            f"worst gaps: {' | '.join(worst)}; "
            f"garbage collector (holds the GIL): {'; '.join(gc_notes)}; "
            f"GUI-thread work: {'; '.join(slot_notes)}; "
            f"GUI thread's stack while stalled (5 ms samples): {' | '.join(stacks)}",
            load_s,
        ),
        Metric(
            scaled("filter_20k_p90_ms", scale),
            percentile(filters, 90),
            "ms",
            "<= 30",
            filters,
            f"keystroke until the table repainted, every kind of keystroke ({len(filters)} in all): {by_kind}; "
            f"scan-only (every row searched) p90 {percentile(scans, 90) if scans else 0:.1f} ms",
            load_s,
        ),
        Metric(
            scaled("filter_20k_median_ms", scale),
            median(filters),
            "ms",
            "<= 30",
            filters,
            f"median of the same keystrokes as the p90 ({len(scans)} of {len(filters)} scan every row)",
            load_s,
        ),
        Metric(
            scaled("cold_start_s", scale),
            median(cold),
            "s",
            target(scale, "<= 2.0", "<= 3.0"),
            cold,
            f"spawn until My Cases painted its first rows; {page_cache}; {app_python()[1]}",
            f"{load_cold} / {loadavg()}",
        ),
        Metric(
            scaled("cold_start_full_list_s", scale),
            median(full),
            "s",
            target(scale, "<= 1.5", "<= 3.0"),
            full,
            f"spawn until all {k} cases were in the model and painted, production KDF, online login; "
            f"{page_cache}; {app_python()[1]}; CPU time of the app process (all threads) until then: median {median(cold_cpu):.2f} s; "
            f"VmHWM then: max {max(cold_rss):.0f} MiB; " + cold_note,
            f"{load_cold} / {loadavg()}",
        ),
        Metric(
            scaled("peak_rss_mb", scale),
            max(rss + cold_rss),
            "MiB",
            target(scale, "<= 250", "<= 300"),
            rss + cold_rss,
            f"VmHWM of the app process (KDF included) at the end of each {k}-case first sync window and "
            "of each cold start; max of all runs",
            load_s,
        ),
    ]
    if queue_tasks:
        metrics.append(
            Metric(
                "queue_propagation_p95_s",
                percentile(queue_samples, 95) if queue_samples else None,
                "s",
                "<= 2",
                queue_samples,
                f"median {median(queue_samples):.3f} s" if queue_samples else "",
                load_s,
            )
        )
    if idle is not None:
        metrics += idle
    return metrics


def idle_window(probe: Probe, seconds: float) -> list[Metric]:
    """The app online with nothing happening: its CPU and its threads' wake-ups over `seconds`."""
    pid = probe.process.pid
    # The window starts once the app is quiet: three seconds in a row without 10 ms of CPU (the
    # Werkbak's tasks made it read its lists again; at 100,000 cases that takes seconds).
    quiet, settle_until = 0, time.perf_counter() + min(IDLE_SETTLE_S, seconds * 10)
    last = process_cpu_seconds(pid)
    while quiet < 3 and time.perf_counter() < settle_until:
        time.sleep(1.0)
        now = process_cpu_seconds(pid)
        quiet, last = (quiet + 1 if now - last < 0.01 else 0), now
    load_before = loadavg()
    cpu0, switches0, t0 = process_cpu_seconds(pid), context_switches(pid), time.perf_counter()
    # Read every second (from /proc: it wakes nothing in the app): a thread that ends in the
    # window (the long-poll's, an idle pool thread) keeps the counts last read of it.
    switches1 = dict(switches0)
    while time.perf_counter() - t0 < seconds:
        time.sleep(min(1.0, max(0.0, seconds - (time.perf_counter() - t0))))
        switches1.update(context_switches(pid))
    cpu1, t1 = process_cpu_seconds(pid), time.perf_counter()
    switches1.update(context_switches(pid))
    alive = set(context_switches(pid))
    wall = t1 - t0
    voluntary, involuntary, _ = switches_between(switches0, switches1)
    threads, ended = len(alive), len(set(switches1) - alive)
    load = f"{load_before} / {loadavg()}"
    return [
        Metric(
            "idle_cpu_percent",
            100 * (cpu1 - cpu0) / wall,
            "%",
            "<= 0.2",
            [100 * (cpu1 - cpu0) / wall],
            f"CPU time of the app process (all {threads} threads) over {wall:.0f} s online, long-poll open, "
            f"nothing happening: {(cpu1 - cpu0) * 1000:.0f} ms (clock ticks of {1000 / os.sysconf('SC_CLK_TCK'):.0f} ms)",
            load,
        ),
        Metric(
            "idle_wakeups_per_s",
            (voluntary + involuntary) / wall,
            "1/s",
            "<= 2",
            [(voluntary + involuntary) / wall],
            f"context switches of the app's threads over the same {wall:.0f} s: {voluntary} voluntary "
            f"(a thread went to sleep: each a wake-up), {involuntary} involuntary; threads at the end "
            f"{threads}, started meanwhile {len(set(switches1) - set(switches0))}, ended meanwhile {ended} "
            "(counted as last read, each second)",
            load,
        ),
    ]
