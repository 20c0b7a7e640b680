"""The hostile world (issue 12, "Done when"): random faults of every kind mixed with SIGKILLs.

Each round forks a client (the factory of tests/client/test_kill.py) that queues notes, or
re-pulls the whole feed, and syncs through:
- a TCP fault proxy (tests/fault_proxy.py): handshakes closed, resets mid-answer, stalls, drips
  and refused connections, drawn per connection;
- HTTP faults injected into the real service (tests/faulty_service.py): whole-push 429 / gateway
  404, 409, 502 / 500, garbled answers (before or after the push was applied), pushes cut short,
  partial answers, dripping answers;
- restarts of the service in the middle of the round;
- the service refusing single notes: now and then a case the client still holds as open is
  closed on the service, so that the notes queued in it are refused per mutation;
and is SIGKILLed at a random moment (or, now and then, left to finish). After every round the
cache must pass SQLite's and SQLCipher's integrity checks, and the client may only have ended by
the kill, by finishing, or with a typed error (a traceback is a bug).

At the end the world heals (no faults) and the client syncs until nothing is left to send. Then
every note made is in exactly one class, and the run reports each:
- applied exactly once on the service;
- refused by the service and listed to the user (the unprocessed-changes list) with its text;
- stuck (refused as a whole request on its own), listed with its text, waiting for the user.
A third class of the issue, changes caught in damage or a wipe the run itself caused (moved-aside
cache, encrypted export), is not made here: this run damages no files and moves no clocks (disk
and clock faults plug in as further steps of `BEFORE_GO` / `WHILE_WORKING`). The cache must
equal the service.

`make stress` runs HOSTILE_ROUNDS (default 200) rounds and requires at least 300 faults;
HOSTILE_ROUNDS=10 gives a quick run while developing.
"""
from __future__ import annotations

import collections
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop.cache import queries
from tests.client.sync_helpers import Device
from tests.client.test_kill import REPO, SCALE, USER, _check_cache, _queue_note, _zygote
from tests.client.test_push_refusals import assert_cache_equals_service
from tests.fault_proxy import FaultProxy
from tests.faulty_service import (
    CHANGES, FaultInjector, answer, drip, drop_results, garbled, gateway, rate_limited, truncate_push,
)
from tests.server.work_client import Worker, mutation

NOTE_PREFIX = "hostile-"
NETWORK_FAULT_RATE = 0.4
# HTTP faults, each a factory for one round (the service's own answers are the other rounds).
HTTP_FAULTS = {
    "rate-limited": lambda rng: rate_limited(retry_after=rng.choice((0, 1))),
    "gateway-404": lambda rng: gateway(404),
    "gateway-409": lambda rng: gateway(409),
    "gateway-502": lambda rng: gateway(502),
    "internal-500": lambda rng: answer(500, "internal"),
    "garbled": lambda rng: garbled(),
    "garbled-applied": lambda rng: garbled(applied=True),
    "truncated-push": lambda rng: truncate_push(rng.randint(0, 5)),
    "partial-answer": lambda rng: drop_results(lambda result, r=rng.random(): hash(result["id"]) % 3 == int(r * 3)),
    "drip-push": lambda rng: drip(chunk=8, delay=0.3),
    "drip-pull": lambda rng: drip(chunk=64, delay=0.3, path=CHANGES, method="GET"),
}


def _hostile_work(profile_dir: str, password: str, mode: str, round_no: int, go_fd: int, say) -> None:
    """One client: log in, wait for "go", queue notes and sync (or re-pull everything)."""
    from desktop import actions, errors
    from desktop.cache.writes import reset_cursor
    from desktop.profile import Profile
    from desktop.session import Session
    from tests.client.sync_helpers import CHEAP_KDF

    session = Session(Profile(profile_dir), None, kdf=CHEAP_KDF)
    session.login(password)
    ws = actions.Workspace(session, page_limit=15)
    say("ready")
    os.read(go_fd, 1)
    # Chosen after "go": the round before may have learnt of a closed case while this one waited.
    case_ids = [row.id for row in ws.read(queries.my_cases, "", "updated_at", True, 40)
                if row.status == "open" and ws.read(queries.case_detail, row.id).capabilities["add_note"]["allowed"]]
    try:
        if mode == "pull":
            ws.writer.call(reset_cursor)
        else:
            for i in range(6):
                text = f"{NOTE_PREFIX}{round_no}-{i}"
                ws.writer.call(_queue_note, case_ids[i % len(case_ids)], text)
                say(f"queued {text}")
        ws.sync()
        say("done")
    except errors.ClientError as exc:  # a typed error is an answer; anything else is a bug
        say(f"error {type(exc).__name__}")  # the class only: its sentence is the user's
    ws.close()
    session.close()


