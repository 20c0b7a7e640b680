"""The feed never skips a change on PostgreSQL, where transactions commit in any order.

A sequence number is handed out when a row is written, not when it commits: a reader could see
number 11 committed, move its cursor past it, and never see number 10, whose transaction commits
a moment later. The service serialises its writers with a transaction-scoped advisory lock
(store/postgres.py), so numbers are committed in order. Proof, on the real thing: two service
processes on one database, 8 writers (4 on each) creating queued tasks in concurrent pushes, and
4 readers of the team following their cursors through both instances in small pages while the
writes go on. Every reader must see every task exactly once: a skipped number is a task never
seen, a cursor that goes back is a task seen twice. (Without the lock, 640 such tasks on a loaded
2-core machine: each reader missed 57 to 71 of them, about 10%.)
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from server_stub import cli
from server_stub.config import DataDir
from server_stub.store import Database
from tests.server.work_client import mutation
from tests.service_fixtures import (
    API,
    TEST_THROTTLES,
    ServiceClient,
    login,
    make_csr,
    mtls_client,
    plain_client,
    write_key,
)

pytestmark = pytest.mark.postgresql

WRITERS = 8  # 4 per instance
PUSHES = 4  # per writer
PER_PUSH = 20  # mutations per push: each one its own transaction
READERS = ("anouk", "bram", "carla", "femke")  # team-jgn: each queued task is theirs to see
TEAM = "team-jgn"
BOUND_SECONDS = 60


class ServiceProcess:
    """`menscentraal-server run DATA_DIR --port 0` in its own process; its URL read from stdout."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server_stub", "run", str(data_dir), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=Path(__file__).parents[2],
        )
        self.url = None
        deadline = time.monotonic() + 30
        for line in self.process.stdout:
            found = re.search(r"https://([\d.]+):(\d+)/api/v1", line)
            if found:
                self.url = f"https://{found.group(1)}:{found.group(2)}"
                break
            if time.monotonic() > deadline:
                break
        if self.url is None:
            self.stop()
            raise RuntimeError("the service process did not start")
        # Keep reading its output, so that a full pipe never blocks it.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Endpoint:
    """What the client helpers of tests/service_fixtures.py need of a service."""

    def __init__(self, url: str, layout: DataDir):
        self.url, self.ca_path = url, layout.ca_cert


def enroll(endpoint: Endpoint, data_dir: Path, username: str, password: str, directory: Path) -> ServiceClient:
    key, csr = make_csr()
    with plain_client(endpoint) as anonymous:
        response = anonymous.post(
            f"{API}/enrollments",
            json={"username": username, "password": password, "csr": csr, "code": cli.enroll_code(data_dir, username)},
        )
    assert response.status_code == 201, response.text
    directory.mkdir(parents=True)
    cert_path = directory / "device.pem"
    cert_path.write_text(response.json()["certificate"], encoding="ascii")
    key_path = write_key(key, directory / "device-key.pem")
    client = mtls_client(endpoint, cert_path, key_path)
    login(client, username, password)
    client.paths = (cert_path, key_path)
    return client


def on(endpoint: Endpoint, client: ServiceClient) -> ServiceClient:
    """The same device (certificate) talking to another instance, signed in there."""
    other = mtls_client(endpoint, *client.paths)
    other.headers["Authorization"] = client.headers["Authorization"]
    return other


