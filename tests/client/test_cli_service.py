"""The real command against the real service over mutual TLS on loopback."""

from __future__ import annotations

import json
import re

from tests.client.test_cli import assert_one_sentence, run_cli


def cli_enroll(service, profile, username):
    return run_cli(
        "--profile",
        str(profile),
        "enroll",
        "--server",
        service.url,
        "--ca",
        str(service.ca_path),
        "--user",
        username,
        "--code",
        service.enroll_code(username),
        "--password-stdin",
        stdin=service.password(username) + "\n",
    )


def test_enroll_login_doctor_and_wipe(service, tmp_path):
    profile = tmp_path / "p"
    enrolled = cli_enroll(service, profile, "anouk")
    assert enrolled.returncode == 0, enrolled.stderr
    login = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=service.password("anouk") + "\n")
    assert login.returncode == 0 and "Aangemeld" in login.stdout, login.stderr
    doctor = run_cli("--profile", str(profile), "doctor", "--json")
    report = json.loads(doctor.stdout)
    assert doctor.returncode == 0 and report["ok"], report
    wiped = run_cli("--profile", str(profile), "wipe")
    assert wiped.returncode == 0 and list(profile.iterdir()) == []


def test_wrong_password_and_lockout_message_names_who_can_help_seed_L4(service, tmp_path):
    profile = tmp_path / "p"
    assert cli_enroll(service, profile, "bram").returncode == 0
    wrong = run_cli("--profile", str(profile), "login", "--password-stdin", stdin="fout\n")
    assert wrong.returncode == 4
    assert_one_sentence(wrong.stderr)
    from desktop import errors
    from desktop.profile import Profile
    from desktop.session import Session

    session = Session(Profile(profile), None)  # the rest in-process: faster, the same service
    for _ in range(10):
        try:
            session.login("fout")
        except (errors.WrongPassword, errors.AccountLocked):
            pass
    locked = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=service.password("bram") + "\n")
    assert locked.returncode == 6  # locked, not a wrong password: see the README's exit codes
    assert_one_sentence(locked.stderr)
    assert "Gerrit Proefhuis" in locked.stderr and "085-4899080" in locked.stderr


def test_temporary_password_then_definitive_from_the_second_line_seed_L3(service, tmp_path):
    profile = tmp_path / "p"
    assert cli_enroll(service, profile, "daan").returncode == 0
    from desktop.profile import Profile
    from desktop.session import request_password_reset

    request_password_reset(Profile(profile), "daan")
    mail = service.wait_for_mail(to=service.people.user("daan").email)[-1]
    temporary = re.search(r"^\s+([a-z2-9]{4}(?:-[a-z2-9]{4}){3})\s*$", mail.get_content(), re.M).group(1)

    only_one_line = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=temporary + "\n")
    assert only_one_line.returncode == 4
    assert_one_sentence(only_one_line.stderr)
    assert "tweede regel" in only_one_line.stderr

    # The temporary password works once more? No: a second reset mail gives a fresh one.
    request_password_reset(Profile(profile), "daan")
    mail = service.wait_for_mail(to=service.people.user("daan").email, count=2)[-1]
    temporary = re.search(r"^\s+([a-z2-9]{4}(?:-[a-z2-9]{4}){3})\s*$", mail.get_content(), re.M).group(1)
    definitive = "Definitief-Wachtwoord-Molen-77"
    changed = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=f"{temporary}\n{definitive}\n")
    assert changed.returncode == 0, changed.stderr
    again = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=definitive + "\n")
    assert again.returncode == 0, again.stderr


def test_english_with_lang_en(service, tmp_path):
    result = run_cli("--lang", "en", "--profile", str(tmp_path / "none"), "login", "--password-stdin", stdin="x\n")
    assert result.returncode == 5
    assert_one_sentence(result.stderr)
    from desktop.i18n import qm_paths

    if qm_paths("en"):  # built by `make translations`
        assert "enroll" in result.stderr and "aangemeld" not in result.stderr


def test_doctor_with_service_down_exits_nonzero_naming_the_cause(service, tmp_path):
    profile = tmp_path / "p"
    assert cli_enroll(service, profile, "eva").returncode == 0
    service.stop()
    doctor = run_cli("--profile", str(profile), "doctor")
    assert doctor.returncode == 3
    assert "Oorzaak:" in doctor.stdout and "Traceback" not in doctor.stderr


def test_enroll_when_the_account_must_first_choose_a_definitive_password(service, tmp_path):
    with service.context.db.transaction() as tx:
        tx.execute("UPDATE users SET must_change_password = 1 WHERE username = 'femke'")
    profile = tmp_path / "p"
    definitive = "Definitief-Wachtwoord-Tulpen-88"
    enrolled = run_cli(
        "--profile",
        str(profile),
        "enroll",
        "--server",
        service.url,
        "--ca",
        str(service.ca_path),
        "--user",
        "femke",
        "--code",
        service.enroll_code("femke"),
        "--password-stdin",
        stdin=f"{service.password('femke')}\n{definitive}\n",
    )
    assert enrolled.returncode == 0, enrolled.stderr
    login = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=definitive + "\n")
    assert login.returncode == 0 and "Aangemeld" in login.stdout, login.stderr
