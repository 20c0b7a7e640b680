"""Issue 13, the account holes: every wrong password counts (2), a temporary password never becomes
the definitive one (3), failed logins reveal nothing (4), throttles that hold under a burst (5),
private files at rest (10), no TLS resumption around certificate checks (12).
All against the real service over mutual TLS on loopback."""

from __future__ import annotations

import os
import re
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest

from server_stub.config import Argon2Params, ThrottleConfig, load_config, save_config
from server_stub.store import accounts as account_store
from server_stub.store import from_iso, to_iso, utc_now
from tests.service_fixtures import API, enrolled_client, make_csr, plain_client, wait_until

RESET = "tijdelijke wachtwoord"
TEMPORARY = re.compile(r"^ {4}([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})\s*$", re.MULTILINE)
WRONG = "a-wrong-password"


def _login(client, username, password):
    return client.post(f"{API}/sessions", json={"username": username, "password": password})


def _change(client, new_password, current_password=None):
    body = {"new_password": new_password}
    if current_password is not None:
        body["current_password"] = current_password
    return client.post(f"{API}/password", json=body)


def _enroll(service, username, password, code):
    _, csr = make_csr()
    with plain_client(service) as anonymous:
        return anonymous.post(
            f"{API}/enrollments", json={"username": username, "password": password, "code": code, "csr": csr}
        )


def _user_row(service, username):
    return account_store.user_by_id(service.db.conn(), service.user_id(username))


def _restart_with(service, **changes):
    """Stop the service, change its config.json, and start it again on the same port."""
    service.stop()
    save_config(service.data_dir, replace(load_config(service.data_dir), **changes))
    service.start()


class _VerifyCounter:
    """Counts the service's Argon2 verifications (each still runs for real)."""

    def __init__(self, hasher):
        self.count = 0
        original = hasher.verify

        def counting(password, phc):
            self.count += 1
            return original(password, phc)

        hasher.verify = counting


# --- item 2: every wrong password counts ---------------------------------------------------


def test_wrong_current_password_counts_with_logins_and_the_11th_locks_item_2(service_module):
    service = service_module
    with enrolled_client(service, "anouk", login=True) as laptop, enrolled_client(service, "anouk") as tablet:
        for _ in range(5):
            assert _login(tablet, "anouk", WRONG).json()["code"] == "invalid-credentials"
        answers = [_change(laptop, "een-heel-nieuw-wachtwoord", current_password=WRONG) for _ in range(6)]
        assert [a.json()["code"] for a in answers] == ["invalid-credentials"] * 5 + ["account-locked"]
        assert answers[-1].status_code == 423 and answers[-1].json()["contacts"]["helpdesk"]
        # As a login's 11th failure does: the account is locked and its sessions are over.
        assert _user_row(service, "anouk")["locked_at"] is not None
        assert laptop.get(f"{API}/devices/current/escrow").json()["code"] == "account-locked"
        assert _login(tablet, "anouk", service.password("anouk")).json()["code"] == "account-locked"
    ended = [e for e in service.audit_entries("user", service.user_id("anouk")) if e["action"] == "account-locked"]
    assert ended and '"sessions_ended": 1' in ended[-1]["detail"]


def test_enrollment_checks_the_code_before_the_password_item_2(service_module):
    service = service_module
    # Without a valid code nothing is checked or counted: knowing a username locks nothing.
    for _ in range(15):
        assert _enroll(service, "bram", WRONG, "AAAA-BBBB-CCCC-DDDD").json()["code"] == "enrollment-failed"
    assert _user_row(service, "bram")["failed_logins"] == 0
    other_users_code = service.enroll_code("carla")
    assert _enroll(service, "bram", WRONG, other_users_code).json()["code"] == "enrollment-failed"
    assert _user_row(service, "bram")["failed_logins"] == 0
    # With a valid code a wrong password counts, and the 11th locks as a login would.
    code = service.enroll_code("bram")
    answers = [_enroll(service, "bram", WRONG, code) for _ in range(11)]
    assert {a.json()["code"] for a in answers} == {"enrollment-failed"}
    row = _user_row(service, "bram")
    assert row["failed_logins"] == 11 and row["locked_at"] is not None
    # Locked: even the right password and a valid code enroll nothing.
    assert _enroll(service, "bram", service.password("bram"), code).status_code == 400


