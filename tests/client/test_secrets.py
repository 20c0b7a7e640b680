"""Which keychains are trusted: OS keychains yes; `fail`, plaintext files (keyrings.alt) and the rest no."""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import fail, null

from desktop.secrets import (
    InMemorySecretStore,
    KeyringSecretStore,
    SecretStore,
    SecretStoreError,
    approved_system_store,
    is_approved_backend,
)
from desktop.vault import MODE_KEYRING, MODE_PASSWORD_ONLY, Vault


class _DictBackend(keyring.backend.KeyringBackend):
    """Keeps passwords in a dict; the class is renamed below to impersonate real backends."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        if (service, username) not in self.store:
            raise keyring.errors.PasswordDeleteError("missing")
        del self.store[(service, username)]


def _backend_class(module: str, name: str) -> type:
    """A working in-memory backend whose module and class name mimic another backend."""
    return type(name, (_DictBackend,), {"__module__": module, "__qualname__": name})


SECRET_SERVICE = _backend_class("keyring.backends.SecretService", "Keyring")
PLAINTEXT_FILE = _backend_class("keyrings.alt.file", "PlaintextKeyring")
ENCRYPTED_FILE = _backend_class("keyrings.alt.file", "EncryptedKeyring")


def _chainer(*members) -> object:
    return type(
        "ChainerBackend",
        (),
        {"__module__": "keyring.backends.chainer", "__qualname__": "ChainerBackend", "backends": list(members)},
    )()


@pytest.fixture
def restore_keyring():
    before = keyring.get_keyring()
    yield
    keyring.set_keyring(before)


@pytest.mark.parametrize(
    "backend",
    [
        fail.Keyring(),
        null.Keyring(),
        PLAINTEXT_FILE(),
        ENCRYPTED_FILE(),
        _chainer(PLAINTEXT_FILE(), fail.Keyring()),
        _chainer(),
    ],
    ids=[
        "fail",
        "null",
        "keyrings.alt-plaintext",
        "keyrings.alt-encrypted",
        "chainer-without-os-keychain",
        "empty-chainer",
    ],
)
def test_untrusted_backends_lead_to_password_only_mode(backend, profile, cheap_kdf):
    assert approved_system_store(backend) is None
    vault, _ = Vault.create(profile, "wachtwoord", bytes(32), approved_system_store(backend), cheap_kdf)
    assert vault.mode == MODE_PASSWORD_ONLY


def test_active_fail_backend_means_password_only(restore_keyring):
    keyring.set_keyring(fail.Keyring())
    assert approved_system_store() is None


def test_active_plaintext_backend_means_password_only(restore_keyring):
    keyring.set_keyring(PLAINTEXT_FILE())
    assert approved_system_store() is None


def test_os_keychain_is_approved_and_used_for_keyring_mode(profile, cheap_kdf):
    backend = SECRET_SERVICE()
    store = approved_system_store(backend)
    assert store is not None and store.backend is backend
    vault, data_key = Vault.create(profile, "wachtwoord", bytes(32), store, cheap_kdf)
    assert vault.mode == MODE_KEYRING
    assert backend.store  # the device secret went into the keychain, base64 text
    assert Vault.load(profile, store).unlock_with_password("wachtwoord") == data_key


def test_chainer_uses_its_os_keychain_member_directly():
    plaintext, keychain = PLAINTEXT_FILE(), SECRET_SERVICE()
    store = approved_system_store(_chainer(plaintext, keychain))
    assert store is not None and store.backend is keychain
    store.set("x", b"\x00\x01secret")
    assert plaintext.store == {}  # never written to the file backend


def test_a_subclass_of_an_approved_backend_is_not_trusted():
    sneaky = type("Keyring", (SECRET_SERVICE,), {"__module__": "somewhere.else"})
    assert not is_approved_backend(sneaky())
    assert is_approved_backend(SECRET_SERVICE())


def test_keyring_store_round_trip_and_delete():
    store = KeyringSecretStore(_DictBackend())
    assert isinstance(store, SecretStore)
    assert store.get("a") is None
    store.set("a", bytes(range(256)))
    assert store.get("a") == bytes(range(256))
    store.delete("a")
    store.delete("a")  # deleting what is gone is fine
    assert store.get("a") is None


def test_keyring_errors_become_secret_store_errors():
    store = KeyringSecretStore(fail.Keyring())
    with pytest.raises(SecretStoreError):
        store.set("a", b"x")
    damaged = _DictBackend()
    damaged.set_password(store.service, "b", "not base64 !!")
    with pytest.raises(SecretStoreError):
        KeyringSecretStore(damaged).get("b")


def test_in_memory_store_does_not_show_secrets():
    store = InMemorySecretStore()
    store.set("device", b"very-secret-bytes")
    assert "very-secret" not in repr(store)
    assert isinstance(store, SecretStore)
