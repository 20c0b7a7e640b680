"""Touch and tablet (issue 18): every control at least 24×24 px and 44 px where room allows on a
touch screen, lists that scroll by finger while the mouse keeps selecting, and the focused field
above an on-screen keyboard. One real app (anouk, the real service over mutual TLS) for the module:
the walks only look, they change nothing the next test depends on."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDialog,
    QMessageBox,
    QScrollArea,
    QScroller,
    QSplitter,
    QWidget,
)

from desktop.session import Session
from desktop.ui import theme, touch
from desktop.ui.app import DesktopApp
from tests.client.sync_helpers import CHEAP_KDF, Device
from tests.ui.render_screenshots import wait_for
from tests.ui.touch_walk import too_small
from tests.ui.test_app_service import first_open_case


@pytest.fixture(scope="module")
def themed(qapp):
    """The app's look (style, sheet, focus ring) for this module, the default one back afterwards."""
    style = qapp.style().name()
    theme.apply(qapp)
    yield qapp
    qapp.focusChanged.disconnect(theme._ring_follows_focus)
    qapp.setProperty("focusRing", False)
    qapp.setStyleSheet("")
    qapp.setStyle(style)


@pytest.fixture(scope="module")
def anouk(themed, service_module, tmp_path_factory):
    device = Device(service_module, tmp_path_factory.mktemp("touch"), "anouk")
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    session.login(service_module.password("anouk"))
    app = DesktopApp(session)
    app.open_main(None)
    pages = app.desk.pages
    app.window.resize(1280, 800)
    wait_for(
        lambda: pages.my_cases_model.rowCount() > 0 and pages.queue_model.rowCount() > 0 and not app.runner.pending
    )
    yield app
    app.shutdown()


@pytest.fixture
def touch_screen(monkeypatch, themed):
    """A touch screen attached: the 44 px sizes, for one test."""
    monkeypatch.setenv(touch.TOUCH_ENV, "1")
    touch.touch_mode.cache_clear()
    themed.setStyleSheet(theme.stylesheet())
    yield
    monkeypatch.delenv(touch.TOUCH_ENV)
    touch.touch_mode.cache_clear()
    themed.setStyleSheet(theme.stylesheet())


def settle() -> None:
    """Let posted layout requests run: a card filled a moment ago has its final size after them."""
    for _ in range(3):
        QApplication.processEvents()


def main_screens(app: DesktopApp):
    """(name, root) of each main screen, shown in turn; the case view last (it stays open)."""
    window = app.window
    for key in ("my_cases", "work_queue", "my_tasks", "search"):
        window.show_page(key)
        settle()
        yield key, window
    app.desk.show_settings()
    settle()
    yield "settings", window
    app.desk.open_case(first_open_case(app))
    wait_for(lambda: window.pages.currentWidget() is app.desk.pages.case_view)
    wait_for(lambda: bool(app.desk.pages.case_view.case.get("id")))
    settle()
    yield "case", window


def dialogs(app: DesktopApp):
    """(name, root) of each dialog the main window opens, open while the walk looks at it."""
    from desktop.ui.case_dialogs import CloseCaseDialog, NewTaskDialog
    from desktop.ui.case_people import ColleagueDialog, confirm_remove_supporter
    from desktop.ui.tasks import ForwardDialog

    window, view = app.window, app.desk.pages.case_view
    made = [
        ("forward", ForwardDialog(view.colleagues, view.teams, window)),
        ("close case", CloseCaseDialog(window)),
        ("new task", NewTaskDialog(view.colleagues, view.teams, window)),
        ("remove supporter", confirm_remove_supporter(window, "Bram Voorbeeldsma", "Z-1")),
    ]
    for name, dialog in made:
        dialog.open()
        settle()
        yield name, dialog
        dialog.close()
    view.people._change_coordinator()
    yield "change coordinator", view.people.findChild(ColleagueDialog, "roleChangeConfirmation")
    before = {w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()}
    app.desk.show_pending()
    window.about_requested.emit()
    window.help_requested.emit()
    QApplication.processEvents()
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, (QDialog, QMessageBox)) and dialog.isVisible() and dialog not in before:
            yield type(dialog).__name__, dialog
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, QDialog) and dialog.isVisible():
            dialog.close()
    window.person_menu.popup(window.person_button.mapToGlobal(QPoint(0, window.person_button.height())))
    settle()
    yield "person menu", window.person_menu
    window.person_menu.hide()


def every_screen(app: DesktopApp, qtbot):
    yield from main_screens(app)
    yield from dialogs(app)
    yield from other_windows(qtbot, app.runner)


