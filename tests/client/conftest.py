"""Fixtures for the client core: fresh profile dirs, an in-memory secret store, cheap Argon2 and
an open encrypted cache. The feed builders are in tests/client/factories.py.

Kept generic so the transport, session and sync tests can use them too.
"""

from __future__ import annotations

import os

import pytest

from desktop.cache import close_cache, open_cache, set_user
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore
from desktop.vault import KdfParams
from tests.client.factories import ME


@pytest.fixture
def memory_secret_store() -> InMemorySecretStore:
    return InMemorySecretStore()


@pytest.fixture
def cheap_kdf() -> KdfParams:
    """Argon2id at its minimum cost: the tests check the hierarchy, not the brake."""
    return KdfParams(memory_kib=64, iterations=1, lanes=1)


@pytest.fixture
def profile_dir(tmp_path):
    return tmp_path / "profile"


@pytest.fixture
def profile(profile_dir) -> Profile:
    return Profile(profile_dir)


@pytest.fixture
def data_key() -> bytes:
    return os.urandom(32)


@pytest.fixture
def cache_conn(profile, data_key):
    """A fresh, migrated encrypted cache belonging to ME."""
    profile.ensure_dir()
    conn = open_cache(profile.cache_path, data_key, create=True)
    set_user(conn, ME)
    yield conn
    close_cache(conn)


# --- feed builders (plain dicts, as the service sends them) ---
