"""Helpers for the sync tests: enrolled sessions and workspaces against the real service."""

from __future__ import annotations

from desktop.actions import Workspace
from desktop.profile import Profile
from desktop.secrets import InMemorySecretStore
from desktop.session import Session, enroll_device
from desktop.vault import KdfParams

CHEAP_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


class Device:
    """One enrolled profile of one user: reopen it as often as a test needs."""

    def __init__(self, service, root, username: str, *, keyring: bool = True) -> None:
        """`keyring=False`: password-only mode, so that another process can open the profile too."""
        self.service, self.username = service, username
        self.profile = Profile(root)
        self.secrets = InMemorySecretStore() if keyring else None
        session, outcome = enroll_device(
            self.profile,
            self.secrets,
            service.url,
            service.ca_path.read_bytes(),
            username,
            service.password(username),
            service.enroll_code(username),
            kdf=CHEAP_KDF,
        )
        assert outcome.online
        session.close()

    def session(self) -> Session:
        session = Session(self.profile, self.secrets, kdf=CHEAP_KDF)
        session.login(self.service.password(self.username))
        return session

    def workspace(self, progress=None) -> Workspace:
        session = self.session()
        ws = Workspace(session, progress)
        original_close = ws.close

        def close() -> None:
            original_close()
            session.close()

        ws.close = close
        return ws
