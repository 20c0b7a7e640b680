"""Enrolled client profiles for the benchmarks, made with the product's own enrollment and login."""

from __future__ import annotations

from pathlib import Path

from desktop.profile import Profile
from desktop.session import Session, enroll_device
from desktop.vault import KdfParams

from bench import service as service_mod

# Sync benchmarks measure sync, not the password KDF: a cheap one for headless profiles.
CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)
PRODUCTION_KDF = KdfParams()


def enroll(service, root: Path, username: str, password: str, kdf: KdfParams = CHEAP_KDF) -> Profile:
    """Enroll a new device profile at `root` (password-only: no keyring, another process may open it)."""
    profile = Profile(root)
    code = service_mod.enroll_code(service.data_dir, username)
    session, outcome = enroll_device(
        profile, None, service.url, service.ca_path.read_bytes(), username, password, code, kdf=kdf
    )
    assert outcome.online
    session.close()
    return profile


def login(profile: Profile, password: str, kdf: KdfParams = CHEAP_KDF) -> Session:
    session = Session(profile, None, kdf=kdf)
    outcome = session.login(password)
    assert outcome.online
    return session


def drop_cache(profile: Profile) -> None:
    """Delete the encrypted cache (the vault stays): the next login starts from an empty cache."""
    for path in [profile.cache_path, *profile.cache_side_paths]:
        path.unlink(missing_ok=True)
