"""Bad input gets a problem response and changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.service_fixtures import API, enrolled_client, make_csr, plain_client


def _failed_logins(service, username):
    return service.db.conn().execute("SELECT failed_logins FROM users WHERE username = ?", (username,)).fetchone()[0]


def _is_problem(response, status, code):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["detail"]
    assert "Traceback" not in response.text
    return body


def test_malformed_json_is_refused(service_module):
    with enrolled_client(service_module, "anouk") as client:
        response = client.post(
            f"{API}/sessions",
            content=b'{"username": "anouk", "password": ',
            headers={"content-type": "application/json"},
        )
    _is_problem(response, 400, "invalid-request")
    assert _failed_logins(service_module, "anouk") == 0


def test_unknown_fields_are_refused_and_change_nothing(service_module):
    with enrolled_client(service_module, "bram") as client:
        response = client.post(
            f"{API}/sessions", json={"username": "bram", "password": "wrong-password", "remember": True}
        )
    body = _is_problem(response, 400, "invalid-request")
    assert body["invalidParams"] == [{"name": "remember", "reason": "extra_forbidden"}]
    assert _failed_logins(service_module, "bram") == 0


def test_wrong_types_are_refused(service_module):
    with plain_client(service_module) as client:
        for body in [{"username": 12345}, {"username": ["a"]}, {"username": None}, ["username"], "text", {}]:
            _is_problem(client.post(f"{API}/password-resets", json=body), 400, "invalid-request")
    assert service_module.db.conn().execute("SELECT count(*) FROM password_resets").fetchone()[0] == 0


def test_enrollment_with_extra_field_does_not_consume_the_code(service_module):
    code = service_module.enroll_code("carla")
    request = {"username": "carla", "password": service_module.password("carla"), "code": code, "csr": make_csr()[1]}
    with plain_client(service_module) as client:
        _is_problem(client.post(f"{API}/enrollments", json={**request, "device_name": "x"}), 400, "invalid-request")
        assert client.post(f"{API}/enrollments", json=request).status_code == 201


def test_oversized_bodies_are_refused(service_module):
    huge = {"username": "daan", "password": "x" * (1024 * 1024 + 10)}
    with plain_client(service_module) as client:
        _is_problem(client.post(f"{API}/password-resets", json=huge), 413, "request-too-large")

        def chunks():  # no Content-Length: counted while it streams
            yield b'{"username": "'
            for _ in range(1100):
                yield b"a" * 1024
            yield b'"}'

        _is_problem(
            client.post(f"{API}/password-resets", content=chunks(), headers={"content-type": "application/json"}),
            413,
            "request-too-large",
        )


def test_password_change_with_bad_input_leaves_the_password(service_module):
    with enrolled_client(service_module, "eva", login=True) as client:
        _is_problem(client.post(f"{API}/password", json={"new_password": 123456789012345}), 400, "invalid-request")
        _is_problem(
            client.post(f"{API}/password", json={"new_password": "een lang nieuw wachtwoord", "x": 1}),
            400,
            "invalid-request",
        )
    with enrolled_client(service_module, "eva", login=True) as again:
        assert again.session["user"]["username"] == "eva"


def test_unknown_route_and_wrong_method_are_problems(service_module):
    with enrolled_client(service_module, "daan", login=True) as client:
        _is_problem(client.get(f"{API}/nothing-here"), 404, "not-found")
        response = client.get(f"{API}/sessions")
        _is_problem(response, 405, "method-not-allowed")
        assert "POST" in response.headers["allow"]
        assert client.get(f"{API}/openapi.json").json()["info"]["title"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
        max_leaves=8,
    )
)
def test_any_json_body_gets_an_answer_never_a_crash(service_module, body):
    with plain_client(service_module) as client:
        response = client.post(f"{API}/enrollments", json=body)
    assert response.status_code == 400
    assert response.json()["code"] in {"invalid-request", "enrollment-failed"}
