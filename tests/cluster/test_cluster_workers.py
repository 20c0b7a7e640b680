"""`menscentraal-server run --workers N`: N processes on one port, each a whole instance.

On PostgreSQL two workers serve one port; a long-poll waiting in one worker is woken by a change
pushed through the other (each worker has its own LISTEN connection and waiters); a worker that
dies is replaced; a supervisor killed outright takes its workers with it. SQLite refuses more than
one worker with one sentence; SIGHUP replaces the workers. The process tests are `make cluster-test`'s (marker `cluster`).
"""

from __future__ import annotations

import os
import signal
import ssl
import threading
import time
from pathlib import Path

import httpx
import pytest

from server_stub import cli
from server_stub.config import Config, DataDir, save_config
from server_stub.store import Database
from tests.cluster.instances import Instance, wait_for
from tests.server.test_postgres_feed_order import Endpoint, enroll, on
from tests.server.work_client import mutation
from tests.service_fixtures import API, TEST_THROTTLES

LONG_POLLS = 6  # connections of one device waiting at once, spread over both workers
MORE_POLLS = 10  # at most this many more when the kernel gave one worker all of them


def test_run_refuses_several_workers_on_sqlite_in_one_sentence(tmp_path, capsys):
    data_dir = tmp_path / "service"
    data_dir.mkdir(mode=0o700)
    save_config(data_dir, Config())  # SQLite, the default
    assert cli.main(["run", str(data_dir), "--workers", "2"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("Met SQLite draait de dienst in één proces") and "--workers 1" in error
    assert len(error.splitlines()) == 1 and "Traceback" not in error
    assert cli.main(["run", str(data_dir), "--workers", "0"]) == 2
    assert capsys.readouterr().err.strip() == "--workers moet 1 of meer zijn."


def test_run_help_names_the_workers_in_dutch(capsys):
    with pytest.raises(SystemExit):
        cli.main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--workers N aantal werkprocessen op dezelfde poort" in text and "alleen met PostgreSQL" in text


def _sockets_of(pid: int) -> set[str]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def _alive(pid: int) -> bool:
    try:  # a zombie (ended, not yet reaped by whoever adopted it) has ended
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _polls_per_worker(instance: Instance) -> dict[int, int]:
    """How many established connections to the instance's port each worker holds (by socket inode)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == instance.port and fields[3] == "01":
            inodes.add(fields[9])
    return {pid: len(_sockets_of(pid) & inodes) for pid in instance.workers()}


@pytest.mark.postgresql
@pytest.mark.cluster
def test_two_workers_serve_one_port_and_wake_each_others_long_polls(postgres_server, tmp_path):
    url = postgres_server.create_database()
    data_dir = tmp_path / "service"
    accounts = {
        a["username"]: a["password"]
        for a in cli.init(data_dir, fast_kdf=True, port=0, database=url, config_changes={"throttle": TEST_THROTTLES})
    }
    db = Database(url, pool_size=2)
    instance = Instance.start(data_dir, workers=2)
    clients = []
    try:
        workers = instance.workers()
        assert len(workers) == 2, instance.output
        endpoint = Endpoint(instance.url, DataDir(data_dir))
        trust = ssl.create_default_context(cafile=str(endpoint.ca_path))
        anouk = enroll(endpoint, data_dir, "anouk", accounts["anouk"], tmp_path / "anouk")
        bram = enroll(endpoint, data_dir, "bram", accounts["bram"], tmp_path / "bram")
        clients += [anouk, bram]
        bram_id, anouk_id = (
            db.conn().execute("SELECT id FROM users WHERE username = ?", (name,)).fetchone()[0]
            for name in ("bram", "anouk")
        )
        case_id = (
            db.conn()
            .execute(
                "SELECT c.id FROM cases c JOIN case_supporters s ON s.case_id = c.id AND s.user_id = ? "
                "WHERE c.coordinator_id = ? AND c.status = 'open' LIMIT 1",
                (bram_id, anouk_id),
            )
            .fetchone()[0]
        )
        cursor = None
        while True:  # bram's first sync, to a quiet cursor
            page = bram.get(f"{API}/sync/changes", params={"limit": 2000} | ({"cursor": cursor} if cursor else {}))
            cursor = page.json()["cursor"]
            if not page.json()["has_more"]:
                break

        answers: list[tuple[float, list[str]]] = []

        def poll(http) -> None:
            page = http.get(f"{API}/sync/changes", params={"cursor": cursor, "wait": 20}, timeout=30).json()
            answers.append((time.monotonic(), [c["id"] for c in page["upserts"]["cases"]]))

        threads = []
        for n in range(LONG_POLLS + MORE_POLLS):
            http = on(endpoint, bram)  # a connection of its own: the kernel hands it to either worker
            clients.append(http)
            threads.append(threading.Thread(target=poll, args=(http,)))
            threads[-1].start()
            wait_for(lambda: sum(_polls_per_worker(instance).values()) >= n + 1, 10, "the long-poll's connection")
            if n + 1 >= LONG_POLLS and all(_polls_per_worker(instance).values()):
                break
        spread = _polls_per_worker(instance)
        assert all(spread.values()), f"one worker took every connection: {spread}"
        time.sleep(0.3)  # each request reaches its wait (they have no news yet)
        assert not answers
        result = anouk.post(
            f"{API}/sync/push",
            json={
                "mutations": [mutation("journal.add", {"case_id": case_id, "entry_id": "jrn-w-1", "text": "Gebeld."})]
            },
        )
        assert result.json()["results"][0]["status"] == "applied", result.text
        pushed_at = time.monotonic()
        for thread in threads:
            thread.join(30)
        assert len(answers) == len(threads) and all(ids == [case_id] for _, ids in answers), answers
        assert max(at for at, _ in answers) - pushed_at < 2.0, "a worker's long-polls waited for their timeout"

        # A worker that dies is replaced, and the port keeps answering.
        os.kill(workers[0], signal.SIGKILL)
        replaced = wait_for(
            lambda: (w := instance.workers()) and len(w) == 2 and workers[0] not in w and w, 30, "a new worker"
        )
        health = httpx.get(f"{instance.url}{API}/health", verify=trust, timeout=10)
        assert health.status_code == 200

        # SIGHUP (after an upgrade) replaces every worker, one by one, and the port keeps answering.
        os.kill(instance.process.pid, signal.SIGHUP)
        replaced = wait_for(
            lambda: (w := instance.workers()) and len(w) == 2 and not set(w) & set(replaced) and w, 60, "new workers"
        )
        health = httpx.get(f"{instance.url}{API}/health", verify=trust, timeout=10)
        assert health.status_code == 200

        # The supervisor killed outright: its workers end with it (no orphan keeps the port).
        os.kill(instance.process.pid, signal.SIGKILL)
        wait_for(lambda: not any(_alive(pid) for pid in replaced), 10, "the workers to end")
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{instance.url}{API}/health", verify=trust, timeout=5)
    finally:
        for client in clients:
            client.close()
        instance.kill()
        db.close()
        postgres_server.drop_database(url)
