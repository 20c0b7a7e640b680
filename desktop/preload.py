"""The login's libraries imported on a thread of their own while the windows' code loads (issue 19).

At a cold start most of the time to the login window is reading modules from disk: Qt's on the
GUI thread, and the libraries the login's network lane needs (HTTP, TLS certificates, the key
store, SQLCipher: ~0.5 s of the ~0.85 s of imports with an empty page cache). Imported here on a
second thread, one thread reads from disk while the other runs. Only third-party libraries: they
never import `desktop` or Qt, so neither thread can wait for a module the other is importing
while holding one it needs (a cycle of import locks). A library that fails to import is imported
again where it is used, and fails there with its own error.
"""

from __future__ import annotations

import functools
import importlib
import threading

LIBRARIES = (
    "httpx",
    "httpcore",
    "cryptography.x509",
    "cryptography.hazmat.primitives.serialization",
    "cryptography.hazmat.primitives.asymmetric.ec",
    "keyring",
    "sqlcipher3",
    "platformdirs",
    "orjson",
)


def _import_all() -> None:
    for name in LIBRARIES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the importer that needs it reports it
            pass


@functools.cache
def start() -> threading.Thread:
    """Once per process, first thing in a windows' entry point (before Qt is imported)."""
    thread = threading.Thread(target=_import_all, name="preload", daemon=True)
    thread.start()
    return thread
