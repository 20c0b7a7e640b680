"""apply_page: one page and its cursor in one transaction; dirty rows are kept; bad pages change nothing."""

from __future__ import annotations

import json

import pytest

from tests.client.factories import ME, make_case, make_page, make_task
from desktop.cache import MalformedPage, apply_page, purge, transaction
from desktop.cache import queries


def _snapshot(conn) -> dict:
    tables = (
        "cases",
        "case_docs",
        "tasks",
        "teams",
        "case_types",
        "colleagues",
        "preferences",
        "organisation",
        "sync_state",
        "outbox",
        "unprocessed",
    )
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def _queue_local_change(conn, case_id: str, text: str) -> None:
    """What the sync engine does for an offline note: outbox row + dirty mark in one transaction."""
    with transaction(conn):
        conn.execute(
            "INSERT INTO outbox (id, kind, case_id, payload, base_version, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                f"m-{case_id}",
                "journal.add",
                case_id,
                json.dumps({"case_id": case_id, "text": text}),
                1,
                "2026-11-27T10:00:00Z",
            ),
        )
        conn.execute("UPDATE cases SET dirty = dirty + 1 WHERE id = ?", (case_id,))


def test_page_is_applied_with_its_cursor(cache_conn):
    result = apply_page(
        cache_conn,
        make_page(
            cursor="c-9",
            cases=[make_case(1), make_case(2, role="supporter"), make_case(3, role="none")],
            tasks=[make_task(1)],
            teams=[
                {
                    "id": "t-1",
                    "name": "Wijkteam Noord",
                    "organisation_id": "org-1",
                    "members": [{"id": "u-me", "display_name": "Fleur van Veld"}],
                }
            ],
            case_types=[{"id": "ct-jeugd", "name": "Jeugdhulp"}],
            colleagues=[{"id": "u-7", "display_name": "Karin Bos", "team_ids": ["t-1"]}],
            preferences=[
                {
                    "team_queue_email": {"t-1": True},
                    "email_on_assigned": True,
                    "email_on_added_to_case": False,
                    "desktop_notifications": True,
                    "version": 4,
                }
            ],
            organisation=[{"contacts": {}, "offline_lock_hours": 48, "offline_wipe_days": 30, "auto_lock_minutes": 10}],
        ),
    )
    assert result.upserted["cases"] == 3 and result.upserted["tasks"] == 1
    assert queries.sync_state(cache_conn).cursor == "c-9"
    assert queries.last_sync_time(cache_conn) == "2026-11-27T12:00:00Z"
    assert {r.id: r.my_role for r in queries.my_cases(cache_conn)} == {"c-1": "coordinator", "c-2": "supporter"}
    assert queries.count_my_cases(cache_conn) == 2  # c-3 is visible but not mine
    assert queries.preferences(cache_conn)["version"] == 4
    assert queries.organisation_settings(cache_conn)["offline_lock_hours"] == 48
    assert [t.name for t in queries.teams(cache_conn)] == ["Wijkteam Noord"]
    assert queries.colleagues(cache_conn)[0].team_ids == ["t-1"]
    assert queries.case_types(cache_conn) == [("ct-jeugd", "Jeugdhulp")]


def test_apply_page_is_idempotent(cache_conn):
    page = make_page(cursor="c-1", cases=[make_case(i) for i in range(5)], tasks=[make_task(1)])
    apply_page(cache_conn, page)
    first = _snapshot(cache_conn)
    apply_page(cache_conn, page)
    assert _snapshot(cache_conn) == first


def test_failure_mid_page_applies_nothing(cache_conn):
    apply_page(cache_conn, make_page(cursor="before", cases=[make_case(1)]))
    before = _snapshot(cache_conn)
    # A real database error after the cases were written, while the tasks are written.
    cache_conn.execute(
        "CREATE TEMP TRIGGER fail_tasks BEFORE INSERT ON main.tasks BEGIN SELECT RAISE(ABORT, 'simulated failure'); END"
    )
    page = make_page(
        cursor="after",
        cases=[make_case(1, version=2), make_case(2)],
        tasks=[make_task(1)],
        removals=[{"type": "case", "id": "c-1"}],
    )
    with pytest.raises(Exception, match="simulated failure"):
        apply_page(cache_conn, page)
    assert not cache_conn.in_transaction
    assert _snapshot(cache_conn) == before
    cache_conn.execute("DROP TRIGGER fail_tasks")
    apply_page(cache_conn, page)
    assert queries.sync_state(cache_conn).cursor == "after"


def test_pulled_row_never_overwrites_unsent_changes(cache_conn):
    apply_page(cache_conn, make_page(cases=[make_case(1)], tasks=[make_task(1)]))
    _queue_local_change(cache_conn, "c-1", "mijn notitie")
    cache_conn.execute("UPDATE tasks SET dirty = 1, status = 'assigned', assignee_id = 'u-me' WHERE id = 'task-1'")
    newer_case = make_case(1, version=5)
    newer_case["status"] = "closed"
    result = apply_page(
        cache_conn, make_page(cursor="c-2", cases=[newer_case, make_case(2)], tasks=[make_task(1, version=3)])
    )
    assert sorted(result.skipped_dirty) == ["c-1", "task-1"]
    detail = queries.case_detail(cache_conn, "c-1")
    assert detail.case["version"] == 1 and detail.case["status"] == "open"
    assert queries.task(cache_conn, "task-1").status == "assigned"
    assert queries.case_detail(cache_conn, "c-2") is not None
    assert queries.sync_state(cache_conn).cursor == "c-2"


