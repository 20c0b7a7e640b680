"""Issue 19: the cache's full damage check runs in the background once My Cases is shown, and
damage it finds is told in one sentence on the GUI thread (desktop.ui.cache_check)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import errors
from desktop.cache import db as cache_db, health
from desktop.cache.errors import CacheCorrupt
from desktop.session import Session
from desktop.ui.app import DesktopApp
from tests.client.sync_helpers import Device
from tests.ui.test_app_service import CHEAP_KDF


def test_damage_found_in_the_background_after_the_list_is_told_and_kept_for_the_next_login_issue19(
    qtbot, service, tmp_path, monkeypatch
):
    device = Device(service, tmp_path / "eva", "eva")
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service.password("eva"))
    session.cache_check_due = True  # as after an unclean exit
    app = DesktopApp(session)
    seen = []

    def damaged(conn, quick=False):
        loads = app.desk.pages.my_cases_model._loads  # read on the check's own thread
        seen.append((loads._generation, loads._in_flight))
        raise CacheCorrupt("the cache failed SQLCipher's integrity check")

    monkeypatch.setattr(cache_db, "check_cache", damaged)
    try:
        app.open_main(None)
        sentence = errors.CacheDamagedInUse().message()

        def told() -> bool:
            return any(
                isinstance(w, QMessageBox) and w.isVisible() and w.text() == sentence
                for w in QApplication.topLevelWidgets()
            )

        qtbot.waitUntil(told, timeout=20000)
        assert seen == [(1, False)]  # started once, after the list's read was applied
        assert health.read_state(device.profile.cache_path).damage  # the next login checks and recovers
    finally:
        app.shutdown()
