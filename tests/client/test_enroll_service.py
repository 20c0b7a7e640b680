"""Enrollment and login against the real service over mutual TLS on loopback."""

from __future__ import annotations

import re

import pytest

from desktop import errors
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore
from desktop.session import Session, enroll_device, request_password_reset
from desktop.vault import KdfParams, Vault

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
NEW_PASSWORD = "Nieuw-Wachtwoord-Kastanje-2026"


def enroll(service, root, username, secrets=None, *, in_memory=True):
    """Enroll `username` into a fresh profile at `root`; returns (profile, secrets, session)."""
    if secrets is None and in_memory:
        secrets = InMemorySecretStore()
    profile = Profile(root)
    session, outcome = enroll_device(
        profile,
        secrets,
        service.url,
        service.ca_path.read_bytes(),
        username,
        service.password(username),
        service.enroll_code(username),
        kdf=CHEAP_KDF,
    )
    assert outcome.online
    return profile, secrets, session


def put_offline_data(session: Session) -> None:
    """A row the user made offline, to prove the cache survives re-wrapping (same data key)."""
    session.cache.execute("CREATE TABLE IF NOT EXISTS e_probe (v TEXT)")
    session.cache.execute("INSERT INTO e_probe VALUES ('offline-werk')")


def offline_data(session: Session) -> list:
    return [row[0] for row in session.cache.execute("SELECT v FROM e_probe")]


def test_enroll_creates_certificate_vault_and_encrypted_cache(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "anouk")
    assert session.online and session.unlocked
    assert Vault.load(profile, secrets).mode == "keyring"
    config = profile.load_config()
    assert config.device_id and config.username == "anouk" and config.service_url == service.url
    # The device key file is encrypted under a keychain secret; nothing decrypted on disk.
    assert b"ENCRYPTED PRIVATE KEY" in profile.device_key_path.read_bytes()
    session.close()
    assert not session.unlocked


def test_cache_file_is_not_readable_as_sqlite(service, tmp_path):
    import sqlite3

    profile, _, session = enroll(service, tmp_path / "p", "anouk")
    put_offline_data(session)
    session.close()
    assert not profile.cache_path.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(profile.cache_path).execute("SELECT * FROM sqlite_master").fetchall()


def test_enrolling_twice_is_refused_and_a_bad_code_records_nothing(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "anouk")
    session.close()
    with pytest.raises(errors.AlreadyEnrolled):
        enroll(service, tmp_path / "p", "anouk", secrets)
    other = Profile(tmp_path / "q")
    with pytest.raises(errors.EnrollmentFailed):
        enroll_device(
            other,
            InMemorySecretStore(),
            service.url,
            service.ca_path.read_bytes(),
            "bram",
            service.password("bram"),
            "AAAA-BBBB-CCCC-DDDD",
            kdf=CHEAP_KDF,
        )
    assert not other.root.exists() or list(other.root.iterdir()) == []


def test_ten_failed_logins_then_the_right_password_works_seed_L4(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "bram")
    session.close()
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    for _ in range(10):
        with pytest.raises(errors.WrongPassword):
            session.login("niet-het-wachtwoord")
    assert session.login(service.password("bram")).online and session.unlocked
    session.close()


def test_eleven_failed_logins_lock_even_the_right_password_with_whom_to_call_seed_L4(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "carla")
    session.close()
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    for _ in range(10):
        with pytest.raises(errors.WrongPassword):
            session.login("niet-het-wachtwoord")
    with pytest.raises(errors.AccountLocked):  # the 11th failure locks ("more than 10")
        session.login("niet-het-wachtwoord")
    with pytest.raises(errors.AccountLocked) as caught:
        session.login(service.password("carla"))
    message = caught.value.message()
    assert "Gerrit Proefhuis" in message and "085-4899080" in message
    # Locked online is not "no connection": the cache stays closed.
    assert not session.unlocked


def test_forgot_password_temporary_then_definitive_opens_cache_through_escrow_seed_L3(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "daan")
    put_offline_data(session)
    session.close()

    request_password_reset(profile, "daan")
    mail = service.wait_for_mail(to=service.people.user("daan").email)[-1]
    temporary = re.search(r"^\s+([a-z2-9]{4}(?:-[a-z2-9]{4}){3})\s*$", mail.get_content(), re.M).group(1)

    session = Session(profile, secrets, kdf=CHEAP_KDF)
    with pytest.raises(errors.PasswordChangeRequired):
        session.login(temporary)
    assert not session.unlocked
    outcome = session.choose_password(NEW_PASSWORD)
    assert outcome.online and offline_data(session) == ["offline-werk"]
    session.close()
    # The definitive password now opens the cache offline too (re-wrapped, not re-encrypted).
    service.stop()
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    assert not session.login(NEW_PASSWORD).online and offline_data(session) == ["offline-werk"]
    session.close()


def test_ten_wrong_offline_unlocks_destroy_the_password_copy_and_online_login_restores(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "eva")
    put_offline_data(session)
    session.close()
    service.stop()
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    for _ in range(9):
        with pytest.raises(errors.WrongOfflinePassword):
            session.login("fout")
    with pytest.raises(errors.OfflineUnlockUnavailable):
        session.login("fout")
    with pytest.raises(errors.OfflineUnlockUnavailable):
        session.login(service.password("eva"))
    assert not Vault.load(profile, secrets).has_password_copy
    service.start()
    assert session.login(service.password("eva")).online and offline_data(session) == ["offline-werk"]
    assert Vault.load(profile, secrets).has_password_copy
    session.close()


def test_revocation_wipes_keys_and_cache_then_acknowledges(service, tmp_path):
    from tests.service_fixtures import enrolled_client

    profile, secrets, session = enroll(service, tmp_path / "p", "ilse")
    put_offline_data(session)
    device_id = profile.load_config().device_id
    session.close()
    (profile.root / "cache.db-wal").write_bytes(b"left-over")
    admin = enrolled_client(service, "lotte", login=True)
    assert admin.post(f"/api/v1/admin/devices/{device_id}/revoke").status_code == 200

    session = Session(profile, secrets, kdf=CHEAP_KDF)
    with pytest.raises(errors.DeviceRevoked):
        session.login(service.password("ilse"))
    leftovers = sorted(p.name for p in profile.root.iterdir())
    assert leftovers == ["account-state.json"], leftovers
    assert secrets.names() == []
    devices = admin.get("/api/v1/admin/devices").json()["devices"]
    admin.close()
    assert next(d for d in devices if d["id"] == device_id)["wiped_at"] is not None


def test_change_password_online_rewraps_without_reencrypting(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "joost")
    put_offline_data(session)
    with pytest.raises(errors.WrongPassword):
        session.change_password("niet-het-huidige", NEW_PASSWORD)
    with pytest.raises(errors.PasswordRejected):
        session.change_password(service.password("joost"), "kort")
    session.change_password(service.password("joost"), NEW_PASSWORD)
    session.close()
    service.stop()
    session = Session(profile, secrets, kdf=CHEAP_KDF)
    assert not session.login(NEW_PASSWORD).online
    assert offline_data(session) == ["offline-werk"]
    session.close()


def test_password_only_mode_enrolls_and_logs_in(service, tmp_path):
    profile, secrets, session = enroll(service, tmp_path / "p", "mees", in_memory=False)
    assert secrets is None and Vault.load(profile, None).mode == "password-only"
    session.close()
    session = Session(profile, None, kdf=CHEAP_KDF)
    assert session.login(service.password("mees")).online and session.unlocked
    session.close()
