"""Re-check of issue 13 on the certificate-free POST /devices/key-unlock (R-10): a device id is
no proof, so nobody outside the secure connection can lock an account with it (item 2), its
failures look and take alike (item 4) and it is throttled like a login (item 5)."""

from __future__ import annotations

import statistics
import time

from server_stub.store import accounts as account_store
from server_stub.store import to_iso, utc_now
from tests.server.test_security_accounts import (
    SMALL_THROTTLES,
    TIMING_ARGON2,
    TIMING_BATCHES,
    TIMING_ROUNDS,
    WRONG,
    _assert_throttled,
    _restart_with,
    _user_row,
    _VerifyCounter,
)
from tests.service_fixtures import API, enrolled_client, plain_client


def _device_of(service, username):
    enrolled_client(service, username).close()
    return (
        service.db.conn()
        .execute("SELECT id FROM devices WHERE user_id = ? ORDER BY enrolled_at DESC", (service.user_id(username),))
        .fetchone()[0]
    )


def _unlock(client, device_id, username, password):
    return client.post(
        f"{API}/devices/key-unlock", json={"device_id": device_id, "username": username, "password": password}
    )


def test_issue13_item2_key_unlock_counts_a_wrong_password_only_on_the_users_own_device(service_factory):
    service = service_factory()
    anouk_device, bram_device = _device_of(service, "anouk"), _device_of(service, "bram")
    with plain_client(service) as outsider:
        # 12 wrong passwords naming an unknown device or someone else's: nothing counts, no lock
        for device_id in ("no-such-device", bram_device):
            for _ in range(12):
                assert _unlock(outsider, device_id, "anouk", WRONG).status_code == 401
        row = _user_row(service, "anouk")
        assert (row["failed_logins"], row["locked_at"]) == (0, None)
        # another user's device reveals nothing after a correct password either
        other = _unlock(outsider, bram_device, "anouk", service.password("anouk"))
        assert (other.status_code, other.json()["code"]) == (401, "invalid-credentials")
        # over the user's own device a wrong password counts (seed L4), the right one opens
        assert _unlock(outsider, anouk_device, "anouk", WRONG).status_code == 401
        assert _user_row(service, "anouk")["failed_logins"] == 1
        opened = _unlock(outsider, anouk_device, "anouk", service.password("anouk"))
        assert opened.status_code == 200 and set(opened.json()) == {"unlock_key", "session"}


def test_issue13_item2_a_revoked_device_says_so_only_after_its_users_password(service_factory):
    service = service_factory()
    device_id = _device_of(service, "eva")
    service.context.accounts.revoke_device(device_id, None, "revoked-by-admin")
    with plain_client(service) as outsider:
        guessed = _unlock(outsider, device_id, "eva", WRONG)
        assert (guessed.status_code, guessed.json()["code"]) == (401, "invalid-credentials")
        proven = _unlock(outsider, device_id, "eva", service.password("eva"))
        assert proven.status_code == 403 and proven.json()["code"] == "device-revoked" and proven.json()["wipe"] is True
    assert _user_row(service, "eva")["failed_logins"] == 0


def test_issue13_item4_key_unlock_failures_look_and_take_the_same(service_factory):
    service = service_factory(config_changes={"lockout_threshold": 1000})
    _restart_with(service, argon2=TIMING_ARGON2)
    hasher = service.context.accounts.hasher
    with service.context.db.transaction() as tx:
        for username in ("anouk", "bram"):
            account_store.set_password(
                tx,
                service.user_id(username),
                hasher.hash(service.password(username)),
                must_change=False,
                now=to_iso(utc_now()),
            )
    own = _device_of(service, "anouk")
    cases = {
        "unknown device": ("no-such-device", "anouk"),
        "wrong password": (own, "anouk"),
        "unknown user": (own, "niemand-bekend"),
        "another user's device": (own, "bram"),
    }
    spreads = []
    with plain_client(service) as outsider:
        for device_id, username in cases.values():
            _unlock(outsider, device_id, username, WRONG)  # warm up
        for _ in range(TIMING_BATCHES):
            times = {name: [] for name in cases}
            answers = {name: set() for name in cases}
            for round_ in range(TIMING_ROUNDS):
                names = list(cases)
                for name in names[round_ % len(names) :] + names[: round_ % len(names)]:
                    started = time.perf_counter()
                    response = _unlock(outsider, *cases[name], WRONG)
                    times[name].append(time.perf_counter() - started)
                    answers[name].add((response.status_code, response.headers["content-type"], response.text))
            assert len({frozenset(seen) for seen in answers.values()}) == 1, answers
            medians = {name: statistics.median(samples) * 1000 for name, samples in times.items()}
            spreads.append((max(medians.values()) - min(medians.values()), medians))
            if spreads[-1][0] < 10:
                break
    status, _, body = next(iter(answers["unknown device"]))
    assert status == 401 and '"code":"invalid-credentials"' in body
    assert min(spread for spread, _ in spreads) < 10, spreads


def test_issue13_item5_key_unlock_is_throttled_like_a_login_before_any_password_work(service_factory):
    service = service_factory(config_changes={"throttle": SMALL_THROTTLES})
    verifications = _VerifyCounter(service.context.accounts.hasher)
    with plain_client(service) as outsider:
        for typed in ("joost", " JOOST ", "joost"):
            assert _unlock(outsider, "no-such-device", typed, WRONG).status_code == 401
        before = verifications.count
        _assert_throttled(_unlock(outsider, "no-such-device", "joost", WRONG))
        assert verifications.count == before
        # the login route shares the counters: a 4th try there is throttled too
        for n in range(6):
            _unlock(outsider, "no-such-device", f"ander-{n}", WRONG)
        _assert_throttled(_unlock(outsider, "no-such-device", "nog-een-ander", WRONG))  # per source