# --- item 3: a temporary password never becomes the definitive one ---------------------------


def test_definitive_password_differs_from_temporary_and_current_item_3(service_module):
    service = service_module
    with enrolled_client(service, "daan", login=True) as laptop:
        refused = _change(laptop, service.password("daan"), current_password=service.password("daan"))
        assert refused.status_code == 422 and refused.json()["code"] == "password-policy"
        assert refused.json()["invalidParams"] == [{"name": "new_password", "reason": "same-as-current"}]

        with plain_client(service) as anonymous:
            assert anonymous.post(f"{API}/password-resets", json={"username": "daan"}).status_code == 202
        message = service.wait_for_mail(to="daan@", subject=RESET)[0]
        temporary = TEMPORARY.search(message.get_content()).group(1)
        laptop.headers.pop("Authorization")
        session = _login(laptop, "daan", temporary).json()
        assert session["must_change_password"] is True
        laptop.headers["Authorization"] = f"Bearer {session['access_token']}"
        refused = _change(laptop, temporary)
        assert refused.status_code == 422
        assert refused.json()["invalidParams"] == [{"name": "new_password", "reason": "same-as-temporary"}]
        assert _change(laptop, "mijn-eigen-nieuwe-wachtwoord").status_code == 200


# --- item 4: login reveals nothing -----------------------------------------------------------

# Costly enough that one Argon2 verification (about 12 ms here) stands out of the 10 ms margin,
# cheap enough that the noise of a loaded 2-core machine stays well inside it.
TIMING_ARGON2 = Argon2Params(memory_cost_kib=8192, iterations=2, lanes=1)
TIMING_ROUNDS = 24
TIMING_BATCHES = 3  # a real leak (one verification fewer) fails every batch; a load spike, one


def _timed_batch(device, cases: dict) -> tuple[dict, dict]:
    """TIMING_ROUNDS interleaved tries of every case: (median ms per case, answers seen per case)."""
    times = {name: [] for name in cases}
    answers = {name: set() for name in cases}
    for round_ in range(TIMING_ROUNDS):
        names = list(cases)
        names = names[round_ % len(names) :] + names[: round_ % len(names)]  # rotate who goes first
        for name in names:
            started = time.perf_counter()
            response = _login(device, cases[name], WRONG)
            times[name].append(time.perf_counter() - started)
            answers[name].add((response.status_code, response.headers["content-type"], response.text))
    return {name: statistics.median(samples) * 1000 for name, samples in times.items()}, answers


def test_failed_logins_look_and_take_the_same_whatever_the_reason_item_4(service_factory):
    service = service_factory(config_changes={"lockout_threshold": 1000})
    _restart_with(service, argon2=TIMING_ARGON2)  # the dummy hash of unknown users gets this cost
    hasher = service.context.accounts.hasher
    with service.context.db.transaction() as tx:  # the real users' hashes too, as in production
        for username in ("anouk", "bram"):
            account_store.set_password(
                tx,
                service.user_id(username),
                hasher.hash(service.password(username)),
                must_change=False,
                now=to_iso(utc_now()),
            )
    cases = {"unknown user": "niemand-bekend", "wrong password": "anouk", "not this device's user": "bram"}
    spreads = []
    with enrolled_client(service, "anouk") as device:
        for username in cases.values():
            _login(device, username, WRONG)  # warm up the connection and caches
        for _ in range(TIMING_BATCHES):
            medians, answers = _timed_batch(device, cases)
            # The same status, code and body for every reason, every time.
            assert all(len(seen) == 1 for seen in answers.values()), answers
            assert len({next(iter(seen)) for seen in answers.values()}) == 1, answers
            spreads.append((max(medians.values()) - min(medians.values()), medians))
            if spreads[-1][0] < 10:
                break
        # Only after a correct password may the service say the device is someone else's.
        other = _login(device, "bram", service.password("bram"))
    status, _, body = next(iter(answers["unknown user"]))
    assert status == 401 and '"code":"invalid-credentials"' in body
    assert min(spread for spread, _ in spreads) < 10, spreads
    assert other.status_code == 403 and "ander account" in other.json()["detail"]


