"""The organisation's own configuration: one system-wide file that IT places on every laptop.

    Linux    /etc/menscentraal/organisation.toml
    Windows  %PROGRAMDATA%\\MensCentraal\\organisation.toml
    macOS    /Library/Application Support/MensCentraal/organisation.toml
    ($MENSCENTRAAL_ORGANISATION_FILE names another place, for tests, only where the platform's place
    holds no file; set but empty: no file.)

It presets the service address and the pinned CA, the organisation's contacts and its policy
(offline lock hours, wipe days, auto-lock minutes). No file at the usual place means "not managed":
the user types the address and picks the CA at enrollment. A file that is there must be complete
and valid, or nothing starts: every problem names the file and the line.

Precedence of the policy (see `policy_limits` and `desktop.profile.resolve_settings`): the
service's organisation settings win where both exist; the user may choose a stricter value,
never a looser one. No personal data lives here: only the organisation's own details.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors
from desktop.i18n import translate

ORGANISATION_FILE_ENV = "MENSCENTRAAL_ORGANISATION_FILE"
FILE_NAME = "organisation.toml"

# Policy: smaller is stricter for every one of these. Bounds keep a typo from disabling a rule.
POLICY_BOUNDS: dict[str, tuple[int, int]] = {
    "offline_lock_hours": (1, 24 * 90),
    "offline_wipe_days": (1, 365),
    "auto_lock_minutes": (1, 240),
}
POLICY_FIELDS = tuple(POLICY_BOUNDS)
CONTACT_ROLES = ("local_admin", "helpdesk")
CONTACT_FIELDS = ("name", "phone", "email")
MAX_TEXT = 200

# Every key the file may hold, per table; anything else is a typo that would silently do nothing.
KNOWN_KEYS: dict[tuple[str, ...], set[str]] = {
    (): {"service", "contacts", "policy"},
    ("service",): {"url", "ca_file"},
    ("contacts",): {"organisation", *CONTACT_ROLES},
    ("contacts", "local_admin"): set(CONTACT_FIELDS),
    ("contacts", "helpdesk"): set(CONTACT_FIELDS),
    ("policy",): set(POLICY_FIELDS),
}


class OrganisationConfigError(errors.ClientError):
    """The organisation file is broken: which file, which line, what is wrong."""

    code = "organisation-config-invalid"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het organisatiebestand {path} is ongeldig op regel {line}: {problem}; laat uw IT-afdeling "
        "het herstellen, tot dan start het programma niet.",
    )
    exit_code = errors.EXIT_USAGE

    def __init__(self, path: Path, line: int, problem: str, **values: Any) -> None:
        super().__init__(path=str(path), line=line, problem=problem)
        self.values = values  # filled into the problem after it is translated

    @property
    def line(self) -> int:
        return self.details["line"]

    def _format_fields(self) -> dict[str, Any]:
        problem = self.details["problem"]
        return {**self.details, "problem": translate("OrganisationConfig", problem).format(**self.values)}


class OrganisationFileUnreadable(OrganisationConfigError):
    code = "organisation-config-unreadable"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Het organisatiebestand {path} ontbreekt of is niet leesbaar; laat uw IT-afdeling het "
        "herstellen, tot dan start het programma niet.",
    )

    def __init__(self, path: Path) -> None:
        super().__init__(path, 0, "")


class ServicePresetByOrganisation(errors.ClientError):
    """A managed device enrolls only with the service and CA its organisation file names."""

    code = "service-preset-by-organisation"
    text = QT_TRANSLATE_NOOP(
        "Errors",
        "Uw organisatie heeft het adres van de dienst en het CA-bestand vastgelegd in {path}; laat "
        "--server en --ca weg.",
    )
    exit_code = errors.EXIT_USAGE


# The problems, marked for lupdate; English in desktop/ui/i18n/organisation_en.ts.
NOT_TOML = QT_TRANSLATE_NOOP("OrganisationConfig", "dit is geen geldige TOML")
NOT_UTF8 = QT_TRANSLATE_NOOP("OrganisationConfig", "het bestand is geen UTF-8-tekst")
UNKNOWN_KEY = QT_TRANSLATE_NOOP("OrganisationConfig", "onbekende instelling '{key}'")
NOT_A_TABLE = QT_TRANSLATE_NOOP("OrganisationConfig", "'{key}' moet een tabel [{key}] zijn")
MISSING = QT_TRANSLATE_NOOP("OrganisationConfig", "'{key}' ontbreekt")
NOT_TEXT = QT_TRANSLATE_NOOP("OrganisationConfig", "'{key}' moet tekst zijn (hoogstens 200 tekens)")
BAD_URL = QT_TRANSLATE_NOOP("OrganisationConfig", "'{key}' moet een https-adres zijn")
BAD_CA = QT_TRANSLATE_NOOP("OrganisationConfig", "'{key}' wijst niet naar een leesbaar CA-certificaat (PEM)")
NOT_WHOLE_NUMBER = QT_TRANSLATE_NOOP(
    "OrganisationConfig", "'{key}' moet een geheel getal van {low} tot en met {high} zijn"
)
WIPE_BEFORE_LOCK = QT_TRANSLATE_NOOP(
    "OrganisationConfig", "'offline_wipe_days' valt vóór 'offline_lock_hours'; wissen moet na vergrendelen komen"
)
NO_CONTACT = QT_TRANSLATE_NOOP("OrganisationConfig", "geef minstens [contacts.local_admin] of [contacts.helpdesk]")
CONTACT_UNREACHABLE = QT_TRANSLATE_NOOP("OrganisationConfig", "'{key}' heeft een telefoonnummer of e-mailadres nodig")


@dataclass(frozen=True)
class Organisation:
    """What the organisation file says, validated."""

    path: Path
    service_url: str
    ca_path: Path
    ca_pem: bytes
    contacts: dict[str, Any]  # shaped as the service's `contacts` (docs/API.md)
    policy: dict[str, int] = field(default_factory=dict)  # only the values the file sets

    def enrollment_preset(self) -> dict[str, str]:
        """What the enrollment window shows read-only."""
        return {"service_url": self.service_url, "ca_path": str(self.ca_path)}


def default_path() -> Path:
    """Where IT puts the file on this platform."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "MensCentraal" / FILE_NAME
    if sys.platform == "darwin":
        return Path("/Library/Application Support/MensCentraal") / FILE_NAME
    return Path("/etc/menscentraal") / FILE_NAME


