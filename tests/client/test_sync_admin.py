"""Online-only core operations: administration (L4, D1, D2, devices, coordinator replacement) and
case search (C6), against the real service over mutual TLS; and revocation reaching a syncing client."""

from __future__ import annotations

import pytest

from desktop import admin, errors, search
from desktop.cache import queries
from desktop.session import Session
from tests.client.sync_helpers import CHEAP_KDF, Device


@pytest.fixture
def people(service, tmp_path):
    opened = []

    def make(username):
        ws = Device(service, tmp_path / username, username).workspace()
        opened.append(ws)
        return ws

    yield make
    for ws in reversed(opened):
        try:
            ws.close()
        except Exception:  # a revoked workspace is already closed
            pass


def test_search_sends_terms_only_in_the_body_and_non_members_see_closed_steps_only_seed_C6(service, people):
    anouk, gerrit = people("anouk"), people("gerrit")
    anouk.sync()
    case = anouk.read(queries.case_detail, anouk.read(queries.my_cases)[0].id).case
    bsn = case["citizens"][0]["bsn"]
    mine = search.search_cases(anouk.session, bsn=bsn)
    assert case["id"] in {c["id"] for c in mine}
    found = search.search_cases(gerrit, "case_number", case["number"])
    assert [c["id"] for c in found] == [case["id"]]
    assert found[0]["citizens"] == [] and found[0]["journal"] == []
    assert all(s["status"] == "closed" for s in found[0]["steps"])
    assert not found[0]["capabilities"]["add_note"]["allowed"]
    requests = [r for r in service.audit_entries() if r["action"] == "case.search"]
    assert requests and all(bsn not in str(r) for r in requests)


def test_search_input_is_checked_before_anything_is_sent(people):
    anouk = people("anouk")
    for bad in ({"bsn": "12345"}, {}, {"bsn": "123456789", "case_number": "Z-1"}):
        with pytest.raises(search.InvalidSearch):
            search.search_cases(anouk.session, **bad)
    with pytest.raises(search.InvalidSearch):
        search.search_cases(anouk, "name", "Jansen")


def test_locked_account_is_reactivated_by_the_local_administrator_seed_L4(service, people, tmp_path):
    gerrit = people("gerrit")
    device = Device(service, tmp_path / "bram", "bram")
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    for _ in range(10):
        with pytest.raises(errors.WrongPassword):
            session.login("fout-wachtwoord-123")
    with pytest.raises(errors.AccountLocked):
        session.login("fout-wachtwoord-123")
    locked = admin.locked_accounts(gerrit.session)
    bram = next(a for a in locked if a["username"] == "bram")
    admin.reactivate(gerrit, bram["id"])  # a Workspace works as well as a session
    assert "bram" not in {a["username"] for a in admin.locked_accounts(gerrit.session)}
    assert session.login(service.password("bram")).online
    session.close()


def test_enrollment_code_for_a_colleague(people):
    gerrit = people("gerrit")
    issued = admin.issue_enrollment_code(gerrit, "bram")
    assert issued["code"] and issued["expires_at"]


def test_a_medewerker_gets_forbidden_for_administration(people):
    anouk = people("anouk")
    with pytest.raises(errors.Forbidden):
        admin.locked_accounts(anouk.session)


def test_group_is_deleted_only_after_its_data_was_moved_seed_D1_D2(people):
    gerrit = people("gerrit")
    groups = admin.groups(gerrit.session)
    source, target = groups[0], groups[1]
    with pytest.raises(admin.GroupNotEmpty) as refused:
        admin.delete_group(gerrit.session, source["id"])
    assert refused.value.message().endswith(".")
    moved = admin.transfer_group(gerrit.session, source["id"], target["id"])
    assert moved["moved_cases"] >= 0
    admin.delete_group(gerrit.session, source["id"])
    assert source["id"] not in {g["id"] for g in admin.groups(gerrit.session)}
    with pytest.raises(admin.NotFound):
        admin.delete_group(gerrit.session, source["id"])


def test_administrator_replaces_a_coordinator_only_with_a_reason(service, people):
    anouk, gerrit = people("anouk"), people("gerrit")
    anouk.sync()
    case = next(
        anouk.read(queries.case_detail, r.id).case
        for r in anouk.read(queries.my_cases)
        if r.my_role == "coordinator" and r.status == "open"
    )
    bram_id = service.user_id("bram")
    with pytest.raises(admin.ReasonRequired):
        admin.replace_coordinator(gerrit.session, case["id"], bram_id, "kort")
    admin.replace_coordinator(gerrit.session, case["id"], bram_id, "Anouk is uit dienst; Bram neemt over.")
    anouk.sync()
    after = anouk.read(queries.case_detail, case["id"])
    assert after is None or after.case["coordinator"]["id"] == bram_id


def test_revoked_device_is_wiped_at_its_next_sync(service, people, tmp_path):
    gerrit = people("gerrit")
    anouk = people("anouk")
    anouk.sync()
    profile = anouk.session.profile
    device_id = profile.load_config().device_id
    admin.revoke_device(gerrit.session, device_id)
    with pytest.raises(errors.DeviceRevoked):
        anouk.sync()
    assert not profile.cache_path.exists()
    assert not any(p.exists() for p in profile.cache_side_paths)
    revoked = next(d for d in admin.devices(gerrit.session) if d["id"] == device_id)
    assert revoked["revoked_at"] and revoked["wiped_at"]