# --- item 5: throttles that hold under a burst -----------------------------------------------


def test_forgot_password_mail_limit_holds_for_a_concurrent_burst_item_5(service_factory):
    service = service_factory()
    _restart_with(service, argon2=Argon2Params())  # production cost: slow hashing widens any race
    start = threading.Barrier(12)

    def ask():
        with plain_client(service) as anonymous:
            start.wait()
            anonymous.post(f"{API}/password-resets", json={"username": "eva"})

    threads = [threading.Thread(target=ask) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def handled():
        actions = [e["action"] for e in service.audit_entries("user", service.user_id("eva"))]
        done = [a for a in actions if a in ("password-reset-issued", "password-reset-throttled")]
        return actions if len(done) == 12 else None

    actions = wait_until(handled, timeout=30, message="all 12 reset requests handled")
    assert actions.count("password-reset-issued") == 3
    assert len(service.wait_for_mail(to="eva@", subject=RESET, count=3)) == 3
    rows = (
        service.db.conn()
        .execute("SELECT count(*) FROM password_resets WHERE user_id = ?", (service.user_id("eva"),))
        .fetchone()[0]
    )
    assert rows == 3


SMALL_THROTTLES = ThrottleConfig(
    window_seconds=86400,
    login_per_source=10,
    login_per_account=3,
    enrollment_per_source=20,
    enrollment_per_account=3,
    password_reset_per_source=20,
    password_reset_per_account=3,
)


def _assert_throttled(response):
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "too-many-requests"
    assert 0 < int(response.headers["retry-after"]) <= 86400
    return response.json()


def test_login_enrollment_and_reset_are_throttled_per_account_and_source_item_5(service_factory):
    service = service_factory(config_changes={"throttle": SMALL_THROTTLES})
    verifications = _VerifyCounter(service.context.accounts.hasher)
    with enrolled_client(service, "femke") as device:
        # Per account, keyed on the username as typed (normalised), whether or not it exists.
        for username in ("joost", "niemand-bekend"):
            for typed in (username, f" {username.upper()} ", username):
                assert _login(device, typed, WRONG).json()["code"] == "invalid-credentials"
        before = verifications.count
        existing = _assert_throttled(_login(device, "joost", service.password("joost")))
        unknown = _assert_throttled(_login(device, "niemand-bekend", WRONG))
        assert existing == unknown  # a 429 says nothing about which accounts exist
        assert verifications.count == before  # a throttled request costs no Argon2
        # Per source: 8 attempts so far from this address; two more for fresh usernames reach its limit.
        assert _login(device, "eerste-ander", WRONG).status_code == 401
        assert _login(device, "tweede-ander", WRONG).status_code == 401
        _assert_throttled(_login(device, "derde-ander", WRONG))

    for username in ("karim", "niemand-anders"):
        for _ in range(3):
            assert _enroll(service, username, WRONG, "AAAA-BBBB-CCCC-DDDD").status_code == 400
        _assert_throttled(_enroll(service, username, WRONG, "AAAA-BBBB-CCCC-DDDD"))
    # 9 enrollments from this address so far (femke's included); fresh usernames fill it to 20.
    for n in range(11):
        assert _enroll(service, f"naam-{n}", WRONG, "AAAA-BBBB-CCCC-DDDD").status_code == 400
    _assert_throttled(_enroll(service, "nog-een-naam", WRONG, "AAAA-BBBB-CCCC-DDDD"))

    with plain_client(service) as anonymous:

        def reset(username):
            return anonymous.post(f"{API}/password-resets", json={"username": username})

        for username in ("mees", "niemand-derde"):
            for _ in range(3):
                assert reset(username).status_code == 202
            _assert_throttled(reset(username))
        for n in range(12):
            assert reset(f"naam-{n}").status_code == 202
        _assert_throttled(reset("nog-een-naam"))


# --- item 10: files at rest on the service ---------------------------------------------------


@pytest.mark.sqlite_only  # the modes of service.db and its -wal/-shm
def test_data_dir_database_and_mail_are_private_whatever_the_umask_item_10(service_factory):
    old_umask = os.umask(0)
    try:
        service = service_factory()
        with plain_client(service) as anonymous:
            assert anonymous.post(f"{API}/password-resets", json={"username": "ilse"}).status_code == 202
        service.wait_for_mail(to="ilse@", subject=RESET)
    finally:
        os.umask(old_umask)

    def mode(path):
        return oct(path.stat().st_mode & 0o777)

    root, db = service.data_dir, service.layout.database
    assert mode(root) == oct(0o700)
    assert mode(service.layout.mail) == oct(0o700)
    side_files = [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm")]
    assert all(path.exists() for path in side_files)  # the service has the database open
    for path in [db, *side_files, service.layout.config, *service.layout.mail.iterdir()]:
        assert mode(path) == oct(0o600), path.name

    # `run` refuses a DATA_DIR that others may read, and says how to fix it.
    service.stop()
    os.chmod(root, 0o750)
    refused = subprocess.run(
        [sys.executable, "-m", "server_stub", "run", str(root), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2, refused.stdout
    assert "chmod 700" in refused.stderr and "Traceback" not in refused.stderr


# --- item 12: no TLS resumption past the certificate checks ----------------------------------


def _device_context(service, client) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(service.ca_path))
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.load_cert_chain(str(client.cert_path), str(client.key_path))
    return context


def _get_over_tls(service, context, session=None):
    """GET /devices/current on a fresh connection: (status or None if refused, TLS session, reused)."""
    raw = socket.create_connection((service.host, service.port), timeout=5)
    try:
        tls = context.wrap_socket(raw, server_hostname="localhost", session=session)
    except (ssl.SSLError, OSError):
        raw.close()
        return None, None, False
    with tls:
        try:
            tls.sendall(b"GET /api/v1/devices/current HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
        except (ssl.SSLError, OSError):
            return None, None, tls.session_reused
        status = int(answer.split(b" ", 2)[1]) if answer else None
        return status, tls.session, tls.session_reused


def test_expired_or_revoked_certificate_cannot_resume_a_session_item_12(service_factory):
    service = service_factory(config_changes={"device_certificate_days": 5 / 86400})  # 5-second certificates
    with enrolled_client(service, "mees") as revoked:
        context = _device_context(service, revoked)
        status, session, _ = _get_over_tls(service, context)
        assert status == 200
        assert not session.has_ticket  # the service hands out nothing to resume with
        service.context.accounts.revoke_device(revoked.device_id, None, "test")
        status, _, reused = _get_over_tls(service, context, session)
        assert status != 200 and not reused

    with enrolled_client(service, "joost") as expiring:
        context = _device_context(service, expiring)
        status, session, _ = _get_over_tls(service, context)
        assert status == 200 and not session.has_ticket
        not_after = from_iso(
            service.db.conn().execute("SELECT not_after FROM devices WHERE id = ?", (expiring.device_id,)).fetchone()[0]
        )
        wait_until(lambda: utc_now() > not_after, timeout=20, interval=0.1, message="the certificate to expire")
        status, _, reused = _get_over_tls(service, context, session)
        assert status is None and not reused  # a full handshake, which refuses the expired certificate