def test_every_reader_sees_every_change_exactly_once_across_two_instances(postgres_server, tmp_path):
    url = postgres_server.create_database()
    data_dir = tmp_path / "service"
    accounts = {
        a["username"]: a["password"]
        for a in cli.init(data_dir, fast_kdf=True, port=0, database=url, config_changes={"throttle": TEST_THROTTLES})
    }
    layout = DataDir(data_dir)
    db = Database(url, pool_size=2)
    instances: list[ServiceProcess] = []
    clients: list[ServiceClient] = []
    try:
        conn = db.conn()
        # No team-queue mail for thousands of tasks: the sink is not what this test is about.
        users = {r[0]: r[1] for r in conn.execute("SELECT username, id FROM users")}
        for member in (r[0] for r in conn.execute("SELECT user_id FROM team_members WHERE team_id = ?", (TEAM,))):
            conn.execute("INSERT INTO team_queue_email (user_id, team_id, enabled) VALUES (?, ?, 0)", (member, TEAM))
        # Writers: daan and eva (Wmo team, same organisation), each on four devices, each
        # creating tasks on an open case they coordinate, queued to the team of the readers.
        writer_cases = {
            name: conn.execute(
                "SELECT id FROM cases WHERE coordinator_id = ? AND status = 'open' ORDER BY number LIMIT 1",
                (users[name],),
            ).fetchone()[0]
            for name in ("daan", "eva")
        }

        first = ServiceProcess(data_dir)
        instances.append(first)
        a = Endpoint(first.url, layout)
        # Every device is enrolled before the second instance starts (it loads the devices then).
        writers = [
            enroll(a, data_dir, name, accounts[name], tmp_path / f"w{i}")
            for i, name in enumerate(["daan", "eva"] * (WRITERS // 2))
        ]
        readers = [enroll(a, data_dir, name, accounts[name], tmp_path / f"r-{name}") for name in READERS]
        clients += writers + readers
        second = ServiceProcess(data_dir)
        instances.append(second)
        b = Endpoint(second.url, layout)
        # Writer i pushes through instance i % 2; each reader alternates between the two.
        writer_http = [w if i % 2 == 0 else on(b, w) for i, w in enumerate(writers)]
        reader_http = [(r, on(b, r)) for r in readers]
        clients += writer_http + [pair[1] for pair in reader_http]

        # First sync of each reader, to a quiet cursor, before the writes begin.
        cursors = {}
        for name, (http, _) in zip(READERS, reader_http):
            cursor = None
            while True:
                params = {"limit": 2000} | ({"cursor": cursor} if cursor else {})
                page = http.get(f"{API}/sync/changes", params=params).json()
                cursor = page["cursor"]
                if not page["has_more"]:
                    break
            cursors[name] = cursor

        created: list[str] = []
        seen = {name: [] for name in READERS}
        errors: list[str] = []
        writing = threading.Event()
        writing.set()
        started = time.monotonic()

        def write(index: int) -> None:
            http, username = writer_http[index], ["daan", "eva"][index % 2]
            try:
                for _ in range(PUSHES):
                    batch = [
                        mutation(
                            "task.create",
                            {
                                "task_id": f"tsk-{uuid.uuid4().hex}",
                                "case_id": writer_cases[username],
                                "type": "Bellen",
                                "team_id": TEAM,
                            },
                        )
                        for _ in range(PER_PUSH)
                    ]
                    response = http.post(f"{API}/sync/push", json={"mutations": batch}, timeout=60)
                    assert response.status_code == 200, response.text
                    results = response.json()["results"]
                    assert [r["status"] for r in results] == ["applied"] * PER_PUSH, results[:2]
                    created.extend(m["payload"]["task_id"] for m in batch)
            except BaseException as exc:  # reported by the main thread
                errors.append(f"writer {index}: {exc!r}")

        def read(index: int) -> None:
            name, pair = READERS[index], reader_http[index]
            cursor, turn, quiet_after_writes = cursors[name], 0, False
            try:
                while time.monotonic() - started < BOUND_SECONDS:
                    was_writing = writing.is_set()
                    # a long-poll: answered at once when there is news, woken across instances
                    page = pair[turn % 2].get(
                        f"{API}/sync/changes", params={"cursor": cursor, "limit": 40, "wait": 1}, timeout=30
                    )
                    turn += 1
                    assert page.status_code == 200, page.text
                    body = page.json()
                    cursor = body["cursor"]
                    seen[name].extend(task["id"] for task in body["upserts"]["tasks"])
                    if not body["has_more"] and not body["upserts"]["tasks"]:
                        if not was_writing:
                            quiet_after_writes = True  # every write committed before this pull began
                            break
                assert quiet_after_writes, "the reader did not catch up in time"
            except BaseException as exc:
                errors.append(f"reader {name}: {exc!r}")

        threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        threads += [threading.Thread(target=read, args=(i,)) for i in range(len(READERS))]
        for thread in threads:
            thread.start()
        for thread in threads[:WRITERS]:
            thread.join(BOUND_SECONDS)
        written_at = [time.monotonic()]
        writing.clear()
        for thread in threads[WRITERS:]:
            thread.join(BOUND_SECONDS)
        elapsed = time.monotonic() - started
        print(
            f"\nfeed order: {len(created)} tasks written in {written_at[0] - started if written_at else -1:.1f} s; "
            + ", ".join(f"{name} saw {len(seen[name])}" for name in READERS)
            + f"; {elapsed:.1f} s in all"
        )
        assert not errors, errors[:5]
        assert len(created) == WRITERS * PUSHES * PER_PUSH
        expected = sorted(created)
        for name in READERS:
            assert len(seen[name]) == len(set(seen[name])), f"{name} saw a task twice"
            missing = set(expected) - set(seen[name])
            assert not missing, f"{name} never saw {len(missing)} of {len(expected)} tasks"
            assert sorted(seen[name]) == expected
        assert elapsed < BOUND_SECONDS
    finally:
        for client in clients:
            client.close()
        for instance in instances:
            instance.stop()
        db.close()
        postgres_server.drop_database(url)
