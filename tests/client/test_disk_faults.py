"""Issue 12: disk faults and damaged caches, on real files.

A full disk, a read-only profile and a forbidden one each get their own sentence (never "wipe",
never the bug sentence) and lose nothing; a damaged, empty or truncated cache is detected on open,
moved aside (never deleted), and its unsent changes are queued again in a fresh cache. The full
and read-only disks are real 2 MiB tmpfs mounts (root only; skipped with the reason otherwise).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import actions, cli, errors
from desktop.cache import db as cache_db, outbox, recovery
from desktop.cache.writer import CacheWriter
from desktop.cache.writes import apply_page, set_user
from desktop.profile import Profile
from desktop.session import Session
from desktop.vault import Vault
from tests.client.factories import ME, make_case, make_page
from tests.client.test_login_offline import CHEAP_KDF, PASSWORD, enrolled_offline_profile

NOW = dt.datetime.now(dt.timezone.utc)
REPO = Path(__file__).resolve().parents[2]


def disk_profile(root: Path, cases: int = 5, unsent: int = 0) -> Profile:
    """An enrolled, password-only profile (vault + cache with `cases` cases and `unsent` notes), offline."""
    profile, data_key = enrolled_offline_profile(root, None, NOW)
    conn = cache_db.open_cache(profile.cache_path, data_key, create=True)
    set_user(conn, ME)
    apply_page(conn, make_page(cases=[make_case(i) for i in range(1, cases + 1)]))
    for i in range(unsent):
        outbox.queue(conn, "journal.add", {"case_id": "c-1", "entry_id": f"e-{i}", "text": f"notitie {i} " + "x" * 400})
    cache_db.close_cache(conn)
    return profile


def offline_session(profile: Profile) -> Session:
    session = Session(profile, None, clock=lambda: NOW, kdf=CHEAP_KDF)
    outcome = session.login(PASSWORD)
    assert not outcome.online
    session.last_outcome = outcome
    return session


def assert_true_sentence(exc: BaseException, expected: type[errors.ClientError]) -> str:
    """What the command line (and the GUI, via the same mapping) tells the user for `exc`."""
    fault = exc if isinstance(exc, errors.ClientError) else cli._expected_from_library(exc)
    assert isinstance(fault, expected), (type(exc), fault)
    sentence = fault.message()
    assert "wis" not in sentence and "menscentraal wipe" not in sentence
    return sentence


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MiB file system that fills up."""
    if os.geteuid() != 0:
        pytest.skip("mounting a 2 MiB tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def run_cli(*argv: str, setpriv: list[str] | None = None) -> tuple[int, str]:
    """The real command in a subprocess (in-process it would leave a QCoreApplication behind)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        cli.NO_KEYRING_ENV: "1",
        cli.KDF_ENV: "1024,1,1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("MENSCENTRAAL_PROFILE", None)
    done = subprocess.run(
        [*(setpriv or []), sys.executable, "-m", "desktop", *argv],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=str(REPO),
        timeout=120,
    )
    return done.returncode, done.stderr


# --- disk full ----------------------------------------------------------------------------------


def test_full_disk_says_disk_full_loses_nothing_and_works_again_once_space_is_freed_issue12(small_disk):
    profile = disk_profile(small_disk / "p")
    ballast = small_disk / "ballast"
    ballast.write_bytes(b"\0" * 384 * 1024)
    session = offline_session(profile)
    ws = actions.Workspace(session, interactive=False)
    try:
        written = []
        with pytest.raises(Exception) as caught:
            for i in range(5000):
                written.append(actions.add_note(ws, "c-1", f"notitie {i} " + "x" * 3000).mutation.id)
        assert len(written) > 10
        assert "vol" in assert_true_sentence(caught.value, errors.DiskFull)
        assert [m.id for m in ws.read(outbox.pending)] == written  # every saved note is still queued

        # profile.json and the vault are written atomically: a failed write leaves the old file.
        before = {p: p.read_bytes() for p in (profile.config_path, profile.vault_path)}
        with pytest.raises(OSError) as config_write:
            profile.update_config(username="x" * 600_000)
        assert_true_sentence(config_write.value, errors.DiskFull)
        with pytest.raises(OSError) as vault_write:
            vault = Vault.load(profile, None)
            vault._state["padding"] = "x" * 600_000
            vault.rewrap_password(session._data_key, PASSWORD, CHEAP_KDF)
        assert_true_sentence(vault_write.value, errors.DiskFull)
        assert {p: p.read_bytes() for p in before} == before
        assert not list(profile.root.glob(".*.tmp"))

        ballast.unlink()  # space freed: the same cache goes on
        assert ws.read(cache_db.integrity_check) == ["ok"]
        written.append(actions.add_note(ws, "c-1", "na het opruimen").mutation.id)
        assert [m.id for m in ws.read(outbox.pending)] == written
    finally:
        ws.close()
        session.close()
    again = offline_session(profile)  # the quick check on open finds nothing to move aside
    assert again.cache_recovered is None and again.last_outcome.warnings == []
    assert [m.id for m in outbox.pending(again.cache)] == written
    again.close()


def test_login_on_a_full_disk_says_disk_full_never_wipe_issue12(small_disk):
    """Today: "offline data unreadable: wipe the profile". SQLite cannot even make the -shm file
    that reading a WAL cache needs, so the command fails: with the true sentence, losing nothing."""
    profile = disk_profile(small_disk / "p", unsent=3)
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    code, err = run_cli("--profile", str(profile.root), "cases", "--password-stdin")
    assert code == errors.DiskFull.exit_code and err.strip() == errors.DiskFull().message()
    filler.unlink()
    session = offline_session(profile)
    assert session.cache_recovered is None and len(outbox.pending(session.cache)) == 3
    session.close()


# --- read-only and forbidden profiles -----------------------------------------------------------


def test_read_only_profile_says_read_only_not_wipe_issue12(small_disk):
    profile = disk_profile(small_disk / "p", unsent=2)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        code, err = run_cli("--profile", str(profile.root), "cases", "--password-stdin")
        assert code not in (0, cli.EXIT_BUG)
        assert errors.ProfileReadOnly().message() in err, err
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    session = offline_session(profile)
    assert session.cache_recovered is None and len(outbox.pending(session.cache)) == 2
    session.close()


def test_permission_denied_profile_says_permission_denied_issue12(tmp_path):
    """The profile belongs to another account (say, restored from a backup): the client, root
    without the capabilities that bypass file permissions, meets EACCES on its own files."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and util-linux setpriv to drop the permission-bypass capabilities")
    profile = disk_profile(tmp_path / "p", unsent=1)
    for path in [profile.root, *profile.root.iterdir()]:
        os.chown(path, 65534, 65534)
    code, err = run_cli(
        "--profile",
        str(profile.root),
        "cases",
        "--password-stdin",
        setpriv=[setpriv, "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"],
    )
    assert code not in (0, cli.EXIT_BUG) and errors.ProfileAccessDenied().message() in err, err


