"""Two instances of the service on one PostgreSQL database know what the other did with devices:
a device enrolled through one is let in by the other, and a device revoked through one is refused
by the other within a couple of seconds, its long-poll there ended (accounts.DeviceFollower).
Throttles, lockouts and mail are shared through the database itself (tests/server/test_postgres_mail_once.py)."""

from __future__ import annotations

import threading
import time

import pytest

from tests.server.work_client import Worker
from tests.service_fixtures import API, RunningService, mtls_client, wait_until

pytestmark = pytest.mark.postgresql


@pytest.fixture
def two(postgres_server, tmp_path):
    url = postgres_server.create_database()
    first = RunningService(tmp_path / "service", database=url, on_close=lambda: postgres_server.drop_database(url))
    first.start()
    second = RunningService.beside(first).start()
    yield first, second
    second.close()
    first.close()


def test_a_device_enrolled_and_revoked_through_one_instance_is_known_to_the_other(two):
    first, second = two
    anouk, gerrit = Worker(first, "anouk"), Worker(first, "gerrit")  # enrolled through the first
    there = mtls_client(second, anouk.http.cert_path, anouk.http.key_path)
    there.headers["Authorization"] = anouk.http.headers["Authorization"]
    try:
        # let in by the second instance at once: an unknown certificate is asked of the database
        # (a load balancer may send the first request after enrollment to any instance)
        first_contact = there.get(f"{API}/sync/changes")
        assert first_contact.status_code == 200, first_contact.text
        cursor = anouk.pull_all() and anouk.cursor
        answer = {}

        def poll():
            answer["response"] = there.get(f"{API}/sync/changes", params={"cursor": cursor, "wait": 20}, timeout=30)
            answer["at"] = time.monotonic()

        poller = threading.Thread(target=poll)
        poller.start()
        wait_until(lambda: anouk.user_id in second.app.state.feed_signal._waiters, message="the long-poll to wait")
        revoked = gerrit.http.post(f"{API}/admin/devices/{anouk.http.device_id}/revoke")  # through the first
        assert revoked.status_code == 200, revoked.text
        revoked_at = time.monotonic()
        poller.join(timeout=30)
        response = answer["response"]
        assert response.status_code == 403 and response.json()["code"] == "device-revoked", response.text
        assert answer["at"] - revoked_at < 3.0  # not the 20 s of the wait
        refused = there.get(f"{API}/sync/changes")
        assert refused.status_code == 403 and refused.json()["wipe"] is True
    finally:
        there.close()
        anouk.close()
        gerrit.close()


def test_a_change_through_one_instance_wakes_a_long_poll_waiting_on_the_other(two):
    first, second = two
    bram = Worker(second, "bram")  # waits on the second instance
    anouk = Worker(first, "anouk")  # writes through the first
    try:
        case_id = (
            first.db.conn()
            .execute(
                "SELECT c.id FROM cases c JOIN case_supporters s ON s.case_id = c.id AND s.user_id = ? "
                "WHERE c.coordinator_id = ? AND c.status = 'open' LIMIT 1",
                (bram.user_id, anouk.user_id),
            )
            .fetchone()
        )
        assert case_id is not None, "no demo case of anouk with bram as supporter"
        bram.pull_all()
        answer = {}

        def poll():
            answer["page"] = bram.pull(wait=20)
            answer["at"] = time.monotonic()

        poller = threading.Thread(target=poll)
        poller.start()
        wait_until(lambda: bram.user_id in second.app.state.feed_signal._waiters, message="the long-poll to wait")
        result = anouk.push_one("journal.add", {"case_id": case_id[0], "entry_id": "jrn-wake-1", "text": "Gebeld."})
        assert result["status"] == "applied", result
        pushed_at = time.monotonic()
        poller.join(timeout=30)
        assert [c["id"] for c in answer["page"]["upserts"]["cases"]] == [case_id[0]]
        assert answer["at"] - pushed_at < 1.0  # woken, not the 20 s of the wait
    finally:
        bram.close()
        anouk.close()
