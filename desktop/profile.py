"""Where a profile lives on disk, and its small clear-text configuration.

A profile is one enrolled device for one user: the encrypted cache, the wrapped keys, the device
certificate and `profile.json` (service address, CA path, username, device id, last contact time,
settings overrides). Nothing personal is ever written here outside the encrypted cache, so
`profile.json` holds only what the client needs before the cache can be opened.
"""

from __future__ import annotations

import json
import os
import secrets as _random
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path

import platformdirs

from desktop import clock
from desktop.durable import fsync_dir
from desktop.org_config import load_organisation, policy_limits, service_policy

APP_DIR_NAME = "MensCentraal Mobiel"
DEFAULT_PROFILE_NAME = "default"
PROFILE_ENV = "MENSCENTRAAL_PROFILE"  # lets a test or a second window pick another profile

PROFILE_FORMAT = 1
FILE_MODE = 0o600
DIR_MODE = 0o700


class ProfileError(Exception):
    """profile.json is unreadable or malformed; the profile is left untouched."""


@dataclass(frozen=True)
class Settings:
    """Every tunable of the client with its default, in one place.

    The first three are the organisation's policy: the organisation file and the service's
    organisation settings cap them (see `resolve_settings`); the rest are local preferences.
    """

    offline_lock_hours: int = 72
    offline_wipe_days: int = 30
    auto_lock_minutes: int = 15
    wipe_warning_days: int = 25
    max_offline_unlock_attempts: int = 10
    language: str = "nl"
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0
    sync_page_limit: int = 1000
    long_poll_seconds: int = 25
    sync_interval_seconds: int = 60

    @classmethod
    def from_dict(cls, data: dict) -> "Settings":
        """Known keys with the right type win; anything else keeps its default."""
        values = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            default = getattr(cls, f.name)
            value = data[f.name]
            if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not type(default):
                raise ProfileError(f"setting {f.name} has the wrong type")
            values[f.name] = value
        return cls(**values)

    def overrides(self) -> dict:
        """Only the settings that differ from the defaults (what profile.json stores)."""
        default = Settings()
        return {k: v for k, v in asdict(self).items() if getattr(default, k) != v}


def resolve_settings(
    user: Settings, file_policy: dict[str, int] | None = None, service_policy: dict[str, int] | None = None
) -> Settings:
    """The settings in force: the user's own, never looser than the organisation's policy.

    The limit of each policy value is the service's where it sent one, else the organisation
    file's; the user may keep a stricter (smaller) value of his own. A value the user never chose
    follows the organisation, also when that is looser than the built-in default.
    """
    limits = policy_limits(file_policy, service_policy)
    chosen = user.overrides()
    changes = {}
    for name, limit in limits.items():
        changes[name] = min(chosen[name], limit) if name in chosen else limit
    settings = replace(user, **changes)
    if settings.wipe_warning_days >= settings.offline_wipe_days:
        # A short wipe period still gets its warning, from five days before (or at once).
        settings = replace(settings, wipe_warning_days=max(0, settings.offline_wipe_days - 5))
    return settings


@dataclass(frozen=True)
class ProfileConfig:
    """The contents of profile.json (plus the organisation file's policy, which is not stored).

    `settings` are the user's own choices as stored; read `effective_settings` for the values in
    force. `service_policy` is the policy the service sent at the last login, kept so that the
    offline grace period follows it without a connection.
    """

    profile_id: str = ""
    service_url: str | None = None
    ca_path: str | None = None
    username: str | None = None
    device_id: str | None = None
    last_contact_at: str | None = None  # ISO 8601 UTC, the service's time; the offline grace counts from here
    clock: dict = field(default_factory=dict)  # desktop.clock.Anchor: contact readings, high-water mark
    settings: Settings = field(default_factory=Settings)
    service_policy: dict = field(default_factory=dict)
    organisation_policy: dict = field(default_factory=dict, compare=False)  # the system file's

    @property
    def effective_settings(self) -> Settings:
        return resolve_settings(self.settings, self.organisation_policy, self.service_policy)

    def last_contact(self) -> datetime | None:
        return clock.parse_iso(self.last_contact_at)

    def clock_anchor(self):
        """The saved desktop.clock.Anchor (a profile from before it: built from the contact time)."""
        anchor = clock.Anchor.from_json(self.clock) if self.clock else None
        if anchor is None and self.last_contact() is not None:
            anchor = clock.Anchor.legacy(self.last_contact())
        return anchor

    def to_json(self) -> dict:
        data = {
            k: getattr(self, k)
            for k in ("profile_id", "service_url", "ca_path", "username", "device_id", "last_contact_at")
        }
        data["format"] = PROFILE_FORMAT
        data["settings"] = self.settings.overrides()
        if self.service_policy:
            data["service_policy"] = dict(self.service_policy)
        if self.clock:
            data["clock"] = dict(self.clock)
        return data

    @classmethod
    def from_json(cls, data: object) -> "ProfileConfig":
        if not isinstance(data, dict) or data.get("format") != PROFILE_FORMAT:
            raise ProfileError("profile.json has an unknown format")
        text_fields = ("profile_id", "service_url", "ca_path", "username", "device_id", "last_contact_at")
        for name in text_fields:
            if data.get(name) is not None and not isinstance(data[name], str):
                raise ProfileError(f"profile.json field {name} is not text")
        settings = data.get("settings", {})
        if not isinstance(settings, dict):
            raise ProfileError("profile.json settings are not an object")
        stored_policy = data.get("service_policy", {})
        if not isinstance(stored_policy, dict):
            raise ProfileError("profile.json service_policy is not an object")
        stored_clock = data.get("clock", {})  # checked when read (desktop.clock.Anchor.from_json)
        return cls(
            **{name: data.get(name) for name in text_fields if data.get(name) is not None},
            settings=Settings.from_dict(settings),
            service_policy=service_policy(stored_policy),
            clock=stored_clock if isinstance(stored_clock, dict) else {},
        )


