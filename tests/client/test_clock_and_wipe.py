"""Issue 12, wrong clocks: the offline lock and wipe never trust the local clock alone, the lock
message names the wipe date and the unsent changes, an offline-expiry wipe keeps the unsent
changes in an encrypted export, a revocation wipe tells the service what it destroyed.

The clocks are faked by injection (desktop.clock.Sources: wall, boot clock, boot id); the
service parts run against the real service over mutual TLS.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop import actions, clock, errors, unsent_export
from desktop.cache import db as cache_db, outbox, queries
from desktop.secrets import InMemorySecretStore
from desktop.session import Session
from desktop.vault import Vault, open_with_escrow

from tests.client.sync_helpers import CHEAP_KDF, Device
from tests.client.test_login_offline import CONTACT, PASSWORD, offline_profile

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


class FakeTime:
    """A wall clock, a boot clock and a boot id that a test moves by hand."""

    def __init__(self, wall: dt.datetime, boot: float = 1000.0, boot_id: str = "boot-a") -> None:
        self.wall, self.boot, self.boot_id = wall, boot, boot_id

    def sources(self) -> clock.Sources:
        return clock.Sources(wall=lambda: self.wall, boot=lambda: self.boot, boot_id=lambda: self.boot_id)

    def advance(self, wall: dt.timedelta, boot: dt.timedelta | None = None) -> None:
        self.wall += wall
        self.boot += (wall if boot is None else boot).total_seconds()

    def reboot(self) -> None:
        self.boot, self.boot_id = 5.0, self.boot_id + "'"


def session_on(profile, secrets, fake: FakeTime) -> Session:
    return Session(profile, secrets, clock=lambda: fake.wall, kdf=CHEAP_KDF, time_sources=fake.sources())


def anchored_profile(root, secrets, fake: FakeTime, unsent: int):
    """An offline profile whose last contact (the service's time CONTACT) was read at `fake`'s
    wall and boot clock, with `unsent` notes in the outbox."""
    profile = offline_profile(root, secrets)
    anchor = clock.Anchor(CONTACT, clock.mark_now(fake.sources()), clock.mark_now(fake.sources()))
    profile.update_config(clock=anchor.to_json())
    data_key = Vault.load(profile, secrets).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)
    with cache_db.transaction(conn):
        for n in range(unsent):
            payload = {"case_id": "c-1", "entry_id": f"e-{n}", "text": f"Geheime notitie {n}"}
            conn.execute(
                "INSERT INTO outbox (id, kind, case_id, payload, created_at) VALUES (?, 'journal.add', 'c-1', ?, ?)",
                (f"m-{n}", json.dumps(payload), "2026-11-01T10:00:00Z"),
            )
    cache_db.close_cache(conn)
    return profile


def outbox_rows(profile, secrets) -> int:
    data_key = Vault.load(profile, secrets).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)
    try:
        return conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        cache_db.close_cache(conn)


@pytest.fixture
def secrets():
    return InMemorySecretStore()


def test_clock_31_days_fast_never_wipes_unsent_changes(tmp_path, secrets):
    # The app keeps running (same boot) while the wall clock jumps 31 days ahead after one hour.
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=3)
    fake.advance(HOUR + 31 * DAY, boot=HOUR)
    session = session_on(profile, secrets, fake)
    reading = session.time_now()
    assert reading.jumped and reading.estimated == CONTACT + HOUR  # the boot clock wins
    outcome = session.login(PASSWORD)
    assert not outcome.online and session.unlocked and session.unsent_count() == 3
    session.close()
    assert profile.cache_path.exists() and not unsent_export.exists(profile)


def test_clock_fast_at_last_contact_does_not_stretch_the_grace_period(service, tmp_path):
    # Online login with the wall clock 10 days fast: the contact time is the service's, and the
    # grace period counts on the boot clock from there, not from the fast local time.
    device = Device(service, tmp_path / "anouk", "anouk")
    real_now = dt.datetime.now(dt.timezone.utc)
    fake = FakeTime(real_now + 10 * DAY)
    session = session_on(device.profile, device.secrets, fake)
    assert session.login(service.password("anouk")).online
    session.close()
    contact = device.profile.load_config().last_contact()
    assert abs(contact - real_now) < dt.timedelta(minutes=1)
    service.stop()
    fake.wall = real_now + 73 * HOUR  # NTP corrected the clock meanwhile; 73 hours have passed
    fake.boot += (73 * HOUR).total_seconds()
    with pytest.raises(errors.OfflineGraceExpired):
        session_on(device.profile, device.secrets, fake).login(service.password("anouk"))


def test_clock_moved_backwards_below_the_high_water_mark_locks_and_never_wipes(tmp_path, secrets):
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=2)
    fake.advance(40 * DAY)
    session_on(profile, secrets, fake).time_now()  # the app saw day 40: the high-water mark
    fake.reboot()
    fake.wall = CONTACT + 35 * DAY  # set back five days: still past the wipe day by the clock
    with pytest.raises(errors.ClockMovedBackwards) as caught:
        session_on(profile, secrets, fake).login(PASSWORD)
    assert "2 niet-verzonden" in caught.value.message()
    assert profile.cache_path.exists() and outbox_rows(profile, secrets) == 2


def test_boot_clock_after_a_reboot_keeps_counting_from_the_high_water_mark(tmp_path, secrets):
    # A jump forward after a reboot, once the app has run in this boot, is caught as well.
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=0)
    fake.reboot()
    fake.advance(2 * HOUR)
    session_on(profile, secrets, fake).time_now()
    fake.advance(31 * DAY, boot=HOUR)
    reading = session_on(profile, secrets, fake).time_now()
    assert reading.jumped and reading.estimated == CONTACT + 3 * HOUR


def test_lock_message_from_72_hours_gives_wipe_date_and_unsent_count(tmp_path, secrets):
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=2)
    fake.advance(73 * HOUR)
    with pytest.raises(errors.OfflineGraceExpired) as caught:
        session_on(profile, secrets, fake).login(PASSWORD)
    message = caught.value.message()
    assert "72 uur" in message and "2 wijzigingen" in message and "2026-12-01" in message


def test_day_25_warning_is_reachable_past_the_72_hour_lock(tmp_path, secrets):
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=4)
    fake.advance(26 * DAY)
    with pytest.raises(errors.OfflineGraceExpired) as caught:
        session_on(profile, secrets, fake).login(PASSWORD)
    assert "4 wijzigingen" in caught.value.message() and "2026-12-01" in caught.value.message()
    assert outbox_rows(profile, secrets) == 4


def test_offline_expiry_wipe_exports_unsent_changes_under_the_data_key(tmp_path, secrets):
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=2)
    fake.advance(31 * DAY)
    with pytest.raises(errors.OfflineDataWiped) as caught:
        session_on(profile, secrets, fake).login(PASSWORD)
    assert "2 niet-verzonden" in caught.value.message()
    assert not profile.cache_path.exists() and not profile.vault_path.exists()
    raw = unsent_export.path_of(profile).read_bytes()
    assert b"Geheime notitie" not in raw  # encrypted; only the escrow key (bytes(32) here) opens it
    rows = json.loads(open_with_escrow(json.loads(raw), bytes(32), unsent_export.PURPOSE))
    assert [r["id"] for r in rows] == ["m-0", "m-1"]
    # Asked again offline, the sentence still counts them.
    with pytest.raises(errors.OfflineDataWiped) as again:
        session_on(profile, secrets, fake).login(PASSWORD)
    assert again.value.details["unsent"] == 2


def test_offline_expiry_wipe_keeps_the_refused_changes_the_user_had_listed(tmp_path, secrets):
    # Found by the hostile-world run: a note the service refused stays in the user's list with its
    # text (it is nowhere else); the wipe destroyed it without counting it. Now it is exported,
    # counted in the sentence, and back in the list after the recovering login.
    fake = FakeTime(CONTACT)
    profile = anchored_profile(tmp_path / "p", secrets, fake, unsent=1)
    data_key = Vault.load(profile, secrets).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)
    with cache_db.transaction(conn):
        conn.execute(
            "INSERT INTO unprocessed (id, kind, case_id, payload, status, reason, created_at, recorded_at) "
            "VALUES ('m-refused', 'journal.add', 'c-1', ?, 'rejected', 'case-closed', ?, ?)",
            (
                json.dumps({"case_id": "c-1", "entry_id": "e-r", "text": "Geweigerde notitie"}),
                "2026-11-01T10:00:00Z",
                "2026-11-01T11:00:00Z",
            ),
        )
    cache_db.close_cache(conn)
    fake.advance(31 * DAY)
    with pytest.raises(errors.OfflineDataWiped) as caught:
        session_on(profile, secrets, fake).login(PASSWORD)
    assert caught.value.details["unsent"] == 2 == unsent_export.count(profile)
    rows = json.loads(
        open_with_escrow(json.loads(unsent_export.path_of(profile).read_bytes()), bytes(32), unsent_export.PURPOSE)
    )
    fresh = cache_db.open_cache(tmp_path / "fresh.db", bytes(32), create=True)
    try:
        assert outbox.import_rows(fresh, rows) == 1  # queued again: the unsent one only
        assert [r[0] for r in fresh.execute("SELECT id FROM outbox")] == ["m-0"]
        assert [tuple(r) for r in fresh.execute("SELECT id, status, reason FROM unprocessed")] == [
            ("m-refused", "rejected", "case-closed")
        ]
    finally:
        cache_db.close_cache(fresh)


def test_offline_expiry_wipe_then_online_login_requeues_the_unsent_changes(service, tmp_path):
    device = Device(service, tmp_path / "anouk", "anouk")
    ws = device.workspace()
    ws.sync()
    case_id = next(r.id for r in ws.read(queries.my_cases) if r.status == "open")
    service.stop()
    assert not actions.add_note(ws, case_id, "Offline notitie voor het wissen.").sent
    ws.close()
    fake = FakeTime(dt.datetime.now(dt.timezone.utc) + 31 * DAY, boot_id="another-boot")
    with pytest.raises(errors.OfflineDataWiped) as caught:
        session_on(device.profile, device.secrets, fake).login(service.password("anouk"))
    assert caught.value.details["unsent"] == 1 and not device.profile.cache_path.exists()
    service.start()
    released = lambda: sum(e["action"] == "escrow-released" for e in service.audit_entries("device"))  # noqa: E731
    before = released()
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    outcome = session.login(service.password("anouk"))
    assert outcome.online and outcome.recovered == 1 and outcome.warnings
    # A new vault, the device key and the export each need the escrow key: asked once.
    assert released() - before == 1
    assert not unsent_export.exists(device.profile)
    ws = actions.Workspace(session)
    try:
        assert ws.sync().pushed == 1
    finally:
        ws.close()
        session.close()
    assert (
        service.db.conn()
        .execute("SELECT count(*) FROM journal_entries WHERE text = ?", ("Offline notitie voor het wissen.",))
        .fetchone()[0]
        == 1
    )


def test_revocation_wipe_exports_nothing_and_the_service_audits_the_destroyed_count(service, tmp_path):
    device = Device(service, tmp_path / "anouk", "anouk")
    ws = device.workspace()
    ws.sync()
    case_id = next(r.id for r in ws.read(queries.my_cases) if r.status == "open")
    service.stop()
    for n in range(2):
        actions.add_note(ws, case_id, f"Nooit verzonden {n}.")
    service.start()
    device_id = device.profile.load_config().device_id
    service.context.accounts.revoke_device(device_id, None, "lost")
    with pytest.raises(errors.DeviceRevoked):
        ws.sync()
    ws.close()
    assert not device.profile.cache_path.exists() and not unsent_export.exists(device.profile)
    wiped = [e for e in service.audit_entries("device", device_id) if e["action"] == "device-wiped"]
    assert [json.loads(e["detail"]) for e in wiped] == [{"unsent_changes": 2}]


def _offline_workspace(service, tmp_path, fake: FakeTime):
    """anouk online once (the anchor), synced, then the service goes away."""
    device = Device(service, tmp_path / "anouk", "anouk")
    session = session_on(device.profile, device.secrets, fake)
    assert session.login(service.password("anouk")).online
    ws = actions.Workspace(session)
    ws.sync()
    case_id = next(r.id for r in ws.read(queries.my_cases) if r.status == "open")
    service.stop()
    session.close_transport()
    return ws, case_id


def _sync_online_again(service, session) -> None:
    service.start()
    try:
        session.login(service.password("anouk"))
        ws = actions.Workspace(session)
        ws.sync()
        ws.close()
    finally:
        session.close()


def test_offline_read_and_note_with_a_fast_clock_reach_the_audit_judged_by_the_estimate(service, tmp_path):
    fake = FakeTime(dt.datetime.now(dt.timezone.utc), boot_id="this-boot")
    ws, case_id = _offline_workspace(service, tmp_path, fake)
    try:
        fake.advance(2 * HOUR, boot=dt.timedelta(minutes=1))  # the wall clock jumps two hours ahead
        actions.open_case(ws, case_id)
        actions.add_note(ws, case_id, "Offline geschreven met een klok die voorloopt.")
    finally:
        ws.close()
    _sync_online_again(service, ws.session)
    [entry] = [e for e in service.audit_entries("case", case_id) if e["action"] == "case.read_offline"]
    detail = json.loads(entry["detail"])
    assert detail["clock_skew"] is True
    at = clock.parse_iso(entry["at"])
    assert abs(at - (fake.wall - 2 * HOUR + dt.timedelta(minutes=1))) < dt.timedelta(minutes=1)
    [note] = [
        json.loads(e["detail"]) for e in service.audit_entries("case", case_id) if e["action"] == "push.journal.add"
    ]
    assert note["status"] == "applied" and note["written"]["clock_skew"] is True
    assert abs(clock.parse_iso(note["written"]["estimated_time"]) - at) < dt.timedelta(seconds=5)


def test_the_same_open_of_a_case_is_recorded_once(service, tmp_path):
    # Today every re-show of the open case after the user's own change (a note, a step) recorded
    # another offline read: one open and two changes gave three audit records.
    fake = FakeTime(dt.datetime.now(dt.timezone.utc), boot_id="this-boot")
    ws, case_id = _offline_workspace(service, tmp_path, fake)
    try:
        actions.open_case(ws, case_id)
        for n in range(2):
            actions.add_note(ws, case_id, f"Offline notitie {n}.")
            actions.open_case(ws, case_id, refresh=True)  # what the case view does after a change
    finally:
        ws.close()
    _sync_online_again(service, ws.session)
    reads = [e for e in service.audit_entries("case", case_id) if e["action"] == "case.read_offline"]
    assert len(reads) == 1
