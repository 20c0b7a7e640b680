"""The change feed against a model: after any sequence of pushed mutations by several users, what
each user holds from incremental pulls (upserts and removals) equals what the rules say they may
see now, and equals a fresh snapshot. Runs on the store directly (no network), with Hypothesis."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from server_stub import demo_people, demo_work, mutations, rules
from server_stub.config import Argon2Params
from server_stub.deps import Principal
from server_stub.store import Database, feed, work

USERS = ["anouk", "bram", "carla", "femke", "daan"]
KINDS = [
    "task.pickup",
    "task.release",
    "task.forward_team",
    "task.forward_user",
    "task.complete",
    "case.add_supporter",
    "case.remove_supporter",
    "case.set_coordinator",
    "case.close",
    "task.create_team",
    "journal.add",
]


def build(directory: Path):
    db = Database(directory / "service.db")
    db.migrate()
    people = demo_people.build_people(3)
    demo_people.load_people(db, people, Argon2Params.cheap())
    demo_work.generate(db, people, seed=3)
    return db, people


def viewer(db, people, username):
    user = people.user(username)
    return work.viewer_for(db.conn(), user.id, user.role, user.organisation_id)


def pull_into(db, view, state, cursor):
    """Apply pages to `state` ({"case": set, "task": set}) until has_more is false."""
    while True:
        conn = db.conn()
        page = feed.pull(conn, view, cursor, 50, work.now_iso())
        state["case"] |= {c["id"] for c in page["upserts"]["cases"]}
        state["task"] |= {t["id"] for t in page["upserts"]["tasks"]}
        for removal in page["removals"]:
            state.setdefault(removal["type"], set()).discard(removal["id"])
        cursor = feed.Cursor.decode(page["cursor"])
        if not page["has_more"]:
            return cursor


def expected(db, view):
    """What the rules say this user may see, computed from scratch (not from `visibility`)."""
    conn = db.conn()
    cases, tasks = set(), set()
    facts = {}
    for (case_id,) in conn.execute("SELECT id FROM cases"):
        facts[case_id] = work.case_facts(conn, case_id)
        if rules.is_case_member(view, facts[case_id]):
            cases.add(case_id)
    for (task_id,) in conn.execute("SELECT id FROM tasks"):
        task, case_id = work.task_facts(conn, task_id)
        if rules.may_see_task(view.user_id, view.team_ids, task, facts[case_id]):
            tasks.add(task_id)
    return {"case": cases, "task": tasks}


def pick(conn, sql, index, *args):
    rows = [r[0] for r in conn.execute(sql, args)]
    return rows[index % len(rows)] if rows else "missing"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(USERS), st.sampled_from(KINDS), st.integers(0, 10_000), st.sampled_from(USERS)),
        min_size=1,
        max_size=40,
    )
)
def test_incremental_feed_equals_the_rules_and_a_fresh_snapshot(operations):
    with tempfile.TemporaryDirectory() as tmp:
        db, people = build(Path(tmp))
        try:
            views = {u: viewer(db, people, u) for u in USERS}
            held = {u: {"case": set(), "task": set()} for u in USERS}
            cursors = {u: pull_into(db, views[u], held[u], None) for u in USERS}
            conn = db.conn()
            for actor, kind, index, other in operations:
                user = people.user(actor)
                other_id = people.user(other).id
                principal = Principal(
                    user.id, user.username, user.display_name, user.role, user.organisation_id, "device-test"
                )
                # choose a target among what the actor's organisation has, so most operations do something
                task_id = pick(
                    conn,
                    "SELECT t.id FROM tasks t JOIN cases c ON c.id = t.case_id "
                    "WHERE c.organisation_id = ? ORDER BY t.id",
                    index,
                    user.organisation_id,
                )
                case_id = pick(
                    conn, "SELECT id FROM cases WHERE organisation_id = ? ORDER BY id", index, user.organisation_id
                )
                payload = {
                    "task.pickup": ("task.pickup", {"task_id": task_id}),
                    "task.release": ("task.release", {"task_id": task_id}),
                    "task.complete": ("task.complete", {"task_id": task_id}),
                    "task.forward_team": ("task.forward", {"task_id": task_id, "team_id": "team-jgn"}),
                    "task.forward_user": ("task.forward", {"task_id": task_id, "user_id": other_id}),
                    "case.add_supporter": ("case.add_supporter", {"case_id": case_id, "user_id": other_id}),
                    "case.remove_supporter": ("case.remove_supporter", {"case_id": case_id, "user_id": other_id}),
                    "case.set_coordinator": ("case.set_coordinator", {"case_id": case_id, "user_id": other_id}),
                    "case.close": ("case.close", {"case_id": case_id, "outcome": "afgerond"}),
                    "task.create_team": (
                        "task.create",
                        {"task_id": str(uuid.uuid4()), "case_id": case_id, "type": "Huisbezoek", "team_id": "team-wmo"},
                    ),
                    "journal.add": ("journal.add", {"case_id": case_id, "entry_id": str(uuid.uuid4()), "text": "x"}),
                }[kind]
                mutations.apply_mutation(
                    db, principal, views[actor], str(uuid.uuid4()), payload[0], None, payload[1], work.now_iso()
                )
            for username in USERS:
                cursors[username] = pull_into(db, views[username], held[username], cursors[username])
                truth = expected(db, views[username])
                assert held[username]["case"] == truth["case"], username
                assert held[username]["task"] == truth["task"], username
                fresh = {"case": set(), "task": set()}
                pull_into(db, views[username], fresh, None)
                assert fresh == truth, username
        finally:
            db.close()


def test_changes_during_a_paged_snapshot_are_not_lost(tmp_path):
    db, people = build(tmp_path)
    try:
        carla, bram = people.user("carla"), people.user("bram")
        view = viewer(db, people, "bram")
        principal = Principal(carla.id, carla.username, carla.display_name, carla.role, carla.organisation_id, "dev")
        carla_view = viewer(db, people, "carla")
        conn = db.conn()
        mine = sorted(
            r[0]
            for r in conn.execute(
                "SELECT object_id FROM visibility WHERE user_id = ? AND object_type = 'case'", (bram.id,)
            )
        )
        joining = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM cases WHERE coordinator_id = ? AND status = 'open' AND id NOT IN "
                "(SELECT case_id FROM case_supporters WHERE user_id = ?) ORDER BY id",
                (carla.id, bram.id),
            )
        ]
        # a case bram supports on carla's side, early in id order (already sent) — to be removed
        leaving = next(
            c for c in mine if one_value(conn, "SELECT coordinator_id FROM cases WHERE id = ?", c) == carla.id
        )
        state = {"case": set(), "task": set()}
        page = feed.pull(conn, view, None, 3, work.now_iso())
        state["case"] |= {c["id"] for c in page["upserts"]["cases"]}
        cursor = feed.Cursor.decode(page["cursor"])
        # while bram's snapshot is under way, carla adds him to a case with a low id and removes him from one
        for kind, case_id in (("case.add_supporter", joining[0]), ("case.remove_supporter", leaving)):
            result = mutations.apply_mutation(
                db,
                principal,
                carla_view,
                str(uuid.uuid4()),
                kind,
                None,
                {"case_id": case_id, "user_id": bram.id},
                work.now_iso(),
            )
            assert result.result["status"] == "applied"
        pull_into(db, view, state, cursor)
        assert state["case"] == expected(db, view)["case"]
        assert joining[0] in state["case"] and leaving not in state["case"]
    finally:
        db.close()


def one_value(conn, sql, *args):
    return conn.execute(sql, args).fetchone()[0]


def test_moving_to_another_team_moves_the_queue_in_the_feed(tmp_path):
    db, people = build(tmp_path)
    try:
        bram = people.user("bram")
        state = {"case": set(), "task": set(), "team": set()}
        cursor = pull_into(db, viewer(db, people, "bram"), state, None)
        state["team"] = {"team-jgn"}
        with db.transaction() as conn:  # as an administrator's change of team membership would
            conn.execute("UPDATE team_members SET team_id = 'team-wmo' WHERE user_id = ?", (bram.id,))
            feed.publish_directory(conn, bram.organisation_id)
        view = viewer(db, people, "bram")
        page = feed.pull(db.conn(), view, cursor, 500, work.now_iso())
        assert {"type": "team", "id": "team-jgn"} in page["removals"]
        assert [t["id"] for t in page["upserts"]["teams"]] == ["team-wmo"]
        pull_into(db, view, state, cursor)
        assert state["task"] == expected(db, view)["task"]
        queued = {
            r[0] for r in db.conn().execute("SELECT id FROM tasks WHERE team_id = 'team-wmo' AND status = 'queued'")
        }
        assert queued and queued <= state["task"]
    finally:
        db.close()
