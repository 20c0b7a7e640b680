"""R-10 (issue 13 item 11) and the lost keychain entry (issue 12), against the real service.

The device key is never in the clear on disk; a copied profile carries no usable device identity;
a plain key from before R-10 is sealed and shredded at the next login; a keychain that lost its
entry gets its own sentence and an online login recovers the cache; a wipe never loses unsent
changes without being told.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid

import pytest
from cryptography.hazmat.primitives import serialization

from desktop import errors, vault as vault_mod
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore, SecretStoreError
from desktop.session import Session, enroll_device
from desktop.sync.identity import load_identity
from desktop.sync.doctor import diagnose
from desktop.vault import KdfParams
from desktop.wipe import last_unsent_count
from tests.client.test_cli import run_cli

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PLAIN_PEM = re.compile(rb"-----BEGIN (?:EC |RSA |)PRIVATE KEY-----")


def enroll(service, root, username, secrets):
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
    return profile, session


def queue_unsent(session: Session, count: int) -> None:
    # Raw rows: what matters here is that the outbox holds changes, not what they say.
    for _ in range(count):
        session.cache.execute(
            "INSERT INTO outbox (id, kind, payload, created_at) VALUES (?, 'journal.add', '{}', ?)",
            (str(uuid.uuid4()), dt.datetime.now(dt.timezone.utc).isoformat()),
        )


def usable_private_keys(root) -> list[str]:
    """Every file under `root` that loads as a private key without a password, or holds a plain PEM one."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if PLAIN_PEM.search(data):
            found.append(path.name)
            continue
        for load in (serialization.load_pem_private_key, serialization.load_der_private_key):
            try:
                load(data, password=None)
            except (ValueError, TypeError):
                continue
            found.append(path.name)
    return found


def test_copied_password_only_profile_carries_no_usable_device_key_R10_item11(service, tmp_path):
    profile, session = enroll(service, tmp_path / "p", "anouk", None)
    session.close()
    copy = Profile(tmp_path / "other-machine" / "p")
    shutil.copytree(profile.root, copy.root)
    assert usable_private_keys(copy.root) == []
    assert not copy.device_key_path.exists() and vault_mod.device_key_sealed_path(copy).exists()
    with pytest.raises(vault_mod.DeviceKeyLocked):
        vault_mod.load_device_key(copy, None)
    with pytest.raises(errors.DevicePasswordNeeded):
        load_identity(copy, None)
    # Guessing means asking the service, which counts every wrong password (seed L4).
    with pytest.raises(errors.WrongPassword):
        Session(copy, None, kdf=CHEAP_KDF).login("geraden-wachtwoord")


def test_doctor_runs_certificate_free_checks_before_login_and_the_rest_after_R10_item11(service, tmp_path):
    profile, session = enroll(service, tmp_path / "p", "bram", None)
    session.close()
    before = diagnose(profile, None)
    assert [c.status for c in before.checks if c.name in ("dns", "tcp", "tls", "health", "clock")] == ["pass"] * 5
    access = before.check("device-access")
    assert access.status == "skip" and access.error.code == "device-key-needs-password"
    assert before.check("device-certificate").status == "pass" and before.ok
    session = Session(profile, None, kdf=CHEAP_KDF)
    assert session.login(service.password("bram")).online
    after = diagnose(profile, None, identity=session.identity)
    session.close()
    assert after.check("device-access").status == "pass" and after.ok


def test_plain_device_key_from_before_R10_is_sealed_and_shredded_at_next_login_item11(service, tmp_path):
    profile, session = enroll(service, tmp_path / "p", "carla", None)
    key = session.identity.private_key
    session.close()
    # The profile as the previous version left it: the key in the clear, no sealed copy.
    plain = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    profile.write_private(profile.device_key_path, plain)
    vault_mod.device_key_sealed_path(profile).unlink()
    witness = tmp_path / "same-inode"
    witness.hardlink_to(profile.device_key_path)  # sees the old blocks if they are only unlinked
    session = Session(profile, None, kdf=CHEAP_KDF)
    assert session.login(service.password("carla")).online
    session.close()
    assert not profile.device_key_path.exists() and vault_mod.device_key_sealed_path(profile).exists()
    assert usable_private_keys(profile.root) == []
    assert b"PRIVATE KEY" not in witness.read_bytes()  # overwritten in place before deletion
    again = Session(profile, None, kdf=CHEAP_KDF)
    assert again.login(service.password("carla")).online  # and the sealed copy opens through the service
    again.close()


