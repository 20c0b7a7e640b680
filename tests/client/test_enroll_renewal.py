"""Automatic renewal of the device certificate from two thirds of its life, over mutual TLS."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from desktop.session import Session
from desktop.vault import load_device_key

from tests.client.test_enroll_service import CHEAP_KDF, enroll


def public_key_bytes(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_certificate_past_two_thirds_is_renewed_at_login_with_a_new_key(service_factory, tmp_path):
    # A one-minute certificate (the service backdates the start for clock skew) is past two
    # thirds of its life at once, so the first login already renews it.
    service = service_factory(config_changes={"device_certificate_days": 60 / 86400})
    profile, secrets, session = enroll(service, tmp_path / "p", "anouk")
    session.close()
    device_id = profile.load_config().device_id
    assert [e for e in service.audit_entries("device", device_id) if e["action"] == "device-renewed"]

    before = x509.load_pem_x509_certificate(profile.device_cert_path.read_bytes())
    assert before.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == public_key_bytes(load_device_key(profile, secrets).public_key())

    session = Session(profile, secrets, kdf=CHEAP_KDF)
    assert session.login(service.password("anouk")).online
    after = x509.load_pem_x509_certificate(profile.device_cert_path.read_bytes())
    assert after.serial_number != before.serial_number
    assert public_key_bytes(after.public_key()) != public_key_bytes(before.public_key())
    # The renewed identity is the one in use: a request over it still works.
    assert session.transport.get_json("/devices/current/escrow")["escrow_key"]
    session.close()


def test_renewal_refused_by_the_service_does_not_block_login(service, tmp_path):
    """A client clock that runs ahead thinks renewal is due; the service says not yet: login goes on."""
    import datetime as dt

    profile, secrets, session = enroll(service, tmp_path / "p", "bram")
    session.close()
    before = profile.device_cert_path.read_bytes()
    ahead = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=6)  # noqa: E731
    session = Session(profile, secrets, kdf=CHEAP_KDF, clock=ahead)
    assert session.login(service.password("bram")).online and session.unlocked
    assert profile.device_cert_path.read_bytes() == before
    session.close()
