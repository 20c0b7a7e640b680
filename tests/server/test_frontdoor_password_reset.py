"""Forgot password (seed L3): a temporary password by e-mail over real SMTP, caught by the sink."""

from __future__ import annotations

import re
import socket
from datetime import timedelta

from server_stub.store import to_iso, utc_now
from tests.service_fixtures import API, enrolled_client, login, plain_client, wait_until

RESET = "tijdelijke wachtwoord"
LOCKED = "geblokkeerd"
TEMPORARY = re.compile(r"^ {4}([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})\s*$", re.MULTILINE)


def _request_reset(service, username):
    with plain_client(service) as client:
        return client.post(f"{API}/password-resets", json={"username": username})


def _temporary_password(message) -> str:
    return TEMPORARY.search(message.get_content()).group(1)


def _login(client, username, password):
    return client.post(f"{API}/sessions", json={"username": username, "password": password})


def test_forgot_password_end_to_end_seed_L3(service):
    laptop = enrolled_client(service, "anouk")
    other = enrolled_client(service, "anouk", login=True)
    with laptop, other:
        assert _request_reset(service, "anouk").status_code == 202
        message = service.wait_for_mail(to="anouk@demodorp.example", subject=RESET)[0]
        assert list(service.layout.mail.glob("*.eml")), "the sink stores each message as an .eml file"
        temporary = _temporary_password(message)

        # The old password keeps working until the temporary one is used.
        assert _login(laptop, "anouk", service.password("anouk")).status_code == 200
        session = login(laptop, "anouk", temporary)
        assert session["must_change_password"] is True
        # A temporary-password session allows nothing but choosing a definitive password.
        blocked = laptop.get(f"{API}/devices/current/escrow")
        assert blocked.status_code == 403 and blocked.json()["code"] == "password-change-required"
        # Used once: neither it nor the old password opens the account any more.
        assert _login(laptop, "anouk", temporary).json()["code"] == "invalid-credentials"
        assert _login(laptop, "anouk", service.password("anouk")).json()["code"] == "invalid-credentials"

        too_short = laptop.post(f"{API}/password", json={"new_password": "kort"})
        assert too_short.status_code == 422 and too_short.json()["code"] == "password-policy"
        common = laptop.post(f"{API}/password", json={"new_password": "Welkom123456"})
        assert common.json()["invalidParams"] == [{"name": "new_password", "reason": "too-common"}]

        fresh = laptop.post(f"{API}/password", json={"new_password": "lange zin zonder regels"})
        assert fresh.status_code == 200 and fresh.json()["must_change_password"] is False
        laptop.headers["Authorization"] = f"Bearer {fresh.json()['access_token']}"
        assert laptop.get(f"{API}/devices/current/escrow").status_code == 200
        # Choosing the password ended the account's other sessions.
        assert other.get(f"{API}/devices/current/escrow").json()["code"] == "unauthenticated"
    with enrolled_client(service, "anouk", password="lange zin zonder regels", login=True) as again:
        assert again.session["user"]["username"] == "anouk"


def test_temporary_password_expires(service):
    with enrolled_client(service, "bram") as client:
        _request_reset(service, "bram")
        temporary = _temporary_password(service.wait_for_mail(to="bram@", subject=RESET)[0])
        with service.db.transaction() as conn:
            conn.execute("UPDATE password_resets SET expires_at = ?", (to_iso(utc_now() - timedelta(seconds=1)),))
        assert _login(client, "bram", temporary).json()["code"] == "invalid-credentials"


def test_temporary_password_does_not_unlock_a_locked_account_seed_L3_L4(service):
    with enrolled_client(service, "carla") as client:
        _request_reset(service, "carla")
        temporary = _temporary_password(service.wait_for_mail(to="carla@", subject=RESET)[0])
        for _ in range(11):
            _login(client, "carla", "a-wrong-password")
        assert _login(client, "carla", temporary).json()["code"] == "account-locked"
        # A new request while locked mails who can reactivate, not a password.
        _request_reset(service, "carla")
        locked_mail = service.wait_for_mail(to="carla@", subject=LOCKED)[-1]
    assert "geblokkeerd" in locked_mail["Subject"]
    assert "085-4899080" in locked_mail.get_content()
    assert not TEMPORARY.search(locked_mail.get_content())


def test_reset_answer_is_identical_for_unknown_and_known_users_seed_L3(service):
    answers = [_request_reset(service, name) for name in ("daan", "nobody-by-this-name", "daan ")]
    assert {a.status_code for a in answers} == {202}
    assert len({a.content for a in answers}) == 1
    service.wait_for_mail(to="daan@", subject=RESET, count=2)
    service.context.db.flush_audit()
    assert all("nobody" not in str(m["To"]) for m in service.mailbox())
    assert len(service.mail_matching(subject=RESET)) == 2


def test_undeliverable_mail_waits_in_the_outbox_and_never_fails_the_request(service):
    mailer = service.context.mailer
    sink_port = mailer.port
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        mailer.port = closed.getsockname()[1]  # nothing listens here
    assert _request_reset(service, "eva").status_code == 202
    wait_until(
        lambda: (
            service.db.conn()
            .execute(
                "SELECT attempts FROM mail_outbox WHERE sent_at IS NULL AND attempts > 0 AND subject LIKE '%tijdelijke%'"
            )
            .fetchone()
        ),
        message="a failed attempt",
    )
    assert service.mail_matching(subject=RESET) == []
    mailer.port = sink_port
    message = service.wait_for_mail(to="eva@", subject=RESET, timeout=15)[0]
    assert _temporary_password(message)
    # The sink has the message before the mailer records the delivery: wait for that record.
    sent = "SELECT body, sent_at FROM mail_outbox WHERE subject LIKE '%tijdelijke%' AND sent_at IS NOT NULL"
    wait_until(lambda: service.db.conn().execute(sent).fetchone(), message="the delivery recorded")
    assert service.db.conn().execute(sent).fetchone()["body"] is None  # the password does not linger


def test_reset_requests_are_throttled_per_account(service):
    for _ in range(5):
        assert _request_reset(service, "femke").status_code == 202
    service.wait_for_mail(to="femke@", subject=RESET, count=3)
    wait_until(
        lambda: any(
            e["action"] == "password-reset-throttled" for e in service.audit_entries("user", service.user_id("femke"))
        ),
        message="throttle",
    )
    assert len(service.mail_matching(to="femke@", subject=RESET)) == 3


def test_changing_password_on_a_normal_session_needs_the_current_one(service_module):
    with enrolled_client(service_module, "joost", login=True) as client:
        refused = client.post(f"{API}/password", json={"new_password": "een heel nieuw wachtwoord"})
        assert refused.status_code == 403
        ok = client.post(
            f"{API}/password",
            json={"new_password": "een heel nieuw wachtwoord", "current_password": service_module.password("joost")},
        )
        assert ok.status_code == 200
