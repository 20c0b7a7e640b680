"""A session that started offline goes online without the password (issue 14): the resume token
of the last online login, kept only in the encrypted cache, exchanged over the device's mutual
TLS. Refused (logout elsewhere, a new password, lockout) it asks for the password, saying why.
Real service over mutual TLS on loopback; both keychain and password-only mode."""

from __future__ import annotations

import json

import pytest

from desktop import errors
from desktop.actions import Workspace
from desktop.cache import queries
from desktop.session import RESUME_MARK, Session
from tests.client.sync_helpers import CHEAP_KDF, Device
from tests.service_fixtures import API, enrolled_client, login


def offline_session(device: Device) -> Session:
    """The service is down: the password opens the cache offline, as a desk that started offline."""
    session = Session(device.profile, device.secrets, kdf=CHEAP_KDF)
    device.service.stop()
    outcome = session.login(device.service.password(device.username))
    assert not outcome.online and not session.online
    device.service.start()
    return session


def kept_token(session: Session) -> str | None:
    return (json.loads(queries.view_mark(session.cache, RESUME_MARK) or "null") or {}).get("token")


@pytest.mark.parametrize("keyring", [True, False], ids=["keychain", "password-only"])
def test_offline_session_goes_online_with_its_resume_token_and_syncs_issue14(service, tmp_path, keyring):
    device = Device(service, tmp_path / "anouk", "anouk", keyring=keyring)
    session = offline_session(device)
    try:
        before = kept_token(session)
        assert before  # kept by the enrollment's online login, inside the encrypted cache only
        assert before.encode() not in b"".join(p.read_bytes() for p in device.profile.root.rglob("*") if p.is_file())
        outcome = session.resume()
        assert outcome.online and session.online and kept_token(session) not in (None, before)
        workspace = Workspace(session)
        try:
            assert workspace.sync().complete
        finally:
            workspace.close()
    finally:
        session.close()


def test_a_refused_resume_says_why_and_forgets_the_token_seed_L3_L4(service, tmp_path):
    device = Device(service, tmp_path / "bram", "bram")
    session = offline_session(device)
    try:
        with enrolled_client(service, "bram") as tablet:
            login(tablet, "bram", service.password("bram"))
            changed = tablet.post(
                f"{API}/password",
                json={"current_password": service.password("bram"), "new_password": "een-nieuw-wachtwoord-2026"},
            )
            assert changed.status_code == 200
        with pytest.raises(errors.ResumeRefused) as refused:
            session.resume()
        assert refused.value.message() == (
            "Uw wachtwoord is intussen gewijzigd: kies Nu synchroniseren (F5) en voer uw nieuwe wachtwoord in."
        )
        assert kept_token(session) is None and not session.online
        with pytest.raises(errors.ResumeRefused):  # nothing left to try: the password it is
            session.resume()
    finally:
        session.close()
