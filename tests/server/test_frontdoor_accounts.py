"""Logins, lockout and reactivation (seed L4), sessions, escrow keys."""

from __future__ import annotations

import base64

from tests.service_fixtures import API, enrolled_client, login


def _login(client, username, password):
    return client.post(f"{API}/sessions", json={"username": username, "password": password})


def test_ten_failures_then_success_resets_the_count_seed_L4(service):
    with enrolled_client(service, "anouk") as client:
        for _ in range(10):
            response = _login(client, "anouk", "a-wrong-password")
            assert response.status_code == 401 and response.json()["code"] == "invalid-credentials"
        assert _login(client, "anouk", service.password("anouk")).status_code == 200
        # The count starts again: ten more failures still do not lock.
        for _ in range(10):
            assert _login(client, "anouk", "a-wrong-password").json()["code"] == "invalid-credentials"
        assert _login(client, "anouk", service.password("anouk")).status_code == 200


def test_eleventh_failure_locks_even_the_right_password_seed_L4(service):
    with enrolled_client(service, "bram") as client:
        answers = [_login(client, "bram", "a-wrong-password") for _ in range(11)]
        assert [a.json()["code"] for a in answers] == ["invalid-credentials"] * 10 + ["account-locked"]
        locked = _login(client, "bram", service.password("bram"))
    assert locked.status_code == 423
    body = locked.json()
    assert body["code"] == "account-locked"
    assert body["contacts"]["helpdesk"]["phone"] == "085-4899080"
    assert body["contacts"]["local_admin"]["name"]
    assert locked.headers["content-type"] == "application/problem+json"


def test_failures_count_per_account_across_devices_seed_L4(service):
    with enrolled_client(service, "carla") as laptop, enrolled_client(service, "carla") as tablet:
        for _ in range(6):
            _login(laptop, "carla", "a-wrong-password")
        answers = [_login(tablet, "carla", "a-wrong-password").json()["code"] for _ in range(5)]
    assert answers[-1] == "account-locked"


def test_reactivation_by_local_admin_of_another_organisation_is_refused_seed_L4(service):
    with enrolled_client(service, "daan") as victim:
        for _ in range(11):
            _login(victim, "daan", "a-wrong-password")
        with enrolled_client(service, "lotte", login=True) as other_admin:
            assert other_admin.get(f"{API}/admin/locked-accounts").json()["accounts"] == []
            refused = other_admin.post(f"{API}/admin/accounts/{service.user_id('daan')}/reactivate")
            assert refused.status_code == 404 and refused.json()["code"] == "not-found"  # as if unknown
        assert _login(victim, "daan", service.password("daan")).json()["code"] == "account-locked"


def test_reactivation_by_own_local_admin_is_audited_and_unlocks_seed_L4(service):
    with enrolled_client(service, "eva") as user:
        for _ in range(11):
            _login(user, "eva", "a-wrong-password")
        with enrolled_client(service, "gerrit", login=True) as admin:
            locked = admin.get(f"{API}/admin/locked-accounts").json()["accounts"]
            assert [a["username"] for a in locked] == ["eva"]
            assert "password" not in str(locked).lower()
            assert admin.post(f"{API}/admin/accounts/{service.user_id('eva')}/reactivate").status_code == 200
        assert _login(user, "eva", service.password("eva")).status_code == 200
    actions = [(e["action"], e["actor_id"]) for e in service.audit_entries("user", service.user_id("eva"))]
    assert ("account-reactivated", service.user_id("gerrit")) in actions


def test_helpdesk_reactivates_in_every_organisation_seed_L4(service):
    with enrolled_client(service, "ilse") as user:
        for _ in range(11):
            _login(user, "ilse", "a-wrong-password")
        with enrolled_client(service, "hanna", login=True) as helpdesk:
            assert [a["username"] for a in helpdesk.get(f"{API}/admin/locked-accounts").json()["accounts"]] == ["ilse"]
            assert helpdesk.post(f"{API}/admin/accounts/{service.user_id('ilse')}/reactivate").status_code == 200
        assert _login(user, "ilse", service.password("ilse")).status_code == 200


