"""Locking closes the encrypted cache and drops its key; unlocking reopens it off the GUI thread.

Against the real service over mutual TLS on loopback, with a real SQLCipher cache.
"""

from __future__ import annotations

import threading

import pytest

from desktop import errors
from tests.ui.test_app_service import first_open_case, started_app


def test_lock_closes_the_cache_and_unlock_reopens_it_off_the_gui_thread(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    session = app.session
    unlock_threads = []
    real_unlock = session.unlock_offline

    def recording_unlock(password):
        unlock_threads.append(threading.current_thread())
        return real_unlock(password)

    session.unlock_offline = recording_unlock  # the real unlock, noting which thread ran it
    try:
        qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=20000)
        old_workspace = app.desk.workspace
        app.window.lock_action.trigger()  # Ctrl+L goes the same way as the idle timer
        overlay = app.desk.autolock.overlay
        assert overlay.isVisible() and not app.window.centralWidget().isVisible()
        qtbot.waitUntil(
            lambda: session.cache is None and session._data_key is None and app.desk.workspace is None, timeout=10000
        )
        assert app.desk.read_conn is None
        assert not old_workspace.writer._thread.is_alive()  # the writer's connection is closed too
        with pytest.raises(errors.CacheLocked):
            session.connect_cache()

        overlay.password.setText("niet-het-wachtwoord")
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: overlay.error.isVisible(), timeout=10000)
        assert overlay.isVisible() and session.cache is None and app.desk.workspace is None

        overlay.password.setText(service.password("anouk"))
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=10000)
        assert unlock_threads and all(t is not threading.main_thread() for t in unlock_threads)
        assert session.unlocked and app.desk.workspace is not None and app.desk.read_conn is not None
        assert app.window.centralWidget().isVisible()
        app.desk.pages.my_cases_model.reload()
        assert app.desk.pages.my_cases_model.rowCount() > 0
        qtbot.waitUntil(lambda: app.desk.workspace.engine.online, timeout=20000)  # the live sync runs again
    finally:
        app.shutdown()


def test_locking_twice_releases_once_and_logout_from_the_lock_screen_works(qtbot, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "bram")
    try:
        app.lock()
        app.lock()
        qtbot.waitUntil(lambda: app.session.cache is None, timeout=10000)
        app.desk.autolock.overlay.logout_button.click()
        assert app.login_window is not None and app.login_window.isVisible()  # at once: the app never quits
        assert app.window is None
        qtbot.waitUntil(lambda: not app.session.online, timeout=10000)  # the service hears of it in the background
    finally:
        app.shutdown()


def test_unlocking_with_production_key_derivation_never_stalls_the_window(qtbot, service, tmp_path):
    """Argon2id at its real cost (~0.5 s): the event loop keeps ticking while the password is checked."""
    import time

    from PySide6.QtCore import QTimer

    from desktop.vault import KdfParams, Vault

    app = started_app(qtbot, service, tmp_path, "eva")
    session = app.session
    try:
        password = service.password("eva")
        Vault.load(session.profile, session.secrets).rewrap_password(session._data_key, password, KdfParams())
        app.lock()
        qtbot.waitUntil(lambda: session.cache is None, timeout=10000)
        ticks = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
        heartbeat.start()
        overlay = app.desk.autolock.overlay
        overlay.password.setText(password)
        started = time.monotonic()
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: not overlay.isVisible(), timeout=20000)
        took = time.monotonic() - started
        heartbeat.stop()
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        assert took > 0.2, "the production key derivation was not used"
        assert gaps and max(gaps) < took / 2, f"the window stalled {max(gaps):.3f} s of a {took:.3f} s unlock"
    finally:
        app.shutdown()


def test_a_note_written_just_before_locking_is_kept(qtbot, service, tmp_path):
    """The lock waits for cache writes already queued: the change is in the outbox after unlocking."""
    from desktop.cache import outbox, queries
    from desktop.ui.ops import cases

    app = started_app(qtbot, service, tmp_path, "joost")
    try:
        qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=20000)
        case_id = first_open_case(app)
        written = []
        cases.add_note(None, lambda: app.desk.workspace, case_id, "Vlak voor het vergrendelen").success(
            written.append
        ).failure(written.append).run_in(app.runner)
        app.lock()
        qtbot.waitUntil(lambda: app.session.cache is None and app.desk.workspace is None, timeout=10000)
        assert written and not isinstance(written[0], BaseException), written  # written, not refused
        overlay = app.desk.autolock.overlay
        overlay.password.setText(service.password("joost"))
        overlay.unlock_button.click()
        qtbot.waitUntil(lambda: app.desk.read_conn is not None, timeout=10000)

        def kept() -> bool:  # still waiting in the outbox, or sent and back in the case's journal
            queued = [m.payload.get("text") for m in outbox.pending(app.desk.read_conn) if m.kind == "journal.add"]
            journal = [e.get("text") for e in queries.case_detail(app.desk.read_conn, case_id).case.get("journal", [])]
            return "Vlak voor het vergrendelen" in queued + journal

        qtbot.waitUntil(kept, timeout=20000)
    finally:
        app.shutdown()
