"""A desk that started offline goes online by itself (issue 14): the resume token of its last
online login, exchanged over the same device's mutual TLS for a session, once. Never for a locked,
revoked, logged-out or re-passworded account (seed L3, L4). Real service, both backends."""

from __future__ import annotations

import re
from datetime import timedelta

from server_stub.config import ThrottleConfig
from server_stub.store import to_iso, utc_now
from tests.service_fixtures import API, TEST_THROTTLES, enrolled_client, login, plain_client

WRONG = "a-wrong-password"
TEMPORARY = re.compile(r"^ {4}([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})\s*$", re.MULTILINE)


def _resume(client, token):
    client.headers.pop("Authorization", None)
    return client.post(f"{API}/sessions/resume", json={"resume_token": token})


def _refused(answer, reason: str) -> None:
    assert answer.status_code == 401, answer.text
    assert answer.json()["code"] == "resume-refused" and answer.json()["reason"] == reason, answer.text


def test_a_resume_token_gives_a_session_once_over_its_own_device_issue14(service_module):
    service = service_module
    with enrolled_client(service, "anouk") as laptop, enrolled_client(service, "anouk") as tablet:
        first = login(laptop, "anouk", service.password("anouk"))
        token = first["resume_token"]
        assert token and first["resume_expires_at"]
        # Another device of the same person cannot use it, and that spends it.
        _refused(_resume(tablet, token), "resume-ended")
        _refused(_resume(laptop, token), "resume-ended")

        token = login(laptop, "anouk", service.password("anouk"))["resume_token"]
        resumed = _resume(laptop, token)
        assert resumed.status_code == 200, resumed.text
        body = resumed.json()
        assert body["user"]["username"] == "anouk" and body["must_change_password"] is False
        assert body["resume_token"] != token  # rotated: each token works once
        laptop.headers["Authorization"] = f"Bearer {body['access_token']}"
        assert laptop.get(f"{API}/preferences").status_code == 200
        # The used one shown again means a copy is about: the new one ends with it.
        _refused(_resume(laptop, token), "resume-ended")
        _refused(_resume(laptop, body["resume_token"]), "resume-ended")
    actions = [e["action"] for e in service.audit_entries("user", service.user_id("anouk"))]
    assert "session-resumed" in actions
    # Only a hash is kept.
    assert not service.db.conn().execute("SELECT 1 FROM resume_tokens WHERE token_hash = ?", (token,)).fetchall()


def test_logout_and_a_new_password_end_the_resume_token_seed_L3(service_module):
    service = service_module
    with enrolled_client(service, "bram") as laptop, enrolled_client(service, "bram") as tablet:
        token = login(laptop, "bram", service.password("bram"))["resume_token"]
        assert laptop.delete(f"{API}/sessions/current").status_code == 204
        _refused(_resume(laptop, token), "resume-ended")

        token = login(laptop, "bram", service.password("bram"))["resume_token"]
        login(tablet, "bram", service.password("bram"))
        new_password = "een-heel-nieuw-wachtwoord-2026"
        changed = tablet.post(
            f"{API}/password", json={"current_password": service.password("bram"), "new_password": new_password}
        )
        assert changed.status_code == 200, changed.text
        _refused(_resume(laptop, token), "password-changed")


def test_a_locked_account_or_a_revoked_device_never_resumes_seed_L4(service_module):
    service = service_module
    with enrolled_client(service, "eva") as laptop, enrolled_client(service, "eva") as tablet:
        token = login(laptop, "eva", service.password("eva"))["resume_token"]
        for _ in range(11):
            tablet.post(f"{API}/sessions", json={"username": "eva", "password": WRONG})
        locked = _resume(laptop, token)
        assert locked.status_code == 423 and locked.json()["code"] == "account-locked", locked.text
        with enrolled_client(service, "gerrit", login=True) as admin:
            assert admin.post(f"{API}/admin/accounts/{service.user_id('eva')}/reactivate").status_code == 200
            _refused(_resume(laptop, token), "resume-ended")  # reactivation brings no token back

            token = login(laptop, "eva", service.password("eva"))["resume_token"]
            assert admin.post(f"{API}/admin/devices/{laptop.device_id}/revoke").status_code == 200
        revoked = _resume(laptop, token)
        assert revoked.status_code == 403 and revoked.json()["code"] == "device-revoked"
        ended = service.db.conn().execute(
            "SELECT ended_reason FROM resume_tokens WHERE device_id = ? ORDER BY created_at DESC", (laptop.device_id,)
        )
        assert ended.fetchone()[0] == "device-revoked"


def test_an_expired_token_is_refused_and_the_exchange_is_throttled_issue14(service_factory):
    throttle = ThrottleConfig(**{**TEST_THROTTLES.__dict__, "resume_per_account": 3})
    service = service_factory(config_changes={"throttle": throttle})
    with enrolled_client(service, "daan") as laptop:
        token = login(laptop, "daan", service.password("daan"))["resume_token"]
        with service.db.transaction() as tx:
            tx.execute("UPDATE resume_tokens SET expires_at = ?", (to_iso(utc_now() - timedelta(seconds=1)),))
        _refused(_resume(laptop, token), "resume-expired")
        _refused(_resume(laptop, "not-a-token"), "resume-ended")
        _refused(_resume(laptop, "not-a-token"), "resume-ended")
        throttled = _resume(laptop, "not-a-token")
        assert throttled.status_code == 429 and throttled.headers["Retry-After"], throttled.text


def test_a_temporary_password_session_carries_no_resume_token_seed_L3(service_module):
    service = service_module
    with enrolled_client(service, "joost") as laptop:
        token = login(laptop, "joost", service.password("joost"))["resume_token"]
        with plain_client(service) as anonymous:
            assert anonymous.post(f"{API}/password-resets", json={"username": "joost"}).status_code == 202
        mail = service.wait_for_mail(to="joost@voorbeeldstad.example", subject="tijdelijke wachtwoord")[0]
        temporary = TEMPORARY.search(mail.get_content()).group(1)
        session = login(laptop, "joost", temporary)
        assert session["must_change_password"] is True and session.get("resume_token") is None
        _refused(_resume(laptop, token), "password-changed")  # using the reset ended the old token
