"""Removing a profile from this device: the user's wipe and the revocation wipe.

Also the two small files a wipe reads and writes without the cache's key (numbers and codes,
nothing personal): how many unsent changes the cache held when last open, and the last account
state the service reported (for `doctor`). Below the session, so `doctor` can wipe a revoked
device without one.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from desktop import errors, unsent_export, vault as vault_mod
from desktop.profile import Profile
from desktop.secrets import SecretStore

log = logging.getLogger(__name__)

ACCOUNT_STATE_FILE = "account-state.json"
UNSENT_FILE = "unsent.json"


def remember_unsent(profile: Profile, count: int) -> None:
    """The outbox's size when the cache was last open (a number, nothing personal): the cache
    itself cannot be counted without the key, and a wipe must say what it would destroy."""
    profile.write_private(profile.root / UNSENT_FILE, json.dumps({"unsent": count}).encode())


def last_unsent_count(profile: Profile) -> int | None:
    try:
        count = json.loads((profile.root / UNSENT_FILE).read_bytes()).get("unsent")
    except (FileNotFoundError, ValueError, UnicodeDecodeError, AttributeError):
        return None
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


def refuse_losing_unsent(profile: Profile) -> None:
    """Before a wipe by the user: refuse while the cache holds (or may hold) unsent changes."""
    if not profile.cache_path.exists():
        return
    count = last_unsent_count(profile)
    if count is None:
        raise errors.UnsentChangesMayBeLost()
    if count:
        raise errors.UnsentChangesWouldBeLost(count=count)


def read_account_state(profile: Profile) -> dict:
    try:
        data = json.loads((profile.root / ACCOUNT_STATE_FILE).read_bytes())
    except (FileNotFoundError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def write_account_state(profile: Profile, state: str, contacts: dict | None = None) -> None:
    """The last account state the service reported (for `doctor`): a code and the contacts."""
    body = {"state": state, "contacts": contacts or {}}
    profile.write_private(profile.root / ACCOUNT_STATE_FILE, json.dumps(body).encode())


def wipe_everything(profile: Profile, secrets: SecretStore | None) -> None:
    vault_mod.wipe_profile(profile, secrets)
    unsent_export.remove(profile)
    for path in (
        profile.ca_cert_path,
        profile.config_path,
        profile.root / ACCOUNT_STATE_FILE,
        profile.root / UNSENT_FILE,
    ):
        path.unlink(missing_ok=True)


def wipe_revoked(profile: Profile, secrets: SecretStore | None, transport: Any, unsent: int | None) -> None:
    """The service says this device is revoked: destroy keys and cache, then acknowledge.

    Nothing is exported (the organisation revoked the device); the acknowledgement over
    `transport` (the device's mutual-TLS transport, None: none is sent) tells the service how
    many unsent changes were destroyed (None when the cache was locked). The caller closes the
    cache before and the transport after.
    """
    vault_mod.wipe_profile(profile, secrets, keep_device_key=True)
    unsent_export.remove(profile)
    try:
        if transport is not None:
            transport.request("POST", "/devices/wipe-ack", json={"unsent_changes": unsent}, authenticated=False)
    except errors.ClientError as exc:
        log.warning("wipe acknowledgement not delivered: %s", exc.code)
    finally:
        wipe_everything(profile, secrets)
        write_account_state(profile, "device-revoked")
