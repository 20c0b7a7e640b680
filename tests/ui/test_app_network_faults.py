"""Issue 12: the app's offline mode takes over on any connection problem, not only "unreachable"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.vault import KdfParams
from tests.client.sync_helpers import Device
from tests.fault_proxy import FaultProxy

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


@pytest.mark.parametrize("mode", ["close_server_hello", "reset"])
def test_connection_closed_in_the_handshake_opens_the_offline_mode_not_enroll_again(mode, qtbot, service, tmp_path):
    device = Device(service, tmp_path / "bram", "bram")
    ws = device.workspace()
    try:
        ws.sync()  # something to show offline
    finally:
        ws.close()
    with FaultProxy(service.url, mode=mode) as proxy:
        config = device.profile.load_config()
        device.profile.update_config(
            service_url=proxy.url, settings=replace(config.settings, connect_timeout_seconds=2.0)
        )
        app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
        try:
            app.start()
            login = app.login_window
            login.password.setText(service.password("bram"))
            with qtbot.waitSignal(app.main_window_shown, timeout=20000):
                login.login_button.click()
            assert app.window.banner.isVisible() and app.window.status.connection.text() == "Offline"
            assert app.enrollment_window is None
            qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=5000)
            assert device.profile.load_config().device_id, "the device is still enrolled"
        finally:
            app.shutdown()
