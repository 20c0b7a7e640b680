"""`doctor` names the right cause, against the real service over mutual TLS on loopback."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from desktop import errors
from desktop.session import Session
from desktop.sync.doctor import diagnose
from desktop.vault import load_device_key

from tests.client.test_enroll_service import CHEAP_KDF, enroll
from tests.client.test_transport import make_ca, pem
from tests.service_fixtures import enrolled_client


def enrolled(service, tmp_path, username="anouk"):
    profile, secrets, session = enroll(service, tmp_path / "p", username)
    session.close()
    return profile, secrets


def test_all_checks_pass_on_a_healthy_device(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path)
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.ok, diagnosis.to_json()
    assert diagnosis.cause is None and diagnosis.missing == []


def test_service_down(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path)
    service.stop()
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "tcp"
    assert isinstance(diagnosis.cause.error, errors.ConnectionRefused)
    assert diagnosis.check("device-certificate").status == "pass"  # local checks still run


def test_wrong_ca(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path)
    profile.write_private(profile.ca_cert_path, pem(make_ca("Verkeerde CA")[1]))
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "tls"
    assert isinstance(diagnosis.cause.error, errors.ServerCertificateUntrusted)
    # Login sends nothing to an impostor: it unlocks offline and says why.
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    outcome = session.login(service.password("anouk"))
    assert not outcome.online and isinstance(outcome.offline_reason, errors.ServerCertificateUntrusted)
    session.close()


def test_expired_device_certificate(service, tmp_path):
    """The service CA signs an expired certificate for the device's own key, as time would."""
    profile, secrets = enrolled(service, tmp_path)
    current = x509.load_pem_x509_certificate(profile.device_cert_path.read_bytes())
    ca_cert = x509.load_pem_x509_certificate(service.layout.ca_cert.read_bytes())
    ca_key = serialization.load_pem_private_key(service.layout.ca_key.read_bytes(), password=None)
    now = dt.datetime.now(dt.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(current.subject)
        .issuer_name(ca_cert.subject)
        .public_key(load_device_key(profile, secrets).public_key())
        .serial_number(current.serial_number)
        .not_valid_before(now - dt.timedelta(days=400))
        .not_valid_after(now - dt.timedelta(days=1))
    )
    for extension in current.extensions:
        builder = builder.add_extension(extension.value, extension.critical)
    profile.write_private(
        profile.device_cert_path, builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)
    )

    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "device-access"
    assert isinstance(diagnosis.cause.error, errors.DeviceCertificateExpired)
    assert isinstance(diagnosis.check("device-certificate").error, errors.DeviceCertificateExpired)
    # The login says the same, not a bare "connection closed".
    with pytest.raises(errors.DeviceCertificateExpired):
        Session(profile, secrets, kdf=CHEAP_KDF).login(service.password("anouk"))


def test_revoked_device_is_named_and_wiped(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path, "ilse")
    device_id = profile.load_config().device_id
    admin = enrolled_client(service, "lotte", login=True)
    assert admin.post(f"/api/v1/admin/devices/{device_id}/revoke").status_code == 200
    admin.close()
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "device-access"
    assert isinstance(diagnosis.cause.error, errors.DeviceRevoked)
    assert not profile.cache_path.exists() and not profile.vault_path.exists()


def test_locked_account_names_who_can_help(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path, "bram")
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    for _ in range(11):
        with pytest.raises((errors.WrongPassword, errors.AccountLocked)):
            session.login("fout")
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "account"
    assert isinstance(diagnosis.cause.error, errors.AccountLocked)
    assert "Gerrit Proefhuis" in diagnosis.cause.message


@pytest.mark.parametrize(
    "allowlist, code, missing",
    [
        ((), "no-secure-connection", ["gemnet", "allowlisted-workplace", "mobiel-werken"]),
        (("127.0.0.0/8",), "device-certificate-required", ["mobiel-werken"]),
    ],
)
def test_no_secure_connection_says_which_way_is_missing_seed_L2(service_factory, tmp_path, allowlist, code, missing):
    """The device lost its certificate key: the service tells whether this place is Gemnet/allow-listed."""
    service = service_factory(config_changes={"network_allowlist": allowlist})
    profile, secrets = enrolled(service, tmp_path)
    secrets.delete(next(name for name in secrets.names() if name.startswith("device-key-")))
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "device-access"
    assert diagnosis.cause.error.code == code
    assert diagnosis.missing == missing
    assert diagnosis.to_json()["missing_secure_ways"] == missing


def test_clock_skew_is_named(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path)
    late = lambda: dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)  # noqa: E731
    diagnosis = diagnose(profile, secrets, clock=late)
    assert diagnosis.cause.name == "clock" and isinstance(diagnosis.cause.error, errors.ClockSkew)


def test_account_locked_from_another_device_is_named_by_this_devices_doctor_seed_L4(service, tmp_path):
    """The lock happened elsewhere: this profile's last login said "active"; the service knows better."""
    profile, secrets = enrolled(service, tmp_path, "bram")
    assert diagnose(profile, secrets).check("account").status == "pass"
    with enrolled_client(service, "bram") as tablet:
        for _ in range(11):
            tablet.post("/api/v1/sessions", json={"username": "bram", "password": "fout"})
    diagnosis = diagnose(profile, secrets)
    assert diagnosis.cause.name == "account"
    assert isinstance(diagnosis.cause.error, errors.AccountLocked)
    assert "Gerrit Proefhuis" in diagnosis.cause.message and "085-4899080" in diagnosis.cause.message
    # Remembered: with the service down, the doctor still names who helps.
    service.stop()
    offline = diagnose(profile, secrets)
    assert offline.cause.name == "tcp"
    assert isinstance(offline.check("account").error, errors.AccountLocked)


def test_account_state_falls_back_to_the_last_login_when_the_service_is_down(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path, "carla")
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    for _ in range(11):
        with pytest.raises((errors.WrongPassword, errors.AccountLocked)):
            session.login("fout")
    service.stop()
    diagnosis = diagnose(profile, secrets)
    assert isinstance(diagnosis.check("account").error, errors.AccountLocked)


def test_a_lock_seen_by_a_signed_in_session_is_remembered_for_doctor_seed_L4(service, tmp_path):
    """The session's token is refused with account-locked after a lock elsewhere; the profile keeps it."""
    profile, secrets, session = enroll(service, tmp_path / "p", "daan")
    with enrolled_client(service, "daan") as tablet:
        for _ in range(11):
            tablet.post("/api/v1/sessions", json={"username": "daan", "password": "fout"})
    with pytest.raises(errors.AccountLocked) as locked:
        session.change_password(service.password("daan"), "een heel nieuwe zin")
    assert "Gerrit Proefhuis" in locked.value.message()
    session.close()
    service.stop()
    assert isinstance(diagnose(profile, secrets).check("account").error, errors.AccountLocked)


def test_enrolled_device_whose_certificate_is_gone_is_told_to_enroll_again_not_first_time(service, tmp_path):
    profile, secrets = enrolled(service, tmp_path)
    profile.device_cert_path.unlink()  # e.g. a new user profile on the laptop
    check = diagnose(profile, secrets).check("device-certificate")
    assert isinstance(check.error, errors.DeviceCredentialsMissing)
    assert "opnieuw aan" in check.message and "nog niet aangemeld" not in check.message

    never = diagnose(type(profile)(tmp_path / "never-enrolled"), secrets)
    assert type(never.check("enrollment").error) is errors.NotEnrolled
