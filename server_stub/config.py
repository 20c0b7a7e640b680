"""Where a service instance keeps its files, and its configuration file.

One DATA_DIR holds everything `menscentraal-server init` creates; `run` reads it back.
The configuration is JSON so that `init` can write it and an operator can edit it by hand.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

CONFIG_NAME = "config.json"


@dataclass(frozen=True)
class DataDir:
    """The file layout of one service instance."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def database(self) -> Path:
        return self.root / "service.db"

    @property
    def escrow_master_key(self) -> Path:
        """Seals the devices' escrow keys in the database (server_stub/escrow.py); keep it apart in backups."""
        return self.root / "escrow-master.key"

    @property
    def ca_cert(self) -> Path:
        return self.root / "ca.pem"

    @property
    def ca_key(self) -> Path:
        return self.root / "ca-key.pem"

    @property
    def server_cert(self) -> Path:
        return self.root / "server.pem"

    @property
    def server_key(self) -> Path:
        return self.root / "server-key.pem"

    @property
    def demo_accounts(self) -> Path:
        return self.root / "demo-accounts.json"

    @property
    def mail(self) -> Path:
        """The sink writes each caught message here as an .eml file."""
        return self.root / "mail"


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost for the service's password hashes.

    The defaults are OWASP's first recommendation (19 MiB, 2 passes, 1 lane). Tests and quick
    demos pass `init --fast-kdf`, which writes `Argon2Params.cheap()`: never use that in production.
    """

    memory_cost_kib: int = 19456
    iterations: int = 2
    lanes: int = 1

    @classmethod
    def cheap(cls) -> "Argon2Params":
        return cls(memory_cost_kib=8, iterations=1, lanes=1)


@dataclass(frozen=True)
class MailConfig:
    """Where outgoing mail goes. With `sink` true, `run` starts the built-in sink on host:port
    (port 0 picks a free one) and sends there; with `sink` false, host:port is a real relay."""

    host: str = "127.0.0.1"
    port: int = 0
    sink: bool = True
    sender: str = "MensCentraal <noreply@menscentraal.example>"
    retry_seconds: float = 30.0


@dataclass(frozen=True)
class ThrottleConfig:
    """Rate limits (NIST SP 800-63B 5.2.2, OWASP ASVS 2.2.1): at most `*_per_source` requests from
    one address and `*_per_account` for one username as typed (existing or not) per `window_seconds`;
    more answer 429 `too-many-requests` with Retry-After, before any password work.
    `reset_mails_per_hour` caps forgot-password mails per account, counted atomically per request."""

    window_seconds: float = 300.0
    login_per_source: int = 300  # an office behind one NAT address logs in at nine o'clock
    login_per_account: int = 20
    enrollment_per_source: int = 30
    enrollment_per_account: int = 10
    password_reset_per_source: int = 30
    password_reset_per_account: int = 5
    resume_per_source: int = 300  # a desk back online exchanges its resume token (per device below)
    resume_per_account: int = 20
    reset_mails_per_hour: int = 3


@dataclass(frozen=True)
class Config:
    """Everything an operator may tune. Unknown keys in the file are refused, so a typo is noticed."""

    host: str = "127.0.0.1"
    port: int = 8443
    hostnames: tuple[str, ...] = ()
    argon2: Argon2Params = field(default_factory=Argon2Params)
    mail: MailConfig = field(default_factory=MailConfig)
    # Stands for Gemnet and the firewall allowlist (seed L1): CIDRs, empty by default.
    network_allowlist: tuple[str, ...] = ()
    access_token_hours: float = 10.0
    temporary_session_minutes: float = 15.0
    # A desk that started offline goes online with its resume token (issued at each online login)
    # for this long; the offline lock (72 h by default) asks for the password anyway after that.
    resume_token_hours: float = 72.0
    temporary_password_minutes: float = 60.0
    enrollment_code_hours: float = 24.0
    device_certificate_days: float = 7.0
    lockout_threshold: int = 10  # seed L4: "more than 10" failures lock
    throttle: ThrottleConfig = field(default_factory=ThrottleConfig)
    max_body_bytes: int = 1024 * 1024
    # "" keeps the data in DATA_DIR/service.db (SQLite); a postgresql:// URL (libpq syntax, a
    # password better in ~/.pgpass or PGPASSWORD than here) puts it in that database, which the
    # service then owns alone: several instances may share it.
    database: str = ""
    database_pool_size: int = 60  # connections per instance at most (one per busy worker thread)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_dict(cls, raw: dict) -> "Config":
        known = {f.name for f in fields(cls)}
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown configuration keys: {', '.join(sorted(unknown))}")
        values = dict(raw)
        if "argon2" in values:
            values["argon2"] = Argon2Params(**values["argon2"])
        if "mail" in values:
            values["mail"] = MailConfig(**values["mail"])
        if "throttle" in values:
            values["throttle"] = ThrottleConfig(**values["throttle"])
        for name in ("hostnames", "network_allowlist"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)

    def with_changes(self, **changes) -> "Config":
        return replace(self, **changes)


def database_target(layout: DataDir, config: Config) -> Path | str:
    """What `store.Database` opens: the PostgreSQL URL, or the SQLite file in DATA_DIR."""
    return config.database or layout.database


def load_config(data_dir: Path) -> Config:
    path = DataDir(Path(data_dir)).config
    with open(path, encoding="utf-8") as f:
        return Config.from_dict(json.load(f))


def save_config(data_dir: Path, config: Config) -> None:
    path = DataDir(Path(data_dir)).config
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(config.to_json())
    os.replace(tmp, path)


def private_dir_problem(root: Path) -> str | None:
    """Why `root` is not private to the service's user (as ssh and PostgreSQL refuse), or None."""
    mode = Path(root).stat().st_mode & 0o777
    if mode & 0o077:
        return (
            f"{root} is toegankelijk voor anderen (rechten {mode:04o}); de dienst start alleen op een map die "
            f"alleen voor de eigenaar is: chmod 700 {root}"
        )
    return None
