"""The last keyboard-only flows of issue 18: enrolment, Beheer and the list of refused changes, with
key presses on the focused widget against the real service over mutual TLS (as in
test_keyboard_flows.py). Every loop is bounded and says what it did not reach."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore
from desktop.session import Session
from desktop.ui.admin import GroupDeleteWizard
from desktop.ui.app import DesktopApp
from desktop.ui.pending import PendingChangesDialog
from tests.a11y.keyboard import focused, press, tab_to, type_text
from tests.a11y.test_keyboard_flows import TIMEOUT, active, logged_in_by_keyboard
from tests.client.sync_helpers import CHEAP_KDF

K = Qt.Key
MAX_ROWS = 30


def test_enrol_this_device_by_keyboard(qtbot, service, tmp_path):
    app = DesktopApp(Session(Profile(tmp_path / "profile"), InMemorySecretStore(), kdf=CHEAP_KDF))
    app.start()
    try:
        window = app.enrollment_window
        active(qtbot, window)
        for field, text in (
            (window.service, service.url),
            (window.ca_path, str(service.ca_path)),
            (window.username, "anouk"),
            (window.password, service.password("anouk")),
            (window.code, service.enroll_code("anouk")),
        ):
            tab_to(qtbot, field)
            type_text(qtbot, text)
        tab_to(qtbot, window.submit)  # past the code: Tab goes on to the button
        with qtbot.waitSignal(app.main_window_shown, timeout=TIMEOUT):
            press(qtbot, K.Key_Return)  # the window's default button
        qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=TIMEOUT)
    finally:
        app.shutdown()


def test_beheer_tabs_and_the_group_wizard_by_keyboard(qtbot, service, tmp_path):
    app = logged_in_by_keyboard(qtbot, service, tmp_path, "gerrit")
    try:
        window = app.window
        admin = app.desk.pages.admin_page
        tab_to(qtbot, window.navigation)
        for _ in range(MAX_ROWS):  # down the navigation to Beheer
            if window.pages.currentWidget() is admin:
                break
            press(qtbot, K.Key_Down)
        assert window.pages.currentWidget() is admin, "the arrow keys did not reach Beheer in the navigation"
        active(qtbot, window)
        qtbot.waitUntil(lambda: admin.groups.count() > 1, timeout=TIMEOUT)  # a group to move the cases to
        tabs = admin.tabs
        assert tab_to(qtbot, tabs.tabBar()) == 1, "the tabs are not the next stop after the navigation"
        for _ in range(tabs.count()):  # the arrow keys switch the tabs
            if tabs.currentIndex() == tabs.count() - 1:
                break
            press(qtbot, K.Key_Right)
        assert tabs.currentWidget().isAncestorOf(admin.groups), "Right did not reach the tab Groepen"
        tab_to(qtbot, admin.groups)
        press(qtbot, K.Key_Home)
        group = admin.groups.currentItem().data(Qt.ItemDataRole.UserRole)
        assert group and group.get("id")
        delete = next(button for hint, refresh, button in admin._tab_texts if admin.groups.parent() is button.parent())
        tab_to(qtbot, delete)  # Groep verwijderen…
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: admin.findChild(GroupDeleteWizard) is not None)
        wizard = admin.findChild(GroupDeleteWizard)
        qtbot.waitUntil(wizard.isVisible)
        active(qtbot, wizard)
        assert wizard.isAncestorOf(focused()), "the wizard opened without the focus"
        press(qtbot, K.Key_Escape)  # cancels: nothing moved, nothing deleted
        qtbot.waitUntil(lambda: not wizard.isVisible())
        active(qtbot, window)
        assert delete.hasFocus(), f"the focus did not come back to the button but went to {focused()!r}"
        count = (
            service.db.conn()
            .execute("SELECT count(*) FROM household_groups WHERE id = ?", (group["id"],))
            .fetchone()[0]
        )
        assert count == 1
    finally:
        app.shutdown()


def test_refused_change_listed_and_its_case_opened_by_keyboard(qtbot, service, tmp_path):
    app = logged_in_by_keyboard(qtbot, service, tmp_path, "anouk")
    try:
        window = app.window
        pages = app.desk.pages
        model = pages.my_cases_model
        qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=TIMEOUT)
        table = pages.my_cases_page.table
        tab_to(qtbot, table)
        press(qtbot, K.Key_Home)
        for _ in range(model.rowCount()):
            if model.case_row(table.currentIndex().row()).status == "open":
                break
            press(qtbot, K.Key_Down)
        case_id = model.case_id(table.currentIndex().row())
        press(qtbot, K.Key_Return)
        view = pages.case_view
        qtbot.waitUntil(lambda: window.pages.currentWidget() is view, timeout=TIMEOUT)
        active(qtbot, window)
        tab_to(qtbot, view.note)
        type_text(qtbot, "Na afsluiten nog gebeld.")
        # Meanwhile the case is closed at the service: the note is refused (case-closed).
        with service.db.conn() as conn:
            conn.execute("UPDATE cases SET status = 'closed' WHERE id = ?", (case_id,))
        tab_to(qtbot, view.add_note_button)
        press(qtbot, K.Key_Space)
        status = window.status
        qtbot.waitUntil(lambda: status._pending[1] == 1, timeout=TIMEOUT)  # one refused change

        active(qtbot, window)  # the closed case's note controls went away with the focus (offscreen)
        press(qtbot, K.Key_1, Qt.KeyboardModifier.ControlModifier)  # away to Mijn zaken first
        qtbot.waitUntil(lambda: window.pages.currentWidget() is pages.my_cases_page)
        active(qtbot, window)
        tab_to(qtbot, status.pending)  # the status bar's "1 niet verwerkt"
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: window.findChild(PendingChangesDialog, "pendingChanges") is not None)
        dialog = window.findChild(PendingChangesDialog, "pendingChanges")
        qtbot.waitUntil(dialog.isVisible)
        active(qtbot, dialog)
        opens = [b for b in dialog.findChildren(type(status.pending)) if b.property("opens") == case_id]
        assert opens, "the refused note's case has no Openen button"
        tab_to(qtbot, opens[0])  # moving through the list, card by card
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        qtbot.waitUntil(lambda: window.pages.currentWidget() is view, timeout=TIMEOUT)
        qtbot.waitUntil(lambda: view.case is not None and view.case.get("id") == case_id, timeout=TIMEOUT)
        assert QApplication.activeModalWidget() is None
    finally:
        app.shutdown()
