"""The main flows with the keyboard alone (issue 18): key presses on the focused widget, against
the real service over mutual TLS. Each step reaches its control by Tab, in the window's own order,
and works it with Enter, Space or the arrow keys; a control Tab cannot reach fails the flow."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.ui.tasks import ForwardDialog
from tests.a11y.keyboard import focused, press, tab_to, type_text
from tests.client.sync_helpers import CHEAP_KDF, Device

K = Qt.Key
TIMEOUT = 20000


def logged_in_by_keyboard(qtbot, service, root, username: str) -> DesktopApp:
    """The app of an enrolled laptop: the login window, the password typed, Enter."""
    device = Device(service, root / username, username)
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    app.start()
    window = app.login_window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    tab_to(qtbot, window.password)
    type_text(qtbot, service.password(username))
    with qtbot.waitSignal(app.main_window_shown, timeout=TIMEOUT):
        press(qtbot, K.Key_Return)
    active(qtbot, app.window)
    return app


def active(qtbot, window) -> None:
    """The window active again, as a window manager keeps it: the offscreen platform has none, and
    drops the activation when the focused widget's page is hidden (the AT-SPI run, on X, does not)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_log_in_open_a_case_and_add_a_note_by_keyboard(qtbot, service, tmp_path):
    app = logged_in_by_keyboard(qtbot, service, tmp_path, "anouk")
    try:
        pages = app.desk.pages
        qtbot.waitUntil(lambda: pages.my_cases_model.rowCount() > 0, timeout=TIMEOUT)
        table = pages.my_cases_page.table
        tab_to(qtbot, table)
        press(qtbot, K.Key_Home)
        model = pages.my_cases_model
        while model.case_row(table.currentIndex().row()).status != "open":  # a closed case takes no notes
            press(qtbot, K.Key_Down)
        case_id = model.case_id(table.currentIndex().row())
        press(qtbot, K.Key_Return)  # opens the case
        view = pages.case_view
        qtbot.waitUntil(lambda: app.window.pages.currentWidget() is view, timeout=TIMEOUT)
        active(qtbot, app.window)
        tab_to(qtbot, view.note)
        type_text(qtbot, "Moeder gebeld, afspraak donderdag.")
        tab_to(qtbot, view.add_note_button)
        assert focused() is view.add_note_button  # the note field let Tab go on (no trap)
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: view.note.toPlainText() == "", timeout=TIMEOUT)  # taken, and queued
        qtbot.waitUntil(
            lambda: (
                service.db.conn()
                .execute(  # the service has it
                    "SELECT count(*) FROM journal_entries WHERE case_id = ? AND text = ?",
                    (case_id, "Moeder gebeld, afspraak donderdag."),
                )
                .fetchone()[0]
                == 1
            ),
            timeout=TIMEOUT,
        )
    finally:
        app.shutdown()


def test_pick_up_from_the_werkbak_then_hand_it_back_by_keyboard(qtbot, service, tmp_path):
    app = logged_in_by_keyboard(qtbot, service, tmp_path, "anouk")
    try:
        pages = app.desk.pages
        qtbot.waitUntil(lambda: pages.queue_model.rowCount() > 0, timeout=TIMEOUT)
        navigation = app.window.navigation
        tab_to(qtbot, navigation)
        press(qtbot, K.Key_Down)  # Werkbak, the second entry
        queue = pages.queue_page
        qtbot.waitUntil(lambda: app.window.pages.currentWidget() is queue)
        active(qtbot, app.window)
        tab_to(qtbot, queue.table)
        press(qtbot, K.Key_Home)
        task = queue.detail.task
        assert task is not None
        tab_to(qtbot, queue.detail.primary)  # Oppakken, past the table's cells
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: any(t.id == task.id for t in pages.my_tasks_model.tasks()), timeout=TIMEOUT)

        tab_to(qtbot, navigation)
        mine = pages.my_tasks_page
        for _ in range(10):  # down past the Werkbak's queues to Mijn taken
            press(qtbot, K.Key_Down)
            if app.window.pages.currentWidget() is mine:
                break
        qtbot.waitUntil(lambda: app.window.pages.currentWidget() is mine)
        active(qtbot, app.window)
        tab_to(qtbot, mine.table)
        press(qtbot, K.Key_Home)
        while mine.detail.task.id != task.id:
            press(qtbot, K.Key_Down)
        tab_to(qtbot, mine.detail.release)  # Teruggeven aan de werkbak
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: any(t.id == task.id for t in pages.queue_model.tasks()), timeout=TIMEOUT)
    finally:
        app.shutdown()


