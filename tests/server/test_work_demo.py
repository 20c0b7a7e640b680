"""The demo work generator: deterministic, realistic, clearly fictitious, and fast at scale."""

from __future__ import annotations

import itertools
import time

import pytest

from server_stub import demo_people, demo_work
from server_stub.config import Argon2Params
from server_stub.store import Database
from server_stub.demo_work import is_valid_bsn


def fresh_db(tmp_path, seed=1):
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = Database(tmp_path / "service.db")
    db.migrate()
    people = demo_people.build_people(seed)
    demo_people.load_people(db, people, Argon2Params.cheap())
    return db, people


def dump(db) -> list:
    conn = db.conn()
    return [
        [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in ("cases", "citizens", "case_steps", "journal_entries", "tasks", "case_supporters")
    ]


def test_same_seed_same_work(tmp_path):
    first, people = fresh_db(tmp_path / "a")
    second, _ = fresh_db(tmp_path / "b")
    other, _ = fresh_db(tmp_path / "c")
    day = __import__("datetime").date(2026, 11, 2)
    demo_work.generate(first, people, seed=7, today=day)
    demo_work.generate(second, people, seed=7, today=day)
    demo_work.generate(other, people, seed=8, today=day)
    assert dump(first) == dump(second)
    assert dump(first) != dump(other)


def test_default_demo_covers_every_worker_team_and_case_type(tmp_path):
    db, people = fresh_db(tmp_path)
    counts = demo_work.generate(db, people, seed=1)
    conn = db.conn()
    assert counts["cases"] >= 200
    assert {r[0] for r in conn.execute("SELECT name FROM case_types")} >= {
        "Wmo-maatwerkvoorziening",
        "Jeugdhulp",
        "Schuldhulpverlening",
        "Participatiewet",
    }
    workers = [u for u in people.users if u.role in ("medewerker", "superuser")]
    for user in workers:  # every case worker has cases in My Cases
        mine = conn.execute(
            "SELECT COUNT(*) FROM visibility WHERE user_id = ? AND object_type = 'case'", (user.id,)
        ).fetchone()[0]
        assert mine > 0, user.username
    for team in people.teams:  # at least two medewerkers share open tasks in the team queue
        medewerkers = [u for u in people.members(team.id) if u.role == "medewerker"]
        assert len(medewerkers) >= 2, team.id
        queued = conn.execute(
            "SELECT COUNT(*) FROM tasks WHERE team_id = ? AND status = 'queued'", (team.id,)
        ).fetchone()[0]
        assert queued >= 2, team.id
    assert conn.execute("SELECT COUNT(*) FROM cases WHERE status = 'closed'").fetchone()[0] > 0
    assert conn.execute("SELECT COUNT(*) FROM case_steps WHERE status = 'closed'").fetchone()[0] > 0
    assert conn.execute("SELECT COUNT(*) FROM tasks WHERE status = 'assigned'").fetchone()[0] > 0
    # exactly one coordinator per case, never also a supporter
    assert (
        conn.execute(
            "SELECT COUNT(*) FROM case_supporters s JOIN cases c ON c.id = s.case_id AND c.coordinator_id = s.user_id"
        ).fetchone()[0]
        == 0
    )
    for (bsn,) in conn.execute("SELECT bsn FROM citizens"):
        assert is_valid_bsn(bsn) and bsn.startswith("99")


def test_scale_puts_every_case_in_bench_my_cases_fast(tmp_path):
    db, people = fresh_db(tmp_path)
    started = time.perf_counter()
    counts = demo_work.generate(db, people, seed=1, scale=20_000)
    elapsed = time.perf_counter() - started
    assert counts["cases"] == 20_000
    assert elapsed < 60, f"20,000 cases took {elapsed:.1f} s"
    bench = people.user("bench").id
    mine = (
        db.conn()
        .execute("SELECT COUNT(*) FROM visibility WHERE user_id = ? AND object_type = 'case'", (bench,))
        .fetchone()[0]
    )
    assert mine == 20_000
    # the service side of bench's first sync: full 500-case pages that follow on from each other
    # (how fast they are is make bench's sync_initial_* metrics, not a timed test on a shared machine)
    from server_stub.store import feed, work

    view = work.viewer_for(db.conn(), bench, "medewerker", people.user("bench").organisation_id)
    cursor, seen = None, set()
    for _ in range(4):
        page = feed.pull(db.conn(), view, cursor, 500, work.now_iso())
        ids = {case["id"] for case in page["upserts"]["cases"]}
        assert len(ids) == 500 and page["has_more"] and not ids & seen
        seen |= ids
        cursor = feed.Cursor.decode(page["cursor"])


def test_scale_without_bench_account_is_refused(tmp_path):
    db, people = fresh_db(tmp_path)
    without = type(people)(
        organisations=people.organisations, teams=people.teams, users=[u for u in people.users if u.username != "bench"]
    )
    with pytest.raises(ValueError):
        demo_work.generate(db, without, seed=1, scale=10)


def test_enough_fictitious_citizen_numbers_for_100000_cases():
    # 100,000 cases have 208,951 citizens (issue 19: init crashed at ~85,000 cases); all in the 99 ranges.
    numbers = list(itertools.islice(demo_work.fictitious_bsns(), 220_000))
    assert len(set(numbers)) == 220_000
    assert all(is_valid_bsn(n) and n.startswith("99") for n in numbers[::101])
