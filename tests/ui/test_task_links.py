"""Task links from the mails (`menscentraal://taak/ID`): a second start hands the link to the
running app of the same profile, which shows the task; a bad link changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QUrl, Signal
from PySide6.QtGui import QFileOpenEvent

from desktop import errors, task_link
from desktop.session import Session
from desktop.ui.app import DesktopApp
from desktop.ui.single_instance import server_name
from desktop.ui import task_links
from desktop.ui.task_links import TaskLinks, serve_links
from tests.client.sync_helpers import Device
from tests.server.test_work_tasks import queued_task
from tests.ui.test_app_service import CHEAP_KDF, started_app

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "link", ["menscentraal://taak/abc-123", "MensCentraal://TAAK/abc-123/", " menscentraal://taak/abc-123\n"]
)
def test_task_link_gives_the_task_id(link):
    assert task_link.task_id_of(link) == "abc-123"
    assert task_link.task_id_of(task_link.task_link("abc-123")) == "abc-123"


@pytest.mark.parametrize(
    "link",
    [
        "menscentraal://taak/",
        "menscentraal://zaak/abc",
        "menscentraal://taak/a/b",
        "menscentraal://taak/..",
        "menscentraal://taak/abc?x=1",
        "https://taak/abc",
        "menscentraal://taak/%2Fetc",
        "menscentraal:taak/abc",
        "menscentraal://taak/" + "a" * 101,
    ],
)
def test_anything_but_a_task_link_is_refused(link):
    with pytest.raises(errors.InvalidTaskLink):
        task_link.task_id_of(link)


def queued_tasks(service) -> list[str]:
    return [
        row[0]
        for row in service.db.conn().execute(
            "SELECT id FROM tasks WHERE team_id = 'team-jgn' AND status = 'queued' ORDER BY id"
        )
    ]


def second_start(profile: Path, link: str | None) -> subprocess.Popen:
    """`menscentraal --profile DIR LINK`, as the desktop's URL handler starts it."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "MENSCENTRAAL_NO_KEYRING": "1",
        "MENSCENTRAAL_ORGANISATION_FILE": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "--profile", str(profile), *([link] if link else [])],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(qtbot, process: subprocess.Popen) -> tuple[int, str]:
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30000)  # the event loop answers meanwhile
    return process.returncode, process.stderr.read()


def selected(page) -> str | None:
    task = page.model.task(page.table.currentIndex().row())
    return task.id if task is not None else None


def test_second_start_hands_the_link_to_the_running_app_which_shows_the_task(qtbot, service, tmp_path, monkeypatch):
    monkeypatch.setattr(task_links, "SYNC_WAIT_MS", 200)
    task_id = queued_task(service, "team-jgn")
    app = started_app(qtbot, service, tmp_path, "anouk")
    links = serve_links(app, server_name(app.session.profile.root))
    try:
        page = app.desk.pages.queue_page
        assert app.window.current_page() != "work_queue"
        code, _ = finished(qtbot, second_start(app.session.profile.root, task_link.task_link(task_id)))
        assert code == 0
        qtbot.waitUntil(lambda: app.window.current_page() == "work_queue", timeout=10000)
        assert page.detail.task.id == task_id
        qtbot.waitUntil(lambda: selected(page) == task_id, timeout=10000)

        # Started again without a link: the running window comes forward, no second app.
        with qtbot.waitSignal(links.instance.show_requested, timeout=30000):
            process = second_start(app.session.profile.root, None)
        assert finished(qtbot, process)[0] == 0

        # A bad link: refused in both processes, in Dutch; the screen stays as it was.
        code, stderr = finished(qtbot, second_start(app.session.profile.root, "menscentraal://taak/../../etc"))
        sentence = errors.InvalidTaskLink().message()
        assert code == errors.EXIT_USAGE and sentence in stderr
        qtbot.waitUntil(lambda: links.refusal is not None and links.refusal.isVisible(), timeout=10000)
        assert links.refusal.text() == sentence
        assert app.window.current_page() == "work_queue" and page.detail.task.id == task_id

        links.open(task_link.task_link("no-such-task"))  # well-formed, not on this device even after a sync
        qtbot.waitUntil(lambda: links.refusal.text() == errors.TaskNotOnDevice().message(), timeout=20000)
        assert page.detail.task.id == task_id

        # Locked: the task waits behind the lock screen and opens once the password unlocked it.
        mine = app.desk.pages.my_tasks_page
        app.window.show_page("my_cases")
        app.desk.lock()
        qtbot.waitUntil(lambda: app.desk.read_conn is None, timeout=10000)
        other = next(t for t in queued_tasks(service) if t != task_id)
        links.open(task_link.task_link(other))
        assert links.pending == other and app.window.current_page() == "my_cases"
        app.desk.autolock._try_unlock(service.password("anouk"))
        qtbot.waitUntil(
            lambda: app.window.current_page() == "work_queue" and page.detail.task.id == other, timeout=20000
        )
        assert mine.detail.task is None or mine.detail.task.id != other
    finally:
        links.instance.close()
        app.shutdown()


