"""Typed errors of the encrypted cache; the command line and the GUI turn each into one sentence.

Messages name files and reasons only, never cached data.
"""
from __future__ import annotations

import errno


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


class CacheStorageFailed(CacheError):
    """The file system refused (disk full, read-only, no permission, I/O error); the file may be fine.

    `reason` is "full", "read-only", "permission" or "io" (see `storage_reason` below).
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MigrationError(CacheError):
    """A schema migration failed or the cache is newer than this program."""


class MalformedPage(CacheError):
    """A sync page from the service did not have the documented shape; nothing was applied."""


class NoCacheUser(CacheError):
    """A page was applied before `set_user`: the cache does not know whose cases are "mine"."""


# --- which disk fault an exception is (cache, profile.json, vault: any file the client writes) ---

# SQLite's primary result codes (the low byte of an extended code) and errno values, by fault.
_SQLITE_REASONS = {13: "full", 8: "read-only", 3: "permission", 10: "io", 14: "cantopen", 11: "damaged", 26: "damaged"}
_ERRNO_REASONS = {errno.ENOSPC: "full", errno.EDQUOT: "full", errno.EROFS: "read-only",
                  errno.EACCES: "permission", errno.EPERM: "permission", errno.EIO: "io"}
STORAGE_REASONS = ("full", "read-only", "permission", "io")


def storage_reason(exc: BaseException | None) -> str | None:
    """The disk fault behind `exc` or its causes: "full", "read-only", "permission", "io",
    "cantopen" (SQLite could not open a file), "damaged" (SQLite found a corrupt page), or None."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, CacheStorageFailed):
            return exc.reason
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in _SQLITE_REASONS:
            return _SQLITE_REASONS[code & 0xFF]
        if isinstance(exc, OSError) and exc.errno in _ERRNO_REASONS:
            return _ERRNO_REASONS[exc.errno]
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return None
