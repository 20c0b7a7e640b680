"""Issue 13 item 5, the client's side: a throttled login (429 `too-many-requests`) is one Dutch
sentence that says until when to wait, from the real service's Retry-After, and exits 3."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from desktop import errors
from desktop.profile import Profile
from desktop.session import Session
from server_stub.config import ThrottleConfig
from tests.client.test_cli import assert_one_sentence, run_cli
from tests.client.test_cli_service import cli_enroll


def test_throttled_login_says_until_when_to_wait_item_5(service_factory, tmp_path):
    service = service_factory(config_changes={"throttle": ThrottleConfig(window_seconds=600, login_per_account=3)})
    profile = tmp_path / "p"
    assert cli_enroll(service, profile, "anouk").returncode == 0  # enrolls and logs in: 1 of 3
    session = Session(Profile(profile), None)
    for _ in range(2):
        try:
            session.login("fout-wachtwoord")
        except errors.WrongPassword:
            pass
    try:
        session.login(service.password("anouk"))
    except errors.TooManyRequests as error:
        throttled = error
    else:
        raise AssertionError("the third login in the window was not throttled")
    assert 0 < throttled.details["retry_after"] <= 600
    # The clock time to wait for: Retry-After from now, rounded up to the minute.
    wait = timedelta(seconds=throttled.details["retry_after"] + 59)
    before = (datetime.now() + wait).strftime("%H:%M")
    message = throttled.message()
    after = (datetime.now() + wait).strftime("%H:%M")
    assert re.search(r"wacht tot (\d\d:\d\d) en probeer", message).group(1) in {before, after}

    answer = run_cli("--profile", str(profile), "login", "--password-stdin", stdin=service.password("anouk") + "\n")
    assert answer.returncode == errors.EXIT_CONNECTION
    assert_one_sentence(answer.stderr)
    assert "te veel pogingen" in answer.stderr
