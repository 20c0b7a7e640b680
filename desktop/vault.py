"""The key hierarchy: one random data key opens the cache; it is stored only wrapped, twice.

    data key (32 random bytes, SQLCipher raw key)
      ├─ AES-256-GCM under HKDF(Argon2id(password) ‖ device secret)   "password copy"
      │    device secret: 32 random bytes in an approved OS keychain (keyring mode);
      │    absent in password-only mode, where the password alone is the secret
      └─ AES-256-GCM under HKDF(escrow key)                            "escrow copy"
           escrow key: 32 bytes the service hands this device after an online login

The device's TLS key is kept apart from this (see "the device's private key" below): the keychain
copy serves before login; the sealed copy, opened by a key the service releases after a login,
serves password-only mode and a lost keychain.

A password change or reset re-wraps the data key; the database is never re-encrypted. After
`max_attempts` wrong offline unlocks the password copy is destroyed and only the escrow copy,
i.e. an online login, opens the cache again.

The attempt counter lives in vault.json (and, in keyring mode, in the keychain too; the higher
wins). That is best-effort: someone who can restore an old vault.json *and* has the keychain can
reset it; in password-only mode restoring the file resets it. Argon2id's cost is the real brake.

Python cannot wipe immutable `bytes`; "locking" means dropping every reference to the data key
(see `desktop.cache.db.close_cache`), not scrubbing memory.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from desktop.profile import Profile
from desktop.secrets import SecretStore, SecretStoreError

VAULT_FORMAT = 1
KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
MAX_OFFLINE_ATTEMPTS = 10

MODE_KEYRING = "keyring"
MODE_PASSWORD_ONLY = "password-only"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. Production: 64 MiB, t raised until ~0.5 s on a field laptop, 4 lanes."""

    memory_kib: int = 65536
    iterations: int = 8
    lanes: int = 4

    def to_json(self) -> dict:
        return {"name": "argon2id", "memory_kib": self.memory_kib, "iterations": self.iterations, "lanes": self.lanes}

    @classmethod
    def from_environment(cls) -> "KdfParams":
        """The real cost, or the cheaper one MENSCENTRAAL_KDF ("memory_kib,iterations,lanes") asks
        for: tests only (the command line, the self-test and the demo all read it here)."""
        raw = os.environ.get("MENSCENTRAAL_KDF")
        if not raw:
            return cls()
        memory, iterations, lanes = (int(part) for part in raw.split(","))
        return cls(memory_kib=memory, iterations=iterations, lanes=lanes)

    @classmethod
    def from_json(cls, data: object) -> "KdfParams":
        if not isinstance(data, dict) or data.get("name") != "argon2id":
            raise VaultCorrupt("unknown key derivation")
        values = [data.get("memory_kib"), data.get("iterations"), data.get("lanes")]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
            raise VaultCorrupt("bad key derivation parameters")
        return cls(*values)


# --- errors (the command line and the GUI map these to one Dutch sentence each) ---


class VaultError(Exception):
    """Base class; messages carry no secrets and no personal data."""


class VaultMissing(VaultError):
    """This profile has no vault yet (not enrolled, or wiped)."""


class VaultExists(VaultError):
    """Create was called on a profile that already has a vault."""


class VaultCorrupt(VaultError):
    """vault.json is unreadable or was tampered with."""


class WrongPassword(VaultError):
    def __init__(self, remaining: int):
        super().__init__(f"wrong password; {remaining} offline attempts left")
        self.remaining = remaining


class PasswordCopyDestroyed(VaultError):
    """Too many wrong offline unlocks: only an online login (escrow) opens the cache."""


class DeviceSecretMissing(VaultError):
    """Keyring mode, but the keychain no longer holds this device's secret: use the escrow."""


class EscrowKeyRejected(VaultError):
    """The escrow key does not open the escrow copy (another device's key, or tampering)."""


class KeychainUnavailable(VaultError):
    """The approved keychain refused to store or give a secret (locked, D-Bus gone): nothing was changed.

    The caller may retry, or continue in password-only mode by passing `secrets=None`.
    """


class DeviceKeyMissing(VaultError):
    """No device private key in this profile, or its keychain secret is gone: enroll again."""


# --- small helpers ---


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise VaultCorrupt(f"{what} missing")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise VaultCorrupt(f"{what} damaged") from exc