class ClientFactory:
    """The parent's side of test_kill's zygote: spawn, go, reap; a reader thread sorts the
    clients' lines by round."""

    def __init__(self, profile_root: Path, password: str):
        env = {**os.environ, "PYTHONPATH": str(REPO), "QT_QPA_PLATFORM": "offscreen"}
        self.process = subprocess.Popen([sys.executable, __file__, str(profile_root)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=REPO, env=env, bufsize=1)
        self.process.stdin.write(password + "\n")
        self._lines: dict[int, queue.Queue] = collections.defaultdict(queue.Queue)
        self._reader = threading.Thread(target=self._read, name="client-factory-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            number, text = line.rstrip("\n").split(" ", 1)
            self._lines[int(number)].put(text)

    def command(self, text: str) -> None:
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def read_until(self, round_no: int, *words: str, timeout: float = 120) -> list[str]:
        """The lines of client `round_no` up to one starting with one of `words`; with a
        shorter `timeout`, what came until then (the rest stays for the next call)."""
        lines = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                text = self._lines[round_no].get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                assert self.process.poll() is None, "the client factory ended early"
                return lines
            lines.append(text)
            if text.split(" ")[0] in words:
                return lines

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)


def _close_a_case(closer: Worker, rng: random.Random) -> str | None:
    """Close one of the user's open cases on the service (another device of the same user)."""
    page = closer.pull_all()
    open_cases = sorted((case["updated_at"], cid) for cid, case in page["cases"].items() if case.get("status") == "open")
    closer.cursor = None
    if len(open_cases) < 10:
        return None  # keep enough open cases for the notes
    case_id = open_cases[-rng.randint(1, 3)][1]  # among the latest: those the client writes in
    result = closer.push(mutation("case.close", {"case_id": case_id, "outcome": "afgerond"}))[0]
    return case_id if result["status"] == "applied" else None


@dataclass
class World:
    """What the faults act on; `fired` counts each fault as it happens."""

    service: object
    proxy: FaultProxy
    injector: FaultInjector
    closer: Worker
    rng: random.Random
    fired: collections.Counter = field(default_factory=collections.Counter)


def _refuse_next_notes(world: World) -> None:
    if world.rng.random() < 0.1 and _close_a_case(world.closer, world.rng):
        world.fired["refused-note"] += 1


def _faulty_network(world: World) -> None:
    world.proxy.set_mode(FaultProxy.mix(NETWORK_FAULT_RATE))  # counted per connection by the proxy


def _one_http_fault(world: World) -> None:
    kind = world.rng.choice(sorted(HTTP_FAULTS))
    world.injector.add(HTTP_FAULTS[kind](world.rng), times=world.rng.choice((1, 2, 3)))  # counted by its hits


def _drop_connections(world: World) -> None:
    if world.rng.random() < 0.4:  # the connections in use break (a Wi-Fi hand-over)
        time.sleep(world.rng.uniform(0.0, 0.8))
        world.proxy.drop_connections()
        world.fired["network:dropped"] += 1


def _restart_service(world: World) -> None:
    if world.rng.random() < 0.1:
        time.sleep(world.rng.uniform(0.0, 1.0))
        world.service.restart()
        world.fired["service-restart"] += 1


# A round's world: set before the client's "go", then acted while it works. Disk faults (a full
# or read-only profile, a damaged cache) and clock faults plug in here as further steps; their
# changes are the moved-aside/exported class of `_classify`.
BEFORE_GO = (_refuse_next_notes, _faulty_network, _one_http_fault)
WHILE_WORKING = (_drop_connections, _restart_service)


def _hostile_rounds(service, tmp_path, rounds: int, seed: int) -> collections.Counter:
    proxy = FaultProxy(service.url, seed=seed).start()
    try:
        via_proxy = types.SimpleNamespace(url=proxy.url, ca_path=service.ca_path, password=service.password,
                                          enroll_code=service.enroll_code)
        device = Device(via_proxy, tmp_path / "profile", USER, keyring=False)
        device.service = service
        ws = device.workspace()
        ws.sync()  # a full cache, so that the rounds have cases to write in
        ws.close()
        world = World(service, proxy, FaultInjector.install(service), Worker(service, USER), random.Random(seed))
        rng, fired, faults, closer = world.rng, world.fired, world.injector, world.closer
        factory = ClientFactory(device.profile.root, service.password(USER))
        queued: set[str] = set()
        ended: collections.Counter = collections.Counter()
        try:
            mode = lambda n: "pull" if n % 4 == 3 else "push"  # noqa: E731
            factory.command(f"spawn 0 {mode(0)}")
            for round_no in range(rounds):
                pid = int(factory.read_until(round_no, "pid")[-1].split()[1])
                lines = factory.read_until(round_no, "ready")
                if round_no + 1 < rounds:
                    factory.command(f"spawn {round_no + 1} {mode(round_no + 1)}")
                for fault in BEFORE_GO:
                    fault(world)
                factory.command(f"go {round_no}")
                for fault in WHILE_WORKING:
                    fault(world)
                if rng.random() < 0.2:  # left to finish (or to give up with a typed error)
                    lines += factory.read_until(round_no, "done", "error", timeout=20)
                else:
                    time.sleep(rng.uniform(0.0, 1.5))  # the kill moment is the point
                if not lines or lines[-1].split(" ")[0] not in ("done", "error"):
                    os.kill(pid, signal.SIGKILL)
                    fired["sigkill"] += 1
                factory.command(f"reap {round_no}")
                lines += factory.read_until(round_no, "reaped")
                status = int(lines[-1].split()[1])
                assert (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL) or \
                    (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0), (round_no, lines)
                queued.update(text.split(" ", 1)[1] for text in lines if text.startswith("queued "))
                ended.update(text for text in lines if text.split(" ")[0] in ("done", "error"))
                faults.clear()
                _check_cache(device)
        finally:
            factory.close()
            closer.close()
        fired.update({f"http:{name}": count for name, count in collections.Counter(h[2] for h in faults.hits).items()})
        network = {k: v for k, v in proxy.counts.items() if k != "pass"}
        fired.update({f"network:{name}": count for name, count in network.items()})

        # The world heals: the client syncs until nothing is left to send.
        proxy.set_mode("pass")
        ws = device.workspace()
        for _ in range(5):
            result = ws.sync()
            if ws.read(queries.status_summary).waiting == 0:
                break
        unprocessed = ws.read(queries.unprocessed_changes)
        summary = ws.read(queries.status_summary)
        assert_cache_equals_service(ws, service, USER)
        ws.close()
        _check_cache(device)
        assert summary.waiting == 0, (summary, result)
        classes = _classify(service, queued, unprocessed)
        classes.update({f"ended:{k}": v for k, v in ended.items()})
        return fired + classes
    finally:
        proxy.stop()


def _classify(service, queued: set[str], unprocessed) -> collections.Counter:
    """Every note made lands in exactly one class; returns the count of each."""
    conn = service.db.conn()
    applied = collections.Counter(row[0] for row in conn.execute(
        "SELECT text FROM journal_entries WHERE text LIKE ?", (NOTE_PREFIX + "%",)))
    twice = {text: n for text, n in applied.items() if n > 1}
    assert not twice, f"applied more than once: {sorted(twice)[:5]}"
    listed: dict[str, str] = {}
    for change in unprocessed:
        text = change.payload.get("text", "")
        if change.kind == "journal.add" and text.startswith(NOTE_PREFIX):
            assert change.reason or change.detail, "a refused change is listed with its reason"
            listed[text] = change.status
    both = set(applied) & set(listed)
    assert not both, f"applied and listed as refused: {sorted(both)[:5]}"
    made = queued | set(applied) | set(listed)  # a note queued just before a kill may not have said so
    lost = made - set(applied) - set(listed)
    assert not lost, f"lost: {sorted(lost)[:5]}"
    classes = collections.Counter(made=len(made), applied_once=len(applied))
    classes.update(f"listed:{status}" for status in listed.values())
    classes["moved_aside_or_exported"] = 0  # no damage or wipe in this run (see the module text)
    return classes


def _report(counts: collections.Counter) -> str:
    faults = sum(v for k, v in counts.items() if k.split(":")[0] in ("http", "network") or k in ("service-restart", "refused-note"))
    lines = [f"hostile world: {faults} faults, {counts['sigkill']} SIGKILLs"]
    lines += [f"  {key}: {counts[key]}" for key in sorted(counts)]
    return "\n".join(lines), faults


def _run(service_factory, tmp_path, capsys, rounds: int, seed: int, min_faults: int) -> None:
    service = service_factory(scale=SCALE)
    counts = _hostile_rounds(service, tmp_path, rounds, seed)
    text, faults = _report(counts)
    with capsys.disabled():
        print("\n" + text + f"\n  (seed {seed})")
    assert faults >= min_faults, text
    assert counts["sigkill"] >= rounds // 2, text
    assert counts["applied_once"] > 0, text


@pytest.mark.stress
def test_hostile_world_every_change_applied_once_or_listed_cache_equals_service(service_factory, tmp_path, capsys):
    rounds = int(os.environ.get("HOSTILE_ROUNDS", "200"))
    seed = int(os.environ.get("HOSTILE_SEED", str(int(time.time()))))
    _run(service_factory, tmp_path, capsys, rounds, seed, min_faults=300 if rounds >= 200 else 0)


if __name__ == "__main__":
    _zygote(sys.argv[1], _hostile_work)
