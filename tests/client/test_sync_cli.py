"""The data commands as a user runs them: `python -m desktop ...` in a subprocess, real service."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.client.test_cli import run_cli


@pytest.fixture
def enrolled(service, tmp_path):
    """A profile enrolled through the command line; returns a runner for further commands."""
    root = tmp_path / "profile"
    password = service.password("anouk") + "\n"
    result = run_cli(
        "--profile",
        str(root),
        "enroll",
        "--server",
        service.url,
        "--ca",
        str(service.ca_path),
        "--user",
        "anouk",
        "--code",
        service.enroll_code("anouk"),
        "--password-stdin",
        stdin=password,
    )
    assert result.returncode == 0, result.stderr

    def run(*args: str, env: dict | None = None):
        return run_cli("--profile", str(root), *args, "--password-stdin", stdin=password, env=env)

    return run


def test_sync_straight_after_enroll_then_lists_and_pickup(service, enrolled):
    result = enrolled("sync", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)  # stdout holds only the JSON object
    assert set(summary) == {"pulled", "pushed", "conflicts", "rejected", "stuck", "unsent", "held_back"}
    assert summary["pulled"] > 0 and summary["pushed"] == 0
    assert "Traceback" not in result.stderr

    cases = json.loads(enrolled("cases", "--json").stdout)
    assert cases and {"id", "number", "client", "case_type", "my_role", "current_step", "updated_at"} <= set(cases[0])
    assert all(c["client"] for c in cases), "citizen or group name included"

    queue = json.loads(enrolled("queue", "--json").stdout)
    assert queue and {"id", "type", "case_number", "client", "team", "queued_at", "deadline"} <= set(queue[0])
    task_id = queue[0]["id"]
    # The table for people: local time as Dutch writes it, not the service's ISO 8601 in UTC.
    table = enrolled("queue", env={"TZ": "Europe/Amsterdam"}).stdout
    waiting = datetime.fromisoformat(queue[0]["queued_at"].replace("Z", "+00:00")).astimezone(
        ZoneInfo("Europe/Amsterdam")
    )
    assert "Wacht sinds" in table and waiting.strftime("%d-%m-%Y %H:%M") in table
    assert queue[0]["queued_at"] not in table and queue[0]["queued_at"][:16] not in table

    picked = enrolled("pickup", task_id)
    assert picked.returncode == 0, picked.stderr
    mine = json.loads(enrolled("tasks", "--json").stdout)
    assert task_id in {t["id"] for t in mine}
    holder = service.db.conn().execute("SELECT assignee_id FROM tasks WHERE id = ?", (task_id,)).fetchone()[0]
    assert holder == service.user_id("anouk")

    unknown = enrolled("pickup", "geen-taak")
    assert unknown.returncode != 0
    assert "Traceback" not in unknown.stderr and unknown.stderr.strip().endswith(".")


def test_pickup_offline_is_queued_and_sent_by_the_next_sync(service, enrolled):
    assert enrolled("sync").returncode == 0
    task_id = json.loads(enrolled("queue", "--json").stdout)[0]["id"]
    service.stop()
    picked = enrolled("pickup", task_id)
    assert picked.returncode == 0, picked.stderr
    assert "volgende synchronisatie" in picked.stdout
    assert task_id in {t["id"] for t in json.loads(enrolled("tasks", "--json").stdout)}  # shows at once
    failed = enrolled("sync", "--json")
    assert failed.returncode != 0
    assert json.loads(failed.stdout)["error"]["code"]  # still only JSON on stdout
    service.start()
    done = json.loads(enrolled("sync", "--json").stdout)
    assert done["pushed"] == 1 and done["conflicts"] == []


def test_lost_pickup_is_reported_with_who_holds_it(service, enrolled, tmp_path):
    from tests.client.sync_helpers import Device

    assert enrolled("sync").returncode == 0
    task_id = json.loads(enrolled("queue", "--json").stdout)[0]["id"]
    service.stop()
    assert enrolled("pickup", task_id).returncode == 0
    service.start()
    bram = Device(service, tmp_path / "bram", "bram").workspace()
    try:
        from desktop import actions

        bram.sync()
        assert actions.pickup(bram, task_id).sent
    finally:
        bram.close()
    result = enrolled("sync", "--json")
    assert result.returncode == 0, result.stderr  # ran to the end, conflicts included
    summary = json.loads(result.stdout)
    assert summary["conflicts"][0]["id"] == task_id
    assert summary["conflicts"][0]["held_by"]["id"] == service.user_id("bram")
    assert summary["conflicts"][0]["kind"] == "task.pickup"
    listed = enrolled("changes")  # the user sees who has it, never the reason code (seed T4)
    assert "Bram Voorbeeldsma had deze taak al opgepakt." in listed.stdout
    assert "task-held-by-other" not in listed.stdout and "(" not in listed.stdout.split("\n", 1)[1]


def test_refused_changes_are_told_in_sentences_never_as_codes_seed_T4_L2():
    from types import SimpleNamespace

    from desktop import cli_data

    def change(status, reason):
        return SimpleNamespace(status=status, reason=reason, held_by=None)

    assert cli_data._why(change("rejected", "not-case-member")).startswith("Alleen de zaakcoördinator")
    assert cli_data._why(change("conflict", "case-closed")) == "De zaak is afgesloten."
    assert cli_data._why(change("conflict", "conflict")) == "Iemand anders heeft dit intussen gewijzigd."
    assert cli_data._why(change("rejected", "mutation-id-reused")) == "De dienst heeft deze wijziging niet verwerkt."
    said = cli_data._refusal_sentence({"id": "m-1", "status": "rejected", "reason": "task-completed"})
    assert (
        said
        == "Wijziging aan m-1 is niet verwerkt: De taak is al afgerond. Uw tekst staat bij de niet-verwerkte wijzigingen."
    )
    for code in ("not-case-member", "case-closed", "conflict", "mutation-id-reused", "task-completed"):
        assert code not in cli_data._why(change("rejected", code))
