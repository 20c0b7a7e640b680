"""The About dialog (version + the organisation's contacts), its place in the person menu, and the
windows refusing to start with a broken organisation file."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.org_config import load_organisation
from desktop.ui.about import AboutDialog, organisation_contacts
from desktop.ui.main_window import MainWindow
from desktop.version import version
from tests.packaging.organisation_fixtures import VALID_TOML


def test_about_shows_version_and_the_file_contacts(qtbot, organisation_file):
    organisation_file()
    dialog = AboutDialog(organisation_contacts(None))
    qtbot.addWidget(dialog)
    assert version() in dialog.findChild(type(dialog.contacts_label), "aboutVersion").text()
    text = dialog.contacts_label.text()
    assert "Gemeente Testdam" in text and "Lokaal beheer Testdam (0800-1234567, beheer@testdam.example)" in text
    assert "Helpdesk MensCentraal (085-4899080)" in text


def test_about_prefers_the_services_contacts(qtbot, organisation_file):
    organisation_file()
    service = {"helpdesk": {"name": "Helpdesk Zaanstad", "phone": "075-0000000"}}
    dialog = AboutDialog(organisation_contacts(service))
    qtbot.addWidget(dialog)
    assert "Helpdesk Zaanstad (075-0000000)" in dialog.contacts_label.text()
    assert "085-4899080" not in dialog.contacts_label.text()


def test_about_without_any_contacts_points_to_the_superuser(qtbot):
    dialog = AboutDialog(organisation_contacts(None))
    qtbot.addWidget(dialog)
    assert "superuser" in dialog.contacts_label.text()


def test_person_menu_has_about(qtbot):
    window = MainWindow("Fleur van Veld", "medewerker")
    qtbot.addWidget(window)
    assert window.about_action in window.person_menu.actions()
    with qtbot.waitSignal(window.about_requested, timeout=1000):
        window.about_action.trigger()


def test_enrollment_shows_the_organisations_service_read_only(qtbot, organisation_file, tmp_path):
    from desktop.profile import Profile
    from desktop.secrets import InMemorySecretStore
    from desktop.session import Session
    from desktop.ui.app import DesktopApp

    organisation_file()
    organisation = load_organisation()
    app = DesktopApp(Session(Profile(tmp_path / "p"), InMemorySecretStore()), preset=organisation.enrollment_preset())
    app.start()
    try:
        window = app.enrollment_window
        qtbot.waitUntil(window.isVisible)
        assert window.service.text() == "https://menscentraal.testdam.example" and window.service.isReadOnly()
        assert window.ca_path.text() == str(organisation.ca_path) and window.ca_path.isReadOnly()
    finally:
        app.shutdown()


def test_windows_refuse_to_start_with_a_broken_file(qtbot, organisation_file, tmp_path, monkeypatch):
    from desktop.ui import app as app_module

    path = organisation_file(VALID_TOML.replace('url = "https://', 'url = "ftp://'))
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(app_module.DesktopApp, "start", lambda self: (_ for _ in ()).throw(AssertionError("started")))
    code = app_module.main(["--profile", str(tmp_path / "p")])
    assert code == 2
    assert shown == [
        f"Het organisatiebestand {path} is ongeldig op regel 3: 'service.url' moet een https-adres zijn; "
        "laat uw IT-afdeling het herstellen, tot dan start het programma niet."
    ]
    assert not (tmp_path / "p").exists()
