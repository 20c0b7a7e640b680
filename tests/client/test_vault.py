"""The key hierarchy: password copy, escrow copy, re-wrapping, the 10-attempt limit, wipe."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from desktop.cache import close_cache, open_cache
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore, SecretStoreError
from desktop.vault import (
    MAX_OFFLINE_ATTEMPTS,
    MODE_KEYRING,
    MODE_PASSWORD_ONLY,
    DeviceKeyMissing,
    DeviceSecretMissing,
    EscrowKeyRejected,
    KdfParams,
    KeychainUnavailable,
    PasswordCopyDestroyed,
    Vault,
    VaultCorrupt,
    VaultExists,
    VaultMissing,
    WrongPassword,
    device_key_password,
    load_device_key,
    store_device_key,
    wipe_profile,
    device_key_sealed_path,
    device_key_unlock_key,
    DeviceKeyLocked,
)

PASSWORD = "Correct-Paard-Batterij-7"
ESCROW = bytes(range(32))


@pytest.fixture
def keyring_vault(profile, memory_secret_store, cheap_kdf):
    vault, data_key = Vault.create(profile, PASSWORD, ESCROW, memory_secret_store, cheap_kdf)
    return vault, data_key


def _profile_files(profile: Profile) -> list:
    return [p for p in profile.root.rglob("*") if p.is_file()]


def _assert_no_key_material(profile: Profile, *keys: bytes) -> None:
    for path in _profile_files(profile):
        content = path.read_bytes()
        for key in keys:
            for form in (key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key)):
                assert form not in content, path.name


def test_password_unlock_returns_the_data_key(keyring_vault, profile, memory_secret_store):
    vault, data_key = keyring_vault
    assert vault.mode == MODE_KEYRING
    assert Vault.exists(profile)
    assert Vault.load(profile, memory_secret_store).unlock_with_password(PASSWORD) == data_key


def test_escrow_unlock_returns_the_data_key(keyring_vault, profile):
    vault, data_key = keyring_vault
    # Escrow needs neither the password nor the keychain.
    assert Vault.load(profile, None).unlock_with_escrow(ESCROW) == data_key
    with pytest.raises(EscrowKeyRejected):
        vault.unlock_with_escrow(os.urandom(32))


def test_data_key_opens_the_cache_and_rewrap_keeps_it(keyring_vault, profile, memory_secret_store, cheap_kdf):
    vault, data_key = keyring_vault
    profile.ensure_dir()
    conn = open_cache(profile.cache_path, data_key, create=True)
    conn.execute("CREATE TABLE marker (x)")
    close_cache(conn)
    cache_before = profile.cache_path.read_bytes()
    vault.rewrap_password(data_key, "Nieuw-Wachtwoord-2026")
    reloaded = Vault.load(profile, memory_secret_store)
    with pytest.raises(WrongPassword):
        reloaded.unlock_with_password(PASSWORD)
    key = reloaded.unlock_with_password("Nieuw-Wachtwoord-2026")
    assert key == data_key
    assert profile.cache_path.read_bytes() == cache_before  # re-wrapped, never re-encrypted
    close_cache(open_cache(profile.cache_path, key))


def test_rewrap_can_raise_the_kdf_cost(keyring_vault, profile, memory_secret_store):
    vault, data_key = keyring_vault
    stronger = KdfParams(memory_kib=128, iterations=2, lanes=1)
    vault.rewrap_password(data_key, PASSWORD, stronger)
    reloaded = Vault.load(profile, memory_secret_store)
    assert reloaded.kdf == stronger
    stored = json.loads(profile.vault_path.read_text())["password_copy"]["kdf"]
    assert stored == {"name": "argon2id", "memory_kib": 128, "iterations": 2, "lanes": 1}
    assert reloaded.unlock_with_password(PASSWORD) == data_key


def test_ten_wrong_unlocks_destroy_the_password_copy_then_escrow_works(keyring_vault, profile, memory_secret_store):
    vault, data_key = keyring_vault
    for attempt in range(1, MAX_OFFLINE_ATTEMPTS):
        # A fresh load each time: the counter survives restarts.
        with pytest.raises(WrongPassword) as wrong:
            Vault.load(profile, memory_secret_store).unlock_with_password(f"fout-{attempt}")
        assert wrong.value.remaining == MAX_OFFLINE_ATTEMPTS - attempt
    with pytest.raises(PasswordCopyDestroyed):
        Vault.load(profile, memory_secret_store).unlock_with_password("fout-10")
    assert json.loads(profile.vault_path.read_text())["password_copy"] is None
    reloaded = Vault.load(profile, memory_secret_store)
    with pytest.raises(PasswordCopyDestroyed):
        reloaded.unlock_with_password(PASSWORD)  # even the right password
    # Only the escrow (an online login) opens it; re-wrapping restores offline unlock.
    key = reloaded.unlock_with_escrow(ESCROW)
    assert key == data_key
    reloaded.rewrap_password(key, PASSWORD)
    assert reloaded.remaining_attempts == MAX_OFFLINE_ATTEMPTS
    assert Vault.load(profile, memory_secret_store).unlock_with_password(PASSWORD) == data_key


def test_a_right_password_resets_the_counter(keyring_vault, profile, memory_secret_store):
    vault, _ = keyring_vault
    for _ in range(3):
        with pytest.raises(WrongPassword):
            vault.unlock_with_password("fout")
    vault.unlock_with_password(PASSWORD)
    assert Vault.load(profile, memory_secret_store).remaining_attempts == MAX_OFFLINE_ATTEMPTS


def test_restoring_an_old_vault_file_does_not_reset_the_keychain_counter(keyring_vault, profile, memory_secret_store):
    vault, _ = keyring_vault
    fresh = profile.vault_path.read_bytes()
    for _ in range(5):
        with pytest.raises(WrongPassword):
            vault.unlock_with_password("fout")
    profile.vault_path.write_bytes(fresh)  # the attacker puts back a copy with counter 0
    with pytest.raises(WrongPassword) as wrong:
        Vault.load(profile, memory_secret_store).unlock_with_password("fout")
    assert wrong.value.remaining == MAX_OFFLINE_ATTEMPTS - 6


def test_keyring_mode_needs_both_the_device_secret_and_the_password(keyring_vault, profile, memory_secret_store):
    vault, data_key = keyring_vault
    # The password without the keychain: refused.
    with pytest.raises(DeviceSecretMissing):
        Vault.load(profile, InMemorySecretStore()).unlock_with_password(PASSWORD)
    with pytest.raises(DeviceSecretMissing):
        Vault.load(profile, None).unlock_with_password(PASSWORD)
    # The keychain with another password: refused.
    with pytest.raises(WrongPassword):
        Vault.load(profile, memory_secret_store).unlock_with_password("geraden")
    # A different device secret with the right password: the wrap does not open.
    stolen = InMemorySecretStore()
    for name in memory_secret_store.names():
        if name.endswith("device-secret"):
            stolen.set(name, os.urandom(32))
    with pytest.raises(WrongPassword):
        Vault.load(profile, stolen).unlock_with_password(PASSWORD)


def test_password_only_mode_without_an_approved_keychain(profile, cheap_kdf):
    vault, data_key = Vault.create(profile, PASSWORD, ESCROW, None, cheap_kdf)
    assert vault.mode == MODE_PASSWORD_ONLY
    assert Vault.load(profile, None).unlock_with_password(PASSWORD) == data_key
    with pytest.raises(WrongPassword):
        Vault.load(profile, None).unlock_with_password("fout")


def test_vault_file_holds_no_plaintext_key_material_and_is_private(keyring_vault, profile, memory_secret_store):
    vault, data_key = keyring_vault
    store_device_key(profile, ec.generate_private_key(ec.SECP256R1()), memory_secret_store)
    secrets_in_keychain = [memory_secret_store.get(n) for n in memory_secret_store.names()]
    _assert_no_key_material(profile, data_key, ESCROW, *secrets_in_keychain)
    assert PASSWORD.encode() not in b"".join(p.read_bytes() for p in _profile_files(profile))
    for path in _profile_files(profile):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert stat.S_IMODE(profile.root.stat().st_mode) == 0o700


def test_wipe_destroys_keys_cache_and_side_files(keyring_vault, profile, memory_secret_store):
    vault, data_key = keyring_vault
    store_device_key(profile, ec.generate_private_key(ec.SECP256R1()), memory_secret_store)
    profile.write_private(profile.device_cert_path, b"-----BEGIN CERTIFICATE-----\n")
    conn = open_cache(profile.cache_path, data_key, create=True)
    conn.execute("CREATE TABLE marker (x)")
    assert (profile.root / "cache.db-wal").exists()
    conn.close()
    vault.wipe()
    for path in [
        profile.cache_path,
        *profile.cache_side_paths,
        profile.vault_path,
        profile.device_key_path,
        profile.device_cert_path,
    ]:
        assert not path.exists(), path.name
    assert memory_secret_store.names() == []
    assert not Vault.exists(profile)
    with pytest.raises(VaultMissing):
        Vault.load(profile, memory_secret_store)


def test_wipe_can_keep_the_device_identity_for_the_acknowledgement(keyring_vault, profile, memory_secret_store):
    vault, _ = keyring_vault
    key = ec.generate_private_key(ec.SECP256R1())
    store_device_key(profile, key, memory_secret_store)
    vault.wipe(keep_device_key=True)
    assert not profile.vault_path.exists()
    assert load_device_key(profile, memory_secret_store).private_numbers() == key.private_numbers()
    wipe_profile(profile, memory_secret_store)
    assert not profile.device_key_path.exists() and memory_secret_store.names() == []


def test_damaged_vault_is_refused(profile, memory_secret_store):
    profile.ensure_dir()
    for content in (b"not json", b"[]", json.dumps({"format": 1}).encode()):
        profile.vault_path.write_bytes(content)
        with pytest.raises(VaultCorrupt):
            Vault.load(profile, memory_secret_store)


def test_swapped_blobs_are_refused(profile, memory_secret_store, cheap_kdf):
    Vault.create(profile, PASSWORD, ESCROW, None, cheap_kdf)
    state = json.loads(profile.vault_path.read_text())
    state["vault_id"] = "0" * 16  # the blobs are bound to their vault id
    profile.vault_path.write_text(json.dumps(state))
    with pytest.raises(EscrowKeyRejected):
        Vault.load(profile, None).unlock_with_escrow(ESCROW)


def test_device_key_is_encrypted_under_the_keychain_secret(profile, memory_secret_store):
    key = ec.generate_private_key(ec.SECP256R1())
    store_device_key(profile, key, memory_secret_store)
    pem = profile.device_key_path.read_bytes()
    assert pem.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert stat.S_IMODE(profile.device_key_path.stat().st_mode) == 0o600
    assert load_device_key(profile, memory_secret_store).private_numbers() == key.private_numbers()
    assert device_key_password(profile, memory_secret_store)
    with pytest.raises(DeviceKeyMissing):
        load_device_key(profile, InMemorySecretStore())


def test_device_key_in_password_only_mode_is_sealed_under_the_unlock_key_R10(profile):
    key = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(ValueError):
        store_device_key(profile, key, None)  # never in the clear
    unlock_key = device_key_unlock_key(ESCROW, "dev-1")
    store_device_key(profile, key, None, unlock_key)
    assert not profile.device_key_path.exists()
    sealed = device_key_sealed_path(profile)
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" not in sealed.read_bytes()
    with pytest.raises(DeviceKeyLocked) as locked:
        load_device_key(profile, None)
    assert not locked.value.keychain_lost
    with pytest.raises(DeviceKeyMissing):
        load_device_key(profile, None, device_key_unlock_key(ESCROW, "dev-2"))  # another device's key
    assert load_device_key(profile, None, unlock_key).private_numbers() == key.private_numbers()


def test_device_key_file_loads_into_an_ssl_context(tmp_path, profile, memory_secret_store):
    import datetime as dt
    import ssl

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    store_device_key(profile, key, memory_secret_store)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "device")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    profile.write_private(profile.device_cert_path, cert.public_bytes(serialization.Encoding.PEM))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_cert_chain(
        profile.device_cert_path, profile.device_key_path, password=device_key_password(profile, memory_secret_store)
    )


class _BrokenKeychain(InMemorySecretStore):
    """A keychain that stops answering (locked, D-Bus gone)."""

    def get(self, name):
        raise SecretStoreError("locked")

    def set(self, name, value):
        raise SecretStoreError("locked")


def test_a_keychain_that_fails_gives_typed_errors_and_changes_nothing(keyring_vault, profile, cheap_kdf):
    vault, data_key = keyring_vault
    before = profile.vault_path.read_bytes()
    with pytest.raises(KeychainUnavailable):  # locked is not lost: its own error (issue 12)
        Vault.load(profile, _BrokenKeychain()).unlock_with_password(PASSWORD)
    with pytest.raises(KeychainUnavailable):
        Vault.load(profile, _BrokenKeychain()).rewrap_password(data_key, "nieuw")
    assert profile.vault_path.read_bytes() == before
    with pytest.raises(KeychainUnavailable):
        store_device_key(profile, ec.generate_private_key(ec.SECP256R1()), _BrokenKeychain())
    assert not profile.device_key_path.exists()


def test_create_never_replaces_an_existing_vault(keyring_vault, profile, memory_secret_store, cheap_kdf):
    vault, data_key = keyring_vault
    before = profile.vault_path.read_bytes()
    with pytest.raises(VaultExists):
        Vault.create(profile, "ander", ESCROW, memory_secret_store, cheap_kdf)
    assert profile.vault_path.read_bytes() == before
    assert Vault.load(profile, memory_secret_store).unlock_with_password(PASSWORD) == data_key
