"""The service on PostgreSQL (issue 17's numbers): `python -m bench.run --only postgres`.

A throw-away PostgreSQL server as the tests start it (tests/postgres_server.py: the distribution's
binaries, a cluster in a temporary directory, over a Unix socket, as the unprivileged `postgres`
user when we are root; fsync and synchronous_commit off, 32 MB shared buffers: a test cluster,
not a tuned one). `menscentraal-server init DIR --database URL --scale N` fills it (with the
200 load users, `bench.service.add_load_users`), and one service process runs against it.
Measured, every metric with the suffix `_pg`:
- `sync_initial_20k_s_pg`: the first sync of the 20,000-case `bench` user into an empty cache
  (as `sync_initial_20k_s`, without the replay limit);
- `server_cpu_ms_per_noop_pg`, `server_noop_capacity_rps_pg`, `server_noop_sync_rps_pg`,
  `server_p99_ms_pg`: `bench.server_bench` as on SQLite;
- `longpoll_200_*_pg`, `longpoll_1000_*_pg`, `longpolls_held_pg`: the service's resident memory
  and file descriptors with 200 and then 1,000 long-polls open (200 users; 1 and then 5
  connections each), and how many of the 1,000 were answered when their wait ended.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import client, server_bench, sync_bench
from bench import service as service_mod
from bench.common import Metric, loadavg, median
from bench.service import REPO

SCALE = 20000


def prepare(scale: int, workdir: Path, url: str, fast_kdf: bool, load_users: int) -> tuple[Path, float]:
    """`init --database URL` (never cached: the cluster is thrown away) plus the load users."""
    data_dir = workdir / "service-pg"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "server_stub.cli",
            "init",
            str(data_dir),
            "--database",
            url,
            "--scale",
            str(scale),
            *(["--fast-kdf"] if fast_kdf else []),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=REPO,
    )
    service_mod.add_load_users(data_dir, load_users)
    service_mod.raise_throttles(data_dir)
    return data_dir, time.perf_counter() - started


def run(
    workdir: Path,
    scale: int,
    *,
    smoke: bool = False,
    load_users: int = service_mod.LOAD_USERS,
    sync_runs: int = 2,
    server_runs: int = 2,
) -> list[Metric]:
    from tests.postgres_server import PostgresServer

    server = PostgresServer.start()
    service = None
    try:
        data_dir, init_seconds = prepare(scale, workdir, server.create_database(), smoke, load_users)
        service = service_mod.ServiceProcess(data_dir, workdir / "service-pg.log")
        password = service_mod.accounts(data_dir)["bench"]
        url = service_mod.load_config_database(data_dir)
        metrics = [first_syncs(service, workdir, password, 1 if smoke else sync_runs, scale, init_seconds)]
        metrics.append(audit_size(url))
        usernames, load_password = service_mod.load_accounts(data_dir)
        fleet = server_bench.LoadFleet(service, usernames, load_password, 2 if smoke else server_bench.LOAD_PROCESSES)
        try:
            if smoke:
                metrics += server_bench.run(
                    service,
                    closed_seconds=0.3,
                    open_seconds=0.3,
                    runs=1,
                    open_rate=20,
                    warm_up_seconds=0.1,
                    suffix="_pg",
                    fleet=fleet,
                )
            else:
                metrics += server_bench.run(service, runs=server_runs, suffix="_pg", fleet=fleet)
            metrics += (
                server_bench.long_polls(fleet, service, suffix="_pg", wait=1, idle_close=0)
                if smoke
                else server_bench.long_polls(fleet, service, suffix="_pg")
            )
        finally:
            fleet.close()
        return metrics
    finally:
        if service is not None:
            service.stop()
        server.stop()
        shutil.rmtree(workdir / "service-pg", ignore_errors=True)


def audit_size(url: str) -> Metric:
    """Bytes per audit entry in PostgreSQL, table and indexes (the first syncs wrote one per case sent)."""
    import psycopg

    time.sleep(1.0)  # the service writes audit entries in batches every half second
    with psycopg.connect(url) as conn:
        rows, size = conn.execute("SELECT count(*), pg_total_relation_size('audit_log') FROM audit_log").fetchone()
    return Metric(
        "audit_bytes_per_entry_pg",
        size / max(1, rows),
        "B",
        "reported",
        [size / max(1, rows)],
        f"audit_log with its indexes: {size / 2**20:.1f} MiB for {rows} entries (mostly case.read of first syncs)",
    )


def first_syncs(service, workdir: Path, password: str, runs: int, scale: int, init_seconds: float) -> Metric:
    profile = client.enroll(service, workdir / "profile-sync-pg", "bench", password)
    before = loadavg()
    samples, pulled = [], 0
    for _ in range(runs):
        seconds, pulled, _pages = sync_bench.first_sync(profile, password)
        samples.append(seconds)
    return Metric(
        "sync_initial_20k_s_pg",
        median(samples),
        "s",
        "reported",
        samples,
        f"{pulled} objects of {scale} cases into an empty cache, service on PostgreSQL "
        f"(init with the load users took {init_seconds:.0f} s)",
        f"{before} / {loadavg()}",
    )