def system_file() -> tuple[Path | None, bool]:
    """(path, required): the env var's path must exist; the platform's place may be empty.

    On a managed device (a file at the platform's place) the env var is ignored, so that a user
    cannot swap the organisation's policy for a looser file of his own.
    """
    platform_file = default_path()
    override = os.environ.get(ORGANISATION_FILE_ENV)
    if override is None or platform_file.exists():
        return platform_file, False
    return (Path(override), True) if override.strip() else (None, False)


def load_organisation(path: Path | None = None) -> Organisation | None:
    """The validated organisation file, or None when this device is not managed.

    Raises OrganisationConfigError (file + line) for a file that is there but broken.
    """
    required = path is not None
    if path is None:
        path, required = system_file()
        if path is None:
            return None
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if required:
            raise OrganisationFileUnreadable(path) from None
        return None
    except OSError:
        raise OrganisationFileUnreadable(path) from None
    return parse_organisation(raw, path)


def parse_organisation(raw: bytes, path: Path) -> Organisation:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OrganisationConfigError(path, raw[: exc.start].count(b"\n") + 1, NOT_UTF8) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise OrganisationConfigError(path, int(found.group(1)) if found else 1, NOT_TOML) from None
    return _Validator(path, text).organisation(data)


class _Validator:
    """Checks the parsed tables; finds the line of a key in the text for the message."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def fail(self, table: tuple[str, ...], key: str, problem: str, **values: Any) -> OrganisationConfigError:
        dotted = ".".join((*table, key)) if key else ".".join(table)
        return OrganisationConfigError(self.path, self.line_of(table, key), problem, key=dotted, **values)

    def line_of(self, table: tuple[str, ...], key: str) -> int:
        """The line of `key` inside [table] (or of the table's header); 1 when not found."""
        current: tuple[str, ...] = ()
        header_line = 0
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = re.fullmatch(r"\[\s*([A-Za-z0-9_.\s\"-]+?)\s*\]\s*(#.*)?", stripped)
            if header:
                current = tuple(part.strip().strip('"') for part in header.group(1).split("."))
                if current == table:
                    header_line = number
                if key and current == (*table, key):
                    return number
                continue
            if current == table and key and re.match(rf'\s*"?{re.escape(key)}"?\s*=', line):
                return number
            if current == () and table and re.match(rf"\s*{re.escape('.'.join((*table, key)))}\s*=", line):
                return number
        if header_line:
            return header_line
        # An inline table (`helpdesk = {name = "…"}`) or a dotted key: the line of its parent key.
        return self.line_of(table[:-1], table[-1]) if table else 1

    def table(self, data: dict, where: tuple[str, ...], key: str, required: bool) -> dict | None:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(where, key, MISSING)
            return None
        if not isinstance(value, dict):
            raise self.fail(where, key, NOT_A_TABLE)
        self.known_keys((*where, key), value)
        return value

    def known_keys(self, where: tuple[str, ...], value: dict) -> None:
        for key in value:
            if key not in KNOWN_KEYS[where]:
                raise self.fail(where, key, UNKNOWN_KEY)

    def text(self, data: dict, where: tuple[str, ...], key: str, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None and not required:
            return None
        if value is None:
            raise self.fail(where, key, MISSING)
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise self.fail(where, key, NOT_TEXT)
        return value.strip()

    def organisation(self, data: dict) -> Organisation:
        self.known_keys((), data)
        service = self.table(data, (), "service", required=True)
        url = self.service_url(service)
        ca_path, ca_pem = self.ca(service)
        contacts = self.contacts(self.table(data, (), "contacts", required=True))
        policy = self.policy(self.table(data, (), "policy", required=False) or {})
        return Organisation(self.path, url, ca_path, ca_pem, contacts, policy)

    def service_url(self, service: dict) -> str:
        from desktop.sync.transport import normalise_server_url  # lazy: httpx would slow every start

        url = self.text(service, ("service",), "url")
        try:
            return normalise_server_url(url)
        except errors.ClientError:
            raise self.fail(("service",), "url", BAD_URL) from None

    def ca(self, service: dict) -> tuple[Path, bytes]:
        from desktop.sync.transport import load_ca  # lazy: httpx would slow every start

        name = self.text(service, ("service",), "ca_file")
        path = Path(name)
        if not path.is_absolute():
            path = self.path.parent / path  # relative to the organisation file
        try:
            pem = path.read_bytes()
            load_ca(pem)
        except (OSError, errors.ClientError):
            raise self.fail(("service",), "ca_file", BAD_CA) from None
        return path, pem

    def contacts(self, contacts: dict) -> dict[str, Any]:
        result: dict[str, Any] = {"organisation": self.text(contacts, ("contacts",), "organisation")}
        for role in CONTACT_ROLES:
            entry = self.table(contacts, ("contacts",), role, required=False)
            if entry is None:
                continue
            person = {}
            for key in CONTACT_FIELDS:
                value = self.text(entry, ("contacts", role), key, required=(key == "name"))
                if value is not None:
                    person[key] = value
            if "phone" not in person and "email" not in person:
                raise self.fail(("contacts",), role, CONTACT_UNREACHABLE)
            result[role] = person
        if not any(role in result for role in CONTACT_ROLES):
            raise self.fail(("contacts",), "", NO_CONTACT)
        return result

    def policy(self, policy: dict) -> dict[str, int]:
        result = {}
        for key, value in policy.items():
            low, high = POLICY_BOUNDS[key]
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise self.fail(("policy",), key, NOT_WHOLE_NUMBER, low=low, high=high)
            result[key] = value
        lock, wipe = result.get("offline_lock_hours"), result.get("offline_wipe_days")
        if lock is not None and wipe is not None and wipe * 24 < lock:
            raise self.fail(("policy",), "offline_wipe_days", WIPE_BEFORE_LOCK)
        return result


# --- precedence ---------------------------------------------------------------------------------


def enrollment_target(server: str | None, ca_path: str | None) -> tuple[str, str]:
    """(service URL, CA file) to enroll with: the organisation file's on a managed device, else the given ones."""
    organisation = load_organisation()
    if organisation is None:
        if not server:
            raise errors.InvalidServerUrl()
        if not ca_path:
            raise errors.InvalidCaFile()
        return server, ca_path
    from desktop.sync.transport import normalise_server_url  # lazy: httpx would slow every start

    try:
        same_server = server is None or normalise_server_url(server) == organisation.service_url
    except errors.ClientError:
        same_server = False
    same_ca = ca_path is None or Path(ca_path).resolve() == organisation.ca_path.resolve()
    if not (same_server and same_ca):
        raise ServicePresetByOrganisation(path=str(organisation.path))
    return organisation.service_url, str(organisation.ca_path)


def service_policy(organisation_settings: Any) -> dict[str, int]:
    """The policy values of the service's `organisation_settings` that are usable (positive ints)."""
    if not isinstance(organisation_settings, dict):
        return {}
    return {
        name: value
        for name in POLICY_FIELDS
        if isinstance(value := organisation_settings.get(name), int) and not isinstance(value, bool) and value > 0
    }


def policy_limits(file_policy: dict[str, int] | None, from_service: dict[str, int] | None) -> dict[str, int]:
    """The organisation's limit per policy value: the service's where it sent one, else the file's."""
    return {**(file_policy or {}), **(from_service or {})}


def effective_contacts(organisation: Organisation | None, from_service: Any) -> dict[str, Any]:
    """Who to call: the service's contacts where it sent them, else the organisation file's."""
    contacts = dict(organisation.contacts) if organisation else {}
    if isinstance(from_service, dict):
        contacts.update({key: value for key, value in from_service.items() if value})
    return contacts
