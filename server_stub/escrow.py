"""Escrow keys at rest: wrapped under the service's master key (AES-256-GCM).

A device's escrow key opens its user's offline cache, so a copy of `service.db` alone must not
hold it in the clear. Each key is sealed under a 32-byte master key kept in its own file
(`DATA_DIR/escrow-master.key`, mode 0600, made by `init`), with the device id as associated data
so a sealed key moved to another device's row does not open. Stored form: nonce (12) || sealed.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger("server_stub.escrow")

MASTER_KEY_BYTES = 32
NONCE_BYTES = 12


class MasterKeyError(Exception):
    """The master key file is missing, damaged or readable by others: one sentence for the operator."""


def create_master_key(path: Path) -> None:
    """Write a new random master key, readable by the owner only; never overwrite one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(os.urandom(MASTER_KEY_BYTES))


def load_master_key(path: Path) -> bytes:
    try:
        if path.stat().st_mode & 0o077:
            raise MasterKeyError(
                f"{path} is leesbaar voor anderen; maak het alleen voor de dienst leesbaar (chmod 600)."
            )
        key = path.read_bytes()
    except FileNotFoundError:
        raise MasterKeyError(
            f"{path} ontbreekt; zet de reservekopie van de hoofdsleutel terug, "
            "anders openen de sleutels van de apparaten niet meer."
        ) from None
    if len(key) != MASTER_KEY_BYTES:
        raise MasterKeyError(f"{path} is beschadigd; zet de reservekopie van de hoofdsleutel terug.")
    return key


class EscrowSealer:
    """Seals and opens escrow keys under one master key."""

    def __init__(self, master_key: bytes):
        self._aead = AESGCM(master_key)

    def seal(self, device_id: str, escrow_key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, escrow_key, device_id.encode("utf-8"))

    def open(self, device_id: str, sealed: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], device_id.encode("utf-8"))
        except InvalidTag:
            # Another master key, or a row copied from another device: never hand out a wrong key.
            raise MasterKeyError("Een escrowsleutel past niet bij de hoofdsleutel van deze dienst.") from None


def open_sealer(db, path: Path) -> EscrowSealer:
    """The sealer for this DATA_DIR; seals any escrow key still stored in the clear.

    A DATA_DIR made before keys were wrapped has no master key file yet: it is created here, but
    only while no key is sealed (otherwise the file was lost and a new one would open nothing).
    """
    conn = db.conn()
    if not path.exists() and conn.execute("SELECT 1 FROM devices WHERE escrow_sealed = 1 LIMIT 1").fetchone() is None:
        create_master_key(path)
    sealer = EscrowSealer(load_master_key(path))
    clear = list(conn.execute("SELECT id, escrow_key FROM devices WHERE escrow_sealed = 0"))
    if clear:
        # secure_delete zeroes the freed bytes, and the checkpoint moves the pages out of the WAL,
        # so the clear keys do not linger in the file.
        previous = conn.execute("PRAGMA secure_delete").fetchone()[0]
        conn.execute("PRAGMA secure_delete = ON")
        try:
            with db.transaction() as tx:
                for row in clear:
                    tx.execute(
                        "UPDATE devices SET escrow_key = ?, escrow_sealed = 1 WHERE id = ? AND escrow_sealed = 0",
                        (sealer.seal(row["id"], bytes(row["escrow_key"])), row["id"]),
                    )
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.execute(f"PRAGMA secure_delete = {int(previous)}")
        log.info("sealed %d escrow keys under the master key", len(clear))
    return sealer


def device_key_unlock_key(escrow_key: bytes, device_id: str) -> bytes:
    """The key that unwraps a device's TLS key at rest (R-10; desktop/vault.py derives the same).

    Derived, so no new secret is stored; a different label than the cache's escrow wrapping, so
    releasing it opens the device key and nothing else.
    """
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=device_id.encode("utf-8"), info=b"menscentraal device-key-unlock v1"
    ).derive(escrow_key)