def other_windows(qtbot, runner):
    """The windows before and beside the main one: every login page, the device enrolment, the
    lock, the diagnosis, Beheer (an administrator's) with its group wizard."""
    from desktop.ui.admin import AdminPage, GroupDeleteWizard
    from desktop.ui.autolock import LockOverlay
    from desktop.ui.diagnosis import DiagnosisFrame
    from desktop.ui.enrollment import EnrollmentWindow
    from desktop.ui.login import LoginWindow
    from PySide6.QtWidgets import QMainWindow
    from tests.ui.test_layout import LoginFacts

    login = LoginWindow(LoginFacts(), runner)
    qtbot.addWidget(login)
    login.resize(1280, 800)
    login.show()
    for page in range(login.stack.count()):
        login.show_page(page)
        settle()
        yield f"login page {page}", login
    login.close()
    enrol = EnrollmentWindow(lambda *args: None, runner)
    qtbot.addWidget(enrol)
    enrol.show()
    settle()
    yield "enrolment", enrol
    enrol.close()
    locked = QMainWindow()
    qtbot.addWidget(locked)
    overlay = LockOverlay(locked)
    locked.resize(1280, 800)
    locked.show()
    overlay.lock()
    settle()
    yield "lock", locked
    overlay.unlock()
    locked.close()
    diagnosis = DiagnosisFrame(title="Diagnose")
    qtbot.addWidget(diagnosis)
    diagnosis.show_report([{"label": "TLS", "ok": False, "message": "-"}], {"gemnet"})
    diagnosis.show()
    settle()
    yield "diagnosis", diagnosis
    diagnosis.close()
    admin = AdminPage(None, runner)
    qtbot.addWidget(admin)
    admin.resize(1280, 800)
    admin._show(
        (
            [{"id": "a1", "username": "bram", "display_name": "Bram"}],
            [{"id": "d1", "username": "bram", "not_after": "2027-01-01T00:00:00Z"}],
            [{"id": "g1", "name": "Team A", "case_count": 2}, {"id": "g2", "name": "Team B", "case_count": 0}],
        )
    )
    admin.show()
    for tab in range(admin.tabs.count()):
        admin.tabs.setCurrentIndex(tab)
        settle()
        yield f"beheer tab {tab}", admin
    wizard = GroupDeleteWizard({"id": "g1", "name": "Team A"}, [{"id": "g2", "name": "Team B"}], None, runner, admin)
    wizard.open()
    settle()
    yield "group wizard", wizard
    wizard.close()
    admin.close()


def test_every_control_on_every_screen_and_dialog_is_at_least_24px_wcag_2_5_8(anouk, qtbot):
    found = []
    for name, root in every_screen(anouk, qtbot):
        found += [f"{name}: {problem}" for problem in too_small(root, touch.MINIMUM)]
    assert found == [], "\n".join(found)


def test_on_a_touch_screen_buttons_fields_boxes_and_rows_are_44px(anouk, qtbot, touch_screen):
    from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QLineEdit

    from tests.ui.touch_walk import targets

    low = []
    for name, root in every_screen(anouk, qtbot):
        assert too_small(root, touch.MINIMUM) == [], (name, too_small(root, touch.MINIMUM))
        for what, widget, rect in targets(root):
            comfortable = isinstance(widget, (QAbstractButton, QLineEdit, QComboBox))
            comfortable &= not isinstance(widget.parentWidget(), QLineEdit)  # the eye: as high as its field allows
            comfortable |= isinstance(widget, QAbstractItemView) and " row " in what
            if comfortable and rect.height() < touch.COMFORTABLE:
                low.append(f"{name}: {what} {rect.height()} px high")
    assert low == [], "\n".join(low)


def scroll_areas(root: QWidget) -> list[QAbstractScrollArea]:
    return [area for area in root.findChildren(QAbstractScrollArea) if area.isVisible()]


def test_every_list_and_scroll_area_scrolls_by_finger_and_leaves_the_mouse_alone(anouk, qtbot):
    seen = 0
    for name, root in every_screen(anouk, qtbot):
        for area in scroll_areas(root):
            viewport = area.viewport()
            assert QScroller.hasScroller(viewport), f"{name}: {type(area).__name__} has no kinetic scrolling"
            # grabbed for touch (a left-button grab would not ask for touch events: the swipe test
            # below shows that a mouse drag still selects)
            assert viewport.testAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents), name
            seen += 1
    assert seen >= 10


