"""The service runs for weeks (issue 12): its open files, threads and memory stay flat under load.

`make test` checks the cause directly: a connection of a thread that ended is closed. The soak
(`make stress`, marker `stress`) runs 30 live clients against the service in its own process for
MENSCENTRAAL_SOAK_MINUTES (default 20), reports the growth per minute and checks that it stays
within noise and that the service comes back to its idle state when the clients stop.
"""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest

from server_stub.store import AUDIT_FLUSH_SECONDS, Database
from server_stub.tls import server_ssl_context
from tests.server.soak import run_soak
from tests.service_fixtures import _tls_context, enrolled_client, wait_until

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


def test_service_runs_for_weeks_tls_handshakes_keep_no_session(service):
    """Every new connection's TLS session (client certificate included) used to stay in the
    server's session cache, never resumed: ~12 KB of memory per connection, for hours."""
    device = enrolled_client(service, "anouk")
    device.close()
    layout = service.layout
    server_context = server_ssl_context(layout.server_cert, layout.server_key, layout.ca_cert)
    client_context = _tls_context(service.ca_path, device.cert_path, device.key_path)
    for _ in range(5):
        server_end, client_end = socket.socketpair()
        with server_end, client_end:
            server = server_context.wrap_socket(server_end, server_side=True, do_handshake_on_connect=False)
            answered = threading.Thread(target=lambda: (server.do_handshake(), server.sendall(b"ok"), server.recv(1)))
            answered.start()
            client = client_context.wrap_socket(client_end, server_hostname="127.0.0.1")
            assert client.recv(2) == b"ok"  # post-handshake messages (tickets) come before it
            assert not client.session.has_ticket
            client.sendall(b"x")
            answered.join(10)
            assert server.getpeercert()  # a real mutual-TLS handshake
    assert server_context.session_stats()["accept_good"] == 5
    assert server_context.session_stats()["number"] == 0


def test_service_runs_for_weeks_audit_writer_survives_a_failed_write(tmp_path):
    """A write of buffered audit entries that fails (here: the table is briefly away) neither
    loses them nor ends the writer thread, after which every later entry would pile up in memory."""
    db = Database(tmp_path / "service.db")
    db.migrate()
    other = db.connect()
    try:
        other.execute("ALTER TABLE audit_log RENAME TO audit_log_away")
        db.audit(None, "case.read", "case", "c-1")
        time.sleep(AUDIT_FLUSH_SECONDS * 3)  # the writer tried, and failed
        other.execute("ALTER TABLE audit_log_away RENAME TO audit_log")
        db.audit(None, "case.read", "case", "c-2")
        logged = lambda: [r["object_id"] for r in other.execute("SELECT object_id FROM audit_log ORDER BY seq")]  # noqa: E731
        wait_until(lambda: logged() == ["c-1", "c-2"], timeout=10, message="both entries in the audit log")
    finally:
        other.close()
        db.close()


@pytest.mark.stress
def test_service_runs_for_weeks_soak(tmp_path, capsys):
    seconds = SOAK_MINUTES * 60
    report = run_soak(
        tmp_path,
        clients=SOAK_CLIENTS,
        seconds=seconds,
        sample_every=60 if SOAK_MINUTES >= 10 else 10,
        warmup_seconds=min(300.0, seconds / 4),
    )
    with capsys.disabled():
        print("\n" + report.text())
    assert not report.errors, report.errors[:5]
    assert report.syncs >= SOAK_CLIENTS * SOAK_MINUTES * 3, "the clients did not keep up the load"
    # Flat: growth within noise. A worker thread's connection holds 2 files; the pool's size moves.
    assert report.growth_per_minute("fds") <= 1.5, report.text()
    assert report.growth_per_minute("threads") <= 0.5, report.text()
    if SOAK_MINUTES >= 10:  # a short run measures mostly the warm-up of memory
        assert report.growth_per_minute("rss_mib") <= 1.0, report.text()
    # Back when the load stops: the worker threads ended, their connections closed.
    assert report.after.threads - report.before.threads <= 2, report.text()
    assert report.after.fds - report.before.fds <= 6, report.text()
