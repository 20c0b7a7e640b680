"""On PostgreSQL one organisation's writers take turns, and different organisations' write side by
side (store/postgres.py): a signed-in user's write waits only for its own organisation's turn; a
write on nobody's behalf (a login) waits for every organisation's. The feed-order proof with two
organisations is tests/server/test_postgres_feed_order.py."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from server_stub.store.postgres import ORGANISATION_LOCK, WRITE_LOCK, organisation_key
from tests.server.work_client import Worker
from tests.service_fixtures import RunningService, login, wait_until

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def service(postgres_server, tmp_path_factory):
    url = postgres_server.create_database()
    running = RunningService(
        tmp_path_factory.mktemp("scope") / "service", database=url, on_close=lambda: postgres_server.drop_database(url)
    )
    running.start()
    yield running
    running.close()


def _open_case(service, username: str) -> str:
    row = (
        service.db.conn()
        .execute(
            "SELECT id FROM cases WHERE coordinator_id = ? AND status = 'open' ORDER BY number LIMIT 1",
            (service.user_id(username),),
        )
        .fetchone()
    )
    assert row is not None, username
    return row[0]


def _in_background(work) -> dict:
    answer: dict = {}

    def run():
        answer["value"] = work()
        answer["at"] = time.monotonic()

    answer["thread"] = threading.Thread(target=run, daemon=True)
    answer["thread"].start()
    return answer


def test_a_write_waits_for_its_own_organisations_turn_only(service):
    ilse, anouk = Worker(service, "ilse"), Worker(service, "anouk")  # voorbeeldstad, demodorp
    holder = psycopg.connect(service.database, autocommit=True)
    try:
        # Demodorp's turn, held by a transaction that does not end yet.
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock_shared(%s)", (WRITE_LOCK,))
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (ORGANISATION_LOCK, organisation_key("org-demodorp")))

        note = {"case_id": _open_case(service, "ilse"), "entry_id": "jrn-scope-1", "text": "Gebeld."}
        started = time.monotonic()
        assert ilse.push_one("journal.add", note)["status"] == "applied"  # Voorbeeldstad writes meanwhile
        assert time.monotonic() - started < 5

        note = {"case_id": _open_case(service, "anouk"), "entry_id": "jrn-scope-2", "text": "Gebeld."}
        waiting = _in_background(lambda: anouk.push_one("journal.add", note))
        time.sleep(1.0)
        assert "value" not in waiting  # Demodorp's next writer waits for the turn
        released = time.monotonic()
        holder.execute("COMMIT")
        waiting["thread"].join(10)
        assert waiting["value"]["status"] == "applied" and waiting["at"] - released < 2

        # A login (a write on nobody's behalf: sessions, lockout counters) waits for every turn,
        # Voorbeeldstad's included.
        holder.execute("BEGIN")
        holder.execute("SELECT pg_advisory_xact_lock_shared(%s)", (WRITE_LOCK,))
        holder.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", (ORGANISATION_LOCK, organisation_key("org-voorbeeldstad"))
        )
        signing_in = _in_background(lambda: login(anouk.http, "anouk", service.password("anouk")))
        time.sleep(1.0)
        assert "value" not in signing_in
        holder.execute("COMMIT")
        wait_until(lambda: "value" in signing_in, timeout=10, message="the login after the turn")
    finally:
        holder.close()
        ilse.close()
        anouk.close()


def test_a_feed_row_for_another_organisation_under_a_scope_is_refused(service):
    from server_stub.store import feed, write_scope

    token = write_scope.set("org-voorbeeldstad")
    try:
        with pytest.raises(feed.OutsideScope):
            with service.db.transaction() as conn:
                feed.publish_preferences(conn, service.user_id("anouk"))  # a Demodorp user
        with service.db.transaction() as conn:
            feed.publish_preferences(conn, service.user_id("ilse"))  # its own: fine
    finally:
        write_scope.reset(token)
