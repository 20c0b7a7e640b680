"""The organisation file: what it presets, the precedence of policy, and errors naming file + line."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace

import pytest

from desktop import errors
from desktop.org_config import (
    OrganisationConfigError,
    OrganisationFileUnreadable,
    effective_contacts,
    load_organisation,
)
from desktop.profile import Profile, Settings, resolve_settings
from tests.packaging.organisation_fixtures import VALID_TOML

REPO = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_valid_file_presets_service_ca_contacts_and_policy(organisation_file):
    path = organisation_file()
    org = load_organisation()
    assert org.service_url == "https://menscentraal.testdam.example"
    assert org.ca_path == path.parent / "organisation-ca.pem" and org.ca_pem.startswith(b"-----BEGIN CERTIFICATE")
    assert org.contacts["organisation"] == "Gemeente Testdam"
    assert org.contacts["helpdesk"] == {"name": "Helpdesk MensCentraal", "phone": "085-4899080"}
    assert org.policy == {"offline_lock_hours": 24, "offline_wipe_days": 14, "auto_lock_minutes": 5}
    assert org.enrollment_preset() == {"service_url": org.service_url, "ca_path": str(org.ca_path)}


def test_no_file_at_the_usual_place_means_not_managed(tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.org_config.default_path", lambda: tmp_path / "absent.toml")
    monkeypatch.delenv("MENSCENTRAAL_ORGANISATION_FILE")
    assert load_organisation() is None


def test_user_cannot_swap_the_managed_file_through_the_environment(organisation_file, tmp_path, monkeypatch):
    managed = organisation_file()
    monkeypatch.setattr("desktop.org_config.default_path", lambda: managed)
    looser = tmp_path / "mine.toml"
    looser.write_text(VALID_TOML.replace("auto_lock_minutes = 5", "auto_lock_minutes = 240"), encoding="utf-8")
    monkeypatch.setenv("MENSCENTRAAL_ORGANISATION_FILE", str(looser))
    assert load_organisation().policy["auto_lock_minutes"] == 5
    monkeypatch.setenv("MENSCENTRAAL_ORGANISATION_FILE", "")
    assert load_organisation().path == managed


# --- precedence: organisation file, service settings, user settings -----------------------------


def test_file_policy_caps_the_users_settings_and_a_stricter_choice_stays():
    file_policy = {"auto_lock_minutes": 5, "offline_lock_hours": 24}
    looser = resolve_settings(Settings(auto_lock_minutes=60, offline_lock_hours=500), file_policy)
    assert looser.auto_lock_minutes == 5 and looser.offline_lock_hours == 24
    stricter = resolve_settings(Settings(auto_lock_minutes=2), file_policy)
    assert stricter.auto_lock_minutes == 2


def test_a_value_the_user_never_chose_follows_the_organisation_even_when_looser():
    assert resolve_settings(Settings(), {"offline_lock_hours": 120}).offline_lock_hours == 120


def test_service_settings_win_over_the_file_where_both_exist():
    settings = resolve_settings(
        Settings(auto_lock_minutes=60), {"auto_lock_minutes": 5, "offline_wipe_days": 14}, {"auto_lock_minutes": 20}
    )
    assert settings.auto_lock_minutes == 20  # the service's, capping the user's 60
    assert settings.offline_wipe_days == 14  # the file's, where the service sent nothing


def test_short_wipe_period_still_warns_before_the_wipe():
    settings = resolve_settings(Settings(), {"offline_wipe_days": 14})
    assert settings.wipe_warning_days == 9


def test_profile_json_cannot_loosen_the_file_policy(organisation_file, tmp_path):
    organisation_file()
    profile = Profile(tmp_path / "profile")
    config = profile.save_config(replace(profile.load_config(), settings=Settings(auto_lock_minutes=600)))
    loaded = profile.load_config()
    assert loaded.settings.auto_lock_minutes == 600  # the user's own choice is kept as written...
    assert loaded.effective_settings.auto_lock_minutes == 5  # ...but the organisation's limit is in force
    assert config.effective_settings.offline_lock_hours == 24


def test_offline_grace_follows_the_organisation_file(organisation_file, tmp_path):
    from tests.client.test_login_offline import CONTACT, PASSWORD, offline_profile, session_at
    from desktop.secrets import InMemorySecretStore

    secrets = InMemorySecretStore()
    profile = offline_profile(tmp_path / "p", secrets)
    organisation_file()  # lock after 24 hours instead of the built-in 72
    with pytest.raises(errors.OfflineGraceExpired) as caught:
        session_at(profile, secrets, CONTACT + dt.timedelta(hours=25)).login(PASSWORD)
    assert "24" in caught.value.message()


def test_contacts_from_the_service_win_over_the_file(organisation_file):
    organisation_file()
    org = load_organisation()
    service = {"organisation": "Gemeente Testdam", "helpdesk": {"name": "Eigen helpdesk", "phone": "010-1111111"}}
    contacts = effective_contacts(org, service)
    assert contacts["helpdesk"]["name"] == "Eigen helpdesk"
    assert contacts["local_admin"]["name"] == "Lokaal beheer Testdam"
    assert effective_contacts(org, None) == org.contacts


def test_login_over_mtls_service_policy_wins_and_user_may_only_tighten(service, organisation_file, tmp_path):
    """The real service sends 72 h / 30 d / 15 min; the file says 24 h / 14 d / 5 min: the service wins."""
    from tests.client.test_enroll_service import enroll

    organisation_file()
    profile, secrets, session = enroll(service, tmp_path / "p", "anouk")
    try:
        assert session.config.service_policy == {
            "offline_lock_hours": 72,
            "offline_wipe_days": 30,
            "auto_lock_minutes": 15,
        }
        assert session.config.effective_settings.auto_lock_minutes == 15
        assert session.config.effective_settings.offline_lock_hours == 72
    finally:
        session.close()
    stored = profile.load_config()  # a later offline start keeps the service's policy
    assert stored.effective_settings.offline_wipe_days == 30
    profile.save_config(replace(stored, settings=Settings(auto_lock_minutes=60)))
    assert profile.load_config().effective_settings.auto_lock_minutes == 15
    profile.save_config(replace(stored, settings=Settings(auto_lock_minutes=3)))
    assert profile.load_config().effective_settings.auto_lock_minutes == 3


# --- a broken file: which file, which line, and nothing starts ----------------------------------

BROKEN = [
    # (what is wrong, replace this, with this, expected line)
    ("toml syntax", 'url = "https://menscentraal.testdam.example"', "url = https://oops", 3),
    ("unknown key", "auto_lock_minutes = 5", "auto_lock_minute = 5", 21),
    ("http url", "https://menscentraal.testdam.example", "http://menscentraal.testdam.example", 3),
    ("missing ca file", 'ca_file = "organisation-ca.pem"', 'ca_file = "elders.pem"', 4),
    ("policy out of range", "offline_wipe_days = 14", "offline_wipe_days = 9999", 20),
    ("policy not a number", "auto_lock_minutes = 5", 'auto_lock_minutes = "vijf"', 21),
    ("wipe before lock", "offline_lock_hours = 24", "offline_lock_hours = 2000", 20),
    ("unknown contact field", 'phone = "085-4899080"', 'fax = "085-4899080"', 16),
    ("contact unreachable", 'phone = "085-4899080"', "", 14),
    ("empty organisation name", 'organisation = "Gemeente Testdam"', 'organisation = ""', 7),
]


@pytest.mark.parametrize("what, old, new, line", BROKEN, ids=[case[0] for case in BROKEN])
def test_broken_file_names_the_file_and_the_line(organisation_file, what, old, new, line):
    assert old in VALID_TOML
    path = organisation_file(VALID_TOML.replace(old, new, 1))
    with pytest.raises(OrganisationConfigError) as caught:
        load_organisation()
    assert caught.value.line == line, what
    message = caught.value.message()
    assert str(path) in message and f"regel {line}" in message
    assert "IT-afdeling" in message and "\n" not in message


def test_inline_table_problem_points_at_its_line(organisation_file):
    organisation_file("""[service]