# --- damaged caches -----------------------------------------------------------------------------


def test_flipped_bytes_in_cache_pages_are_detected_and_unsent_changes_recovered_issue12(tmp_path):
    profile = disk_profile(tmp_path / "p", cases=150, unsent=12)
    sent_ids = {m.id for m in _pending_of(profile)}
    damaged = bytearray(profile.cache_path.read_bytes())
    pages = len(damaged) // 4096
    for page in (pages // 5, pages // 3, pages // 2):  # the cases' pages; the outbox was written last
        damaged[page * 4096 + 777] ^= 0x5A
    profile.cache_path.write_bytes(bytes(damaged))

    session = offline_session(profile)
    notice = session.cache_recovered
    assert isinstance(notice, errors.CacheRecovered) and notice.details["held"] == 12
    assert notice.details["recovered"] == 12 and session.last_outcome.warnings == [notice.message()]
    assert "12" in notice.message() and "opzij gezet" in notice.message()
    assert {m.id for m in outbox.pending(session.cache)} == sent_ids  # queued again, same ids
    assert cache_db.integrity_check(session.cache) == ["ok"]
    moved = list(profile.root.glob("cache.db.damaged-*"))
    assert [p.read_bytes() for p in moved if not p.name.endswith(("-wal", "-shm"))] == [bytes(damaged)]
    session.close()


def test_damage_in_the_outbox_pages_says_how_many_unsent_changes_were_lost_issue12(tmp_path):
    profile = disk_profile(tmp_path / "p", cases=150, unsent=12)
    originals = {m.id: m.payload for m in _pending_of(profile)}
    whole = profile.cache_path.read_bytes()
    for page in range(len(whole) // 4096 - 1, 0, -1):  # the outbox was written last: its pages are near the end
        for moved in profile.damaged_cache_paths:
            moved.unlink()
        damaged = bytearray(whole)
        damaged[page * 4096 + 777] ^= 0x5A
        profile.cache_path.write_bytes(bytes(damaged))
        session = offline_session(profile)
        notice = session.cache_recovered
        assert notice is not None, f"damage in page {page + 1} went unnoticed"
        if notice.details["held"] is not None and 0 < notice.details["recovered"] < notice.details["held"]:
            break  # (None: a page the count needs, of the outbox or of the refused changes, is unreadable)
        session.close()
    else:
        pytest.fail("no page held only part of the outbox")
    try:
        assert notice.details["held"] == 12
        lost = 12 - notice.details["recovered"]
        assert f"{lost} waren onleesbaar" in notice.message() and "bel de helpdesk" in notice.message()
        carried = outbox.pending(session.cache)
        assert len(carried) == notice.details["recovered"]
        assert all(originals[m.id] == m.payload for m in carried)  # whole entries, never half ones
    finally:
        session.close()


def _with_refused_listed(profile: Profile, count: int) -> None:
    """`count` refused changes in the unprocessed-changes list, written after the outbox."""
    data_key = Vault.load(profile, None).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)
    outbox.import_rows(
        conn,
        [
            {
                "id": f"m-refused-{i}",
                "kind": "journal.add",
                "case_id": "c-2",
                "task_id": None,
                "payload": f'{{"case_id": "c-2", "entry_id": "r-{i}", "text": "geweigerd {i} {"y" * 900}"}}',
                "status": "rejected",
                "reason": "case-closed",
                "detail": None,
                "held_by": None,
                "created_at": NOW.isoformat(),
                "recorded_at": NOW.isoformat(),
                "list": outbox.REFUSED,
            }
            for i in range(count)
        ],
    )
    cache_db.close_cache(conn)


def _first_damage_that(profile: Profile, pages, found) -> Session:
    """A session on the cache with one byte flipped in the first of `pages` where `found(session)`."""
    whole = profile.cache_path.read_bytes()
    for page in pages(len(whole) // 4096):
        for moved in profile.damaged_cache_paths:
            moved.unlink()
        damaged = bytearray(whole)
        damaged[page * 4096 + 777] ^= 0x5A
        profile.cache_path.write_bytes(bytes(damaged))
        session = offline_session(profile)
        assert session.cache_recovered is not None, f"damage in page {page + 1} went unnoticed"
        if found(session):
            return session
        session.close()
    pytest.fail("no such page")


def _listed(session: Session) -> int:
    return session.cache.execute("SELECT count(*) FROM unprocessed").fetchone()[0]


def test_damage_in_the_refused_changes_listed_is_counted_in_the_sentence_too_issue12(tmp_path):
    """A refused change still listed holds the user's text and nothing else does: damage that
    makes it unreadable is told like a lost unsent change (found by the hostile-world run)."""
    profile = disk_profile(tmp_path / "p", cases=150, unsent=4)
    _with_refused_listed(profile, 8)
    session = _first_damage_that(  # the refused changes were written last: their pages are near the end
        profile,
        lambda pages: range(pages - 1, 0, -1),
        lambda s: (
            len(outbox.pending(s.cache)) == 4
            and (s.cache_recovered.details["held"] or 0) > s.cache_recovered.details["recovered"]
        ),
    )
    try:
        notice = session.cache_recovered
        assert notice.details["held"] == 12  # 4 unsent + 8 listed as refused
        lost = 12 - notice.details["recovered"]
        assert f"{lost} waren onleesbaar" in notice.message() and "niet-verwerkte" in notice.message()
        assert _listed(session) == 8 - lost  # the readable ones are listed again
    finally:
        session.close()


def test_a_bad_page_in_the_outbox_does_not_hide_the_refused_changes_read_after_it_issue12(tmp_path):
    """SQLCipher's failed page check leaves the connection failing every later uncached read: the
    refused changes on intact pages, read after the outbox, were all lost (found by the hostile-world run)."""
    profile = disk_profile(tmp_path / "p", cases=150, unsent=12)
    _with_refused_listed(profile, 8)
    session = _first_damage_that(
        profile, lambda pages: range(pages - 1, 0, -1), lambda s: 0 < len(outbox.pending(s.cache)) < 12
    )
    try:
        notice = session.cache_recovered
        assert _listed(session) == 8 and notice.details["held"] == 20
        assert notice.details["recovered"] == len(outbox.pending(session.cache)) + 8
    finally:
        session.close()


@pytest.mark.parametrize("renames_done", [0, 1])
def test_a_recovery_killed_half_way_loses_nothing_untold_issue12(tmp_path, renames_done):
    """SIGKILL during the recovery: before the damaged cache is moved aside (0), or just after (1),
    before a fresh cache with the changes has its name. The next login tells and carries them all."""
    profile = disk_profile(tmp_path / "p", cases=150, unsent=6)
    _with_refused_listed(profile, 2)
    damaged = bytearray(profile.cache_path.read_bytes())
    for page in (len(damaged) // 4096 // 5, len(damaged) // 4096 // 3):  # the cases' pages
        damaged[page * 4096 + 777] ^= 0x5A
    profile.cache_path.write_bytes(bytes(damaged))
    pid = os.fork()
    if pid == 0:  # the client, killed for real around the first rename
        try:
            rename_all = recovery._rename_all

            def killed(source, target):
                if renames_done:
                    rename_all(source, target)
                os.kill(os.getpid(), signal.SIGKILL)

            recovery._rename_all = killed
            offline_session(profile)
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert profile.cache_path.exists() is not bool(renames_done)

    session = offline_session(profile)
    try:
        notice = session.cache_recovered
        assert notice is not None and notice.details["held"] == notice.details["recovered"] == 8
        assert len(outbox.pending(session.cache)) == 6 and _listed(session) == 2
        assert cache_db.integrity_check(session.cache) == ["ok"]
        assert not list(profile.root.glob("*.fresh*"))
        assert [p.name for p in profile.damaged_cache_paths if not p.name.endswith(recovery.SIDE_SUFFIXES)] == [
            notice.details["moved_to"]
        ]
    finally:
        session.close()


def test_zero_length_cache_is_moved_aside_and_its_unsent_changes_counted_issue12(tmp_path):
    profile = disk_profile(tmp_path / "p", unsent=4)
    profile.cache_path.write_bytes(b"")
    session = offline_session(profile)
    notice = session.cache_recovered
    assert notice is not None and notice.details["held"] == 0  # the changes were checkpointed: gone with the file
    moved = list(profile.root.glob("cache.db.damaged-*"))
    assert len(moved) == 1 and moved[0].stat().st_size == 0
    session.close()


def test_zero_length_cache_with_changes_in_its_log_keeps_the_log_and_says_so_issue12(tmp_path):
    profile = disk_profile(tmp_path / "p")
    data_key = Vault.load(profile, None).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    outbox.queue(conn, "journal.add", {"case_id": "c-1", "entry_id": "e-wal", "text": "alleen in het logboek"})
    wal = profile.root / "cache.db-wal"
    log_copy = wal.read_bytes()
    conn.close()  # no checkpoint: the change lives only in the write-ahead log
    wal.write_bytes(log_copy)
    profile.cache_path.write_bytes(b"")

    session = offline_session(profile)
    notice = session.cache_recovered
    assert notice is not None and notice.details["held"] is None  # unknown: never "nothing was unsent"
    assert "bel de helpdesk" in notice.message()
    kept = profile.root / (next(profile.root.glob("cache.db.damaged-*[0-9Z]")).name + "-wal")
    assert kept.read_bytes() == log_copy
    session.close()


def test_truncated_cache_is_detected_and_moved_aside_issue12(tmp_path):
    profile = disk_profile(tmp_path / "p", cases=100, unsent=3)
    whole = profile.cache_path.read_bytes()
    profile.cache_path.write_bytes(whole[: len(whole) - 1000])
    session = offline_session(profile)
    assert session.cache_recovered is not None
    assert cache_db.integrity_check(session.cache) == ["ok"]
    moved = next(p for p in profile.root.glob("cache.db.damaged-*") if not p.name.endswith(("-wal", "-shm")))
    assert moved.read_bytes() == whole[: len(whole) - 1000]
    assert len(outbox.pending(session.cache)) == session.cache_recovered.details["recovered"]
    session.close()


def test_damage_found_while_open_gets_its_own_sentence_not_the_bug_sentence_issue12(tmp_path):
    profile = disk_profile(tmp_path / "p", cases=150)
    session = offline_session(profile)
    session.close()
    damaged = bytearray(profile.cache_path.read_bytes())
    damaged[(len(damaged) // 4096 // 2) * 4096 + 99] ^= 0xFF
    profile.cache_path.write_bytes(bytes(damaged))
    data_key = Vault.load(profile, None).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)  # a second connection runs no check
    with pytest.raises(cache_db.DatabaseError) as caught:
        conn.execute("SELECT count(*), sum(length(doc)) FROM case_docs").fetchone()
    conn.close()
    assert "opnieuw in" in assert_true_sentence(caught.value, errors.CacheDamagedInUse)


def _pending_of(profile: Profile) -> list[outbox.Mutation]:
    data_key = Vault.load(profile, None).unlock_with_password(PASSWORD)
    conn = cache_db.open_cache(profile.cache_path, data_key)
    try:
        return outbox.pending(conn)
    finally:
        cache_db.close_cache(conn)


def test_recovered_changes_reach_the_service_once_and_a_fresh_sync_rebuilds_the_cache_issue12(service, tmp_path):
    from desktop.cache import queries
    from tests.client.sync_helpers import Device
    from tests.client.test_sync_service import _open_case_with_step

    device = Device(service, tmp_path / "profile", "anouk", keyring=False)
    ws = device.workspace()
    ws.sync()
    my_cases = ws.read(queries.count_my_cases)
    case_id = _open_case_with_step(ws)["id"]
    texts = [f"herstel-{i}" for i in range(5)]
    for text in texts:
        ws.writer.call(outbox.queue, "journal.add", {"case_id": case_id, "entry_id": f"e-{text}", "text": text})
    # The pages that hold the outbox (tables and indexes) are not the ones damaged below.
    kept = {
        r[0]
        for r in ws.read(
            lambda conn: conn.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('outbox', 'unprocessed', 'sqlite_master')"
            ).fetchall()
        )
    }
    ws.close()
    before_push = device.profile.cache_path.read_bytes()  # closed: checkpointed, no -wal
    ws = device.workspace()
    ws.engine.push_once()  # delivered ...
    ws.close()
    device.profile.cache_path.write_bytes(before_push)  # ... but the cache never heard (a crash)
    damaged = bytearray(before_push)
    pages = len(damaged) // 4096
    for page in (pages * 3 // 5, pages * 4 // 5):  # among the cases' pages, the bulk of the file
        while page + 1 in kept:  # rootpage counts from 1, `page` from 0
            page += 1
        damaged[page * 4096 + 500] ^= 0xA5
    device.profile.cache_path.write_bytes(bytes(damaged))

    session = device.session()  # online: the check on open finds the damage
    try:
        notice = session.cache_recovered
        assert notice is not None and (notice.details["held"], notice.details["recovered"]) == (5, 5)
        ws = actions.Workspace(session)
        try:
            ws.sync()
            assert ws.read(queries.outbox_count) == 0
            assert ws.read(queries.count_my_cases) == my_cases  # the fresh sync rebuilt the rest
            assert ws.read(cache_db.integrity_check) == ["ok"]
        finally:
            ws.close()
    finally:
        session.close()
    conn = service.db.conn()
    counts = dict(conn.execute("SELECT text, count(*) FROM journal_entries WHERE text LIKE 'herstel-%' GROUP BY text"))
    assert counts == {text: 1 for text in texts}  # each change applied exactly once


def test_a_wipe_also_removes_moved_aside_caches_issue12(tmp_path):
    from desktop.wipe import wipe_everything

    profile = disk_profile(tmp_path / "p", unsent=1)
    profile.cache_path.write_bytes(b"")
    offline_session(profile).close()
    assert profile.damaged_cache_paths
    wipe_everything(profile, None)
    assert profile.damaged_cache_paths == [] and not profile.cache_path.exists()


def test_live_sync_on_a_full_disk_says_so_and_goes_on_once_space_is_freed_issue12(small_disk, monkeypatch):
    """The network edge is scripted (tests.client.test_fuzz_feed.ScriptedService); the disk is real."""
    import json

    import httpx

    from desktop.cache import queries
    from desktop.sync import engine as engine_mod
    from tests.client.test_fuzz_feed import ScriptedService
    from tests.service_fixtures import wait_until

    key = os.urandom(32)
    conn = cache_db.open_cache(small_disk / "cache.db", key, create=True)
    set_user(conn, ME)
    conn.close()
    writer = CacheWriter(lambda: cache_db.open_cache(small_disk / "cache.db", key))
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 16384)
        except OSError:
            pass
    big = make_page(cursor="p1", cases=[make_case(i) for i in range(1, 201)])

    class Feed(ScriptedService):
        def request(self, method, path, params=None, timeout=None, **kwargs):
            page = make_page(cursor="p1") if params.get("cursor") else big
            return httpx.Response(200, content=json.dumps(page).encode(), headers={"content-type": "application/json"})

    failures = []

    class Progress(engine_mod.NoProgress):
        def failed(self, error):
            failures.append(error)

    monkeypatch.setattr(engine_mod.Backoff, "next_delay", lambda self: 0.2)
    engine = engine_mod.SyncEngine(Feed([]), writer, small_disk.parent / "sync.lock", Progress())
    engine.start_live()
    try:
        wait_until(lambda: any(isinstance(f, errors.DiskFull) for f in failures), timeout=20)
        assert engine.live  # not given up
        filler.unlink()
        wait_until(lambda: writer.call(queries.count_my_cases) == 200, timeout=20)
    finally:
        engine.stop()
        writer.close()


def test_damaged_cache_on_a_full_disk_stays_in_place_until_it_can_be_recovered_issue12(small_disk):
    profile = disk_profile(small_disk / "p", cases=60, unsent=4)
    damaged = bytearray(profile.cache_path.read_bytes())
    damaged[(len(damaged) // 4096 // 3) * 4096 + 300] ^= 0x77
    profile.cache_path.write_bytes(bytes(damaged))
    filler = small_disk / "filler"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError:
            pass
    # Room for the -shm files that opening and reading the damaged cache need, not for a fresh cache.
    os.truncate(filler, filler.stat().st_size - 96 * 1024)
    with pytest.raises(errors.DiskFull):
        offline_session(profile)
    assert profile.cache_path.read_bytes() == bytes(damaged) and profile.damaged_cache_paths == []
    filler.unlink()
    session = offline_session(profile)  # space again: now the recovery runs, nothing was lost
    assert (session.cache_recovered.details["held"], session.cache_recovered.details["recovered"]) == (4, 4)
    session.close()