def test_end_users_and_superusers_cannot_administer(service_module):
    for username in ("joost", "karim"):
        with enrolled_client(service_module, username, login=True) as client:
            for method, path in [
                ("GET", "/admin/devices"),
                ("GET", "/admin/locked-accounts"),
                ("POST", f"/admin/accounts/{service_module.user_id('mees')}/reactivate"),
            ]:
                response = client.request(method, API + path)
                assert response.status_code == 403 and response.json()["code"] == "forbidden", (username, path)


def test_local_admin_issues_codes_and_sees_devices_of_own_organisation_only(service_module):
    with enrolled_client(service_module, "gerrit", login=True) as admin:
        own = admin.post(f"{API}/admin/enrollment-codes", json={"username": "femke"})
        assert own.status_code == 201 and len(own.json()["code"]) == 19
        other = admin.post(f"{API}/admin/enrollment-codes", json={"username": "mees"})
        assert other.status_code == 404  # as if unknown (issue 13 item 8)
        enrolled_client(service_module, "mees").close()
        organisations = {d["organisation_id"] for d in admin.get(f"{API}/admin/devices").json()["devices"]}
        assert organisations == {"org-demodorp"}
        mees_device = (
            service_module.db.conn()
            .execute("SELECT id FROM devices WHERE user_id = ?", (service_module.user_id("mees"),))
            .fetchone()["id"]
        )
        assert admin.post(f"{API}/admin/devices/{mees_device}/revoke").status_code == 404


def test_login_answer_carries_user_and_organisation_settings(service_module):
    with enrolled_client(service_module, "karim") as client:
        body = login(client, "karim", service_module.password("karim"))
    assert body["must_change_password"] is False
    assert body["user"] == {
        "id": "usr-karim",
        "username": "karim",
        "display_name": "Karim Bedachtsma",
        "role": "superuser",
        "organisation_id": "org-voorbeeldstad",
        "organisation": "Gemeente Voorbeeldstad",
    }
    settings = body["organisation_settings"]
    assert (settings["offline_lock_hours"], settings["offline_wipe_days"], settings["auto_lock_minutes"]) == (
        72,
        30,
        15,
    )
    assert settings["contacts"]["helpdesk"]["name"] == "Servicedesk Voorbeeldstad"


def test_a_device_logs_in_only_its_own_user(service_module):
    with enrolled_client(service_module, "joost") as client:
        response = _login(client, "mees", service_module.password("mees"))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_logout_ends_the_session(service_module):
    with enrolled_client(service_module, "anouk", login=True) as client:
        assert client.delete(f"{API}/sessions/current").status_code == 204
        after = client.get(f"{API}/devices/current/escrow")
    assert after.status_code == 401 and after.json()["code"] == "unauthenticated"


def test_escrow_key_is_released_only_to_its_own_device_after_login(service_module):
    laptop = enrolled_client(service_module, "bench")
    tablet = enrolled_client(service_module, "bench", login=True)
    with laptop, tablet:
        no_token = laptop.get(f"{API}/devices/current/escrow")
        assert no_token.status_code == 401 and no_token.json()["code"] == "unauthenticated"
        borrowed = laptop.get(
            f"{API}/devices/current/escrow", headers={"Authorization": tablet.headers["Authorization"]}
        )
        assert borrowed.json()["code"] == "token-device-mismatch"
        login(laptop, "bench", service_module.password("bench"))
        laptop_key = base64.b64decode(laptop.get(f"{API}/devices/current/escrow").json()["escrow_key"])
        again = base64.b64decode(laptop.get(f"{API}/devices/current/escrow").json()["escrow_key"])
        tablet_key = base64.b64decode(tablet.get(f"{API}/devices/current/escrow").json()["escrow_key"])
        assert laptop.get(f"{API}/devices/current/escrow").headers["cache-control"] == "no-store"
    assert len(laptop_key) == 32 and laptop_key == again
    assert tablet_key != laptop_key
