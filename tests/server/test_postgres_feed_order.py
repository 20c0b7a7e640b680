"""The feed never skips a change on PostgreSQL, where transactions commit in any order.

A sequence number is handed out when a row is written, not when it commits: a reader could see
number 11 committed, move its cursor past it, and never see number 10, whose transaction commits
a moment later. The service makes each organisation's writers take turns with a transaction-scoped
advisory lock (store/postgres.py), so the numbers a reader can see are committed in order, while
two organisations write side by side. Proof, on the real thing: two service processes on one
database, 8 writers (4 on each, 4 per organisation) creating tasks queued to their organisation's
team in concurrent pushes, 6 readers of those teams following their cursors through both instances
in small pages while the writes go on, and 4 more starting their first sync in the middle of the
writes. Every follower must see every task of its team exactly once: a skipped number is a task
never seen, a cursor that goes back is a task seen twice. A first sync must miss none (it may see
a task twice: the snapshot's pages and the feed after it overlap by design); each begins while a
deliberately slow commit of its team holds its feed numbers (a trigger sleeps in it) and the other
organisation commits past them. Checked against broken versions on a loaded 2-core machine: with
an organisation's writers not taking turns, each follower missed 30 to 40 of 320 tasks; with a
turn per organisation but a first sync starting from the feed's latest number instead of the
reader's own, a first sync missed the slow task.
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

WRITERS = 8  # 4 per instance, 4 per organisation
PUSHES = 4  # per writer
PER_PUSH = 20  # mutations per push: each one its own transaction
SLOW_SECONDS = 0.3  # the first of each push holds its feed numbers this long before it commits
# Each organisation: writers, the team their tasks are queued to, followers and first-syncers (all
# members of that team: every queued task is theirs to see).
ORGANISATIONS = {
    "org-demodorp": (("daan", "eva"), "team-jgn", ("anouk", "bram", "carla", "femke"), ("anouk", "bram")),
    "org-voorbeeldstad": (("ilse", "joost"), "team-swo", ("mees", "karim"), ("mees", "karim")),
}
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


def test_every_reader_sees_every_change_exactly_once_across_two_instances_and_organisations(postgres_server, tmp_path):
    url = postgres_server.create_database()
    data_dir = tmp_path / "service"
    accounts = {
        a["username"]: a["password"]
        for a in cli.init(data_dir, fast_kdf=True, port=0, database=url, config_changes={"throttle": TEST_THROTTLES})
    }
    layout = DataDir(data_dir)
    db = Database(url, pool_size=8)
    instances: list[ServiceProcess] = []
    clients: list[ServiceClient] = []
    try:
        conn = db.conn()
        users = {r[0]: r[1] for r in conn.execute("SELECT username, id FROM users")}
        writer_names = [name for org in ORGANISATIONS.values() for name in org[0]] * (WRITERS // 4)
        team_of = {name: org[1] for org in ORGANISATIONS.values() for name in org[0] + org[2] + org[3]}
        for _, team, _, _ in ORGANISATIONS.values():
            # No team-queue mail for hundreds of tasks: the sink is not what this test is about.
            for member in (r[0] for r in conn.execute("SELECT user_id FROM team_members WHERE team_id = ?", (team,))):
                conn.execute(
                    "INSERT INTO team_queue_email (user_id, team_id, enabled) VALUES (?, ?, 0)", (member, team)
                )
        # Some commits are slow: a transaction holds its feed numbers while the other organisation's
        # commit past them and readers pull (the window in which a wrong cursor skips them, wide open).
        # Their ids sort first ("tsk--"), so a first sync's snapshot has passed them when they commit.
        conn.execute(
            "CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF EXISTS (SELECT 1 FROM appended WHERE object_id LIKE 'tsk--slow-%') THEN "
            f"PERFORM pg_sleep({SLOW_SECONDS}); END IF; RETURN NULL; END $$"
        )
        conn.execute(
            "CREATE TRIGGER slow_commit AFTER INSERT ON feed REFERENCING NEW TABLE AS appended "
            "FOR EACH STATEMENT EXECUTE FUNCTION slow_commit()"
        )
        # Each writer creates tasks on an open case it coordinates, queued to its organisation's team.
        writer_cases = {}
        for name in {n for org in ORGANISATIONS.values() for n in org[0]}:
            row = conn.execute(
                "SELECT id FROM cases WHERE coordinator_id = ? AND status = 'open' ORDER BY number LIMIT 1",
                (users[name],),
            ).fetchone()
            assert row is not None, f"no open case of {name} in the demo data"
            writer_cases[name] = row[0]

        first = ServiceProcess(data_dir)
        instances.append(first)
        a = Endpoint(first.url, layout)
        # Every device is enrolled before the second instance starts (it loads the devices then).
        writers = [enroll(a, data_dir, name, accounts[name], tmp_path / f"w{i}") for i, name in enumerate(writer_names)]
        followers = [
            (name, enroll(a, data_dir, name, accounts[name], tmp_path / f"r-{name}"))
            for org in ORGANISATIONS.values()
            for name in org[2]
        ]
        clients += writers + [client for _, client in followers]
        second = ServiceProcess(data_dir)
        instances.append(second)
        b = Endpoint(second.url, layout)
        # Writer i pushes through instance i % 2; each reader alternates between the two.
        writer_http = [w if i % 2 == 0 else on(b, w) for i, w in enumerate(writers)]
        reader_http = [(name, (r, on(b, r))) for name, r in followers]
        device_of = dict(followers)
        # First-syncers: the followers' devices again, over connections of their own.
        syncer_http = [
            (name, (on(a, device_of[name]), on(b, device_of[name])))
            for org in ORGANISATIONS.values()
            for name in org[3]
        ]
        clients += [pair[1] for _, pair in reader_http] + [c for _, pair in syncer_http for c in pair]

        # First sync of each follower, to a quiet cursor, before the writes begin.
        cursors = {}
        for name, (http, _) in reader_http:
            cursor = None
            while True:
                params = {"limit": 2000} | ({"cursor": cursor} if cursor else {})
                page = http.get(f"{API}/sync/changes", params=params).json()
                cursor = page["cursor"]
                if not page["has_more"]:
                    break
            cursors[name] = cursor

        created = {team: [] for _, team, _, _ in ORGANISATIONS.values()}
        seen = {index: [] for index in range(len(reader_http) + len(syncer_http))}
        errors: list[str] = []
        overtaken: list[str] = []  # first syncs that began while a slow commit of their team was pending
        writing = threading.Event()
        writing.set()
        started = time.monotonic()

        def slow_commit_for(team: str) -> bool:
            """A transaction sleeping in `slow_commit` over a task of this team (the statement's
            text shows the bound values; the slow task's id is among the first)."""
            sql = "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE ?)"
            return db.conn().execute(sql, (f"%tsk--slow-{team}-%",)).fetchone()[0]

        def write(index: int) -> None:
            http, username = writer_http[index], writer_names[index]
            try:
                for _ in range(PUSHES):
                    batch = [
                        mutation(
                            "task.create",
                            {
                                "task_id": f"tsk-{f'-slow-{team_of[username]}-' if n == 0 else ''}{uuid.uuid4().hex}",
                                "case_id": writer_cases[username],
                                "type": "Bellen",
                                "team_id": team_of[username],
                            },
                        )
                        for n in range(PER_PUSH)
                    ]
                    response = http.post(f"{API}/sync/push", json={"mutations": batch}, timeout=60)
                    assert response.status_code == 200, response.text
                    results = response.json()["results"]
                    assert [r["status"] for r in results] == ["applied"] * PER_PUSH, results[:2]
                    created[team_of[username]].extend(m["payload"]["task_id"] for m in batch)
            except BaseException as exc:  # reported by the main thread
                errors.append(f"writer {index}: {exc!r}")

        def read(index: int, name: str, pair, cursor: str | None, start_after: int = 0) -> None:
            """Follow the feed from `cursor` (None: a first sync, once `start_after` tasks of the
            team exist) until a pull that began after the last write finds nothing new."""
            turn, quiet_after_writes = 0, False
            try:
                while len(created[team_of[name]]) < start_after and writing.is_set():
                    time.sleep(0.01)
                if cursor is None:  # begin while a slow commit for this reader holds its numbers
                    deadline = time.monotonic() + 10
                    while writing.is_set() and time.monotonic() < deadline:
                        if slow_commit_for(team_of[name]):
                            overtaken.append(name)
                            break
                        time.sleep(0.005)
                    time.sleep(0.05)  # the other organisation commits past it meanwhile
                while time.monotonic() - started < BOUND_SECONDS:
                    was_writing = writing.is_set()
                    # a long-poll: answered at once when there is news, woken across instances
                    params = {"limit": 40} | ({"cursor": cursor, "wait": 1} if cursor else {})
                    page = pair[turn % 2].get(f"{API}/sync/changes", params=params, timeout=30)
                    turn += 1
                    assert page.status_code == 200, page.text
                    body = page.json()
                    cursor = body["cursor"]
                    seen[index].extend(task["id"] for task in body["upserts"]["tasks"])
                    if not body["has_more"] and not body["upserts"]["tasks"]:
                        if not was_writing:
                            quiet_after_writes = True  # every write committed before this pull began
                            break
                assert quiet_after_writes, "the reader did not catch up in time"
            except BaseException as exc:
                errors.append(f"reader {name}: {exc!r}")

        threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        threads += [
            threading.Thread(target=read, args=(i, name, pair, cursors[name]))
            for i, (name, pair) in enumerate(reader_http)
        ]
        # First syncs begin at a quarter and at half of each team's tasks.
        per_team = WRITERS // 2 * PUSHES * PER_PUSH
        threads += [
            threading.Thread(target=read, args=(len(reader_http) + i, name, pair, None, per_team * (1 + i % 2) // 4))
            for i, (name, pair) in enumerate(syncer_http)
        ]
        for thread in threads:
            thread.start()
        for thread in threads[:WRITERS]:
            thread.join(BOUND_SECONDS)
        written_at = time.monotonic()
        writing.clear()
        for thread in threads[WRITERS:]:
            thread.join(BOUND_SECONDS)
        elapsed = time.monotonic() - started
        names = [name for name, _ in reader_http] + [f"{name} (first sync)" for name, _ in syncer_http]
        print(
            f"\nfeed order: {sum(map(len, created.values()))} tasks written in {written_at - started:.1f} s; "
            + ", ".join(f"{names[i]} saw {len(seen[i])}" for i in seen)
            + f"; {elapsed:.1f} s in all; {len(overtaken)} first syncs began during a slow commit"
        )
        assert not errors, errors[:5]
        assert len(overtaken) >= 2, "no first sync began while a slow commit held its numbers"
        assert all(len(tasks) == per_team for tasks in created.values())
        for index, (name, _) in enumerate(reader_http):
            expected = sorted(created[team_of[name]])
            assert len(seen[index]) == len(set(seen[index])), f"{name} saw a task twice"
            missing = set(expected) - set(seen[index])
            assert not missing, f"{name} never saw {len(missing)} of {len(expected)} tasks"
            assert sorted(seen[index]) == expected  # and none of the other organisation's
        for offset, (name, _) in enumerate(syncer_http):
            expected = set(created[team_of[name]])
            got = set(seen[len(reader_http) + offset])
            assert not expected - got, f"{name}'s first sync missed {len(expected - got)} of {len(expected)} tasks"
            other = {t for team, tasks in created.items() if team != team_of[name] for t in tasks}
            assert not got & other
        assert elapsed < BOUND_SECONDS
    finally:
        for client in clients:
            client.close()
        for instance in instances:
            instance.stop()
        db.close()
        postgres_server.drop_database(url)
