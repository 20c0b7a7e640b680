"""Issue 19, the start path: what the login window needs comes first, the main window's code is
made while a login waits (off the GUI thread), and My Cases' read is asked before the rest of
the main window is built, so that the two overlap."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import shiboken6

from desktop import errors
from desktop.session import Session
from desktop.ui import app as app_module, desk as desk_module, desk_pages
from desktop.ui.app import DesktopApp
from desktop.ui.ops.account import SessionLogin
from tests.client.sync_helpers import Device
from tests.ui.test_app_service import CHEAP_KDF

MAIN_WINDOW_MODULES = ("desktop.ui.desk", "desktop.ui.desk_pages", "desktop.ui.main_window", "desktop.ui.cache_check")


def test_the_main_windows_modules_are_not_imported_with_the_app():
    code = f"import sys, desktop.ui.app; print(','.join(m for m in {MAIN_WINDOW_MODULES!r} if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert found == ""


def test_the_main_window_is_prepared_while_the_login_waits(qtbot, service, tmp_path, monkeypatch):
    device = Device(service, tmp_path / "eva", "eva")
    prepared = threading.Event()
    waited = []
    monkeypatch.setattr(app_module, "prepare_main_window", prepared.set)
    original_login = SessionLogin.login

    def login(self, username, password):  # on the network lane: the GUI thread is free meanwhile
        waited.append(prepared.wait(10))
        return original_login(self, username, password)

    monkeypatch.setattr(SessionLogin, "login", login)
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    try:
        app.start()
        app.login_window.password.setText(service.password("eva"))
        with qtbot.waitSignal(app.main_window_shown, timeout=20000):
            app.login_window.login_button.click()
        assert waited == [True]
    finally:
        app.shutdown()


def test_my_cases_read_is_asked_before_the_main_window_is_built_and_only_once(qtbot, service, tmp_path, monkeypatch):
    device = Device(service, tmp_path / "eva", "eva")
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service.password("eva"))
    order = []
    window_class, read = desk_pages.MainWindow, desk_module.Desk._read

    def main_window(*args, **kwargs):
        order.append("window")
        return window_class(*args, **kwargs)

    def recorded_read(self, query, deliver):
        order.append("read")
        read(self, query, deliver)

    monkeypatch.setattr(desk_pages, "MainWindow", main_window)
    monkeypatch.setattr(desk_module.Desk, "_read", recorded_read)
    app = DesktopApp(session)
    try:
        app.open_main(None)
        assert order.index("read") < order.index("window")
        model = app.desk.pages.my_cases_model
        assert model._loads._generation == 1  # one read of the whole list, not a second at show()
        qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=20000)
    finally:
        app.shutdown()


def test_the_main_window_is_built_while_the_key_is_derived_then_bound_to_the_cache(
    qtbot, service, tmp_path, monkeypatch
):
    """The user and role are known once the service let them in; the window is built before the
    cache opens (the key derivation), and that same window is shown over the cache once it does.
    An attempt that fails after that leaves nothing behind: the next one builds its own."""
    device = Device(service, tmp_path / "eva", "eva")
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    early, failures = [], [errors.CacheUnreadable()]
    original_open = Session._open_cache_online

    def open_cache_online(self, *args, **kwargs):  # the network lane, where the key derivation starts
        deadline = time.monotonic() + 10
        while app._early is None and time.monotonic() < deadline:
            time.sleep(0.01)
        early.append((app._early, self.unlocked))
        if failures:
            raise failures.pop()
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Session, "_open_cache_online", open_cache_online)
    try:
        app.start()
        app.login_window.password.setText(service.password("eva"))
        app.login_window.login_button.click()
        qtbot.waitUntil(lambda: app.login_window.login_error.isVisible(), timeout=20000)
        failed_window = early[0][0].window
        assert not failed_window.isVisible()
        app.login_window.password.setText(service.password("eva"))
        with qtbot.waitSignal(app.main_window_shown, timeout=20000):
            app.login_window.login_button.click()
        (first, _), (second, unlocked) = early
        assert first is not second
        qtbot.waitUntil(lambda: not shiboken6.isValid(failed_window), timeout=5000)  # discarded at the retry
        assert app.desk is second and not unlocked and app._early is None  # built before the cache opened
        model = app.desk.pages.my_cases_model
        assert model._loads._generation == 1  # asked once, after the cache opened
        qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=20000)
        app.desk.window.show_page("work_queue")  # the other pages are there and work
        assert app.desk.window.pages.currentWidget() is app.desk.pages.queue_page
    finally:
        app.shutdown()