def test_lost_keychain_entry_has_its_own_sentence_and_an_online_login_recovers_issue12(service, tmp_path):
    profile, session = enroll(service, tmp_path / "p", "daan", InMemorySecretStore())
    queue_unsent(session, 3)
    session.close()
    reset_keychain = InMemorySecretStore()  # the OS keychain was reset: every entry is gone
    offline = Session(profile, reset_keychain, kdf=CHEAP_KDF)
    with pytest.raises(errors.KeychainEntryMissing) as lost:
        offline.unlock_offline(service.password("daan"))
    assert "sleutelhanger" in lost.value.message() and "pogingen" not in lost.value.message()
    assert vault_mod.Vault.load(profile, reset_keychain).failed_unlocks == 0  # no attempt was counted
    doctor = diagnose(profile, reset_keychain)
    assert doctor.check("device-certificate").error.code == "keychain-entry-missing"
    # An online login opens the sealed device key and the cache's escrow copy: nothing is lost.
    session = Session(profile, reset_keychain, kdf=CHEAP_KDF)
    assert session.login(service.password("daan")).online
    assert session.unsent_count() == 3
    session.close()
    assert any(name.startswith("device-key-") for name in reset_keychain.names())  # restored
    assert vault_mod.load_device_key(profile, reset_keychain)  # the keychain copy works again
    session = Session(profile, reset_keychain, kdf=CHEAP_KDF)
    assert not session.unlock_offline(service.password("daan")).online and session.unsent_count() == 3
    session.close()


def test_wipe_before_enrolling_again_refuses_to_lose_unsent_changes_unsaid_issue12(service, tmp_path):
    profile, session = enroll(service, tmp_path / "p", "eva", None)
    queue_unsent(session, 4)
    session.close()
    assert last_unsent_count(profile) == 4
    refused = run_cli("--profile", str(profile.root), "wipe")
    assert refused.returncode == 2 and "4" in refused.stderr and "--discard-unsent" in refused.stderr
    assert profile.cache_path.exists() and profile.vault_path.exists()
    with pytest.raises(errors.AlreadyEnrolled):  # enrolling again needs the wipe first
        enroll(service, profile.root, "eva", None)
    done = run_cli("--profile", str(profile.root), "wipe", "--discard-unsent")
    assert done.returncode == 0, done.stderr
    assert not profile.cache_path.exists()


def test_copy_of_a_revoked_device_opens_nothing_even_with_the_password_R10_item11(service, tmp_path):
    from tests.service_fixtures import enrolled_client

    profile, session = enroll(service, tmp_path / "p", "ilse", None)
    session.close()
    copy = Profile(tmp_path / "copy")
    shutil.copytree(profile.root, copy.root)
    forged = Profile(tmp_path / "forged")
    shutil.copytree(profile.root, forged.root)
    forged.update_config(device_id="dev-" + uuid.uuid4().hex)
    # Another device id: told exactly what a wrong password is told, and given nothing.
    with pytest.raises(errors.WrongPassword):
        Session(forged, None, kdf=CHEAP_KDF).login(service.password("ilse"))
    admin = enrolled_client(service, "lotte", login=True)
    assert admin.post(f"/api/v1/admin/devices/{profile.load_config().device_id}/revoke").status_code == 200
    admin.close()
    with pytest.raises(errors.DeviceRevoked):
        Session(copy, None, kdf=CHEAP_KDF).login(service.password("ilse"))
    assert not copy.vault_path.exists() and not copy.cache_path.exists()  # and the copy wiped itself


class LockedKeychain(InMemorySecretStore):
    """A keychain that is there but will not answer (locked, its service not running)."""

    def get(self, name):
        raise SecretStoreError("locked")

    def set(self, name, value):
        raise SecretStoreError("locked")

    def delete(self, name):
        raise SecretStoreError("locked")


def test_locked_keychain_is_not_called_lost_and_online_work_goes_on_issue12(service, tmp_path):
    secrets = InMemorySecretStore()
    profile, session = enroll(service, tmp_path / "p", "anouk", secrets)
    session.close()
    locked = LockedKeychain()
    with pytest.raises(errors.KeychainLocked):
        Session(profile, locked, kdf=CHEAP_KDF).unlock_offline(service.password("anouk"))
    online = Session(profile, locked, kdf=CHEAP_KDF)
    assert online.login(service.password("anouk")).online and online.unlocked
    online.close()
    # Unlocked again, the keychain serves as before.
    again = Session(profile, secrets, kdf=CHEAP_KDF)
    assert again.login(service.password("anouk")).online
    again.close()
    assert not Session(profile, secrets, kdf=CHEAP_KDF).unlock_offline(service.password("anouk")).online