def test_a_swipe_scrolls_my_cases_and_a_mouse_click_still_selects(anouk, qtbot):
    window = anouk.window
    window.show_page("my_cases")
    table = anouk.desk.pages.my_cases_page.table
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 0)
    table.verticalScrollBar().setValue(0)
    viewport = table.viewport()
    # A mouse drag over the rows is not a scroll: the table stays put and the row under the
    # release is the selected one (drag-select), as before kinetic scrolling.
    start, end = (
        table.visualRect(table.model().index(1, 1)).center(),
        table.visualRect(table.model().index(4, 1)).center(),
    )
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * step / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert table.verticalScrollBar().value() == 0
    assert table.selectionModel().selectedRows()[-1].row() == 4
    # A finger swiped upwards scrolls the list.
    device = QTest.createTouchDevice()
    bottom = QPoint(viewport.width() // 2, viewport.height() - 20)
    QTest.touchEvent(viewport, device).press(0, bottom, viewport)
    for step in range(1, 11):
        qtbot.wait(16)
        QTest.touchEvent(viewport, device).move(0, bottom - QPoint(0, 30 * step), viewport)
    QTest.touchEvent(viewport, device).release(0, bottom - QPoint(0, 300), viewport)
    qtbot.waitUntil(lambda: table.verticalScrollBar().value() > 0, timeout=3000)


# --- the on-screen keyboard -----------------------------------------------------------------------
@pytest.fixture
def panel(monkeypatch, qapp):
    """A stubbed input panel: Qt's QInputMethod is the edge we do not own (no on-screen keyboard
    runs offscreen); its rectangle is what the platform would report, in window coordinates."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QGuiApplication, QInputMethod

    from desktop.ui import input_panel

    shown = {"rect": QRectF()}
    monkeypatch.setattr(QInputMethod, "keyboardRectangle", lambda self: shown["rect"])
    input_panel.install(qapp)  # the app's one avoider (main() installs it; here perhaps an earlier test)

    def show(rect: QRectF) -> None:
        shown["rect"] = rect
        QGuiApplication.inputMethod().keyboardRectangleChanged.emit()

    yield show
    show(QRectF())


def test_the_focused_field_scrolls_above_the_on_screen_keyboard(anouk, qtbot, panel):
    from PySide6.QtCore import QRectF

    window, view = anouk.window, anouk.desk.pages.case_view
    window.resize(1280, 800)
    if window.pages.currentWidget() is not view:
        list(main_screens(anouk))
    settle()
    panel_top = 800 - 360
    # The lowest field of the case: below where the panel will be.
    fields = [
        w
        for w in view.findChildren(QWidget)
        if w.isVisible() and w.focusPolicy() & Qt.FocusPolicy.TabFocus and not isinstance(w, QAbstractScrollArea)
    ]
    field = max(fields, key=lambda w: w.mapTo(window, QPoint(0, w.height())).y())
    assert field.mapTo(window, QPoint(0, field.height())).y() > panel_top
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    panel(QRectF(0, panel_top, 1280, 360))

    def above() -> bool:
        return field.mapTo(window, QPoint(0, field.height())).y() <= panel_top

    qtbot.waitUntil(above, timeout=3000)
    area = next(a for a in view.findChildren(QScrollArea) if a.isAncestorOf(field))
    assert area.viewport().mapTo(window, QPoint(0, area.viewport().height())).y() <= panel_top
    panel(QRectF())  # the panel goes: the case has its whole height again
    assert area.viewportMargins().bottom() == 0


# --- window sizes and text size -------------------------------------------------------------------
@pytest.fixture
def text_200(themed):
    """200% text, as Windows' "Make text bigger" and a desktop's font scaling do: the system font
    doubles and every size that follows text (layouts, rows, titles) must follow it. Not
    QT_SCALE_FACTOR: that zooms the whole screen, text and room alike, so nothing could be cut off
    that is not cut off at 100%, and it is what the screen's DPI setting models, not text size."""
    from PySide6.QtGui import QFont

    original = QFont(themed.font())
    bigger = QFont(original)
    bigger.setPointSizeF(original.pointSizeF() * 2)
    themed.setFont(bigger)
    themed.setStyleSheet(theme.stylesheet())
    yield
    themed.setFont(original)
    themed.setStyleSheet(theme.stylesheet())


def test_at_200_percent_text_every_login_page_and_main_screen_is_whole_at_1280x800(anouk, qtbot, runner, text_200):
    from desktop.ui.login import LoginWindow
    from tests.ui.test_layout import LoginFacts
    from tests.ui.touch_walk import layout_problems

    login = LoginWindow(LoginFacts(), runner)  # opened at that text size, as the app starts with the system's
    qtbot.addWidget(login)
    login.resize(1280, 800)
    login.show()
    problems = []
    for page in range(login.stack.count()):
        login.show_page(page)
        settle()
        problems += [f"login page {page}: {p}" for p in layout_problems(login)]
    anouk.window.resize(1280, 800)
    for name, root in main_screens(anouk):
        problems += [f"{name}: {problem}" for problem in layout_problems(root)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)], ids=["landscape", "portrait"])
