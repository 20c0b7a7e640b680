"""`make bench`: every benchmark of issues 7 and 19 at 20,000 and 100,000 demo cases; a table and
bench/results/latest.json.

    python -m bench.run [--only sync,ui,server,postgres] [--scale 20000,100000] [--quick | --smoke] [--out FILE]

Per scale: prepares the service's data once per code version (`bench.service.prepare_data`), starts
the service as its own process, runs the families one after the other (never two at once: the
machine has two cores). The 20,000-case metrics keep their names; the other scales' carry their
size (`ui_max_stall_100k_ms`, `bench.common.scaled`). The service family and the idle window run at
the first scale only (their metrics have no size in their names). Prints the table and writes
`{"metrics": {NAME: {"value", "unit", "target", "ok", ...}}, ...}`. Exit status 0 whether or not
targets are met (the table says which); 1 when a benchmark could not run.

`--smoke` runs every family on a tiny data set with a handful of repetitions, the same code
paths as the real run (tests/bench/test_bench_smoke.py runs it in `make test`, so the bench cannot
rot unseen); its numbers mean nothing, and it writes only to `--out`, never to latest.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from bench import client, postgres_bench, server_bench, sync_bench, ui_bench
from bench import service as service_mod
from bench.common import BASE_SCALE, Metric, cpu_count, loadavg, scaled

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = (  # the metrics of the first (20,000-case) scale; the smoke run measures each of them
    "sync_initial_20k_s",
    "sync_initial_ratio_to_limit",
    "sync_noop_median_ms",
    "sync_incremental_100_ms",
    "ui_max_stall_ms",
    "filter_20k_median_ms",
    "filter_20k_p90_ms",
    "cold_start_s",
    "cold_start_full_list_s",
    "queue_propagation_p95_s",
    "peak_rss_mb",
    "server_cpu_ms_per_noop",
    "server_noop_capacity_rps",
    "idle_cpu_percent",
    "idle_wakeups_per_s",
    "server_noop_sync_rps",
    "server_p99_ms",
    "sync_initial_20k_s_pg",
    "server_cpu_ms_per_noop_pg",
    "server_noop_capacity_rps_pg",
    "server_noop_sync_rps_pg",
    "server_p99_ms_pg",
    "longpoll_200_rss_mb_pg",
    "longpoll_200_fds_pg",
    "longpoll_1000_rss_mb_pg",
    "longpoll_1000_fds_pg",
    "longpolls_held_pg",
    "audit_bytes_per_entry_pg",
)
FAMILIES = ("sync", "ui", "server", "postgres")
SCALES = (BASE_SCALE, 100_000)
SMOKE_SCALE = 40  # enough open cases for the incremental step, an open case of anouk's team
SMOKE_LOAD_USERS = 4


def run_family(family: str, service, workdir: Path, passwords: dict[str, str], args, scale: int) -> list[Metric]:
    first = scale == args.scales[0]  # the scale-free measurements (service, idle) run once
    if family == "sync":
        if args.smoke:
            return sync_bench.run(
                service,
                workdir,
                passwords["bench"],
                runs=1,
                incremental_runs=1,
                noop_syncs=3,
                incremental_changes=3,
                scale=scale,
            )
        if not first:  # a larger scale: the first sync and its limit (no-op and incremental are per request)
            return sync_bench.run(service, workdir, passwords["bench"], scale=scale, steady=False)
        return sync_bench.run(service, workdir, passwords["bench"], scale=scale)
    if family == "ui":
        if args.smoke:
            return ui_bench.run(
                service,
                workdir,
                passwords,
                sync_runs=1,
                cold_runs=1,
                scale=scale,
                queue_tasks=2,
                kdf=client.CHEAP_KDF,
                idle_seconds=1.0,
            )
        idle = (ui_bench.IDLE_QUICK_S if args.quick else ui_bench.IDLE_S) if first else 0
        queue_tasks = ui_bench.QUEUE_TASKS if first else 0
        if args.quick:
            return ui_bench.run(
                service,
                workdir,
                passwords,
                sync_runs=1,
                cold_runs=2,
                scale=scale,
                idle_seconds=idle,
                queue_tasks=queue_tasks,
            )
        # At 100,000 a cold start reads a ~540 MB cache from disk (the login's damage checks): three are enough.
        cold_runs = 5 if first else 3
        return ui_bench.run(
            service, workdir, passwords, scale=scale, idle_seconds=idle, queue_tasks=queue_tasks, cold_runs=cold_runs
        )
    if family == "server":
        if not first:
            return []
        if args.smoke:
            return server_bench.run(
                service, closed_seconds=0.3, open_seconds=0.3, runs=1, open_rate=20, warm_up_seconds=0.1, processes=2
            )
        return server_bench.run(service)
    if family == "postgres":
        if not first:
            return []
        # Issue 17's numbers are at 20,000 cases whatever --scale the other families run at.
        if args.smoke:
            return postgres_bench.run(workdir, scale, smoke=True, load_users=SMOKE_LOAD_USERS)
        return postgres_bench.run(workdir, postgres_bench.SCALE)
    raise ValueError(f"unknown family {family!r}")


def table(metrics: dict[str, Metric], scales: tuple[int, ...] = SCALES) -> str:
    lines = [f"{'metric':<34} {'value':>10} {'unit':<5} {'target':<10} {'ok':<5} spread (min–max)"]
    larger = tuple(scaled(name, scale) for scale in scales[1:] for name in ORDER if scaled(name, scale) != name)
    known = ORDER + tuple(name for name in larger if name in metrics)
    for name in known + tuple(sorted(set(metrics) - set(known))):
        metric = metrics.get(name)
        if metric is None:
            lines.append(f"{name:<34} {'—':>10} {'':<5} {'':<10} {'n/a':<5}")
            continue
        value = "—" if metric.value is None else f"{metric.value:.4g}"
        ok = {True: "yes", False: "NO", None: "-"}[metric.ok]
        lines.append(f"{name:<34} {value:>10} {metric.unit:<5} {metric.target:<10} {ok:<5} {metric.spread()}")
    return "\n".join(lines)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=service_mod.REPO
        ).stdout.strip()
    except OSError:
        return ""


def run_scale(scale: int, families: list[str], workdir: Path, args, metrics: dict, failures: list[str]) -> None:
    """Every family at one scale, against its own service process and data."""
    print(f"Demo data at scale {scale} …", flush=True)
    # The smoke run makes its own data (cheap service KDF) inside workdir: the user's cache stays as it is.
    data_dir, init_seconds = (
        service_mod.prepare_data(
            scale, workdir, cache_root=workdir / "cache", fast_kdf=True, load_users=SMOKE_LOAD_USERS
        )
        if args.smoke
        else service_mod.prepare_data(scale, workdir)
    )
    print("  made in %.1f s" % init_seconds if init_seconds else "  from the cache (same code version)", flush=True)
    service = service_mod.ServiceProcess(data_dir, workdir / "service.log")
    passwords = service_mod.accounts(data_dir)
    try:
        for family in families:
            print(f"Running {family} benchmarks at {scale:,} cases (load {loadavg()}) …", flush=True)
            try:
                found = run_family(family, service, workdir, passwords, args, scale)
            except Exception:
                failures.append(f"{family}@{scale}")
                traceback.print_exc()
                continue
            for metric in found:
                metrics[metric.name] = metric
                print(
                    f"  {metric.name}: {metric.value:.4g} {metric.unit}"
                    if metric.value is not None
                    else f"  {metric.name}: —",
                    flush=True,
                )
    finally:
        service.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run")
    parser.add_argument(
        "--only", default=",".join(FAMILIES), help="comma-separated families: sync, ui, server, postgres"
    )
    parser.add_argument(
        "--scale",
        default=None,
        help=f"cases, comma-separated scales (default {','.join(map(str, SCALES))}; {SMOKE_SCALE} with --smoke)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="ui: one sync run, two cold starts, a short idle window (a look while profiling; not for the record)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="every family at a tiny scale, a few repetitions: does the bench still run? (not for the record)",
    )
    parser.add_argument("--out", type=Path, default=None, help="results file (default bench/results/latest.json)")
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scales = (SMOKE_SCALE,) if args.smoke else SCALES
    else:
        try:
            args.scales = tuple(int(s) for s in args.scale.split(",") if s)
        except ValueError:
            parser.error("--scale takes numbers of cases, comma-separated: 20000,100000")
        if not args.scales or min(args.scales) < 1:
            parser.error("--scale takes numbers of cases, comma-separated: 20000,100000")
    if args.smoke and args.out is None:
        parser.error("--smoke needs --out: its numbers must not replace latest.json")
    out = args.out or RESULTS / "latest.json"
    families = [f for f in args.only.split(",") if f]
    started = time.perf_counter()
    metrics: dict[str, Metric] = {}
    failures: list[str] = []
    for scale in args.scales:
        workdir = Path(tempfile.mkdtemp(prefix="menscentraal-bench-"))
        try:
            run_scale(scale, families, workdir, args, metrics, failures)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(metrics, args.scales))
    body = {
        "metrics": {name: metric.to_json() for name, metric in metrics.items()},
        "scale": args.scales[0],
        "scales": list(args.scales),
        "commit": git_commit(),
        "cpus": cpu_count(),
        "loadavg_at_end": loadavg(),
        "seconds": round(time.perf_counter() - started, 1),
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "failed_families": failures,
        "smoke": args.smoke,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    print(f"\n{out} written in {body['seconds']:.0f} s (load {body['loadavg_at_end']}).")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
