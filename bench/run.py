"""`make bench`: every benchmark of issue 7 on 20,000 demo cases; a table and bench/results/latest.json.

    python -m bench.run [--only sync,ui,server,postgres] [--scale 20000] [--quick | --smoke] [--out FILE]

Prepares the service's data once per code version (`bench.service.prepare_data`), starts the
service as its own process, runs the families one after the other (never two at once: the
machine has two cores), prints the table and writes
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
from bench.common import Metric, cpu_count, loadavg

RESULTS = Path(__file__).resolve().parent / "results"
ORDER = (
    "sync_initial_20k_s",
    "sync_initial_ratio_to_limit",
    "sync_noop_median_ms",
    "sync_incremental_100_ms",
    "ui_max_stall_ms",
    "filter_20k_median_ms",
    "cold_start_s",
    "queue_propagation_p95_s",
    "peak_rss_mb",
    "server_cpu_ms_per_noop",
    "server_noop_capacity_rps",
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
SMOKE_SCALE = 40  # enough open cases for the incremental step, an open case of anouk's team
SMOKE_LOAD_USERS = 4


def run_family(family: str, service, workdir: Path, passwords: dict[str, str], args) -> list[Metric]:
    if family == "sync":
        if args.smoke:
            return sync_bench.run(
                service, workdir, passwords["bench"], runs=1, incremental_runs=1, noop_syncs=3, incremental_changes=3
            )
        return sync_bench.run(service, workdir, passwords["bench"])
    if family == "ui":
        if args.smoke:
            return ui_bench.run(
                service,
                workdir,
                passwords,
                sync_runs=1,
                cold_runs=1,
                scale=args.scale,
                queue_tasks=2,
                kdf=client.CHEAP_KDF,
            )
        if args.quick:
            return ui_bench.run(service, workdir, passwords, sync_runs=1, cold_runs=2, scale=args.scale)
        return ui_bench.run(service, workdir, passwords, scale=args.scale)
    if family == "server":
        if args.smoke:
            return server_bench.run(
                service, closed_seconds=0.3, open_seconds=0.3, runs=1, open_rate=20, warm_up_seconds=0.1, processes=2
            )
        return server_bench.run(service)
    if family == "postgres":
        # Issue 17's numbers are at 20,000 cases whatever --scale the other families run at.
        if args.smoke:
            return postgres_bench.run(workdir, args.scale, smoke=True, load_users=SMOKE_LOAD_USERS)
        return postgres_bench.run(workdir, postgres_bench.SCALE)
    raise ValueError(f"unknown family {family!r}")


def table(metrics: dict[str, Metric]) -> str:
    lines = [f"{'metric':<30} {'value':>10} {'unit':<5} {'target':<10} {'ok':<5} spread (min–max)"]
    for name in ORDER + tuple(sorted(set(metrics) - set(ORDER))):
        metric = metrics.get(name)
        if metric is None:
            lines.append(f"{name:<30} {'—':>10} {'':<5} {'':<10} {'n/a':<5}")
            continue
        value = "—" if metric.value is None else f"{metric.value:.4g}"
        ok = {True: "yes", False: "NO", None: "-"}[metric.ok]
        lines.append(f"{name:<30} {value:>10} {metric.unit:<5} {metric.target:<10} {ok:<5} {metric.spread()}")
    return "\n".join(lines)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=service_mod.REPO
        ).stdout.strip()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.run")
    parser.add_argument(
        "--only", default=",".join(FAMILIES), help="comma-separated families: sync, ui, server, postgres"
    )
    parser.add_argument("--scale", type=int, default=None, help=f"cases (default 20000; {SMOKE_SCALE} with --smoke)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="ui: one sync run and two cold starts (a look while profiling; not for the record)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="every family at a tiny scale, a few repetitions: does the bench still run? (not for the record)",
    )
    parser.add_argument("--out", type=Path, default=None, help="results file (default bench/results/latest.json)")
    args = parser.parse_args(argv)
    if args.scale is None:
        args.scale = SMOKE_SCALE if args.smoke else 20000
    if args.smoke and args.out is None:
        parser.error("--smoke needs --out: its numbers must not replace latest.json")
    out = args.out or RESULTS / "latest.json"
    families = [f for f in args.only.split(",") if f]
    started = time.perf_counter()
    metrics: dict[str, Metric] = {}
    failures: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="menscentraal-bench-"))
    try:
        print(f"Demo data at scale {args.scale} …", flush=True)
        # The smoke run makes its own data (cheap service KDF) inside workdir: the user's cache stays as it is.
        data_dir, init_seconds = (
            service_mod.prepare_data(
                args.scale, workdir, cache_root=workdir / "cache", fast_kdf=True, load_users=SMOKE_LOAD_USERS
            )
            if args.smoke
            else service_mod.prepare_data(args.scale, workdir)
        )
        print("  made in %.1f s" % init_seconds if init_seconds else "  from the cache (same code version)", flush=True)
        service = service_mod.ServiceProcess(data_dir, workdir / "service.log")
        passwords = service_mod.accounts(data_dir)
        try:
            for family in families:
                print(f"Running {family} benchmarks (load {loadavg()}) …", flush=True)
                try:
                    found = run_family(family, service, workdir, passwords, args)
                except Exception:
                    failures.append(family)
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
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(metrics))
    body = {
        "metrics": {name: metric.to_json() for name, metric in metrics.items()},
        "scale": args.scale,
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
