"""A language switch retranslates in place: the same windows, the open case, the selection, the scroll
position and what the user typed all stay; and no visible text is left in Dutch after a switch to
English (a generic walk over every visible widget, so a string added later without `retranslate_ui`
fails here too)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTableView,
    QWidget,
    QWizard,
)

from desktop import i18n
from desktop.profile import Profile
from desktop.session import Session
from desktop.ui.admin import AdminPage, GroupDeleteWizard
from desktop.ui.app import DesktopApp
from desktop.ui.autolock import LockOverlay
from desktop.ui.case_dialogs import CloseCaseDialog, NewTaskDialog
from desktop.ui.diagnosis import DiagnosisFrame
from desktop.ui.login import LoginWindow
from desktop.ui.tasks import ForwardDialog
from tests.client.sync_helpers import Device
from tests.ui.test_app_service import CHEAP_KDF, first_open_case, new_session, started_app

TS = i18n.I18N_DIR / "menscentraal_en.ts"


@pytest.fixture
def translations(qapp):
    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, capture_output=True)
    yield
    i18n.install_language("nl")
    QApplication.sendPostedEvents(None, 0)


def choose(combo, code):
    combo.activated.emit(combo.findData(code))


# --- finding Dutch left on screen ---------------------------------------------------------------
def _dutch_patterns() -> list[tuple[str, re.Pattern]]:
    """Each GUI source sentence whose English differs, as a pattern (`{name}` and `%n` match anything)."""
    patterns = []
    for message in ET.parse(TS).getroot().iter("message"):
        source = message.find("source").text or ""
        translation = message.find("translation")
        forms = [f.text or "" for f in translation.iter("numerusform")] or [translation.text or ""]
        if source in forms or not re.search(r"[A-Za-z]{2}", source):
            continue
        parts = re.split(r"(\{\w*\}|%n)", source)
        literal = "".join(p for i, p in enumerate(parts) if i % 2 == 0)
        body = "".join(re.escape(p) if i % 2 == 0 else r".+?" for i, p in enumerate(parts))
        # a long sentence may sit inside a longer text (a notice with contacts); a short one must be the whole text
        pattern = re.compile(body if len(literal.strip()) >= 14 else rf"^\s*{body}\s*$", re.S)
        patterns.append((source, pattern))
    return patterns


def _texts(widget: QWidget) -> list[str]:
    texts = [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
    if widget.isWindow():
        texts.append(widget.windowTitle())
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append(widget.text())
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        texts.append(widget.placeholderText())
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(i) for i in range(widget.count())]
    if isinstance(widget, QTabBar):
        texts += [widget.tabText(i) for i in range(widget.count())] + [
            widget.tabToolTip(i) for i in range(widget.count())
        ]
    if isinstance(widget, QListWidget):
        texts += [t for i in range(widget.count()) for t in (widget.item(i).text(), widget.item(i).toolTip())]
    if isinstance(widget, QWizard):
        texts += [widget.page(i).title() for i in widget.pageIds()]
    if isinstance(widget, QTableView) and widget.model() is not None:
        model = widget.model()
        texts += [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]
    for action in QWidget.actions(widget):  # some widgets name an attribute `actions`
        texts += [action.text(), action.toolTip()]
    return [re.sub(r"<[^>]+>", " ", t) for t in texts if t]


def dutch_on_screen(*roots: QWidget) -> set[tuple[str, str]]:
    """(widget class, Dutch source) for each visible text under `roots` that is still a Dutch sentence;
    menus count whether they are open or not."""
    patterns = _dutch_patterns()
    found = set()
    for root in roots:
        widgets = [root, *root.findChildren(QWidget)]
        for widget in widgets:
            if not (widget.isVisible() or isinstance(widget, QMenu)):
                continue
            for text in _texts(widget):
                for source, pattern in patterns:
                    if pattern.search(text):
                        found.add((type(widget).__name__, source))
    return found


# --- in place: the same objects, what was typed, where the user was ---------------------------------
def test_switch_keeps_the_window_the_open_case_and_the_typed_note(qtbot, translations, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        window, desk = app.window, app.desk
        window.resize(1000, 520)  # short enough that the case view scrolls
        qtbot.waitUntil(lambda: desk.pages.my_cases_model.rowCount() > 2, timeout=20000)
        table = desk.pages.my_cases_page.table
        table.selectRow(2)
        case_id = first_open_case(app)
        desk.open_case(case_id)
        view = desk.pages.case_view
        qtbot.waitUntil(lambda: window.pages.currentWidget() is view and view.case.get("id") == case_id, timeout=10000)
        view.note.setPlainText("Half getypte aantekening")
        bar = view.scroll.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)
        bar.setValue(bar.maximum())
        position = bar.value()

        window.language_actions["en"].trigger()

        assert app.window is window and app.desk is desk and window.isVisible()
        assert window.pages.currentWidget() is view and view.case.get("id") == case_id
        assert view.note.toPlainText() == "Half getypte aantekening"
        assert view.add_note_button.text() == "Add note" and view.back.text() == "← Back to the list"
        assert window.navigation.item(0).text() == "My cases"
        assert not window.sync_button.icon().isNull()  # the action's new text did not take the icon away
        qtbot.waitUntil(lambda: bar.value() == position, timeout=2000)
        assert table.selectionModel().selectedRows()[0].row() == 2
        assert desk.pages.my_cases_model.headerData(0, Qt.Orientation.Horizontal) == "Case number"
        assert Profile(app.session.profile.root).load_config().settings.language == "en"
    finally:
        app.shutdown()


def test_enrollment_window_switches_in_place_and_keeps_the_fields(qtbot, translations, tmp_path):
    app = DesktopApp(new_session(tmp_path / "profile"))
    try:
        app.start()
        window = app.enrollment_window
        assert window.windowTitle() == "Apparaat aanmelden — MensCentraal Mobiel"
        window.service.setText("https://menscentraal.example")
        window.username.setText("anouk")
        window.code.setText("ABCD-EFGH")
        window.submit.click()  # empty password: the window's own error, said again after the switch
        choose(window.language, "en")
        assert app.enrollment_window is window and window.isVisible()
        assert window.windowTitle() == "Enrol device — MensCentraal Mobiel"
        assert (window.service.text(), window.username.text(), window.code.text()) == (
            "https://menscentraal.example",
            "anouk",
            "ABCD-EFGH",
        )
        assert window.language.currentData() == "en"
        assert window.error.isVisible() and window.error.text.text().startswith("Fill in")  # said again, in English
        assert dutch_on_screen(window) == set()
        choose(window.language, "nl")
        assert window.windowTitle() == "Apparaat aanmelden — MensCentraal Mobiel"
    finally:
        app.shutdown()


def test_login_window_switches_in_place_keeps_page_and_is_remembered(qtbot, translations, service, tmp_path):
    device = Device(service, tmp_path / "eva", "eva")
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    try:
        app.start()
        window = app.login_window
        window.password.setText("half getypt")
        window.show_page(LoginWindow.PAGE_FORGOT_PASSWORD)
        choose(window.language, "en")
        assert app.login_window is window and window.windowTitle() == "Log in — MensCentraal Mobiel"
        assert window.stack.currentIndex() == LoginWindow.PAGE_FORGOT_PASSWORD
        assert window.username.text() == "eva" and window.password.text() == "half getypt"
        assert window.forgot_link.text() == "Forgot your password?"
        assert Profile(device.profile.root).load_config().settings.language == "en"
    finally:
        app.shutdown()


# --- nothing left in Dutch ------------------------------------------------------------------------
def test_no_dutch_left_in_the_login_window_after_a_switch(qtbot, translations, service, tmp_path):
    device = Device(service, tmp_path / "eva", "eva")
    app = DesktopApp(Session(device.profile, device.secrets, kdf=CHEAP_KDF))
    try:
        app.start()
        window = app.login_window
        window.form._show_login_error(lambda: window.tr("Vul uw wachtwoord in om offline te werken."))
        window.new_password_page.new_password.setText("kort")  # the rules show
        assert dutch_on_screen(window)  # the walk sees Dutch when there is Dutch
        choose(window.language, "en")
        for page in range(window.stack.count()):
            window.show_page(page)
            assert dutch_on_screen(window) == set(), f"page {page}"
    finally:
        app.shutdown()


def test_no_dutch_left_in_the_main_window_and_its_dialogs_after_a_switch(qtbot, translations, service, tmp_path):
    app = started_app(qtbot, service, tmp_path, "anouk")
    try:
        window, pages = app.window, app.desk.pages
        qtbot.waitUntil(lambda: pages.my_cases_model.rowCount() > 0, timeout=20000)
        app.desk.open_case(first_open_case(app))
        qtbot.waitUntil(lambda: bool(pages.case_view.case.get("id")), timeout=10000)
        colleagues, teams = pages.case_view.colleagues, pages.case_view.teams
        window.show_page("work_queue")
        pages.queue_page._leave()  # a message of the page's own
        # Dialogs open while the language changes must follow it too.
        app.desk.show_pending()
        app.desk.show_settings()
        dialogs = [
            ForwardDialog(colleagues, teams, window),
            CloseCaseDialog(window),
            NewTaskDialog(colleagues, teams, window),
        ]
        for dialog in dialogs:
            dialog.open()
        window.about_requested.emit()
        window.help_requested.emit()
        assert dutch_on_screen(window)

        window.language_actions["en"].trigger()

        leftovers = set()
        opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
        assert len(opened) >= len(dialogs) + 3  # pending changes, about, help
        leftovers |= dutch_on_screen(*opened)
        leftovers |= dutch_on_screen(window)  # the settings page
        for key in ("my_cases", "work_queue", "my_tasks", "search"):
            window.show_page(key)
            leftovers |= dutch_on_screen(window)
        app.desk.open_case(first_open_case(app))
        qtbot.waitUntil(lambda: window.pages.currentWidget() is pages.case_view, timeout=10000)
        leftovers |= dutch_on_screen(window)
        assert leftovers == set()
    finally:
        app.shutdown()


def test_no_dutch_left_on_the_admin_page_lock_and_diagnosis_after_a_switch(qtbot, translations, runner):
    """Screens the main-window walk does not reach cheaply: Beheer (an administrator's), the lock, a diagnosis."""
    locked_window = QMainWindow()
    qtbot.addWidget(locked_window)
    overlay = LockOverlay(locked_window)
    locked_window.show()
    overlay.lock()
    overlay.refuse(lambda: i18n.translate("DesktopApp", "Het wachtwoord klopt niet; probeer het opnieuw."))
    diagnosis = DiagnosisFrame(title=lambda: i18n.translate("DesktopApp", "Diagnose van de verbinding"))
    qtbot.addWidget(diagnosis)
    checks = [{"label": "TLS", "ok": False, "message": "-"}]
    diagnosis.panel.retry_requested.connect(lambda: diagnosis.show_report(checks, {"gemnet"}))  # the doctor again
    diagnosis.show_report(checks, {"gemnet"})
    diagnosis.show()
    page = AdminPage(None, runner)
    qtbot.addWidget(page)
    page._show(
        (
            [{"id": "a1", "username": "bram", "display_name": "Bram"}],
            [{"id": "d1", "username": "bram", "not_after": "2027-01-01T00:00:00Z"}],
            [{"id": "g1", "name": "Team A", "case_count": 2}, {"id": "g2", "name": "Team B", "case_count": 0}],
        )
    )
    page._show_code({"code": "ABCD", "expires_at": "2026-12-07T10:00:00Z"})
    page.show()
    wizard = GroupDeleteWizard({"id": "g1", "name": "Team A"}, [{"id": "g2", "name": "Team B"}], None, runner, page)
    wizard.open()
    roots = (page, wizard, locked_window, diagnosis)
    assert all(dutch_on_screen(root) for root in roots)
    i18n.install_language("en")
    QApplication.sendPostedEvents(None, 0)
    leftovers = dutch_on_screen(*roots)
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        leftovers |= dutch_on_screen(page)
    assert leftovers == set()
    wizard.close()


def test_the_walk_finds_a_string_set_only_in_init(qtbot, translations):
    """The walk itself: a label translated once in __init__ stays Dutch after a switch, and is found."""
    label = QLabel(i18n.translate("MainWindow", "Vergrendelen"))
    qtbot.addWidget(label)
    label.show()
    i18n.install_language("en")
    QApplication.sendPostedEvents(None, 0)
    assert dutch_on_screen(label) == {("QLabel", "Vergrendelen")}
