"""Where the client keeps small secrets: an OS keychain, or nowhere (password-only mode).

The store is injected everywhere so tests use `InMemorySecretStore`. `approved_system_store()`
trusts only real OS keychains: the `keyring` package happily selects a plaintext file backend
(`keyrings.alt`) or the `fail` backend, and a secret kept in either is no secret at all.
"""

from __future__ import annotations

import base64
import binascii
from typing import Protocol, runtime_checkable

import keyring
import keyring.backend
import keyring.errors

KEYRING_SERVICE = "MensCentraal Mobiel"

# Exact backend classes (module.qualname) that keep secrets in the operating system's keychain.
APPROVED_BACKENDS = frozenset(
    {
        "keyring.backends.Windows.WinVaultKeyring",  # Windows Credential Locker
        "keyring.backends.macOS.Keyring",  # macOS Keychain
        "keyring.backends.SecretService.Keyring",  # GNOME Keyring / KeePassXC over Secret Service
        "keyring.backends.libsecret.Keyring",  # Secret Service through libsecret
        "keyring.backends.kwallet.DBusKeyring",  # KWallet 5/6
        "keyring.backends.kwallet.DBusKeyringKWallet4",
    }
)
CHAINER_BACKEND = "keyring.backends.chainer.ChainerBackend"


class SecretStoreError(Exception):
    """The secret store refused or failed an operation (locked keychain, D-Bus gone, ...)."""


@runtime_checkable
class SecretStore(Protocol):
    """Byte secrets by name. `get` returns None when there is no such secret."""

    def get(self, name: str) -> bytes | None: ...

    def set(self, name: str, value: bytes) -> None: ...

    def delete(self, name: str) -> None: ...


class InMemorySecretStore:
    """A secret store that lives as long as the object: for tests and throw-away profiles."""

    def __init__(self) -> None:
        self._secrets: dict[str, bytes] = {}

    def get(self, name: str) -> bytes | None:
        return self._secrets.get(name)

    def set(self, name: str, value: bytes) -> None:
        self._secrets[name] = bytes(value)

    def delete(self, name: str) -> None:
        self._secrets.pop(name, None)

    def names(self) -> list[str]:
        return sorted(self._secrets)

    def __repr__(self) -> str:
        # Never show the secrets themselves, not even in a debugger or a log line.
        return f"InMemorySecretStore({len(self._secrets)} secrets)"


class KeyringSecretStore:
    """Secrets in a `keyring` backend, base64 text under one service name."""

    def __init__(self, backend: keyring.backend.KeyringBackend, service: str = KEYRING_SERVICE):
        self.backend = backend
        self.service = service

    def get(self, name: str) -> bytes | None:
        try:
            text = self.backend.get_password(self.service, name)
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError("the keychain could not be read") from exc
        if text is None:
            return None
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise SecretStoreError("a keychain entry is damaged") from exc

    def set(self, name: str, value: bytes) -> None:
        try:
            self.backend.set_password(self.service, name, base64.b64encode(value).decode("ascii"))
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError("the keychain refused to store a secret") from exc

    def delete(self, name: str) -> None:
        try:
            self.backend.delete_password(self.service, name)
        except keyring.errors.PasswordDeleteError:
            pass  # already gone is what we wanted
        except keyring.errors.KeyringError as exc:
            raise SecretStoreError("the keychain refused to delete a secret") from exc

    def __repr__(self) -> str:
        return f"KeyringSecretStore({backend_name(self.backend)})"


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def is_approved_backend(backend: object) -> bool:
    """Only the exact OS keychain classes; a subclass could store anywhere."""
    return backend_name(backend) in APPROVED_BACKENDS


def _approved_backend(backend: object) -> keyring.backend.KeyringBackend | None:
    if is_approved_backend(backend):
        return backend  # type: ignore[return-value]
    if backend_name(backend) == CHAINER_BACKEND:
        # The chainer writes to its highest-priority member; use the approved member directly so a
        # plaintext backend in the chain can never receive the secret.
        for member in getattr(backend, "backends", []):
            if is_approved_backend(member):
                return member
    return None


def approved_system_store(backend: object | None = None) -> KeyringSecretStore | None:
    """The OS keychain `keyring` selected, or None (→ password-only mode) when it is not one.

    `backend` is for tests; by default the active backend is asked for.
    """
    if backend is None:
        try:
            backend = keyring.get_keyring()
        except Exception:  # a broken keyring configuration means: no keychain
            return None
    approved = _approved_backend(backend)
    return KeyringSecretStore(approved) if approved is not None else None