url = "https://menscentraal.testdam.example"
ca_file = "organisation-ca.pem"

[contacts]
organisation = "Gemeente Testdam"
helpdesk = { name = "Helpdesk", fax = "085-4899080" }
""")
    with pytest.raises(OrganisationConfigError) as caught:
        load_organisation()
    assert caught.value.line == 7 and "contacts.helpdesk.fax" in caught.value.message()


def test_missing_service_table_is_refused(organisation_file):
    text = VALID_TOML.split("[contacts]")[1]
    organisation_file("[contacts]" + text)
    with pytest.raises(OrganisationConfigError) as caught:
        load_organisation()
    assert "'service' ontbreekt" in caught.value.message()


def test_file_that_is_not_utf8_names_its_line(organisation_file):
    path = organisation_file()
    path.write_bytes(VALID_TOML.encode().replace(b"Gemeente Testdam", b"Gemeente T\xe9stdam", 1))
    with pytest.raises(OrganisationConfigError) as caught:
        load_organisation()
    assert caught.value.line == 1 + VALID_TOML.split("Gemeente Testdam")[0].count("\n")


def test_configured_file_that_is_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MENSCENTRAAL_ORGANISATION_FILE", str(tmp_path / "weg.toml"))
    with pytest.raises(OrganisationFileUnreadable) as caught:
        load_organisation()
    assert str(tmp_path / "weg.toml") in caught.value.message()


def test_english_message_for_a_broken_file(organisation_file):
    from desktop import i18n

    subprocess.run([sys.executable, "-m", "desktop.i18n_build"], check=True, cwd=REPO, capture_output=True)
    organisation_file(VALID_TOML.replace("auto_lock_minutes = 5", "auto_lock_minute = 5"))
    try:
        i18n.install_language("en")
        with pytest.raises(OrganisationConfigError) as caught:
            load_organisation()
        message = caught.value.message()
    finally:
        i18n.install_language("nl")
    assert "line 21" in message and "unknown setting 'policy.auto_lock_minute'" in message


def test_command_line_refuses_to_start_half_configured(organisation_file, tmp_path):
    path = organisation_file(VALID_TOML.replace("auto_lock_minutes = 5", "auto_lock_minutes = 0"))
    profile_dir = tmp_path / "profile"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--profile", str(profile_dir), "doctor"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**__import__("os").environ, "MENSCENTRAAL_ORGANISATION_FILE": str(path)},
    )
    assert result.returncode == errors.EXIT_USAGE, result.stderr
    assert f"{path} is ongeldig op regel 21" in result.stderr
    assert "Traceback" not in result.stderr
    assert not profile_dir.exists()  # nothing was created
