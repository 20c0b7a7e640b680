"""A managed device: the command line enrolls with the service and CA of the organisation file."""

from __future__ import annotations

import shutil

from tests.client.test_cli import assert_one_sentence, run_cli


def managed_file(service, folder) -> dict:
    """An organisation file naming the running service and its CA (copied beside the file)."""
    folder.mkdir()
    shutil.copy(service.ca_path, folder / "ca.pem")
    path = folder / "organisation.toml"
    path.write_text(
        f"""[service]
url = "{service.url}/"
ca_file = "ca.pem"

[contacts]
organisation = "Gemeente Demodorp"
[contacts.helpdesk]
name = "Helpdesk"
phone = "085-4899080"

[policy]
auto_lock_minutes = 5
""",
        encoding="utf-8",
    )
    return {"MENSCENTRAAL_ORGANISATION_FILE": str(path)}


def test_managed_device_enrolls_with_only_user_and_code(service, tmp_path):
    env = managed_file(service, tmp_path / "etc")
    profile = tmp_path / "p"
    result = run_cli(
        "--profile",
        str(profile),
        "enroll",
        "--user",
        "anouk",
        "--code",
        service.enroll_code("anouk"),
        "--password-stdin",
        stdin=service.password("anouk") + "\n",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    doctor = run_cli("--profile", str(profile), "doctor", env=env)
    assert doctor.returncode == 0, doctor.stdout


def test_managed_device_refuses_another_service(service, tmp_path):
    env = managed_file(service, tmp_path / "etc")
    profile = tmp_path / "p"
    result = run_cli(
        "--profile",
        str(profile),
        "enroll",
        "--server",
        "https://elders.example",
        "--user",
        "anouk",
        "--code",
        "ABCD",
        "--password-stdin",
        stdin="x\n",
        env=env,
    )
    assert result.returncode == 2
    assert_one_sentence(result.stderr)
    assert "laat --server en --ca weg" in result.stderr and str(tmp_path / "etc" / "organisation.toml") in result.stderr
    assert not profile.exists()


def test_unmanaged_device_still_needs_server_and_ca(tmp_path):
    result = run_cli(
        "--profile", str(tmp_path / "p"), "enroll", "--user", "anouk", "--code", "ABCD", "--password-stdin", stdin="x\n"
    )
    assert result.returncode == 2
    assert_one_sentence(result.stderr)
    assert "adres van de dienst" in result.stderr