def test_link_given_at_start_opens_the_task_after_login(qtbot, service, tmp_path):
    task_id = queued_task(service, "team-jgn")
    device = Device(service, tmp_path / "anouk", "anouk")
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    app = DesktopApp(session)
    links = TaskLinks(app)
    try:
        app.start()
        links.open(task_link.task_link(task_id))
        assert app.login_window is not None and links.pending == task_id  # nothing opened before login
        session.login(service.password("anouk"))
        app.open_main(None)
        qtbot.waitUntil(lambda: app.window.current_page() == "work_queue", timeout=20000)
        page = app.desk.pages.queue_page
        assert page.detail.task.id == task_id
        qtbot.waitUntil(lambda: selected(page) == task_id, timeout=20000)
    finally:
        app.shutdown()


def test_link_to_another_queue_than_the_one_shown_opens_all_queues(qtbot, service, tmp_path):
    task_id = queued_task(service, "team-jgn")
    app = started_app(qtbot, service, tmp_path, "femke")  # in two teams: a Werkbak row per queue
    links = TaskLinks(app)
    try:
        page = app.desk.pages.queue_page
        app.window.show_page("work_queue")
        qtbot.waitUntil(lambda: app.window._row_of("work_queue", "team-wmo") >= 0, timeout=20000)
        app.window.navigation.setCurrentRow(app.window._row_of("work_queue", "team-wmo"))
        assert page.model.team() == "team-wmo"
        links.open(task_link.task_link(task_id))
        qtbot.waitUntil(lambda: selected(page) == task_id, timeout=20000)
        assert page.model.team() is None and app.window.current_page() == "work_queue"
    finally:
        app.shutdown()


# --- macOS: the link comes as a QFileOpenEvent to the application -----------------------------------


class _Links(QObject):
    """What a FileOpenLinks hands the link to (TaskLinks.open)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    def open(self, link: str) -> None:
        self.opened.append(link)


def test_macos_file_open_event_with_a_task_link_opens_it(qapp):
    links = _Links()
    handler = task_links.FileOpenLinks(links)
    assert handler.eventFilter(qapp, QFileOpenEvent(QUrl("menscentraal://taak/task-42"))) is True
    assert links.opened == ["menscentraal://taak/task-42"]
    # A file, or any other event, is left to Qt.
    assert handler.eventFilter(qapp, QFileOpenEvent(QUrl.fromLocalFile("/tmp/rapport.pdf"))) is False
    assert handler.eventFilter(qapp, QEvent(QEvent.Type.Show)) is False
    assert links.opened == ["menscentraal://taak/task-42"]


def test_macos_file_open_filter_is_installed_on_macos_only(qapp, monkeypatch):
    class App(QObject):
        main_window_shown = Signal(object)
        desk = window = login_window = enrollment_window = None

    installed: list[QObject] = []
    monkeypatch.setattr(qapp, "installEventFilter", installed.append, raising=False)
    for platform in ("linux", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        links = serve_links(App(), f"menscentraal-test-{os.getpid()}-fileopen-{platform}")
        links.instance.close()
    assert len(installed) == 1 and isinstance(installed[0], task_links.FileOpenLinks)
