"""The encrypted offline cache: SQLCipher file, schema, page application and read queries.

db        open/close, pragmas, transactions, integrity checks, migrations
writer    CacheWriter: the cache lane (the one writer connection, on its own thread)
pull      a checked pull page with its cursor, the snapshot purge, the sync stamp
writes    apply_page, purge, offline reads, the cache's user and contact time
outbox    the user's changes queued with their optimistic rows; push results
queries   read-only lists and details for the command line and the GUI
errors    typed errors
"""

from desktop.cache.db import (
    cipher_integrity_check,
    check_cache,
    close_cache,
    integrity_check,
    is_plain_sqlite,
    migrate_schema,
    open_cache,
    schema_version,
    transaction,
)
from desktop.cache.errors import (
    CacheCorrupt,
    CacheError,
    CacheKeyRejected,
    CacheMissing,
    MalformedPage,
    MigrationError,
    NoCacheUser,
    PlainDatabaseRefused,
)
from desktop.cache.writes import PageResult, apply_page, purge, record_offline_read, set_last_contact, set_user

__all__ = [
    "open_cache",
    "close_cache",
    "transaction",
    "integrity_check",
    "cipher_integrity_check",
    "check_cache",
    "is_plain_sqlite",
    "migrate_schema",
    "schema_version",
    "CacheError",
    "CacheMissing",
    "PlainDatabaseRefused",
    "CacheKeyRejected",
    "CacheCorrupt",
    "MigrationError",
    "MalformedPage",
    "NoCacheUser",
    "PageResult",
    "apply_page",
    "purge",
    "record_offline_read",
    "set_user",
    "set_last_contact",
]