def _hkdf(material: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(material)


def _password_kek(password: str, salt: bytes, kdf: KdfParams, device_secret: bytes | None) -> bytes:
    stretched = Argon2id(
        salt=salt, length=KEY_BYTES, iterations=kdf.iterations, lanes=kdf.lanes, memory_cost=kdf.memory_kib
    ).derive(password.encode("utf-8"))
    # Both halves are needed: the disk (salt, blob) plus the password, or plus the keychain, is not enough.
    return _hkdf(stretched + (device_secret or b""), salt, b"menscentraal vault password-kek v1")


def _escrow_kek(escrow_key: bytes, vault_id: str) -> bytes:
    return _hkdf(escrow_key, vault_id.encode(), b"menscentraal vault escrow-kek v1")


def _seal(kek: bytes, data_key: bytes, aad: bytes) -> dict:
    nonce = os.urandom(NONCE_BYTES)
    return {"nonce": _b64(nonce), "ciphertext": _b64(AESGCM(kek).encrypt(nonce, data_key, aad))}


def _open(kek: bytes, blob: dict, aad: bytes) -> bytes:
    nonce = _unb64(blob.get("nonce"), "nonce")
    ciphertext = _unb64(blob.get("ciphertext"), "ciphertext")
    if len(nonce) != NONCE_BYTES:
        raise VaultCorrupt("nonce damaged")
    data_key = AESGCM(kek).decrypt(nonce, ciphertext, aad)  # InvalidTag for a wrong key
    if len(data_key) != KEY_BYTES:
        raise VaultCorrupt("data key has the wrong length")
    return data_key


def _aad(vault_id: str, purpose: str) -> bytes:
    # Binds each blob to this vault and its role, so blobs cannot be swapped between files.
    return f"menscentraal-vault/{VAULT_FORMAT}/{vault_id}/{purpose}".encode()


def _check_key(key: bytes, what: str) -> None:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise ValueError(f"{what} must be {KEY_BYTES} bytes")


class Vault:
    """vault.json of one profile. Holds wrapped keys only; never the data key itself."""

    def __init__(self, profile: Profile, secrets: SecretStore | None, state: dict):
        self.profile = profile
        self._secrets = secrets
        self._state = state

    # --- creation and loading ---

    @staticmethod
    def exists(profile: Profile) -> bool:
        return profile.vault_path.exists()

    @classmethod
    def create(
        cls,
        profile: Profile,
        password: str,
        escrow_key: bytes,
        secrets: SecretStore | None,
        kdf: KdfParams = KdfParams(),
    ) -> tuple["Vault", bytes]:
        """A new random data key, wrapped under the password (+ device secret) and the escrow key.

        Refuses to replace an existing vault: that would make its cache unreadable for good.
        """
        _check_key(escrow_key, "escrow key")
        if cls.exists(profile):
            raise VaultExists("this profile already has a vault; wipe it first")
        data_key = os.urandom(KEY_BYTES)
        vault_id = os.urandom(8).hex()
        state = {
            "format": VAULT_FORMAT,
            "vault_id": vault_id,
            "mode": MODE_PASSWORD_ONLY,
            "password_copy": None,
            "escrow_copy": _seal(_escrow_kek(escrow_key, vault_id), data_key, _aad(vault_id, "escrow")),
            "failed_unlocks": 0,
        }
        vault = cls(profile, secrets, state)
        vault._wrap_password(data_key, password, kdf)
        vault._save()
        return vault, data_key

    @classmethod
    def load(cls, profile: Profile, secrets: SecretStore | None) -> "Vault":
        try:
            raw = profile.vault_path.read_bytes()
        except FileNotFoundError:
            raise VaultMissing("no vault in this profile") from None
        try:
            state = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise VaultCorrupt("vault.json is not valid JSON") from exc
        if (
            not isinstance(state, dict)
            or state.get("format") != VAULT_FORMAT
            or not isinstance(state.get("vault_id"), str)
            or state.get("mode") not in (MODE_KEYRING, MODE_PASSWORD_ONLY)
            or not isinstance(state.get("escrow_copy"), dict)
            or not isinstance(state.get("failed_unlocks"), int)
            or not (state.get("password_copy") is None or isinstance(state["password_copy"], dict))
        ):
            raise VaultCorrupt("vault.json has an unknown layout")
        return cls(profile, secrets, state)

    # --- state ---

    @property
    def mode(self) -> str:
        """ "keyring" when an OS keychain holds half the secret, else "password-only"."""
        return self._state["mode"]

    @property
    def vault_id(self) -> str:
        return self._state["vault_id"]

    @property
    def has_password_copy(self) -> bool:
        return self._state["password_copy"] is not None

    @property
    def failed_unlocks(self) -> int:
        return max(self._state["failed_unlocks"], self._keychain_counter())

    @property
    def remaining_attempts(self) -> int:
        return max(0, MAX_OFFLINE_ATTEMPTS - self.failed_unlocks)

    @property
    def kdf(self) -> KdfParams | None:
        copy = self._state["password_copy"]
        return KdfParams.from_json(copy.get("kdf")) if copy else None

    def _secret_name(self, what: str) -> str:
        return f"vault-{self.vault_id}-{what}"

    # --- unlocking ---

    def unlock_with_password(self, password: str) -> bytes:
        """The data key, or WrongPassword(remaining) / PasswordCopyDestroyed / DeviceSecretMissing
        (the keychain has no such entry) / KeychainUnavailable (it would not answer: locked, no D-Bus)."""
        copy = self._state["password_copy"]
        if copy is None or self.failed_unlocks >= MAX_OFFLINE_ATTEMPTS:
            self._destroy_password_copy()
            raise PasswordCopyDestroyed("the password copy of the key was destroyed")
        device_secret = None
        if self.mode == MODE_KEYRING:
            try:
                device_secret = self._secrets.get(self._secret_name("device-secret")) if self._secrets else None
            except SecretStoreError as exc:
                raise KeychainUnavailable("the keychain could not be read") from exc
            if device_secret is None:
                raise DeviceSecretMissing("the keychain does not hold this device's secret")
        kdf = KdfParams.from_json(copy.get("kdf"))
        salt = _unb64(copy.get("salt"), "salt")
        try:
            data_key = _open(_password_kek(password, salt, kdf, device_secret), copy, _aad(self.vault_id, "password"))
        except InvalidTag:
            failed = self.failed_unlocks + 1
            self._set_counter(failed)
            if failed >= MAX_OFFLINE_ATTEMPTS:
                self._destroy_password_copy()
                raise PasswordCopyDestroyed("the password copy of the key was destroyed") from None
            raise WrongPassword(MAX_OFFLINE_ATTEMPTS - failed) from None
        if self.failed_unlocks:
            self._set_counter(0)
        return data_key

    def unlock_with_escrow(self, escrow_key: bytes) -> bytes:
        """The data key through the service's escrow key (after an online login)."""
        _check_key(escrow_key, "escrow key")
        try:
            return _open(
                _escrow_kek(escrow_key, self.vault_id), self._state["escrow_copy"], _aad(self.vault_id, "escrow")
            )
        except InvalidTag:
            raise EscrowKeyRejected("the escrow key does not open this vault") from None

    # --- re-wrapping ---

    def rewrap_password(self, data_key: bytes, new_password: str, kdf: KdfParams | None = None) -> None:
        """Wrap the same data key under a new password; resets the attempt counter.

        Uses the keychain when one is available now, so a vault that lost its keychain drops to
        password-only mode here rather than becoming unusable.
        """
        _check_key(data_key, "data key")
        self._wrap_password(data_key, new_password, kdf or self.kdf or KdfParams())
        self._state["failed_unlocks"] = 0
        self._save()
        self._store_keychain_counter(0)

    def rewrap_escrow(self, data_key: bytes, escrow_key: bytes) -> None:
        """Wrap under a new escrow key (the service rotated it)."""
        _check_key(data_key, "data key")
        _check_key(escrow_key, "escrow key")
        self._state["escrow_copy"] = _seal(
            _escrow_kek(escrow_key, self.vault_id), data_key, _aad(self.vault_id, "escrow")
        )
        self._save()

    def _wrap_password(self, data_key: bytes, password: str, kdf: KdfParams) -> None:
        device_secret = None
        mode = MODE_PASSWORD_ONLY
        if self._secrets is not None:
            name = self._secret_name("device-secret")
            try:
                device_secret = self._secrets.get(name)
                if device_secret is None:
                    device_secret = os.urandom(KEY_BYTES)
                    self._secrets.set(name, device_secret)
            except SecretStoreError as exc:
                raise KeychainUnavailable("the keychain could not store the device secret") from exc
            mode = MODE_KEYRING
        salt = os.urandom(SALT_BYTES)
        copy = _seal(_password_kek(password, salt, kdf, device_secret), data_key, _aad(self.vault_id, "password"))
        copy.update({"salt": _b64(salt), "kdf": kdf.to_json()})
        self._state["password_copy"] = copy
        self._state["mode"] = mode

    # --- counter and destruction ---

    def _keychain_counter(self) -> int:
        if self.mode != MODE_KEYRING or self._secrets is None:
            return 0
        try:
            raw = self._secrets.get(self._secret_name("failed-unlocks"))
        except SecretStoreError:
            return 0
        return int.from_bytes(raw, "big") if raw else 0

    def _store_keychain_counter(self, value: int) -> None:
        if self.mode == MODE_KEYRING and self._secrets is not None:
            try:
                self._secrets.set(self._secret_name("failed-unlocks"), value.to_bytes(2, "big"))
            except SecretStoreError:
                pass  # the counter in vault.json still counts

    def _set_counter(self, value: int) -> None:
        self._state["failed_unlocks"] = value
        self._save()
        self._store_keychain_counter(value)

    def _destroy_password_copy(self) -> None:
        if self._state["password_copy"] is not None:
            self._state["password_copy"] = None
            self._save()

    def _save(self) -> None:
        self.profile.write_private(self.profile.vault_path, json.dumps(self._state, indent=2).encode())

    # --- wipe ---

    def wipe(self, keep_device_key: bool = False) -> None:
        """Destroy every key of this profile and delete the cache with its side files."""
        wipe_profile(self.profile, self._secrets, vault_id=self.vault_id, keep_device_key=keep_device_key)

    def __repr__(self) -> str:
        return f"Vault(mode={self.mode!r}, password_copy={self.has_password_copy})"


def seal_under_data_key(vault: Vault, data_key: bytes, plaintext: bytes, purpose: str) -> dict:
    """`plaintext` encrypted under the cache's data key, with the vault's escrow copy of that key
    beside it: after the vault is wiped, the service's escrow key still opens it (online only)."""
    _check_key(data_key, "data key")
    nonce = os.urandom(NONCE_BYTES)
    kek = _hkdf(data_key, vault.vault_id.encode(), f"menscentraal {purpose} v1".encode())
    return {
        "format": VAULT_FORMAT,
        "vault_id": vault.vault_id,
        "escrow_copy": dict(vault._state["escrow_copy"]),
        "nonce": _b64(nonce),
        "ciphertext": _b64(AESGCM(kek).encrypt(nonce, plaintext, _aad(vault.vault_id, purpose))),
    }


def open_with_escrow(sealed: object, escrow_key: bytes, purpose: str) -> bytes:
    """What `seal_under_data_key` sealed, through the escrow key; EscrowKeyRejected or VaultCorrupt."""
    _check_key(escrow_key, "escrow key")
    if (
        not isinstance(sealed, dict)
        or not isinstance(sealed.get("vault_id"), str)
        or not isinstance(sealed.get("escrow_copy"), dict)
    ):
        raise VaultCorrupt("sealed file has an unknown layout")
    vault_id = sealed["vault_id"]
    try:
        data_key = _open(_escrow_kek(escrow_key, vault_id), sealed["escrow_copy"], _aad(vault_id, "escrow"))
        kek = _hkdf(data_key, vault_id.encode(), f"menscentraal {purpose} v1".encode())
        return AESGCM(kek).decrypt(
            _unb64(sealed.get("nonce"), "nonce"),
            _unb64(sealed.get("ciphertext"), "ciphertext"),
            _aad(vault_id, purpose),
        )
    except InvalidTag:
        raise EscrowKeyRejected("the escrow key does not open this file") from None


def wipe_profile(
    profile: Profile, secrets: SecretStore | None, vault_id: str | None = None, keep_device_key: bool = False
) -> None:
    """Destroy keys (keychain entries too) and delete cache.db, -wal, -shm, vault and device key.

    Works without a readable vault (a revoked device must wipe even when vault.json is damaged).
    `keep_device_key` keeps the device's TLS identity for one more call (the revocation
    acknowledgement needs it); call again without it afterwards.
    """
    if vault_id is None:
        try:
            vault_id = Vault.load(profile, None).vault_id
        except VaultError:
            vault_id = None
    if secrets is not None:
        names = [] if keep_device_key else [f"device-key-{_profile_id_or_none(profile)}"]
        if vault_id:
            names += [f"vault-{vault_id}-device-secret", f"vault-{vault_id}-failed-unlocks"]
        for name in names:
            try:
                secrets.delete(name)
            except SecretStoreError:
                pass  # the files below go anyway; without them the secret opens nothing
    # The vault first: once it is gone the cache is unreadable even if a delete below fails.
    paths = [profile.vault_path, profile.cache_path, *profile.cache_side_paths, *profile.damaged_cache_paths]
    if not keep_device_key:
        paths += [profile.device_key_path, device_key_sealed_path(profile), profile.device_cert_path]
    for path in paths:
        if path == profile.device_key_path and _is_plain_pem(path):
            shred(path)  # a device key from before R-10 lies in the clear
        path.unlink(missing_ok=True)


def _profile_id_or_none(profile: Profile) -> str | None:
    try:
        return profile.load_config().profile_id or None
    except Exception:
        return None


# --- the device's private key (needed for mutual TLS before the cache can open) ---
#
# never in the clear on disk. Two wrappings, each in its own file:
#   device-key.pem          encrypted PKCS#8 under a random passphrase kept in the OS keychain
#                           (keyring mode only): usable before login, for `doctor`.
#   device-key.sealed.json  AES-256-GCM of the PKCS#8 DER under the device's unlock key, which the
#                           service releases only after a full login (POST /devices/key-unlock):
#                           the only copy in password-only mode, and the way back in keyring mode
#                           when the keychain lost its entry.
# The unlock key is derived from the device's escrow key (the service holds it; the client derives
# it after an online login to seal). A copied profile without the keychain carries no device
# identity, and guessing the password means online logins that count towards the lockout.

DEVICE_KEY_SEALED_FILE = "device-key.sealed.json"
DEVICE_KEY_FORMAT = 1
_DEVICE_KEY_AAD = b"menscentraal-device-key/1"

SOURCE_KEYCHAIN = "keychain"
SOURCE_SEALED = "sealed"
SOURCE_PLAIN = "plain"  # a profile from before R-10; the next online login seals it


class DeviceKeyLocked(VaultError):
    """Only the service's unlock key opens the device key here (password-only mode, or a lost keychain entry)."""

    def __init__(self, keychain_lost: bool):
        super().__init__(
            "the device key needs the service's unlock key"
            + ("; the keychain lost its secret" if keychain_lost else "")
        )
        self.keychain_lost = keychain_lost


@dataclass(frozen=True)
class UnlockedDeviceKey:
    key: ec.EllipticCurvePrivateKey
    source: str  # SOURCE_KEYCHAIN | SOURCE_SEALED | SOURCE_PLAIN


def device_key_sealed_path(profile: Profile) -> Path:
    return profile.root / DEVICE_KEY_SEALED_FILE


def device_key_unlock_key(escrow_key: bytes, device_id: str) -> bytes:
    """What the service releases after a login; server_stub/escrow.py derives the same."""
    _check_key(escrow_key, "escrow key")
    return HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=device_id.encode("utf-8"),
        info=b"menscentraal device-key-unlock v1",
    ).derive(escrow_key)


