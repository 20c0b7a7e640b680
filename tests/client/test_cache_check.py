"""Issue 19: the cache's full damage checks are off the login path (desktop.cache.health).

A login runs them only for a file this program did not close cleanly itself (changed outside it,
no state at all, or an unclean exit) or after damage was found or met; otherwise they run in the
background once the list is shown, a day after the last one. Damage is still found there
and the next login runs the existing recovery. Real SQLCipher files throughout.
"""

from __future__ import annotations

import os

import pytest

from desktop import errors
from desktop.cache import db as cache_db, health, outbox
from tests.client.test_disk_faults import assert_true_sentence, disk_profile, offline_session


@pytest.fixture
def full_checks(monkeypatch):
    """Counts the two PRAGMAs that read the whole file (check_cache calls them by module name)."""
    calls: list[str] = []
    quick, cipher = cache_db.quick_check, cache_db.cipher_integrity_check

    def counted_quick(conn):
        calls.append("quick_check")
        return quick(conn)

    def counted_cipher(conn):
        calls.append("cipher_integrity_check")
        return cipher(conn)

    monkeypatch.setattr(cache_db, "quick_check", counted_quick)
    monkeypatch.setattr(cache_db, "cipher_integrity_check", counted_cipher)
    return calls


def _damage_cases_pages(path, keep_stamp: bool) -> None:
    before = os.stat(path)
    damaged = bytearray(path.read_bytes())
    pages = len(damaged) // 4096
    for page in (pages // 5, pages // 3, pages // 2):  # the cases' pages; the outbox was written last
        damaged[page * 4096 + 777] ^= 0x5A
    path.write_bytes(bytes(damaged))
    if keep_stamp:  # damage no write made: the media, not a program (the stamp cannot see it)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _run_check(session) -> list[bool]:
    """The background check to its end; [True] when it found damage, [] when healthy."""
    found: list[bool] = []
    assert session.start_cache_check(lambda: found.append(True))
    session._background_check._thread.join(60)
    return found


def test_a_login_on_a_cache_it_closed_cleanly_runs_no_full_check_issue19(tmp_path, full_checks):
    profile = disk_profile(tmp_path / "p", cases=40)
    offline_session(profile).close()  # no state yet (made elsewhere): checked at this login
    assert full_checks == ["quick_check", "cipher_integrity_check"]
    full_checks.clear()

    session = offline_session(profile)
    assert full_checks == [] and not session.cache_check_due  # checked an hour ago, closed cleanly
    session.close()
    assert health.state_path(profile.cache_path) in profile.cache_side_paths  # a wipe removes it too


def test_damage_the_login_cannot_see_is_found_in_the_background_and_recovered_next_login_issue19(tmp_path, full_checks):
    profile = disk_profile(tmp_path / "p", cases=150, unsent=12)
    offline_session(profile).close()
    _damage_cases_pages(profile.cache_path, keep_stamp=True)
    state = health.read_state(profile.cache_path)
    state.checked_at = 0  # the last check is old: due in the background
    profile.write_private(health.state_path(profile.cache_path), health.encode_state(state))
    full_checks.clear()

    session = offline_session(profile)
    assert full_checks == [] and session.cache_recovered is None and session.cache_check_due
    assert _run_check(session) == [True]  # the user is told (CacheDamagedInUse, by desktop.ui.cache_check)
    session.close()

    session = offline_session(profile)  # the next login checks and runs the recovery
    notice = session.cache_recovered
    assert isinstance(notice, errors.CacheRecovered) and notice.details["recovered"] == 12
    assert len(outbox.pending(session.cache)) == 12
    assert not session.cache_check_due  # the fresh cache is healthy
    session.close()


def test_after_an_unclean_exit_the_login_checks_and_damage_done_since_is_recovered_at_once_issue19(
    tmp_path, full_checks
):
    profile = disk_profile(tmp_path / "p", cases=40)
    crashed = offline_session(profile)
    crashed.cache.close()  # killed: no clean close, no stamp
    full_checks.clear()
    session = offline_session(profile)
    assert full_checks == ["quick_check", "cipher_integrity_check"]  # on the login path
    assert not session.cache_check_due and health.read_state(profile.cache_path).checked_at > 0
    session.close()

    # Killed, then the file is damaged (a power cut on a disk that lied about fsync, say):
    # the next login finds it and moves it aside with its unsent changes, not a later read.
    profile = disk_profile(tmp_path / "q", cases=150, unsent=3)
    offline_session(profile).cache.close()  # killed
    _damage_cases_pages(profile.cache_path, keep_stamp=True)
    session = offline_session(profile)
    assert isinstance(session.cache_recovered, errors.CacheRecovered)
    session.close()


def test_a_file_changed_outside_the_program_or_damage_met_while_open_is_checked_at_login_issue19(tmp_path, full_checks):
    profile = disk_profile(tmp_path / "p", cases=150, unsent=3)
    offline_session(profile).close()
    _damage_cases_pages(profile.cache_path, keep_stamp=False)  # written by something else
    session = offline_session(profile)
    assert isinstance(session.cache_recovered, errors.CacheRecovered)  # found on the login path
    session.close()

    profile = disk_profile(tmp_path / "q", cases=150, unsent=3)
    offline_session(profile).close()
    _damage_cases_pages(profile.cache_path, keep_stamp=True)
    session = offline_session(profile)
    assert session.cache_recovered is None
    with pytest.raises(cache_db.DatabaseError) as caught:  # met while open, told "log in again"
        session.cache.execute("SELECT count(*), sum(length(doc)) FROM case_docs").fetchone()
    assert_true_sentence(caught.value, errors.CacheDamagedInUse)
    session.close()
    session = offline_session(profile)
    assert isinstance(session.cache_recovered, errors.CacheRecovered)  # as the sentence promised
    session.close()
