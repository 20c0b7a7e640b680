"""Offline unlock and the offline grace period, with an injected clock (no service needed:
the profile points at a closed loopback port, so the online login finds no connection)."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from desktop import errors
from desktop.cache import db as cache_db
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore
from desktop.session import Session
from desktop.sync.identity import save_identity
from desktop.vault import device_key_unlock_key
from desktop.sync.transport import DeviceIdentity
from desktop.vault import KdfParams, Vault

from tests.client.test_transport import issue, make_ca, pem

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PASSWORD = "Correct-Paard-Batterij-9"
CONTACT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.timezone.utc)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def enrolled_offline_profile(root, secrets, contact: dt.datetime = CONTACT) -> tuple[Profile, bytes]:
    """An enrolled profile with a vault (and its data key; no cache yet), last in contact at `contact`,
    its service a closed port."""
    profile = Profile(root)
    ca_key, ca = make_ca()
    key, cert = issue(ca_key, ca, "device", server=False)
    profile.ensure_dir()
    profile.write_private(profile.ca_cert_path, pem(ca))
    profile.update_config(
        service_url=f"https://localhost:{closed_port()}",
        ca_path=str(profile.ca_cert_path),
        username="medewerker1",
        device_id="dev-1",
        last_contact_at=contact.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    # Sealed under the unlock key the service would release for this device.
    save_identity(profile, secrets, DeviceIdentity(pem(cert), key), device_key_unlock_key(bytes(32), "dev-1"))
    _, data_key = Vault.create(profile, PASSWORD, bytes(32), secrets, CHEAP_KDF)
    return profile, data_key


def offline_profile(root, secrets) -> Profile:
    """An enrolled profile with a vault and an encrypted cache, last in contact at CONTACT."""
    profile, data_key = enrolled_offline_profile(root, secrets)
    cache_db.close_cache(cache_db.open_cache(profile.cache_path, data_key, create=True))
    return profile


def session_at(profile, secrets, moment) -> Session:
    return Session(profile, secrets, clock=lambda: moment, kdf=CHEAP_KDF)


@pytest.fixture
def secrets():
    return InMemorySecretStore()


def test_offline_unlock_within_grace_opens_the_cache(tmp_path, secrets):
    profile = offline_profile(tmp_path / "p", secrets)
    session = session_at(profile, secrets, CONTACT + dt.timedelta(hours=71))
    outcome = session.login(PASSWORD)
    assert not outcome.online and isinstance(outcome.offline_reason, errors.ConnectionRefused)
    assert session.unlocked and outcome.warnings == []
    session.lock()
    assert not session.unlocked and session._data_key is None
    with pytest.raises(errors.ClientError):
        session.connect_cache()


def test_offline_grace_locks_after_72_hours(tmp_path, secrets):
    profile = offline_profile(tmp_path / "p", secrets)
    session = session_at(profile, secrets, CONTACT + dt.timedelta(hours=73))
    with pytest.raises(errors.OfflineGraceExpired) as caught:
        session.login(PASSWORD)
    assert "72" in caught.value.message()
    assert not session.unlocked and profile.cache_path.exists()


def test_organisation_setting_shortens_the_lock(tmp_path, secrets):
    profile = offline_profile(tmp_path / "p", secrets)
    config = profile.load_config()
    from dataclasses import replace

    profile.save_config(replace(config, settings=replace(config.settings, offline_lock_hours=24)))
    with pytest.raises(errors.OfflineGraceExpired):
        session_at(profile, secrets, CONTACT + dt.timedelta(hours=25)).login(PASSWORD)


def test_offline_wipe_after_30_days_removes_cache_and_keys(tmp_path, secrets):
    profile = offline_profile(tmp_path / "p", secrets)
    (profile.root / "cache.db-wal").write_bytes(b"x")
    with pytest.raises(errors.OfflineDataWiped):
        session_at(profile, secrets, CONTACT + dt.timedelta(days=30, hours=1)).login(PASSWORD)
    assert not profile.cache_path.exists() and not profile.vault_path.exists()
    assert not (profile.root / "cache.db-wal").exists()
    assert not any(name.startswith("vault-") for name in secrets.names())
    # The enrollment stays: an online login fetches everything again.
    assert profile.device_cert_path.exists()


def test_warning_about_the_wipe_from_day_25(tmp_path, secrets):
    # Past the lock, an offline unlock is refused; the warning shows while the lock is longer.
    profile = offline_profile(tmp_path / "p", secrets)
    config = profile.load_config()
    from dataclasses import replace

    profile.save_config(replace(config, settings=replace(config.settings, offline_lock_hours=30 * 24)))
    outcome = session_at(profile, secrets, CONTACT + dt.timedelta(days=26)).login(PASSWORD)
    assert outcome.days_until_wipe == 4
    assert outcome.warnings and "Over 4 dagen" in outcome.warnings[0] and "uw 0 niet-verzonden" in outcome.warnings[0]


def test_wrong_offline_passwords_count_down_then_destroy_the_password_copy(tmp_path, secrets):
    profile = offline_profile(tmp_path / "p", secrets)
    session = session_at(profile, secrets, CONTACT + dt.timedelta(hours=1))
    for attempt in range(1, 10):
        with pytest.raises(errors.WrongOfflinePassword) as caught:
            session.login("fout-wachtwoord")
        assert caught.value.details["remaining"] == 10 - attempt
    with pytest.raises(errors.OfflineUnlockUnavailable):
        session.login("fout-wachtwoord")
    # Even the right password no longer opens it offline: only an online login (escrow) will.
    with pytest.raises(errors.OfflineUnlockUnavailable):
        session.login(PASSWORD)
    assert not Vault.load(profile, secrets).has_password_copy


def test_password_only_mode_without_a_keychain(tmp_path):
    profile = offline_profile(tmp_path / "p", None)
    assert Vault.load(profile, None).mode == "password-only"
    session = session_at(profile, None, CONTACT + dt.timedelta(hours=1))
    assert not session.login(PASSWORD).online and session.unlocked
    session.close()