def _device_key_secret_name(profile: Profile) -> str:
    return f"device-key-{profile.profile_id()}"


def _device_key_kek(unlock_key: bytes) -> bytes:
    return _hkdf(unlock_key, b"", b"menscentraal device-key kek v1")


def shred(path: Path) -> None:
    """Overwrite a file in place, then delete it. Best effort: SSDs and copy-on-write file
    systems may keep old blocks; the point is that no readable copy stays in the profile."""
    try:
        size = path.stat().st_size
        with open(path, "r+b") as handle:
            handle.write(os.urandom(max(size, 1)))
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError:
        return
    path.unlink(missing_ok=True)


def _is_plain_pem(path: Path) -> bool:
    try:
        first = path.read_bytes().split(b"\n", 1)[0]
    except FileNotFoundError:
        return False
    return b"PRIVATE KEY" in first and b"ENCRYPTED" not in first


def store_device_key(
    profile: Profile,
    private_key: ec.EllipticCurvePrivateKey,
    secrets: SecretStore | None,
    unlock_key: bytes | None = None,
) -> None:
    """Write the device key wrapped under the keychain (when given) and the unlock key (when given).

    Never in the clear: at least one of the two is required. The sealed copy is written first, so
    a crash halfway leaves a way in; a plain copy from before R-10 is shredded.
    """
    if secrets is None and unlock_key is None:
        raise ValueError("the device key needs a keychain or an unlock key to be wrapped under")
    der = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    if unlock_key is not None:
        _check_key(unlock_key, "unlock key")
        nonce = os.urandom(NONCE_BYTES)
        sealed = {
            "format": DEVICE_KEY_FORMAT,
            "nonce": _b64(nonce),
            "ciphertext": _b64(AESGCM(_device_key_kek(unlock_key)).encrypt(nonce, der, _DEVICE_KEY_AAD)),
        }
        profile.write_private(device_key_sealed_path(profile), json.dumps(sealed, indent=2).encode())
    if _is_plain_pem(profile.device_key_path):
        shred(profile.device_key_path)  # the rename below would unlink its blocks, not overwrite them
    if secrets is not None:
        passphrase = base64.b64encode(os.urandom(KEY_BYTES))
        try:
            secrets.set(_device_key_secret_name(profile), passphrase)
        except SecretStoreError as exc:
            raise KeychainUnavailable("the keychain could not store the device key's secret") from exc
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(passphrase),
        )
        profile.write_private(profile.device_key_path, pem)
    else:
        profile.device_key_path.unlink(missing_ok=True)  # a keychain copy without its keychain opens nothing


