"""`GET /api/v1/devices/current`: the device's own account state, over mutual TLS, without a token
(for the client's doctor). Real service over mutual TLS on loopback."""

from __future__ import annotations

import re

from tests.service_fixtures import API, enrolled_client, login, plain_client

STATUS = f"{API}/devices/current"


def _login(client, username, password):
    return client.post(f"{API}/sessions", json={"username": username, "password": password})


def test_device_status_needs_no_token_and_describes_only_its_own_account(service):
    with enrolled_client(service, "anouk") as anouk, enrolled_client(service, "lotte", login=True) as lotte:
        answer = anouk.get(STATUS)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["device_id"] == anouk.device_id and body["not_after"].endswith("Z")
        assert body["account"]["state"] == "active"
        assert body["account"]["contacts"]["helpdesk"]["phone"] == "085-4899080"
        assert answer.headers["cache-control"] == "no-store"
        # Another user's token changes nothing: the answer is about the device of the connection.
        borrowed = anouk.get(STATUS, headers={"Authorization": lotte.headers["Authorization"]})
        assert borrowed.json()["device_id"] == anouk.device_id
        assert lotte.get(STATUS).json()["device_id"] == lotte.device_id
    person = service.people.user("anouk")
    for secret in (person.username, person.display_name, person.email):
        assert secret not in answer.text


def test_device_status_tells_nothing_without_a_device_certificate_seed_L1_L2(service):
    with plain_client(service) as anonymous:
        refused = anonymous.get(STATUS)
    assert refused.status_code == 403 and refused.json()["code"] == "no-secure-connection"
    assert "account" not in refused.json() and "contacts" not in refused.json()


def test_device_status_of_a_revoked_device_is_only_the_wipe_instruction(service):
    with enrolled_client(service, "ilse") as device, enrolled_client(service, "lotte", login=True) as admin:
        assert admin.post(f"{API}/admin/devices/{device.device_id}/revoke").status_code == 200
        refused = device.get(STATUS)
    assert refused.status_code == 403 and refused.json()["code"] == "device-revoked"
    assert refused.json()["wipe"] is True and "account" not in refused.json()


def test_device_status_shows_a_lock_made_from_another_device_seed_L4(service):
    with enrolled_client(service, "bram") as laptop, enrolled_client(service, "bram") as tablet:
        for _ in range(11):
            _login(tablet, "bram", "a-wrong-password")
        account = laptop.get(STATUS).json()["account"]
        assert account["state"] == "locked"
        assert account["contacts"]["local_admin"]["name"]
        with enrolled_client(service, "gerrit", login=True) as admin:
            admin.post(f"{API}/admin/accounts/{service.user_id('bram')}/reactivate")
        assert laptop.get(STATUS).json()["account"]["state"] == "active"


def test_device_status_shows_a_temporary_password_waiting_for_a_new_one_seed_L3(service):
    with enrolled_client(service, "carla") as laptop, plain_client(service) as anonymous:
        anonymous.post(f"{API}/password-resets", json={"username": "carla"})
        message = service.wait_for_mail(to="carla@", subject="tijdelijke wachtwoord")[0]
        temporary = re.search(r"^ {4}(\S+)\s*$", message.get_content(), re.MULTILINE).group(1)
        login(laptop, "carla", temporary)
        assert laptop.get(STATUS).json()["account"]["state"] == "password-change-required"
