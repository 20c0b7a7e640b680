"""Shutting down deletes every window on the GUI thread: none is left for the garbage collector
(which may run on a sync or service thread) or for the interpreter's exit, after Qt is gone."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication

from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.ui.login import LoginWindow
from tests.client.sync_helpers import Device
from tests.ui.test_app_service import CHEAP_KDF


def test_shutdown_deletes_the_login_window_and_those_closed_before(qtbot, service, tmp_path):
    device = Device(service, tmp_path / "eva", "eva")
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    app.start()
    first = app.login_window
    app._retire(first)  # closed before (as after a sign-in), not yet deleted by Qt
    app.show_login()
    second = app.login_window
    try:
        assert second is not first
    finally:
        app.shutdown()
    assert not shiboken6.isValid(first) and not shiboken6.isValid(second)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, LoginWindow)]