def device_key_password(profile: Profile, secrets: SecretStore | None) -> bytes | None:
    """The PEM passphrase for device-key.pem (kept in the keychain), or None when it is a plain
    file from before R-10."""
    try:
        pem = profile.device_key_path.read_bytes()
    except FileNotFoundError:
        raise DeviceKeyMissing("no keychain copy of the device key in this profile") from None
    if b"ENCRYPTED" not in pem.split(b"\n", 1)[0]:
        return None
    try:
        passphrase = secrets.get(_device_key_secret_name(profile)) if secrets is not None else None
    except SecretStoreError as exc:
        raise KeychainUnavailable("the keychain could not be read") from exc
    if passphrase is None:
        raise DeviceKeyMissing("the keychain no longer holds the device key's secret")
    return passphrase


def _as_ec_key(key: object) -> ec.EllipticCurvePrivateKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise DeviceKeyMissing("the device key has an unexpected type")
    return key


def _open_sealed_device_key(profile: Profile, unlock_key: bytes) -> ec.EllipticCurvePrivateKey:
    try:
        sealed = json.loads(device_key_sealed_path(profile).read_bytes())
        if not isinstance(sealed, dict) or sealed.get("format") != DEVICE_KEY_FORMAT:
            raise VaultCorrupt("unknown layout")
        nonce = _unb64(sealed.get("nonce"), "nonce")
        ciphertext = _unb64(sealed.get("ciphertext"), "ciphertext")
        der = AESGCM(_device_key_kek(unlock_key)).decrypt(nonce, ciphertext, _DEVICE_KEY_AAD)
        return _as_ec_key(serialization.load_der_private_key(der, password=None))
    except (ValueError, UnicodeDecodeError, InvalidTag, VaultCorrupt) as exc:
        # Damaged, or sealed under another device's key: this profile has no usable device key.
        raise DeviceKeyMissing("the sealed device key does not open") from exc


