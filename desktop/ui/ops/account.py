"""The user's account on this device: signing in (the login window's actions), locking and
unlocking the cache, signing out, the connection diagnosis, and the wipe after a revocation."""

from __future__ import annotations

from typing import Any, Callable

from desktop import actions, errors, session as session_mod, wipe
from desktop.i18n import translate
from desktop.sync import doctor
from desktop.sync.transport import Transport
from desktop.ui.operations import Lane, Operation
from desktop.vault import Vault

MIN_PASSWORD_LENGTH = 12
PROBE_TIMEOUT_SECONDS = 3.0


class SessionLogin:
    """The login window's `LoginActions` over `desktop.session` (and the doctor for connection failures)."""

    def __init__(self, session: Any, accepted: Callable[[], None] | None = None) -> None:
        self.session = session
        self.accepted = accepted  # see `Session.login`: called on the network lane

    def known_username(self) -> str:
        return self.session.config.username or ""

    def organisation_name(self) -> str:
        return str(self.contacts().get("organisation") or "")

    def contacts(self) -> dict:
        return wipe.read_account_state(self.session.profile).get("contacts") or {}

    def can_work_offline(self) -> bool:
        return Vault.exists(self.session.profile)

    def login(self, username: str, password: str) -> Any:
        return self.session.login(password, accepted=self.accepted)

    def unlock_offline(self, password: str) -> Any:
        return self.session.unlock_offline(password)

    def request_password_reset(self, username: str) -> str:
        return session_mod.request_password_reset(self.session.profile, username)

    def change_password(self, new_password: str) -> Any:
        return self.session.choose_password(new_password)

    def password_rules(self, password: str) -> list[tuple[str, bool | None]]:
        # Length is checked here as the user types; the list of common passwords is the service's.
        return [
            (translate("DesktopApp", "Minstens 12 tekens"), len(password) >= MIN_PASSWORD_LENGTH),
            (translate("DesktopApp", "Geen veelgebruikt wachtwoord (de dienst controleert dit bij opslaan)"), None),
        ]

    def probe(self) -> errors.ClientError | None:
        """Can the service be reached from here, before the user tries? Its health, without a
        password or certificate (short: the login waits behind it on the network lane)."""
        config = self.session.config
        if not config.service_url or not config.ca_path:
            return None
        try:
            ca_pem = open(config.ca_path, "rb").read()
        except OSError:
            return None  # the login itself says what is wrong with the profile
        try:
            with Transport(config.service_url, ca_pem, timeout=PROBE_TIMEOUT_SECONDS) as plain:
                plain.get_json("/health", authenticated=False)
        except errors.ClientError as unreachable:
            return unreachable
        return None

    def diagnose(self) -> tuple[list[Any], list[str]]:
        # After login the session's device key lets the last checks run, also in password-only mode.
        report = doctor.diagnose(
            self.session.profile, self.session.secrets, identity=getattr(self.session, "identity", None)
        )
        return report.checks, report.missing


def diagnose(parent: Any, session: Any) -> Operation:
    return Operation(
        lambda token: SessionLogin(session).diagnose(), lane=Lane.NETWORK, parent_widget=parent, label="diagnose"
    )


def lock(parent: Any, session: Any, workspace: actions.Workspace | None) -> Operation:
    """Cache writes queued before the lock finish first (same lane, same workspace); then the
    workspace closes and `Session.lock()` closes the cache: nothing stays open until the password."""

    def release(token: Any) -> None:
        if workspace is not None:
            workspace.close()  # stops the live sync, finishes queued writes
        session.lock()

    return Operation(release, lane=Lane.CACHE, parent_widget=parent, label="lock")


def unlock(session: Any, password: str, progress: Any, page_limit: int | None) -> Operation:
    """The cache reopened with the password (Argon2id: off the GUI thread) and a new workspace."""

    def reopen(token: Any) -> actions.Workspace:
        session.unlock_offline(password)  # the vault's password copy; counts wrong attempts
        return actions.Workspace(session, progress, page_limit=page_limit, push_in_background=True)

    return Operation(reopen, lane=Lane.CACHE, label="unlock")


def probe(session: Any) -> Operation:
    """The login window's probe, for a desk that started offline: None once the service answers."""
    return Operation(lambda token: SessionLogin(session).probe(), lane=Lane.NETWORK, label="probe")


def resume(session: Any) -> Operation:
    """A desk that started offline, the service back: online with the resume token (no password,
    no dialog); ResumeRefused and the like go to the failure callback."""
    return Operation(lambda token: session.resume(), lane=Lane.NETWORK, label="resume")


def relogin(session: Any, password: str, progress: Any, page_limit: int | None) -> Operation:
    """A desk that started offline, the service back: log in online (the cache reopens with the
    password) and a new workspace whose engine has the connection. Offline again if it is gone."""

    def login(token: Any) -> actions.Workspace:
        session.login(password)
        return actions.Workspace(session, progress, page_limit=page_limit, push_in_background=True)

    return Operation(login, lane=Lane.NETWORK, label="relogin")


def logout(session: Any) -> Operation:
    return Operation(lambda token: session.logout(), lane=Lane.NETWORK, label="logout")


def wipe_revoked(session: Any) -> Operation:
    """The service revoked this device: keys and cache go."""

    def wipe(token: Any) -> None:
        if session.enrolled:  # the engine reports revocation from a long-poll without wiping
            session.handle_revocation()

    return Operation(wipe, lane=Lane.NETWORK, label="revoked")
