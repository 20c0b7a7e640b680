"""Escrow keys at rest: sealed under the service's master key, never in the clear in service.db."""

from __future__ import annotations

import base64
import sqlite3
import stat

import pytest

from server_stub import cli
from server_stub.escrow import EscrowSealer, MasterKeyError
from tests.service_fixtures import API, enrolled_client, login


def _database_files(service) -> bytes:
    db = service.layout.database
    return b"".join(path.read_bytes() for path in (db, db.with_name(db.name + "-wal")) if path.exists())


def _escrow_key(client) -> bytes:
    answer = client.get(f"{API}/devices/current/escrow")
    assert answer.status_code == 200, answer.text
    return base64.b64decode(answer.json()["escrow_key"])


@pytest.mark.sqlite_only  # the bytes of service.db
def test_escrow_keys_are_not_in_the_database_file_in_the_clear(service):
    with enrolled_client(service, "anouk", login=True) as laptop, enrolled_client(service, "bram", login=True) as other:
        keys = [_escrow_key(laptop), _escrow_key(other)]
    assert keys[0] != keys[1] and all(len(key) == 32 for key in keys)
    raw = _database_files(service)
    for key in keys:
        assert key not in raw and key.hex().encode() not in raw and base64.b64encode(key) not in raw
    master = service.layout.escrow_master_key
    assert stat.S_IMODE(master.stat().st_mode) == 0o600 and len(master.read_bytes()) == 32


@pytest.mark.sqlite_only  # the bytes of service.db
def test_clear_keys_of_an_older_service_are_sealed_on_start_and_still_released(service):
    with enrolled_client(service, "carla", login=True) as laptop:
        device_id = laptop.device_id
        service.stop()
        # As an older service stored it: the key itself, marked unsealed, checkpointed into the file.
        clear_key = bytes(range(100, 132))
        conn = sqlite3.connect(service.layout.database)
        conn.execute("UPDATE devices SET escrow_key = ?, escrow_sealed = 0 WHERE id = ?", (clear_key, device_id))
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
        assert clear_key in _database_files(service)
        service.start()
        login(laptop, "carla", service.password("carla"))
        assert _escrow_key(laptop) == clear_key
    assert clear_key not in _database_files(service)


def test_a_sealed_key_opens_only_for_its_own_device():
    sealer = EscrowSealer(bytes(32))
    sealed = sealer.seal("dev-a", b"k" * 32)
    assert sealer.open("dev-a", sealed) == b"k" * 32
    with pytest.raises(MasterKeyError):
        sealer.open("dev-b", sealed)
    with pytest.raises(MasterKeyError):
        EscrowSealer(bytes([1]) * 32).open("dev-a", sealed)


def test_the_service_refuses_to_start_without_its_master_key_once_keys_are_sealed(service, capsys):
    enrolled_client(service, "daan").close()
    service.stop()
    master = service.layout.escrow_master_key
    master.rename(master.with_name("elsewhere.key"))
    assert cli.main(["enroll-code", str(service.data_dir), "daan"]) == 2
    assert "escrow-master.key ontbreekt" in capsys.readouterr().err
    master.with_name("elsewhere.key").rename(master)
    master.chmod(0o644)
    assert cli.main(["enroll-code", str(service.data_dir), "daan"]) == 2
    assert "chmod 600" in capsys.readouterr().err
