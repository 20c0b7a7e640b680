"""The database (migrations, transactions, batched audit), passwords and the CA, without a server."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from server_stub.accounts import PasswordHasher, normalise_enrollment_code, password_policy_problems
from server_stub.config import Argon2Params, Config
from server_stub.deps import Principal
from server_stub.pki import InvalidCSR, OrganisationCA, parse_csr
from server_stub.store import MIGRATIONS_DIR, Database


@pytest.fixture
def db(tmp_path):
    database = Database(tmp_path / "service.db")
    yield database
    database.close()


def test_migrations_apply_in_order_once_and_are_recorded(tmp_path, db):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "002_second.sql").write_text("ALTER TABLE things ADD COLUMN colour TEXT;")
    (migrations / "001_first.sql").write_text("CREATE TABLE things (id TEXT PRIMARY KEY);")
    assert db.migrate(migrations) == [1, 2]
    assert db.migrate(migrations) == []
    assert db.schema_versions() == [1, 2]
    db.conn().execute("INSERT INTO things (id, colour) VALUES ('a', 'blue')")


def test_a_failing_migration_leaves_nothing_half_applied(tmp_path, db):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "001_broken.sql").write_text("CREATE TABLE t (id TEXT); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(sqlite3.OperationalError):
        db.migrate(migrations)
    tables = {r[0] for r in db.conn().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "t" not in tables
    assert db.schema_versions() == []


def test_migration_names_must_be_numbered(tmp_path, db):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "first.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError):
        db.migrate(migrations)


def test_the_real_migrations_create_the_front_door_tables(db):
    db.migrate(MIGRATIONS_DIR)
    tables = {r[0] for r in db.conn().execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "organisations",
        "teams",
        "users",
        "team_members",
        "devices",
        "enrollment_codes",
        "sessions",
        "password_resets",
        "audit_log",
        "mail_outbox",
    } <= tables
    assert db.conn().execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_audit_outside_a_transaction_is_batched_and_flushed(db):
    db.migrate()
    who = Principal("usr-a", "a", "A", "medewerker", "org", "dev-1")
    for i in range(3):
        db.audit(who, "case-viewed", "case", f"c{i}")
    db.flush_audit()
    rows = db.audit_entries("case")
    assert [(r["actor_id"], r["device_id"], r["object_id"]) for r in rows] == [
        ("usr-a", "dev-1", f"c{i}") for i in range(3)
    ]


def test_audit_inside_a_transaction_rolls_back_with_it(db):
    db.migrate()
    with pytest.raises(RuntimeError):
        with db.transaction():
            db.audit(None, "something", "user", "u1", {"count": 1})
            raise RuntimeError("the change failed")
    assert db.audit_entries("user") == []
    with db.transaction():
        db.audit(None, "something", "user", "u1", {"count": 1})
    assert [r["detail"] for r in db.audit_entries("user")] == ['{"count": 1}']


def test_close_writes_pending_audit_entries(tmp_path):
    first = Database(tmp_path / "a.db")
    first.migrate()
    first.audit(None, "x", "user", "u1")
    first.close()
    second = Database(tmp_path / "a.db")
    assert len(second.audit_entries("user")) == 1
    second.close()


def test_password_policy_length_and_blocklist_without_composition_rules():
    assert password_policy_problems("kort") == [{"name": "new_password", "reason": "too-short"}]
    assert password_policy_problems("WachtWoord123") == [{"name": "new_password", "reason": "too-common"}]
    assert password_policy_problems("anouk-is-de-beste", "anouk") == [{"name": "new_password", "reason": "too-common"}]
    assert password_policy_problems("alleen kleine letters hier") == []


def test_argon2id_phc_hashes_verify_and_carry_their_cost():
    hasher = PasswordHasher(Argon2Params.cheap())
    phc = hasher.hash("correct horse battery")
    assert phc.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert hasher.verify("correct horse battery", phc)
    assert not hasher.verify("wrong horse battery", phc)
    assert not hasher.verify("anything", None)
    assert Config().argon2.memory_cost_kib >= 19456 and Config().argon2.iterations >= 2


def test_enrollment_codes_are_normalised_as_people_type_them():
    assert normalise_enrollment_code(" abcd efgh-jkLM npqr ") == "ABCD-EFGH-JKLM-NPQR"


def test_csr_must_be_p256_and_well_formed():
    with pytest.raises(InvalidCSR):
        parse_csr("not a csr")
    with pytest.raises(InvalidCSR):
        parse_csr(b"-----BEGIN CERTIFICATE REQUEST-----\n" + b"A" * 9000 + b"\n-----END CERTIFICATE REQUEST-----\n")


def test_config_refuses_unknown_keys():
    with pytest.raises(ValueError):
        Config.from_dict({"lockout_treshold": 3})
    assert Config.from_dict({"network_allowlist": ["10.0.0.0/8"]}).network_allowlist == ("10.0.0.0/8",)


def test_ca_round_trips_and_keys_are_private(tmp_path: Path):
    ca = OrganisationCA.create()
    ca.save(tmp_path / "ca.pem", tmp_path / "ca-key.pem")
    loaded = OrganisationCA.load(tmp_path / "ca.pem", tmp_path / "ca-key.pem")
    assert loaded.certificate == ca.certificate
    assert (tmp_path / "ca-key.pem").stat().st_mode & 0o777 == 0o600
