"""Device enrollment and renewal: one-time codes, the same answer for every failure, renewal."""

from __future__ import annotations

from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from server_stub.accounts import code_hash
from server_stub.store import to_iso, utc_now
from tests.service_fixtures import API, enrolled_client, make_csr, mtls_client, plain_client, write_key


def _enroll(service, username, password, code, csr=None):
    csr = csr or make_csr()[1]
    with plain_client(service) as client:
        return client.post(
            f"{API}/enrollments", json={"username": username, "password": password, "code": code, "csr": csr}
        )


def _failures(service, username):
    return service.db.conn().execute("SELECT failed_logins FROM users WHERE username = ?", (username,)).fetchone()[0]


def test_enrollment_returns_a_p256_device_certificate_valid_seven_days(service_module):
    code = service_module.enroll_code("anouk")
    response = _enroll(service_module, "anouk", service_module.password("anouk"), code)
    assert response.status_code == 201
    body = response.json()
    cert = x509.load_pem_x509_certificate(body["certificate"].encode())
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == body["device_id"]
    assert cert.public_key().curve.name == "secp256r1"
    lifetime = cert.not_valid_after_utc - utc_now()
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7)
    assert body["ca_certificate"] == service_module.ca_path.read_text()


def test_used_code_is_refused(service_module):
    code = service_module.enroll_code("bram")
    assert _enroll(service_module, "bram", service_module.password("bram"), code).status_code == 201
    again = _enroll(service_module, "bram", service_module.password("bram"), code)
    assert again.status_code == 400 and again.json()["code"] == "enrollment-failed"


def test_expired_code_is_refused(service_module):
    code = service_module.enroll_code("carla")
    with service_module.db.transaction() as conn:
        conn.execute(
            "UPDATE enrollment_codes SET expires_at = ? WHERE code_hash = ?",
            (to_iso(utc_now() - timedelta(seconds=1)), code_hash(code)),
        )
    response = _enroll(service_module, "carla", service_module.password("carla"), code)
    assert response.status_code == 400 and response.json()["code"] == "enrollment-failed"


def test_wrong_code_is_refused_and_a_failed_attempt_does_not_consume_the_code(service_module):
    code = service_module.enroll_code("daan")
    assert _enroll(service_module, "daan", service_module.password("daan"), "AAAA-BBBB-CCCC-DDDD").status_code == 400
    assert _enroll(service_module, "daan", "wrong-password-here", code).status_code == 400
    other_users_code = service_module.enroll_code("eva")
    assert _enroll(service_module, "daan", service_module.password("daan"), other_users_code).status_code == 400
    # Lower case and without dashes is the same code: people type it.
    typed = code.replace("-", " ").lower()
    assert _enroll(service_module, "daan", service_module.password("daan"), typed).status_code == 201


def test_wrong_password_at_enrollment_counts_toward_lockout_seed_L4(service_module):
    code = service_module.enroll_code("joost")
    before = _failures(service_module, "joost")
    assert _enroll(service_module, "joost", "not-the-password", code).status_code == 400
    assert _failures(service_module, "joost") == before + 1


def test_invalid_csr_is_refused_without_consuming_the_code(service_module):
    code = service_module.enroll_code("ilse")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "x")]))
        .sign(rsa_key, hashes.SHA256())
        .public_bytes(serialization.Encoding.PEM)
        .decode()
    )
    for csr in [rsa_csr, "-----BEGIN CERTIFICATE REQUEST-----\nnonsense\n-----END CERTIFICATE REQUEST-----\n"]:
        response = _enroll(service_module, "ilse", service_module.password("ilse"), code, csr=csr)
        assert response.status_code == 400 and response.json()["code"] == "enrollment-failed"
    assert _enroll(service_module, "ilse", service_module.password("ilse"), code).status_code == 201


def test_enrollment_answer_is_identical_for_unknown_and_known_users(service_module):
    known_code = service_module.enroll_code("mees")
    answers = [
        _enroll(service_module, "no-such-user", "some-password-1", known_code),
        _enroll(service_module, "mees", "wrong-password-1", known_code),
        _enroll(service_module, "mees", service_module.password("mees"), "WRNG-CODE-XXXX-YYYY"),
    ]
    assert {r.status_code for r in answers} == {400}
    assert len({r.content for r in answers}) == 1
    assert len({tuple(sorted((k, v) for k, v in r.headers.items() if k != "date")) for r in answers}) == 1


def test_renewal_before_two_thirds_of_life_is_refused(service_module):
    with enrolled_client(service_module, "karim", login=True) as client:
        response = client.post(f"{API}/devices/current/renew", json={"csr": make_csr()[1]})
    assert response.status_code == 409
    assert response.json()["code"] == "renewal-not-yet-allowed"


def test_renewal_after_two_thirds_replaces_the_certificate(service_module, tmp_path):
    client = enrolled_client(service_module, "femke", login=True)
    now = utc_now()
    with service_module.db.transaction() as conn:
        conn.execute(
            "UPDATE devices SET not_before = ?, not_after = ? WHERE id = ?",
            (to_iso(now - timedelta(days=5)), to_iso(now + timedelta(days=2)), client.device_id),
        )
    key, csr = make_csr()
    with client:
        response = client.post(f"{API}/devices/current/renew", json={"csr": csr})
        assert response.status_code == 200, response.text
        # The old certificate is replaced: it no longer opens anything.
        assert client.get(f"{API}/devices/current/escrow").json()["code"] == "device-unknown"
    cert_path = tmp_path / "renewed.pem"
    cert_path.write_text(response.json()["certificate"])
    with mtls_client(service_module, cert_path, write_key(key, tmp_path / "renewed-key.pem")) as renewed:
        renewed.headers["Authorization"] = client.headers["Authorization"]
        # Same device, so the session bound to it still works.
        assert renewed.get(f"{API}/devices/current/escrow").status_code == 200
