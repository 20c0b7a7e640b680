"""Headless sync benchmarks, in this process, against the service process over mutual TLS.

- `sync_initial_20k_s` (`sync_initial_100k_s` at 100,000 cases): `Workspace.sync()` into an empty
  encrypted cache (login not timed).
- `sync_initial_ratio_to_limit` (`_100k`): right after each first sync, the limit for the same bytes: the
  recorded pages served from memory by `bench.replay` (own process, same TLS), downloaded over one
  kept-alive connection and parsed (the product's `decode_json`), plus one `apply_page` (which
  checks the page once, as the product does) of all their rows in one transaction
  into a fresh SQLCipher cache. The ratio is taken per pair (same minute), then the median.
- `sync_noop_median_ms`: 200 no-op `Workspace.sync()` (push nothing, one pull), same session.
- `sync_incremental_100_ms`: another device of the same user adds a note to 100 cases through
  the service; then one timed `Workspace.sync()`. Repeated, median.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import uuid
from pathlib import Path

from desktop.actions import Workspace
from desktop.cache import db as cache_db
from desktop.cache.writes import apply_page, set_user
from desktop.sync.transport import Transport, decode_json

from bench import client
from bench.common import Metric, loadavg, median, process_cpu_seconds, scaled, target
from bench.service import REPO

NOOP_SYNCS = 200
INCREMENTAL_CHANGES = 100


class Recorder:
    """Keeps the raw bytes of every sync page the transport receives (for the limit)."""

    def __init__(self, transport: Transport) -> None:
        self.pages: list[bytes] = []
        self._request = transport.request

        def request(method, path, **kwargs):
            response = self._request(method, path, **kwargs)
            if path == "/sync/changes":
                self.pages.append(response.content)
            return response

        transport.request = request


def first_sync(profile, password: str, record: bool = False) -> tuple[float, int, list[bytes]]:
    """One first sync into an empty cache: (seconds, objects pulled, recorded pages)."""
    client.drop_cache(profile)
    session = client.login(profile, password)
    recorder = Recorder(session.transport) if record else None
    ws = Workspace(session)
    try:
        started = time.perf_counter()
        result = ws.sync()
        seconds = time.perf_counter() - started
    finally:
        ws.close()
        session.close()
    return seconds, result.pulled, recorder.pages if recorder else []


class ReplayServer:
    def __init__(self, data_dir: Path, pages: list[bytes]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.replay", str(data_dir)],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for page in pages:
            self.process.stdin.write(struct.pack(">Q", len(page)) + page)
        self.process.stdin.close()
        self.url = self.process.stdout.readline().decode().strip()
        if not self.url.startswith("https://"):
            raise RuntimeError("the replay server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=15)


def limit_seconds(replay: ReplayServer, profile, identity, session_user: dict, page_count: int, workdir: Path) -> float:
    """Download + parse the recorded pages over mTLS, then one bulk apply into a fresh cache.

    `identity` is the device's certificate and key as a login released them (R-10: a
    password-only profile's key is sealed at rest until the service's unlock key opens it)."""
    transport = Transport(replay.url, profile.ca_cert_path.read_bytes(), identity)
    cache_path = workdir / f"limit-{uuid.uuid4().hex[:8]}.db"
    conn = cache_db.open_cache(cache_path, os.urandom(32), create=True)
    set_user(conn, session_user)
    try:
        transport.client.get("/replay/0")  # the connection is open before timing, as in the sync
        started = time.perf_counter()
        # The product's own parser (Transport's decode_json), as the engine parses each page.
        pages = [decode_json(transport.client.get(f"/replay/{i}")) for i in range(page_count)]
        merged = pages[0]
        for page in pages[1:]:
            for kind, objects in page["upserts"].items():
                merged["upserts"].setdefault(kind, []).extend(objects)
        merged["cursor"], merged["has_more"] = pages[-1]["cursor"], False
        apply_page(conn, merged)
        return time.perf_counter() - started
    finally:
        conn.close()
        transport.close()
        for path in cache_path.parent.glob(cache_path.name + "*"):
            path.unlink()


def run(
    service,
    workdir: Path,
    password: str,
    runs: int | None = None,
    incremental_runs: int = 15,
    noop_syncs: int = NOOP_SYNCS,
    incremental_changes: int = INCREMENTAL_CHANGES,
    scale: int = 20000,
    steady: bool = True,
) -> list[Metric]:
    """The first syncs and their limit; with `steady` also the no-op and incremental syncs."""
    if runs is None:
        # Five pairs at 20,000 (~9 s each): the median of three jumped 1.12-1.49 between runs of
        # the same code on this shared machine; three at 100,000 (~50 s each).
        runs = 5 if scale <= 20_000 else 3
    profile = client.enroll(service, workdir / "profile-sync", "bench", password)
    sync_samples, ratios, limits, pulled = [], [], [], 0
    load_before = loadavg()
    user = identity = None
    cpu_notes = []
    for _ in range(runs):
        service_cpu, own_cpu = process_cpu_seconds(service.pid), process_cpu_seconds()
        seconds, pulled, pages = first_sync(profile, password, record=True)
        cpu_notes.append(
            f"service {process_cpu_seconds(service.pid) - service_cpu:.1f} s, "
            f"client {process_cpu_seconds() - own_cpu:.1f} s"
        )
        if user is None:  # a login as a user does: it opens the sealed device key
            probe = client.login(profile, password)
            user, identity = probe.user, probe.identity
            probe.close()
        replay = ReplayServer(service.data_dir, pages)
        try:
            limit = limit_seconds(replay, profile, identity, user, len(pages), workdir)
        finally:
            replay.stop()
        sync_samples.append(seconds)
        limits.append(limit)
        ratios.append(seconds / limit)
    load_after = loadavg()
    note = (
        f"{pulled} objects in {len(pages)} pages ({sum(map(len, pages)) / 1e6:.0f} MB) per first sync; "
        f"limit samples {', '.join(f'{x:.2f}' for x in limits)} s; CPU per first sync (incl. login): "
        + "; ".join(cpu_notes)
    )
    metrics = [
        Metric(
            scaled("sync_initial_20k_s", scale),
            median(sync_samples),
            "s",
            "reported",
            sync_samples,
            note,
            f"{load_before} / {load_after}",
        ),
        Metric(
            scaled("sync_initial_ratio_to_limit", scale),
            median(ratios),
            "x",
            target(scale, "<= 1.3", "<= 1.5"),
            ratios,
            "per-run ratio first sync / limit (same bytes from memory over mTLS + parse + one bulk apply)",
            f"{load_before} / {load_after}",
        ),
    ]
    if not steady:
        return metrics

    # The cache now holds the last first sync; keep one session for no-op and incremental.
    session = client.login(profile, password)
    ws = Workspace(session)
    other = client.login(client.enroll(service, workdir / "profile-other", "bench", password), password)
    try:
        ws.sync()
        for _ in range(10):
            ws.sync()  # warm: connection open, statements prepared
        load_before = loadavg()
        noop = []
        for _ in range(noop_syncs):
            started = time.perf_counter()
            result = ws.sync()
            noop.append((time.perf_counter() - started) * 1000)
            assert result.pulled == 0
        metrics.append(
            Metric(
                "sync_noop_median_ms",
                median(noop),
                "ms",
                "<= 10",
                noop,
                "push (nothing queued) + one pull with the cursor, kept-alive connection",
                f"{load_before} / {loadavg()}",
            )
        )

        open_cases = ws.read(
            lambda conn: [r[0] for r in conn.execute("SELECT id FROM cases WHERE status = 'open' ORDER BY id")]
        )
        load_before = loadavg()
        incremental = []
        for run_index in range(incremental_runs):
            chosen = open_cases[run_index * incremental_changes : (run_index + 1) * incremental_changes]
            mutations = [
                {
                    "id": str(uuid.uuid4()),
                    "kind": "journal.add",
                    "payload": {"case_id": case_id, "entry_id": str(uuid.uuid4()), "text": "Benchmark-notitie."},
                }
                for case_id in chosen
            ]
            answer = other.transport.post_json("/sync/push", {"mutations": mutations})
            assert all(r["status"] == "applied" for r in answer["results"]), "the changes were not applied"
            started = time.perf_counter()
            result = ws.sync()
            incremental.append((time.perf_counter() - started) * 1000)
            assert result.pulled >= incremental_changes, result.pulled
        metrics.append(
            Metric(
                "sync_incremental_100_ms",
                median(incremental),
                "ms",
                "<= 100",
                incremental,
                "100 cases changed by another device of the user; one sync pulls them",
                f"{load_before} / {loadavg()}",
            )
        )
    finally:
        other.close()
        ws.close()
        session.close()
    return metrics
