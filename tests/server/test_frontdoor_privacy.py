"""No personal data in the service's logs or error answers on the front door."""
from __future__ import annotations

import logging

from tests.service_fixtures import API, enrolled_client, plain_client


def test_front_door_logs_no_names_addresses_or_passwords(service, caplog):
    caplog.set_level(logging.DEBUG)
    person = service.people.user("anouk")
    with enrolled_client(service, "anouk") as client:
        for _ in range(11):
            client.post(f"{API}/sessions", json={"username": "anouk", "password": "a-wrong-password"})
        client.post(f"{API}/sessions", json={"username": "anouk", "password": person.password, "extra": 1})
    with plain_client(service) as anonymous:
        anonymous.post(f"{API}/password-resets", json={"username": "anouk"})
        anonymous.post(f"{API}/enrollments", json={"username": "anouk", "password": person.password,
                                                   "code": "AAAA-BBBB-CCCC-DDDD", "csr": "x"})
    service.wait_for_mail(to=person.email, subject="geblokkeerd")
    logged = "\n".join(record.getMessage() + str(record.exc_text or "") for record in caplog.records)
    for secret in (person.username, person.display_name, person.email, person.password, "a-wrong-password"):
        assert secret not in logged, secret


def test_error_answers_do_not_echo_the_input(service_module):
    with plain_client(service_module) as client:
        answer = client.post(f"{API}/password-resets", json={"username": 123, "secret-field": "Jan Jansen 123456782"})
    assert answer.status_code == 400
    assert "Jan Jansen" not in answer.text and "123456782" not in answer.text
