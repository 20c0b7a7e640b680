"""Typed errors of the encrypted cache; the command line and the GUI turn each into one sentence.

Messages name files and reasons only, never cached data.
"""

from __future__ import annotations

# The disk-fault classification is the lowest layer's (desktop.errors); kept importable from here.
from desktop.errors import STORAGE_REASONS, StorageFailed, storage_reason  # noqa: F401


class CacheError(Exception):
    """Base class for everything the cache refuses."""


class CacheMissing(CacheError):
    """There is no cache file yet (first sync not done, or wiped)."""


class PlainDatabaseRefused(CacheError):
    """The cache file is an unencrypted SQLite database: refused, left untouched."""


class CacheKeyRejected(CacheError):
    """The key does not open the cache (wrong key, or the file is not a cache at all)."""


class CacheCorrupt(CacheError):
    """The cache opened but failed an integrity check."""


class CacheEmpty(CacheCorrupt):
    """A zero-length file stands where the cache should be (its unsent changes may be in the -wal)."""


class CacheStorageFailed(CacheError, StorageFailed):
    """The file system refused (disk full, read-only, no permission, I/O error); the file may be fine.

    `reason` is "full", "read-only", "permission" or "io" (`desktop.errors.storage_reason`).
    """


class MigrationError(CacheError):
    """A schema migration failed or the cache is newer than this program."""


class MalformedPage(CacheError):
    """A sync page from the service did not have the documented shape; nothing was applied."""


class NoCacheUser(CacheError):
    """A page was applied before `set_user`: the cache does not know whose cases are "mine"."""
