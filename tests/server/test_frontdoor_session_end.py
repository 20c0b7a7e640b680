"""What ends a session: locking the account (seed L4), a new password (seed L3), and what
reactivation does not bring back. Real service over mutual TLS on loopback."""

from __future__ import annotations

import threading
import uuid

from tests.server.work_client import Worker, case_of
from tests.service_fixtures import API, enrolled_client, login, wait_until

WRONG = "a-wrong-password"


def _login(client, username, password):
    return client.post(f"{API}/sessions", json={"username": username, "password": password})


def _lock(client, username):
    answers = [_login(client, username, WRONG).json()["code"] for _ in range(11)]
    assert answers[-1] == "account-locked"


def test_lock_refuses_tokens_issued_before_it_with_account_locked_seed_L4(service):
    with enrolled_client(service, "bram", login=True) as laptop, enrolled_client(service, "bram") as tablet:
        assert laptop.get(f"{API}/preferences").status_code == 200
        _lock(tablet, "bram")
        for method, path in [("GET", "/preferences"), ("GET", "/devices/current/escrow"), ("GET", "/sync/changes")]:
            refused = laptop.request(method, API + path)
            assert refused.status_code == 423, (path, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"
            body = refused.json()
            assert body["code"] == "account-locked"
            assert body["contacts"]["helpdesk"]["phone"] == "085-4899080"
            assert body["contacts"]["local_admin"]["name"]
        pushed = laptop.post(f"{API}/sync/push", json={"mutations": []})
        assert pushed.status_code == 423
    ended = [e for e in service.audit_entries("user", service.user_id("bram")) if e["action"] == "account-locked"]
    assert ended and '"sessions_ended": 1' in ended[0]["detail"]


def test_a_long_poll_waiting_when_the_account_locks_sends_nothing_seed_L4(service):
    """A pull that was let in before the lock and woken by a change after it answers account-locked."""
    anouk, bram = Worker(service, "anouk"), Worker(service, "bram")
    try:
        anouk.pull_all()
        answer = {}
        poller = threading.Thread(
            target=lambda: answer.setdefault(
                "response",
                anouk.http.get(f"{API}/sync/changes", params={"cursor": anouk.cursor, "wait": 20}, timeout=30),
            )
        )
        poller.start()
        waiting = lambda: anouk.user_id in getattr(service.app.state, "feed_signal", None)._waiters  # noqa: E731
        wait_until(lambda: hasattr(service.app.state, "feed_signal") and waiting(), message="the long-poll to wait")
        with enrolled_client(service, "anouk") as tablet:
            _lock(tablet, "anouk")
        task_id = str(uuid.uuid4())
        created = bram.push_one(
            "task.create",
            {
                "task_id": task_id,
                "case_id": case_of(service, "bram"),
                "type": "Huisbezoek",
                "assignee_id": anouk.user_id,
            },
        )
        assert created["status"] == "applied"
        poller.join(timeout=30)
        response = answer["response"]
        assert response.status_code == 423 and response.json()["code"] == "account-locked", response.text
        assert task_id not in response.text
    finally:
        anouk.close()
        bram.close()


def test_locked_token_over_another_device_still_says_only_mismatch_seed_L4(service):
    """The lock is told only over the device the token belongs to."""
    with enrolled_client(service, "carla", login=True) as laptop, enrolled_client(service, "carla") as tablet:
        _lock(tablet, "carla")
        borrowed = tablet.get(f"{API}/preferences", headers={"Authorization": laptop.headers["Authorization"]})
    assert borrowed.status_code == 401 and "contacts" not in borrowed.json()


def test_reactivation_does_not_resurrect_old_tokens_seed_L4(service):
    with enrolled_client(service, "eva", login=True) as laptop, enrolled_client(service, "eva") as tablet:
        old_token = laptop.headers["Authorization"]
        _lock(tablet, "eva")
        with enrolled_client(service, "gerrit", login=True) as admin:
            assert admin.post(f"{API}/admin/accounts/{service.user_id('eva')}/reactivate").status_code == 200
        after = laptop.get(f"{API}/preferences", headers={"Authorization": old_token})
        assert after.status_code == 401 and after.json()["code"] == "unauthenticated"
        # A fresh login works again on the same device.
        login(laptop, "eva", service.password("eva"))
        assert laptop.get(f"{API}/preferences").status_code == 200


def test_reactivation_ends_sessions_left_by_a_lock_from_before_seed_L4(service):
    """An account locked directly in the database (as an older service did) keeps no live token."""
    with enrolled_client(service, "ilse", login=True) as laptop:
        with service.db.transaction() as conn:
            conn.execute(
                "UPDATE users SET locked_at = '2026-01-01T00:00:00Z', failed_logins = 11 WHERE id = ?",
                (service.user_id("ilse"),),
            )
        assert laptop.get(f"{API}/preferences").json()["code"] == "account-locked"
        with enrolled_client(service, "hanna", login=True) as helpdesk:
            assert helpdesk.post(f"{API}/admin/accounts/{service.user_id('ilse')}/reactivate").status_code == 200
        assert laptop.get(f"{API}/preferences").json()["code"] == "unauthenticated"


def test_changing_the_password_ends_the_other_sessions_seed_L3(service):
    with enrolled_client(service, "daan", login=True) as laptop, enrolled_client(service, "daan", login=True) as tablet:
        changed = laptop.post(
            f"{API}/password",
            json={"new_password": "een heel nieuwe zin", "current_password": service.password("daan")},
        )
        assert changed.status_code == 200
        laptop.headers["Authorization"] = f"Bearer {changed.json()['access_token']}"
        assert laptop.get(f"{API}/preferences").status_code == 200
        other = tablet.get(f"{API}/preferences")
        assert other.status_code == 401 and other.json()["code"] == "unauthenticated"
