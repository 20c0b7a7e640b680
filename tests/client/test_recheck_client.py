"""Re-check of issues 12 and 13 on the client side, with other probes than the first round."""

from __future__ import annotations

from desktop.cache import apply_page, queries
from tests.client.factories import make_page


def test_issue13_item1_only_colleagues_of_the_case_type_are_offered_as_coordinator(cache_conn):
    apply_page(
        cache_conn,
        make_page(
            colleagues=[
                {"id": "u-1", "display_name": "Anouk", "team_ids": [], "case_type_ids": ["ct-jeugd"]},
                {"id": "u-2", "display_name": "Daan", "team_ids": ["t-1"], "case_type_ids": ["ct-jeugd", "ct-wmo"]},
                {"id": "u-3", "display_name": "Oud", "team_ids": []},  # an older service: not said, offered
            ]
        ),
    )
    colleagues = queries.colleagues(cache_conn)
    assert [c.case_type_ids for c in colleagues] == [["ct-jeugd"], ["ct-jeugd", "ct-wmo"], None]
    assert [c.id for c in queries.coordinator_candidates(colleagues, "ct-wmo")] == ["u-2", "u-3"]
    assert [c.id for c in queries.coordinator_candidates(colleagues, "ct-jeugd")] == ["u-1", "u-2", "u-3"]


def test_issue12_odd_retry_after_values_never_crash_the_client_and_stay_capped():
    from desktop import errors
    from desktop.sync.transport import MAX_RETRY_AFTER

    for value in (
        "99999999999999999999999",
        "²",
        "١٢٣",
        "-5",
        "1e9",
        "Tue, 01 Jan 0001 00:00:00 -1400",
        "Fri, 31 Dec 9999 23:59:59 +1400",
        " 10 ",
        "0",
        "",
        "\x00",
    ):
        refused = paused(value)
        assert refused.retry_after is None or 0 <= refused.retry_after <= MAX_RETRY_AFTER, value
        assert 0 < refused.details["retry_after"] <= errors.TooManyRequests.MAX_SECONDS
        assert "wacht tot" in refused.message()
    assert paused("²").retry_after is None and paused("99999999999999999999999").retry_after == MAX_RETRY_AFTER


def paused(retry_after: str | None, status: int = 429, body: dict | None = None):
    """The error the transport raises for an answer with this Retry-After (read once, there)."""
    import httpx

    from desktop.sync.transport import Transport

    headers = [(b"Retry-After", retry_after.encode())] if retry_after is not None else []
    response = httpx.Response(status, headers=headers, json=body or {"code": "too-many-requests"})
    try:
        Transport.raise_for_problem(response)
    except Exception as error:  # noqa: BLE001 - whatever it is, the caller looks at it
        return error
    raise AssertionError("no error for an error answer")


def test_issue12_a_damaged_unsent_export_is_said_and_kept_never_lost_in_silence(service, tmp_path):
    """An offline-expiry wipe's export that no longer opens (damaged on disk, or another device's
    swapped in) must not vanish in a log line: the user hears how many changes it held, and the
    file stays for the helpdesk."""
    import datetime as dt
    import json

    from desktop import actions, unsent_export
    from desktop.cache import queries as q
    from desktop.session import Session
    from tests.client.sync_helpers import CHEAP_KDF, Device
    from tests.client.test_clock_and_wipe import DAY, FakeTime, session_on
    from desktop import errors

    device = Device(service, tmp_path / "anouk", "anouk")
    ws = device.workspace()
    ws.sync()
    case_id = next(r.id for r in ws.read(q.my_cases) if r.status == "open")
    service.stop()
    actions.add_note(ws, case_id, "Offline notitie die niet verloren mag gaan.")
    ws.close()
    fake = FakeTime(dt.datetime.now(dt.timezone.utc) + 31 * DAY, boot_id="another-boot")
    try:
        session_on(device.profile, device.secrets, fake).login(service.password("anouk"))
    except errors.OfflineDataWiped:
        pass
    path = unsent_export.path_of(device.profile)
    sealed = json.loads(path.read_bytes())
    sealed["ciphertext"] = sealed["ciphertext"][:-8] + "AAAAAAAA"  # flipped bytes in the sealed rows
    path.write_text(json.dumps(sealed))
    damaged = path.read_bytes()
    service.start()
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    try:
        outcome = session.login(service.password("anouk"))
        assert outcome.online and not outcome.recovered
        assert any("1 niet-verzonden" in w and "helpdesk" in w for w in outcome.warnings), outcome.warnings
    finally:
        session.close()
    assert path.read_bytes() == damaged  # kept, never deleted


