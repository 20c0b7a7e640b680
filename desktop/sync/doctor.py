"""`doctor`: why this device cannot work with the service, in plain Dutch, without a password.

Each check says what it found; a failure carries the typed error whose sentence says what it
means and what to do. Checks that depend on a failed one are skipped, so the first failure is
the cause. The result is structured for `doctor --json` and the GUI's diagnosis panel.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import urlsplit

from cryptography import x509
from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors, wipe
from desktop.i18n import translate
from desktop.profile import Profile, ProfileError
from desktop.secrets import SecretStore
from desktop.sync.identity import load_identity
from desktop.sync.transport import (
    DeviceIdentity,
    Transport,
    build_ssl_context,
    error_from_exception,
    judge_device_certificate,
    parse_time,
)

MAX_CLOCK_SKEW_SECONDS = 120
NETWORK_TIMEOUT_SECONDS = 5.0

# Names shown for each check, in the order they run.
CHECK_TITLES = {
    "enrollment": QT_TRANSLATE_NOOP("Doctor", "Apparaat aangemeld"),
    "dns": QT_TRANSLATE_NOOP("Doctor", "Adres van de dienst gevonden"),
    "tcp": QT_TRANSLATE_NOOP("Doctor", "Dienst bereikbaar"),
    "tls": QT_TRANSLATE_NOOP("Doctor", "Beveiligde verbinding met de echte dienst"),
    "health": QT_TRANSLATE_NOOP("Doctor", "Dienst werkt"),
    "clock": QT_TRANSLATE_NOOP("Doctor", "Klok van dit apparaat"),
    "device-access": QT_TRANSLATE_NOOP("Doctor", "Dienst accepteert dit apparaat"),
    "device-certificate": QT_TRANSLATE_NOOP("Doctor", "Certificaat van dit apparaat"),
    "account": QT_TRANSLATE_NOOP("Doctor", "Account"),
}
PASSED = QT_TRANSLATE_NOOP("Doctor", "In orde.")
SKIPPED = QT_TRANSLATE_NOOP("Doctor", "Niet gecontroleerd: een eerdere controle mislukte.")


@dataclass
class Check:
    name: str
    status: str  # "pass" | "fail" | "skip"
    error: errors.ClientError | None = None
    detail: str = ""  # a safe fact (a number, a date), never personal data

    @property
    def title(self) -> str:
        return translate("Doctor", CHECK_TITLES[self.name])

    @property
    def label(self) -> str:  # the GUI's diagnosis panel reads `label`, `ok` and `message`
        return self.title

    @property
    def ok(self) -> bool | None:
        return None if self.status == "skip" else self.status == "pass"

    @property
    def message(self) -> str:
        if self.error is not None:
            return self.error.message()
        return translate("Doctor", PASSED if self.status == "pass" else SKIPPED)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "status": self.status,
            "code": self.error.code if self.error else None,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass
class Diagnosis:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        # A check left for after login (R-10: the device key needs the password) is no failure.
        return all(
            check.status == "pass" or (check.status == "skip" and check.error is not None) for check in self.checks
        )

    @property
    def cause(self) -> Check | None:
        """The first failed check: what to fix first."""
        return next((check for check in self.checks if check.status == "fail"), None)

    @property
    def missing(self) -> list[str]:
        """The secure ways (seed L1) the service found missing: "gemnet", "allowlisted-workplace",
        "mobiel-werken"; empty when the service accepted this device or could not be asked."""
        for check in self.checks:
            if check.error is not None and hasattr(check.error, "missing"):
                return list(check.error.missing)
        return []

    def check(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    def to_json(self) -> dict[str, Any]:
        cause = self.cause
        return {
            "ok": self.ok,
            "cause": cause.error.code if cause and cause.error else None,
            "missing_secure_ways": self.missing,
            "message": cause.message if cause else translate("Doctor", PASSED),
            "checks": [check.to_json() for check in self.checks],
        }


class _NotChecked(Exception):
    """A check that could not be made now (what it needs was not reached): shown as not checked,
    with `error` when something the user can do would let it run (log in first)."""

    def __init__(self, error: errors.ClientError | None = None) -> None:
        super().__init__()
        self.error = error


class _Run:
    """Collects checks; after a failure of a check others depend on, the rest are skipped."""

    def __init__(self) -> None:
        self.diagnosis = Diagnosis()
        self.blocked = False

    def run(self, name: str, probe: Callable[[], str | None], blocking: bool = True, local: bool = False) -> bool:
        """`local` checks need no network and run even after a network check failed."""
        if self.blocked and not local:
            self.diagnosis.checks.append(Check(name, "skip"))
            return False
        try:
            detail = probe() or ""
        except errors.ClientError as error:
            self.diagnosis.checks.append(Check(name, "fail", error))
            self.blocked = self.blocked or blocking
            return False
        except _NotChecked as not_checked:
            self.diagnosis.checks.append(Check(name, "skip", not_checked.error))
            return False
        self.diagnosis.checks.append(Check(name, "pass", detail=detail))
        return True


def diagnose(
    profile: Profile,
    secrets: SecretStore | None,
    *,
    clock: Callable[[], dt.datetime] | None = None,
    timeout: float = NETWORK_TIMEOUT_SECONDS,
    identity: DeviceIdentity | None = None,
) -> Diagnosis:
    """Run every check against the profile's service; never prompts.

    Needs no password where the keychain opens the device key. In password-only mode (R-10) the
    certificate-free checks run before login; "device-access" waits for a logged-in session's
    `identity` (the GUI's diagnosis, `doctor --password-stdin`).
    """
    now = (clock or (lambda: dt.datetime.now(dt.timezone.utc)))()
    run = _Run()
    try:
        config = profile.load_config() if profile.config_path.exists() else None
    except ProfileError:
        config = None  # a damaged profile.json reads as "not enrolled": enroll again
    ca_pem: bytes = b""

    def enrolled() -> str:
        nonlocal ca_pem
        if config is None or not config.service_url or not config.ca_path:
            raise errors.NotEnrolled()
        try:
            ca_pem = open(config.ca_path, "rb").read()
        except OSError:
            raise errors.NotEnrolled() from None
        return config.device_id or ""

    if not run.run("enrollment", enrolled):
        for name in list(CHECK_TITLES)[1:]:
            run.run(name, lambda: None)
        return run.diagnosis

    missing_identity: errors.NotEnrolled | None = None
    key_locked: errors.ClientError | None = None  # the key needs the password, or the keychain lost it

    def device_certificate() -> str:
        if isinstance(key_locked, errors.KeychainEntryMissing):
            raise key_locked  # the service saw no key (device-access); this says why and what to do
        if identity is not None:
            certificate = identity.certificate
        elif key_locked is not None:
            certificate = x509.load_pem_x509_certificate(profile.device_cert_path.read_bytes())  # public: no key needed
        else:
            raise missing_identity or errors.NotEnrolled()
        ca = x509.load_pem_x509_certificate(ca_pem)
        verdict = judge_device_certificate(certificate, ca, now)
        if verdict is not None:
            raise verdict
        return certificate.not_valid_after_utc.strftime("%Y-%m-%d")

    if identity is None:
        try:
            identity = load_identity(profile, secrets)
        except errors.NotEnrolled as missing:
            identity, missing_identity = None, missing  # the service will say which secure way is missing
        except (errors.DevicePasswordNeeded, errors.KeychainEntryMissing) as locked:
            key_locked = locked

    parts = urlsplit(config.service_url)
    host, port = parts.hostname or "", parts.port or 443
    addresses: list[Any] = []

    def dns() -> str:
        try:
            addresses.extend(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (socket.gaierror, UnicodeError):
            raise errors.NameNotResolved() from None
        return ""

    def tcp() -> str:
        try:
            socket.create_connection((host, port), timeout=timeout).close()
        except OSError as exc:
            raise error_from_exception(exc) from None
        return ""

    def tls() -> str:
        context = build_ssl_context(ca_pem)
        try:
            with socket.create_connection((host, port), timeout=timeout) as raw:
                with context.wrap_socket(raw, server_hostname=host) as secure:
                    return secure.version() or ""
        except (OSError, ssl.SSLError) as exc:
            raise error_from_exception(exc) from None

    server_time: list[dt.datetime] = []

    def health() -> str:
        with Transport(config.service_url, ca_pem, timeout=timeout) as plain:
            answer = plain.get_json("/health", authenticated=False)
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            raise errors.ServiceError(status=answer.get("status") if isinstance(answer, dict) else "?")
        server_time.append(parse_time(answer.get("server_time")))
        return ""

    def clock_check() -> str:
        skew = (now - server_time[0]).total_seconds()
        if abs(skew) > MAX_CLOCK_SKEW_SECONDS:
            raise errors.ClockSkew(seconds=int(round(skew)))
        return f"{skew:+.0f}s"

    live_account: dict[str, Any] = {}

    def device_access() -> str:
        """Over mutual TLS without a token: the service says how it sees this device and its account."""
        try:
            with Transport(config.service_url, ca_pem, identity, timeout=timeout) as mutual:
                try:
                    answer = mutual.get_json("/devices/current", authenticated=False)
                except errors.RequestRefused as refused:
                    if refused.details.get("status") != 404:
                        raise
                    # A service without the status route: a token-less 401 still proves the device.
                    mutual.get_json("/devices/current/escrow", authenticated=False)
                    return ""
        except errors.SessionExpired:
            return ""
        except errors.DeviceRevoked:
            with Transport(config.service_url, ca_pem, identity, timeout=timeout) as acknowledge:
                wipe.wipe_revoked(profile, secrets, acknowledge, unsent=None)  # no cache open here
            raise
        account = answer.get("account") if isinstance(answer, dict) else None
        if isinstance(account, dict) and isinstance(account.get("state"), str):
            contacts = account.get("contacts") if isinstance(account.get("contacts"), dict) else {}
            live_account.update(state=account["state"], contacts=contacts)
            # Remembered, so that the next check without the service still knows the latest state.
            wipe.write_account_state(profile, account["state"], contacts)
        return ""

    def account() -> str:
        # The service's answer of just now; the state of the last contact when it could not be asked.
        state = live_account or wipe.read_account_state(profile)
        if state.get("state") == "locked":
            raise errors.AccountLocked(state.get("contacts") if isinstance(state.get("contacts"), dict) else {})
        if state.get("state") == "password-change-required":
            raise errors.PasswordChangeRequired()
        if not live_account:  # no answer from the service now: "in order" would be a guess
            raise _NotChecked(key_locked if isinstance(key_locked, errors.DevicePasswordNeeded) else None)
        return str(state.get("state") or "")

    run.run("dns", dns)
    run.run("tcp", tcp)
    run.run("tls", tls)
    run.run("health", health)
    run.run("clock", clock_check, blocking=False)
    if isinstance(key_locked, errors.DevicePasswordNeeded) and not run.blocked:
        run.diagnosis.checks.append(Check("device-access", "skip", key_locked))  # after login
    else:
        run.run("device-access", device_access)
    # Judged locally, so they tell their story even when the service cannot be reached.
    run.run("device-certificate", device_certificate, blocking=False, local=True)
    run.run("account", account, local=True)
    return run.diagnosis
