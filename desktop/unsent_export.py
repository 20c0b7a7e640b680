"""The unsent changes an offline-expiry wipe keeps: `unsent-export.json` in the profile.

Written just before the wipe, encrypted under the cache's data key, with the vault's escrow copy
of that key beside it. The password copy and the keychain secret are wiped with the vault, so
only the service's escrow key (an online login over this device's mutual TLS) opens it again;
the session then puts the changes back in the outbox and removes the file. A revocation wipe
removes it unread.
"""

from __future__ import annotations

import json

from desktop import vault as vault_mod
from desktop.profile import Profile

FILE_NAME = "unsent-export.json"
PURPOSE = "unsent-export"


class ExportUnreadable(Exception):
    """The export is damaged or does not open with this device's escrow key."""


def path_of(profile: Profile):
    return profile.root / FILE_NAME


def exists(profile: Profile) -> bool:
    return path_of(profile).exists()


def write(profile: Profile, vault: vault_mod.Vault, data_key: bytes, rows: list[dict]) -> None:
    """Seal `rows` (outbox rows). At most one export waits: no second offline wipe can come before
    the online login that recovers it (without a vault there is no offline unlock)."""
    sealed = vault_mod.seal_under_data_key(vault, data_key, json.dumps(rows).encode(), PURPOSE)
    sealed["count"] = len(rows)  # in clear: a number for the user's sentence, nothing personal
    profile.write_private(path_of(profile), json.dumps(sealed).encode())


def read(profile: Profile, escrow_key: bytes) -> list[dict]:
    try:
        sealed = json.loads(path_of(profile).read_bytes())
        rows = json.loads(vault_mod.open_with_escrow(sealed, escrow_key, PURPOSE))
    except (OSError, ValueError, UnicodeDecodeError, vault_mod.VaultError) as exc:
        raise ExportUnreadable(type(exc).__name__) from None
    if not isinstance(rows, list):
        raise ExportUnreadable("not a list")
    return rows


def count(profile: Profile) -> int:
    """How many changes the waiting export holds (0 when there is none or it is unreadable)."""
    try:
        value = json.loads(path_of(profile).read_bytes()).get("count")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return 0
    return value if isinstance(value, int) and value >= 0 else 0


def remove(profile: Profile) -> None:
    path_of(profile).unlink(missing_ok=True)