def _loose_modes(root) -> list[str]:
    import stat

    loose = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        if mode & 0o077 or (path.is_dir() and mode != want):
            loose.append(f"{path.relative_to(root)} {oct(mode)}")
    return loose


def test_issue13_every_file_the_client_writes_in_the_profile_is_private_whatever_the_umask(service, tmp_path):
    """0600 files and 0700 folders for everything in the profile, also under umask 000: the cache
    and its log, keys, vault, config, a moved-aside damaged cache and an offline-wipe export."""
    import datetime as dt
    import os

    from desktop import actions, errors
    from desktop.cache import queries as q
    from desktop.session import Session
    from tests.client.sync_helpers import CHEAP_KDF, Device
    from tests.client.test_clock_and_wipe import DAY, FakeTime, session_on

    old = os.umask(0)
    try:
        device = Device(service, tmp_path / "p", "anouk")
        ws = device.workspace()
        ws.sync()
        case_id = next(r.id for r in ws.read(q.my_cases) if r.status == "open")
        service.stop()
        actions.add_note(ws, case_id, "Offline notitie.")
        ws.close()
        assert _loose_modes(device.profile.root) == []
        with open(device.profile.cache_path, "r+b") as cache:  # damage: moved aside on the next open
            cache.seek(4096 * 2)
            cache.write(os.urandom(4096))
        session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
        try:
            session.login(service.password("anouk"))
        except errors.ClientError:
            pass
        session.close()
        assert list(device.profile.root.glob("cache.db.damaged-*")), "the damage was not detected"
        assert _loose_modes(device.profile.root) == []
        fake = FakeTime(dt.datetime.now(dt.timezone.utc) + 31 * DAY, boot_id="another-boot")
        try:
            session_on(device.profile, device.secrets, fake).login(service.password("anouk"))
        except errors.ClientError:
            pass
        assert list(device.profile.root.glob("unsent-export.json"))
        assert _loose_modes(device.profile.root) == []
    finally:
        os.umask(old)
        service.start()


def test_issue13_folders_made_for_a_new_profile_are_private_whatever_the_umask(tmp_path):
    import os
    import stat

    from desktop.profile import Profile

    old = os.umask(0)
    try:
        Profile(tmp_path / "data" / "menscentraal" / "default").ensure_dir()
    finally:
        os.umask(old)
    for folder in (
        tmp_path / "data",
        tmp_path / "data" / "menscentraal",
        tmp_path / "data" / "menscentraal" / "default",
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_issue12_a_clock_moved_backwards_then_forwards_again_counts_true_time_and_unlocks():
    import datetime as dt

    from desktop import clock
    from tests.client.test_clock_and_wipe import DAY, HOUR, FakeTime

    contact = dt.datetime(2026, 12, 1, 9, tzinfo=dt.timezone.utc)
    fake = FakeTime(contact)
    anchor = clock.contact_anchor(contact, fake.sources())

    def step(anchor):
        reading = clock.read(anchor, fake.sources())
        return reading, clock.advance_high_water(anchor, reading) or anchor

    # Same boot: the boot clock vouches, whatever the wall clock does.
    fake.advance(5 * HOUR)
    reading, anchor = step(anchor)
    fake.wall -= 3 * DAY  # moved backwards
    reading, anchor = step(anchor)
    assert not reading.backwards and reading.jumped and reading.elapsed == 5 * HOUR
    fake.wall += 3 * DAY  # and forwards again
    fake.advance(HOUR)
    reading, anchor = step(anchor)
    assert not reading.backwards and not reading.jumped and reading.elapsed == 6 * HOUR
    # After a reboot the wall clock alone: backwards locks (never wipes), forwards again unlocks,
    # and no reading while it was back moved the mark (that would hide the true elapsed time).
    fake.reboot()
    fake.wall -= 2 * DAY
    reading, anchor = step(anchor)
    assert reading.backwards
    fake.wall += 2 * DAY + HOUR
    reading, anchor = step(anchor)
    assert not reading.backwards and reading.elapsed == 7 * HOUR
    assert reading.estimated == contact + 7 * HOUR