def test_older_version_does_not_replace_newer(cache_conn):
    apply_page(cache_conn, make_page(cases=[make_case(1, version=3)]))
    apply_page(cache_conn, make_page(cases=[make_case(1, version=2, status="closed")]))
    detail = queries.case_detail(cache_conn, "c-1")
    assert detail.case["version"] == 3 and detail.case["status"] == "open"


def test_removal_purges_case_and_keeps_unsent_text(cache_conn):
    apply_page(cache_conn, make_page(cases=[make_case(1), make_case(2)]))
    _queue_local_change(cache_conn, "c-1", "notitie die nog niet verstuurd was")
    result = apply_page(cache_conn, make_page(cursor="c-3", removals=[{"type": "case", "id": "c-1"}]))
    assert result.removed == 1
    assert queries.case_detail(cache_conn, "c-1") is None
    assert cache_conn.execute("SELECT count(*) FROM case_docs WHERE id = 'c-1'").fetchone()[0] == 0
    assert queries.outbox_count(cache_conn) == 0
    [kept] = queries.unprocessed_changes(cache_conn)
    assert kept.payload["text"] == "notitie die nog niet verstuurd was"
    assert (kept.status, kept.reason) == ("removed", "removed-from-view")
    assert [r.id for r in queries.my_cases(cache_conn)] == ["c-2"]


def test_purge_tasks_and_teams(cache_conn):
    apply_page(
        cache_conn,
        make_page(
            tasks=[make_task(1), make_task(2)],
            teams=[{"id": "t-1", "name": "Noord", "organisation_id": "o", "members": []}],
        ),
    )
    assert purge(cache_conn, "task", ["task-1", "task-unknown"]) == 1
    assert [t.id for t in queries.team_queue(cache_conn)] == ["task-2"]
    assert purge(cache_conn, "team", ["t-1"]) == 1
    # The task stays in the cache, but a team the user left is no Werkbak of theirs (issue 14).
    assert queries.task(cache_conn, "task-2") is not None and queries.team_queue(cache_conn) == []
    assert queries.teams(cache_conn) == []


@pytest.mark.parametrize(
    "breakage",
    [
        lambda p: p.pop("cursor"),
        lambda p: p.update(has_more="yes"),
        lambda p: p["upserts"].update(surprise=[]),
        lambda p: p["upserts"]["cases"][1].pop("number"),
        lambda p: p["upserts"]["cases"][1].update(status="deleted"),
        lambda p: p["upserts"]["cases"][1]["citizens"].append("not an object"),
        lambda p: p["upserts"]["cases"][1].update(version="2"),
        lambda p: p["upserts"]["tasks"][0].update(via_team_queue=1),
        lambda p: p["removals"].append({"type": "group", "id": "g-1"}),
        lambda p: p["removals"].append({"type": "case", "id": 7}),
        lambda p: p.update(upserts=[]),
    ],
)
def test_malformed_page_changes_nothing(cache_conn, breakage):
    apply_page(cache_conn, make_page(cursor="good", cases=[make_case(1)]))
    before = _snapshot(cache_conn)
    page = make_page(
        cursor="bad",
        cases=[make_case(1, version=2), make_case(2)],
        tasks=[make_task(1)],
        removals=[{"type": "case", "id": "c-1"}],
    )
    breakage(page)
    with pytest.raises(MalformedPage) as raised:
        apply_page(cache_conn, page)
    assert _snapshot(cache_conn) == before
    # The message says where, never what: no names or numbers from the page.
    for citizen in page["upserts"]["cases"][0]["citizens"] if isinstance(page.get("upserts"), dict) else []:
        assert citizen["name"] not in str(raised.value)


def test_offline_reads_are_recorded_in_order(cache_conn):
    from desktop.cache.writes import delete_offline_reads, record_offline_read, take_offline_reads

    record_offline_read(cache_conn, "c-1", "2026-11-27T10:00:00Z")
    record_offline_read(cache_conn, "c-2")
    reads = take_offline_reads(cache_conn)
    assert [r["case_id"] for r in reads] == ["c-1", "c-2"]
    assert reads[0]["opened_at"] == "2026-11-27T10:00:00Z" and reads[1]["opened_at"].endswith("Z")
    delete_offline_reads(cache_conn, reads[0]["seq"])
    assert [r["case_id"] for r in take_offline_reads(cache_conn)] == ["c-2"]


def test_my_role_follows_the_cache_owner(cache_conn):
    other = dict(ME, id="u-other")
    apply_page(cache_conn, make_page(cases=[make_case(1, role="coordinator", me=other)]))
    assert queries.count_my_cases(cache_conn) == 0


def test_a_page_before_the_user_is_known_is_refused(profile, data_key):
    from desktop.cache import NoCacheUser, close_cache, open_cache

    profile.ensure_dir()
    conn = open_cache(profile.cache_path, data_key, create=True)
    with pytest.raises(NoCacheUser):
        apply_page(conn, make_page(cases=[make_case(1)]))
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    close_cache(conn)


def test_malformed_page_message_names_the_field_not_the_value(cache_conn):
    case = make_case(1)
    del case["number"]
    with pytest.raises(MalformedPage, match=r"cases\[0\].*'number'"):
        apply_page(cache_conn, make_page(cases=[case]))
