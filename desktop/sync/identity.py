"""The device's identity as the profile keeps it: its certificate and its private key (R-10).

The key is sealed by `desktop.vault` (keychain or the service's unlock key); this module opens
and stores the pair for the session, `doctor` and the benchmarks alike.
"""

from __future__ import annotations

from desktop import errors, vault as vault_mod
from desktop.profile import Profile, ProfileError
from desktop.secrets import SecretStore
from desktop.sync.transport import DeviceIdentity


def load_identity(profile: Profile, secrets: SecretStore | None) -> DeviceIdentity:
    """The enrolled device's certificate and key; NotEnrolled when either is missing.

    An enrolled profile whose certificate or key is gone (a new user profile) gets its own
    sentence: "enroll again", not "never enrolled". Where only the service's unlock key opens the
    key (R-10: password-only mode, or a keychain that lost its entry) `Session.login` opens it.
    """
    return unlock_identity(profile, secrets, None)[0]


def unlock_identity(
    profile: Profile, secrets: SecretStore | None, unlock_key: bytes | None
) -> tuple[DeviceIdentity, str]:
    try:
        certificate_pem = profile.device_cert_path.read_bytes()
        unlocked = vault_mod.unlock_device_key(profile, secrets, unlock_key)
    except (FileNotFoundError, vault_mod.DeviceKeyMissing):
        try:
            was_enrolled = bool(profile.load_config().device_id) if profile.config_path.exists() else False
        except ProfileError:
            was_enrolled = False
        raise (errors.DeviceCredentialsMissing() if was_enrolled else errors.NotEnrolled()) from None
    except vault_mod.DeviceKeyLocked as locked:
        raise (errors.KeychainEntryMissing() if locked.keychain_lost else errors.DevicePasswordNeeded()) from None
    return DeviceIdentity(certificate_pem, unlocked.key), unlocked.source


def save_identity(
    profile: Profile, secrets: SecretStore | None, identity: DeviceIdentity, unlock_key: bytes | None = None
) -> None:
    """The certificate, and the key where it can be wrapped now. Without a keychain the key is
    sealed only after the first login (the unlock key comes from the service); until then it
    lives in memory alone."""
    if secrets is not None or unlock_key is not None:
        vault_mod.store_device_key(profile, identity.private_key, secrets, unlock_key)
    profile.write_private(profile.device_cert_path, identity.certificate_pem)
