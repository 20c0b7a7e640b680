"""The service runs for weeks (issue 12): its open files, threads and memory stay flat under load.

`make test` checks the cause directly: a connection of a thread that ended is closed. The soak
(`make stress`, marker `stress`) runs 30 live clients against the service in its own process for
MENSCENTRAAL_SOAK_MINUTES (default 20), reports the growth per minute and checks that it stays
within noise and that the service comes back to its idle state when the clients stop.
"""
from __future__ import annotations

import os
import threading

import pytest

from server_stub.store import Database
from tests.server.soak import run_soak

SOAK_MINUTES = float(os.environ.get("MENSCENTRAAL_SOAK_MINUTES", "20"))
SOAK_CLIENTS = int(os.environ.get("MENSCENTRAAL_SOAK_CLIENTS", "30"))


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_service_runs_for_weeks_connection_of_ended_thread_closed(tmp_path):
    db = Database(tmp_path / "service.db")
    db.migrate()
    before = _open_files()
    for _ in range(20):  # the server's worker threads: each reads, then ends (anyio: after 10 s idle)
        worker = threading.Thread(target=lambda: db.conn().execute("SELECT count(*) FROM audit_log").fetchone())
        worker.start()
        worker.join()
    assert _open_files() - before <= 2, "the connections of ended threads are still open"

    # A live thread keeps its connection until close(), which still closes it.
    started, release = threading.Event(), threading.Event()

    def live():
        db.conn().execute("SELECT 1")
        started.set()
        release.wait(10)
    worker = threading.Thread(target=live)
    worker.start()
    started.wait(10)
    opened = _open_files()
    db.close()
    assert _open_files() < opened
    release.set()
    worker.join()


@pytest.mark.stress
def test_service_runs_for_weeks_soak(tmp_path, capsys):
    seconds = SOAK_MINUTES * 60
    report = run_soak(tmp_path, clients=SOAK_CLIENTS, seconds=seconds,
                      sample_every=60 if SOAK_MINUTES >= 10 else 10,
                      warmup_seconds=min(300.0, seconds / 4))
    with capsys.disabled():
        print("\n" + report.text())
    assert not report.errors, report.errors[:5]
    assert report.syncs >= SOAK_CLIENTS * SOAK_MINUTES * 3, "the clients did not keep up the load"
    # Flat: growth within noise. A worker thread's connection holds 2 files; the pool's size moves.
    assert report.growth_per_minute("fds") <= 1.5, report.text()
    assert report.growth_per_minute("threads") <= 0.5, report.text()
    assert report.growth_per_minute("rss_mib") <= 1.0, report.text()
    # Back when the load stops: the worker threads ended, their connections closed.
    assert report.after.threads - report.before.threads <= 2, report.text()
    assert report.after.fds - report.before.fds <= 6, report.text()