def test_main_screens_are_whole_in_landscape_and_portrait(anouk, size):
    from desktop.ui.navigation import NARROW
    from tests.ui.touch_walk import layout_problems

    window = anouk.window
    window.resize(*size)
    problems = []
    for name, root in main_screens(anouk):
        problems += [f"{name}: {problem}" for problem in layout_problems(root)]
    assert problems == [], "\n".join(problems)
    upright = size[0] < NARROW
    assert window.navigation_pane.compact == upright
    # The Werkbak's and My tasks' detail: under the list when upright, beside it otherwise.
    orientation = Qt.Orientation.Vertical if upright else Qt.Orientation.Horizontal
    assert {s.orientation() for s in window.pages.findChildren(QSplitter)} == {orientation}


def test_upright_the_navigation_is_a_rail_of_named_icons_that_reaches_every_page(anouk, qtbot):
    window = anouk.window
    window.resize(800, 1280)
    settle()
    nav = window.navigation
    assert window.navigation_pane.width() <= 80 and window.navigation_pane.compact
    keys = set()
    for row in range(nav.count()):
        item = nav.item(row)
        title = item.data(Qt.ItemDataRole.AccessibleTextRole)
        assert title and title in item.toolTip(), f"row {row} has no name or tooltip"
        rect = nav.visualItemRect(item)
        assert rect.width() >= touch.MINIMUM and rect.height() >= touch.MINIMUM
        assert nav.viewport().rect().contains(rect), f"{title} is cut off"
        QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
        key = item.data(Qt.ItemDataRole.UserRole)
        qtbot.waitUntil(lambda: window.pages.currentWidget() is window.page(key))
        keys.add(key)
    assert keys == {"my_cases", "work_queue", "my_tasks", "search"}
    window.resize(1280, 800)  # wide again: the titles come back, and the list beside its detail as it was
    settle()
    assert not window.navigation_pane.compact and window.navigation_pane.width() >= 200
    window.show_page("work_queue")
    settle()
    splitter = anouk.desk.pages.queue_page.splitter
    assert splitter.orientation() == Qt.Orientation.Horizontal
    assert splitter.sizes()[0] > 1.5 * splitter.sizes()[1]


def icon_sizes() -> dict[str, int]:
    """The width of each kind of icon outside the navigation, in the window as it is made now."""
    from PySide6.QtWidgets import QLabel, QPushButton

    from desktop.ui.main_window import MainWindow
    from desktop.ui.widgets import Notice

    window = MainWindow("Sanne Bakker", "medewerker")
    button = QPushButton(theme.icon("sync"), "Vernieuwen")
    box = QMessageBox(QMessageBox.Icon.Warning, "", "Tekst")
    notice = Notice("Tekst", "warning")
    try:
        return {
            "status bar": window.status.connection_icon.pixmap().deviceIndependentSize().width(),
            "header button": window.header.sync_button.iconSize().width(),
            "header logo": window.header.findChild(QLabel).pixmap().deviceIndependentSize().width(),
            "push button": button.iconSize().width(),
            "message box": box.findChild(QLabel, "qt_msgboxex_icon_label").pixmap().deviceIndependentSize().width(),
            "notice": notice.icon.pixmap().deviceIndependentSize().width(),
        }
    finally:
        for widget in (window, button, box, notice):
            widget.deleteLater()


def test_icons_outside_the_navigation_grow_with_the_text_wcag_1_4_4(themed, qtbot):
    """At 200% text a button's, the status bar's, a message box's icon is twice as large, as the
    navigation's already was: an icon that says what the text says must stay as legible."""
    normal = icon_sizes()
    from PySide6.QtGui import QFont

    original = QFont(themed.font())
    bigger = QFont(original)
    bigger.setPointSizeF(original.pointSizeF() * 2)
    themed.setFont(bigger)
    try:
        large = icon_sizes()
    finally:
        themed.setFont(original)
    assert {kind: large[kind] >= 1.9 * size for kind, size in normal.items()} == dict.fromkeys(normal, True), (
        normal,
        large,
    )


def test_an_administrators_navigation_rows_are_measured_with_the_style_c95a99e(themed, qtbot):
    """Rows added before the window is first shown (an administrator's: no queue rows come later
    to lay them out again) are as tall as the styled row, none over the next."""
    from PySide6.QtWidgets import QLabel

    from desktop.ui.main_window import MainWindow

    window = MainWindow("Gerrit Proefhuis", "lokaal_beheerder")
    qtbot.addWidget(window)
    for key, title, icon in (
        ("my_cases", "Mijn zaken", "my-cases"),
        ("search", "Zoeken", "search"),
        ("admin", "Beheer", "admin"),
    ):
        window.add_page(key, title, icon, QLabel(title))
    window.setStyleSheet(theme.stylesheet())
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    listing = window.navigation
    rects = [listing.visualItemRect(listing.item(row)) for row in range(listing.count())]
    for above, below in zip(rects, rects[1:]):
        assert above.bottom() < below.top(), f"rows overlap: {above} {below}"
    assert min(r.height() for r in rects) >= 36, rects