def unlock_device_key(
    profile: Profile, secrets: SecretStore | None, unlock_key: bytes | None = None
) -> UnlockedDeviceKey:
    """The device key: from the keychain copy when it opens, else from the sealed copy.

    DeviceKeyMissing: no copy opens. DeviceKeyLocked: only the sealed copy is usable and no unlock
    key was given (the caller logs in at the service to get it).
    """
    keychain_lost = False
    try:
        passphrase = device_key_password(profile, secrets)
    except DeviceKeyMissing:
        keychain_lost = profile.device_key_path.exists()  # the file is here, its secret is not
    except KeychainUnavailable:
        pass  # locked or unreachable, not lost: the sealed copy serves
    else:
        try:
            key = serialization.load_pem_private_key(profile.device_key_path.read_bytes(), password=passphrase)
            return UnlockedDeviceKey(_as_ec_key(key), SOURCE_KEYCHAIN if passphrase else SOURCE_PLAIN)
        except (ValueError, TypeError):
            keychain_lost = True  # a damaged file or a passphrase that no longer fits: try the sealed copy
    if not device_key_sealed_path(profile).exists():
        raise DeviceKeyMissing("no usable copy of the device key in this profile")
    if unlock_key is None:
        raise DeviceKeyLocked(keychain_lost)
    return UnlockedDeviceKey(_open_sealed_device_key(profile, unlock_key), SOURCE_SEALED)


def load_device_key(
    profile: Profile, secrets: SecretStore | None, unlock_key: bytes | None = None
) -> ec.EllipticCurvePrivateKey:
    return unlock_device_key(profile, secrets, unlock_key).key
