"""Switching language retranslates the open window — login and enrollment too — and keeps what was typed."""
from __future__ import annotations

import subprocess
import sys

import pytest
import shiboken6

from desktop import i18n
from desktop.profile import Profile
from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.ui.login import LoginWindow
from tests.client.sync_helpers import Device
from tests.ui.test_app_service import CHEAP_KDF, new_session


@pytest.fixture
def translations(qapp):
    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, capture_output=True)
    yield
    i18n.install_language("nl")


def choose(combo, code):
    combo.activated.emit(combo.findData(code))


def test_enrollment_window_switches_language_and_keeps_the_fields(qtbot, translations, tmp_path):
    app = DesktopApp(new_session(tmp_path / "profile"))
    try:
        app.start()
        old = app.enrollment_window
        assert old.windowTitle() == "Apparaat aanmelden — MensCentraal Mobiel"
        old.service.setText("https://menscentraal.example")
        old.username.setText("anouk")
        old.code.setText("ABCD-EFGH")
        choose(old.language, "en")
        window = app.enrollment_window
        assert window is not old and window.isVisible()
        qtbot.waitUntil(lambda: not shiboken6.isValid(old), timeout=5000)  # the old window is gone, not hidden
        assert window.windowTitle() == "Enrol device — MensCentraal Mobiel"
        assert (window.service.text(), window.username.text(), window.code.text()) == (
            "https://menscentraal.example", "anouk", "ABCD-EFGH")
        assert window.language.currentData() == "en"
        choose(window.language, "nl")
        assert app.enrollment_window.windowTitle() == "Apparaat aanmelden — MensCentraal Mobiel"
    finally:
        app.shutdown()


def test_login_window_switches_language_keeps_page_and_is_remembered(qtbot, translations, service, tmp_path):
    device = Device(service, tmp_path / "eva", "eva")
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    try:
        app.start()
        old = app.login_window
        old.password.setText("half getypt")
        old.show_page(LoginWindow.PAGE_FORGOT_PASSWORD)
        choose(old.language, "en")
        window = app.login_window
        assert window is not old and window.windowTitle() == "Log in — MensCentraal Mobiel"
        qtbot.waitUntil(lambda: not shiboken6.isValid(old), timeout=5000)  # the old window is gone, not hidden
        assert window.stack.currentIndex() == LoginWindow.PAGE_FORGOT_PASSWORD
        assert window.username.text() == "eva" and window.password.text() == "half getypt"
        assert window.forgot_link.text() == "Forgot your password?"
        assert Profile(device.profile.root).load_config().settings.language == "en"
    finally:
        app.shutdown()