def test_forward_a_werkbak_task_by_keyboard(qtbot, service, tmp_path):
    app = logged_in_by_keyboard(qtbot, service, tmp_path, "anouk")
    try:
        pages = app.desk.pages
        qtbot.waitUntil(lambda: pages.queue_model.rowCount() > 0, timeout=TIMEOUT)
        tab_to(qtbot, app.window.navigation)
        press(qtbot, K.Key_Down)
        queue = pages.queue_page
        qtbot.waitUntil(lambda: app.window.pages.currentWidget() is queue)
        active(qtbot, app.window)
        tab_to(qtbot, queue.table)
        press(qtbot, K.Key_Home)
        task = queue.detail.task
        tab_to(qtbot, queue.detail.forward)
        press(qtbot, K.Key_Space)  # opens the dialog, the focus in its search for a colleague
        qtbot.waitUntil(lambda: queue.findChild(ForwardDialog) is not None)
        dialog = queue.findChild(ForwardDialog)
        active(qtbot, dialog)
        assert focused() is dialog.search
        tab_to(qtbot, dialog.people)
        press(qtbot, K.Key_End)  # the last colleague
        chosen = dialog.chosen()
        assert chosen[0] == "user"
        press(qtbot, K.Key_Return)  # the dialog's default button: Doorsturen
        qtbot.waitUntil(lambda: "doorgestuurd" in queue.message.text.text(), timeout=TIMEOUT)
        qtbot.waitUntil(
            lambda: (
                service.db.conn().execute("SELECT assignee_id FROM tasks WHERE id = ?", (task.id,)).fetchone()[0]
                == chosen[1]
            ),
            timeout=TIMEOUT,
        )
    finally:
        app.shutdown()


def test_notification_settings_from_the_person_menu_by_keyboard(qtbot, service, tmp_path):
    app = logged_in_by_keyboard(qtbot, service, tmp_path, "anouk")
    try:
        window = app.window
        settings = app.desk.pages.settings
        # The first sync brings the preferences (saving before it says "synchronise first").
        qtbot.waitUntil(lambda: app.desk.pages.my_cases_model.rowCount() > 0, timeout=TIMEOUT)
        tab_to(qtbot, window.person_button)

        def choose_notifications() -> None:  # the menu runs its own loop: keys to the open menu
            menu = QApplication.activePopupWidget()
            assert menu is window.person_menu
            qtbot.keyClick(menu, K.Key_Down)  # the first entry that can be chosen: Meldingen
            assert menu.activeAction() is window.settings_action
            qtbot.keyClick(menu, K.Key_Return)

        QTimer.singleShot(100, choose_notifications)
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: window.pages.currentWidget() is settings, timeout=TIMEOUT)
        active(qtbot, window)
        was = settings.assigned.isChecked()
        tab_to(qtbot, settings.assigned)
        press(qtbot, K.Key_Space)
        assert settings.assigned.isChecked() is not was
        tab_to(qtbot, settings.save_button)
        press(qtbot, K.Key_Space)
        qtbot.waitUntil(lambda: "Opgeslagen" in settings.status.text(), timeout=TIMEOUT)
        tab_to(qtbot, window.navigation)  # and on through the navigation without leaving the page
        assert window.pages.currentWidget() is settings
    finally:
        app.shutdown()


def test_forgot_password_by_keyboard(qtbot, service, tmp_path):
    device = Device(service, tmp_path / "daan", "daan")
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    app.start()
    try:
        window = app.login_window
        active(qtbot, window)
        tab_to(qtbot, window.forgot_link)
        press(qtbot, K.Key_Space)
        page = window.reset_page
        qtbot.waitUntil(lambda: window.stack.currentWidget() is page)
        tab_to(qtbot, page.username)
        press(qtbot, K.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, "daan")
        press(qtbot, K.Key_Return)
        service.wait_for_mail()  # the temporary password, by mail
        qtbot.waitUntil(page.answer.isVisible, timeout=TIMEOUT)
    finally:
        app.shutdown()