def write_private_file(path: Path, content: bytes) -> None:
    """Write atomically (temp file, fsync, rename) with mode 0600, so a crash leaves old or new."""
    path.parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    # mkstemp creates the file with mode 0600 before anything is written to it.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


class Profile:
    """The files of one profile directory. Paths only; opening them is other modules' job."""

    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser().absolute()

    @classmethod
    def resolve(cls, override: Path | str | None = None) -> "Profile":
        """`--profile DIR` wins, then $MENSCENTRAAL_PROFILE, then the platform's data directory."""
        if override:
            return cls(override)
        if os.environ.get(PROFILE_ENV):
            return cls(os.environ[PROFILE_ENV])
        return cls(platformdirs.user_data_path(APP_DIR_NAME, appauthor=False) / DEFAULT_PROFILE_NAME)

    # File names, one place.
    @property
    def cache_path(self) -> Path:
        return self.root / "cache.db"

    @property
    def cache_side_paths(self) -> list[Path]:
        """SQLite's write-ahead log and shared-memory files, and when the cache was last checked
        (desktop.cache.health): deleted together with the cache."""
        return [
            self.root / "cache.db-wal",
            self.root / "cache.db-shm",
            self.root / "cache.db-journal",
            self.root / "cache-check.json",
        ]

    @property
    def damaged_cache_paths(self) -> list[Path]:
        """Damaged caches moved aside on open (desktop.cache.recovery): kept until a wipe."""
        return sorted(self.root.glob("cache.db.damaged-*"))

    @property
    def vault_path(self) -> Path:
        return self.root / "vault.json"

    @property
    def device_key_path(self) -> Path:
        return self.root / "device-key.pem"

    @property
    def device_cert_path(self) -> Path:
        return self.root / "device-cert.pem"

    @property
    def ca_cert_path(self) -> Path:
        """Where enrollment stores the organisation CA it pins."""
        return self.root / "ca.pem"

    @property
    def config_path(self) -> Path:
        return self.root / "profile.json"

    @property
    def lock_path(self) -> Path:
        """A lock file so that one process at a time syncs this profile."""
        return self.root / "sync.lock"

    def exists(self) -> bool:
        return self.config_path.exists()

    def ensure_dir(self) -> None:
        """Create the profile directory readable by the user alone. Folders made on the way (the
        app's data folder on a first start) are 0700 too: mkdir(parents=True) would make them
        by the umask, and a folder others may write lets them swap the profile for their own."""
        missing = [p for p in (self.root, *self.root.parents) if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir(mode=DIR_MODE, exist_ok=True)
            if os.name == "posix":
                os.chmod(folder, DIR_MODE)
        if os.name == "posix":
            os.chmod(self.root, DIR_MODE)

    def load_config(self) -> ProfileConfig:
        """profile.json, or a fresh configuration when there is none yet, under the organisation's policy.

        A broken organisation file raises OrganisationConfigError: nothing runs half-configured.
        """
        organisation = load_organisation()
        policy = dict(organisation.policy) if organisation else {}
        try:
            raw = self.config_path.read_bytes()
        except FileNotFoundError:
            return ProfileConfig(organisation_policy=policy)
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ProfileError("profile.json is not valid JSON") from exc
        return replace(ProfileConfig.from_json(data), organisation_policy=policy)

    def save_config(self, config: ProfileConfig) -> ProfileConfig:
        """Write profile.json atomically; gives the profile an id the first time."""
        if not config.profile_id:
            config = replace(config, profile_id=_random.token_hex(8))
        self.ensure_dir()
        write_private_file(self.config_path, json.dumps(config.to_json(), indent=2).encode())
        return config

    def update_config(self, **changes) -> ProfileConfig:
        """Read, change some fields, write back."""
        return self.save_config(replace(self.load_config(), **changes))

    def profile_id(self) -> str:
        """A random id naming this profile's entries in the OS keychain; created on first use."""
        config = self.load_config()
        if not config.profile_id:
            config = self.save_config(config)
        return config.profile_id

    def write_private(self, path: Path, content: bytes) -> None:
        self.ensure_dir()
        write_private_file(path, content)

    def __repr__(self) -> str:
        return f"Profile({str(self.root)!r})"
