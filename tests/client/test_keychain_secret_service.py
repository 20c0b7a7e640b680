"""Issue 13 item 13: the three-factor key against a real Secret Service (gnome-keyring on D-Bus).

Factors of the cache's data key (desktop/vault.py): the password copy needs the password and the
device secret in the OS keychain; the escrow copy needs the escrow key the service releases after
an online login. The device's TLS key: the keychain copy, or the sealed copy whose unlock key the
service releases after a login (R-10).
"""

from __future__ import annotations

import base64

import keyring
import keyring.core
import pytest

from desktop import errors, vault as vault_mod
from desktop.profile import Profile
from desktop.secrets import APPROVED_BACKENDS, KEYRING_SERVICE, approved_system_store, backend_name
from desktop.session import Session, enroll_device
from desktop.vault import KdfParams, Vault
from tests.client.test_cli import run_cli
from tests.secret_service import running_secret_service

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
SECRET_SERVICE = "keyring.backends.SecretService.Keyring"


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory):
    with running_secret_service(tmp_path_factory.mktemp("secret-service")) as running:
        previous = keyring.get_keyring()
        keyring.core.init_backend()  # detect again, now that a Secret Service is on the bus
        try:
            yield running
        finally:
            keyring.set_keyring(previous)


def test_secret_service_is_on_the_allow_list_and_is_the_one_used_item13(secret_service, service, tmp_path):
    assert {
        SECRET_SERVICE,
        "keyring.backends.Windows.WinVaultKeyring",
        "keyring.backends.macOS.Keyring",
    } <= APPROVED_BACKENDS
    store = approved_system_store()  # what the GUI and the command line ask for
    assert store is not None and backend_name(store.backend) == SECRET_SERVICE
    # The real command, in its own process, finds the same keychain and keeps its secrets there.
    profile = tmp_path / "p"
    env = {
        name: value
        for name, value in secret_service.env.items()
        if name.startswith(("XDG_", "DBUS_")) or name == "HOME"
    }
    enrolled = run_cli(
        "--profile",
        str(profile),
        "enroll",
        "--server",
        service.url,
        "--ca",
        str(service.ca_path),
        "--user",
        "anouk",
        "--code",
        service.enroll_code("anouk"),
        "--password-stdin",
        stdin=service.password("anouk") + "\n",
        env={**env, "MENSCENTRAAL_NO_KEYRING": ""},
    )
    assert enrolled.returncode == 0, enrolled.stderr
    assert Vault.load(Profile(profile), None).mode == vault_mod.MODE_KEYRING
    names = secret_service.items(KEYRING_SERVICE)
    assert any(n.startswith("device-key-") for n in names) and any(n.endswith("-device-secret") for n in names)
    login = run_cli(
        "--profile",
        str(profile),
        "login",
        "--password-stdin",
        stdin=service.password("anouk") + "\n",
        env={**env, "MENSCENTRAAL_NO_KEYRING": ""},
    )
    assert login.returncode == 0 and "sleutelhanger" not in login.stderr, login.stderr  # no password-only warning


def enroll_with_secret_service(service, root, username):
    secrets = approved_system_store()
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


def test_data_key_needs_password_and_keychain_or_the_service_escrow_item13(secret_service, service, tmp_path):
    profile, secrets, session = enroll_with_secret_service(service, tmp_path / "p", "bram")
    password = service.password("bram")
    escrow_key = session._call("GET", "/devices/current/escrow")["escrow_key"]
    session.close()
    escrow_key = base64.b64decode(escrow_key)
    vault = Vault.load(profile, secrets)
    data_key = vault.unlock_with_password(password)  # password x keychain
    with pytest.raises(vault_mod.WrongPassword):
        Vault.load(profile, secrets).unlock_with_password("niet-het-wachtwoord")  # keychain alone
    Vault.load(profile, secrets).unlock_with_password(password)  # (resets the counter)
    with pytest.raises(vault_mod.DeviceSecretMissing):
        Vault.load(profile, None).unlock_with_password(password)  # password alone
    assert Vault.load(profile, None).unlock_with_escrow(escrow_key) == data_key  # escrow alone: the service's factor
    with pytest.raises(vault_mod.EscrowKeyRejected):
        Vault.load(profile, None).unlock_with_escrow(bytes(32))
    # The keychain's secrets live in the Secret Service, never in the profile's files.
    on_disk = b"".join(p.read_bytes() for p in profile.root.rglob("*") if p.is_file())
    kept = secret_service.items(KEYRING_SERVICE)
    secrets_kept = [
        base64.b64decode(kept[name])
        for name in (f"vault-{vault.vault_id}-device-secret", f"device-key-{profile.profile_id()}")
    ]
    assert all(len(secret) >= 32 and secret not in on_disk for secret in secrets_kept)
    # The device key: the keychain copy opens before login; without the keychain only the service does.
    assert vault_mod.load_device_key(profile, secrets)
    with pytest.raises(vault_mod.DeviceKeyLocked):
        vault_mod.load_device_key(profile, None)


def test_lost_secret_service_entries_fail_the_right_way_and_an_online_login_recovers_item13(
    secret_service, service, tmp_path
):
    profile, secrets, session = enroll_with_secret_service(service, tmp_path / "p", "carla")
    session.cache.execute("CREATE TABLE e_probe (v TEXT)")
    session.cache.execute("INSERT INTO e_probe VALUES ('offline-werk')")
    session.close()
    connection, collection = secret_service.collection()
    try:
        for item in collection.search_items({"service": KEYRING_SERVICE}):
            item.delete()  # the user reset the keychain
    finally:
        connection.close()
    offline = Session(profile, secrets, kdf=CHEAP_KDF)
    with pytest.raises(errors.KeychainEntryMissing):
        offline.unlock_offline(service.password("carla"))
    online = Session(profile, secrets, kdf=CHEAP_KDF)
    assert online.login(service.password("carla")).online
    assert [row[0] for row in online.cache.execute("SELECT v FROM e_probe")] == ["offline-werk"]
    online.close()
    assert any(n.startswith("device-key-") for n in secret_service.items(KEYRING_SERVICE))  # back in the keychain
    again = Session(profile, secrets, kdf=CHEAP_KDF)
    assert not again.unlock_offline(service.password("carla")).online
    again.close()
