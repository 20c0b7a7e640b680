"""Accounts and devices: passwords, lockout, temporary passwords, device-bound tokens, escrow keys.

The rules of seed L3 and L4 live here, once:
- passwords are Argon2id PHC strings; policy: at least 12 characters, not on the blocklist;
- every wrong password counts (login, the current password on a password change, enrollment
  with a valid code); the 11th consecutive failure locks the account (L4 "more than 10") and
  ends its sessions; a locked account is refused even with the right password until a local
  administrator or the helpdesk reactivates it;
- a temporary password (forgot password, L3) is valid 1 hour and once; the old password keeps
  working until the temporary one is used; it never unlocks an account, and never becomes the
  definitive password;
- a failed login answers the same, after the same Argon2 work, whatever the reason; that the
  device belongs to another account is said only after a correct password;
- tokens are bound to the device they were issued over.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.serialization import Encoding

from server_stub.config import Argon2Params, Config
from server_stub.deps import Principal, token_hash
from server_stub.escrow import EscrowSealer
from server_stub.mail import Mailer
from server_stub.pki import InvalidCSR, OrganisationCA, certificate_pem, fingerprint, parse_csr
from server_stub.problems import Problem
from server_stub.store import Database, from_iso, to_iso, utc_now
from server_stub.store import accounts as store
from server_stub.throttle import Throttle, enforce

log = logging.getLogger("server_stub.accounts")

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
ENROLLMENT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
TEMPORARY_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _load_blocklist() -> frozenset[str]:
    path = Path(__file__).with_name("password_blocklist.txt")
    words = (line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


PASSWORD_BLOCKLIST = _load_blocklist()
_UNREAD = object()  # "the caller did not read the account": read it here (None means there is none)


# --- passwords -------------------------------------------------------------------------------


class PasswordHasher:
    """Argon2id with the configured cost; verifying reads the cost from the PHC string itself."""

    def __init__(self, params: Argon2Params):
        self.params = params
        # Verified against when the username is unknown, so that unknown and known users take as long.
        self._dummy = self.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        kdf = Argon2id(
            salt=os.urandom(16),
            length=32,
            iterations=self.params.iterations,
            lanes=self.params.lanes,
            memory_cost=self.params.memory_cost_kib,
        )
        return kdf.derive_phc_encoded(password.encode("utf-8"))

    def verify(self, password: str, phc: str | None) -> bool:
        try:
            Argon2id.verify_phc_encoded(password.encode("utf-8"), phc or self._dummy)
        except (InvalidKey, ValueError):
            return False
        return phc is not None


def password_policy_problems(password: str, username: str = "") -> list[dict]:
    """Why a new password is refused (invalidParams), or [] when it is fine. No composition rules."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append({"name": "new_password", "reason": "too-short"})
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append({"name": "new_password", "reason": "too-long"})
    lowered = password.lower()
    if lowered in PASSWORD_BLOCKLIST or (username and username.lower() in lowered):
        problems.append({"name": "new_password", "reason": "too-common"})
    return problems


def _random_code(alphabet: str, groups: int, size: int) -> str:
    return "-".join("".join(secrets.choice(alphabet) for _ in range(size)) for _ in range(groups))


def normalise_enrollment_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_enrollment_code(code).encode("ascii", "replace")).hexdigest()


def normalise_username(username: str) -> str:
    return username.strip().lower()


# --- the device deny-list --------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceEntry:
    device_id: str
    user_id: str
    organisation_id: str
    revoked: bool


class DeviceRegistry:
    """Every device certificate the service knows, by fingerprint, in memory.

    Checked on every request; changed by enrollment, renewal and revocation, which keep the
    database and this map in step. A renewed certificate replaces the old one.
    """

    def __init__(self):
        self._by_fingerprint: dict[str, DeviceEntry] = {}
        self._fingerprint_of: dict[str, str] = {}
        self._lock = threading.Lock()
        self._revoke_listeners: list = []

    def on_revoke(self, listener) -> None:
        """Call `listener(entry)` after a device is revoked (the feed wakes its long-polls)."""
        self._revoke_listeners.append(listener)

    def is_revoked(self, device_id: str) -> bool:
        fp = self._fingerprint_of.get(device_id)
        entry = self._by_fingerprint.get(fp) if fp is not None else None
        return entry is not None and entry.revoked

    def load(self, db: Database) -> None:
        with self._lock:
            self._by_fingerprint.clear()
            self._fingerprint_of.clear()
            for row in store.all_devices_for_registry(db.conn()):
                self._put(
                    row["cert_fingerprint"],
                    DeviceEntry(row["id"], row["user_id"], row["organisation_id"], row["revoked_at"] is not None),
                )

    def _put(self, fp: str, entry: DeviceEntry) -> None:
        old = self._fingerprint_of.get(entry.device_id)
        if old is not None and old != fp:
            self._by_fingerprint.pop(old, None)
        self._by_fingerprint[fp] = entry
        self._fingerprint_of[entry.device_id] = fp

    def get(self, fp: str) -> DeviceEntry | None:
        return self._by_fingerprint.get(fp)

    def put(self, fp: str, entry: DeviceEntry) -> None:
        with self._lock:
            self._put(fp, entry)

    def revoke(self, device_id: str) -> None:
        with self._lock:
            fp = self._fingerprint_of.get(device_id)
            if fp is not None:
                entry = self._by_fingerprint[fp]
                self._by_fingerprint[fp] = entry = DeviceEntry(
                    entry.device_id, entry.user_id, entry.organisation_id, True
                )
        if fp is not None:
            for listener in self._revoke_listeners:
                listener(entry)


class DeviceFollower:
    """Keeps one instance's `DeviceRegistry` in step with devices enrolled, renewed or revoked
    through other instances on the same (PostgreSQL) database: every `every` seconds it reads the
    devices changed in the last `WINDOW` (a generous window: a change stamped a moment before it
    committed is still read) and takes them in; a revocation ends the device's long-polls here too."""

    WINDOW = timedelta(minutes=2)

    def __init__(self, db: Database, registry: DeviceRegistry, every: float = 1.0):
        self.db, self.registry, self.every = db, registry, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="device-follower", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def look_up(self, fp: str) -> DeviceEntry | None:
        """A certificate this instance does not know yet, from the database: a device enrolled or
        renewed through another instance a moment ago is let in at once, not after the next catch-up.
        (Blocking: the gate calls it on a worker thread.)"""
        row = store.device_for_registry(self.db.conn(), fp)
        if row is None:
            return None
        entry = DeviceEntry(row["id"], row["user_id"], row["organisation_id"], row["revoked_at"] is not None)
        self.registry.put(fp, entry)
        return entry

    def catch_up(self) -> None:
        for row in store.devices_changed_since(self.db.conn(), to_iso(utc_now() - self.WINDOW)):
            entry = DeviceEntry(row["id"], row["user_id"], row["organisation_id"], row["revoked_at"] is not None)
            known = self.registry.get(row["cert_fingerprint"])
            if known == entry:
                continue
            if entry.revoked and known is not None:
                self.registry.revoke(entry.device_id)  # its listeners end the waiting long-polls
            else:
                self.registry.put(row["cert_fingerprint"], entry)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.catch_up()
            except self.db.errors as exc:  # the database is away for a moment: try again
                log.warning("devices of other instances not read (%s); retrying", type(exc).__name__)


# --- the service -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrollment:
    device_id: str
    certificate_pem: str
    not_after: str


class AccountService:
    """Everything the front-door routes do, on one database, CA, mailer and deny-list."""

    def __init__(
        self,
        db: Database,
        config: Config,
        ca: OrganisationCA,
        mailer: Mailer,
        devices: DeviceRegistry,
        escrow: EscrowSealer,
    ):
        self.db = db
        self.escrow = escrow
        self.config = config
        self.ca = ca
        self.mailer = mailer
        self.devices = devices
        self.hasher = PasswordHasher(config.argon2)
        self.throttle = Throttle(db)

    def enforce_throttle(self, action: str, source: str | None, username: str) -> None:
        """Before any password work: 429 with Retry-After when `action` (login, enrollment,
        password_reset) is over its limit for this source or this username as typed."""
        enforce(self.throttle, self.config.throttle, action, source, normalise_username(username))

    # --- sessions ------------------------------------------------------------------------
    def _new_session(self, conn, user, device_id: str, *, temporary: bool) -> dict:
        now = utc_now()
        lifetime = (
            timedelta(minutes=self.config.temporary_session_minutes)
            if temporary
            else timedelta(hours=self.config.access_token_hours)
        )
        token = secrets.token_urlsafe(32)
        expires_at = to_iso(now + lifetime)
        store.insert_session(
            conn,
            token_hash=token_hash(token),
            id=uuid.uuid4().hex,
            user_id=user["id"],
            device_id=device_id,
            temporary=temporary,
            created_at=to_iso(now),
            expires_at=expires_at,
        )
        org = store.organisation(conn, user["organisation_id"])
        body = {
            "access_token": token,
            "expires_at": expires_at,
            "must_change_password": temporary,
            "user": {
                "id": user["id"],
                "username": user["username"],
                "display_name": user["display_name"],
                "role": user["role"],
                "organisation_id": user["organisation_id"],
                "organisation": org["name"],
            },
            "organisation_settings": store.organisation_settings(conn, user["organisation_id"]),
        }
        if not temporary:  # a temporary password's session leads only to a new password
            body["resume_token"], body["resume_expires_at"] = self._new_resume_token(conn, user["id"], device_id, now)
        return body

    def _new_resume_token(self, conn, user_id: str, device_id: str, now) -> tuple[str, str]:
        """One live resume token per user and device, bound to the device's certificate: the one
        before it ends (replaced). Only its hash is kept."""
        token = secrets.token_urlsafe(32)
        expires_at = to_iso(now + timedelta(hours=self.config.resume_token_hours))
        store.end_resume_tokens(conn, to_iso(now), "replaced", user_id=user_id, device_id=device_id)
        store.insert_resume_token(
            conn,
            token_hash=token_hash(token),
            user_id=user_id,
            device_id=device_id,
            cert_fingerprint=store.device(conn, device_id)["cert_fingerprint"],
            created_at=to_iso(now),
            expires_at=expires_at,
        )
        return token, expires_at

    def _locked_problem(self, conn, user) -> Problem:
        contacts = store.organisation_settings(conn, user["organisation_id"])["contacts"]
        return Problem(423, "account-locked", contacts=contacts)

    def _lock_account(self, tx, user_id: str, failures: int, now: str) -> None:
        """Seed L4: a locked account keeps no session; its tokens now answer `account-locked`."""
        ended = store.end_sessions_of_user(tx, user_id, now)
        store.end_resume_tokens(tx, now, "locked", user_id=user_id)
        self.db.audit(None, "account-locked", "user", user_id, {"failures": failures, "sessions_ended": ended})

    def _count_failure(self, tx, user_id: str, now: str, action: str, detail: dict) -> bool:
        """Seed L4: one more wrong password for the account; True when the account is now locked."""
        failures, locked = store.record_failed_login(tx, user_id, self.config.lockout_threshold, now)
        self.db.audit(None, action, "user", user_id, {"failures": failures, **detail})
        if locked:
            self._lock_account(tx, user_id, failures, now)
        return locked

    def login(self, username: str, password: str, device: DeviceEntry, *, user=_UNREAD) -> dict:
        """Behind mTLS: a session body, or invalid-credentials / account-locked (seed L4).
        `user`: the account's row when the caller has just read it (key-unlock), else read here.

        Every failure does the same work: two Argon2 verifications (the password, then the open
        temporary password, each against a dummy hash when there is none) and one write.
        """
        conn = self.db.conn()
        now = to_iso(utc_now())
        user, known, password_ok, reset = self._check_password(conn, username, password, now, user=user)
        if not (password_ok or reset):
            own = known and device.user_id == user["id"]
            with self.db.transaction() as tx:
                if known:
                    locked = self._count_failure(tx, user["id"], now, "login-failed", {"device_id": device.device_id})
                else:
                    # Written like a failure of a known account, so the time says nothing either.
                    locked = False
                    self.db.audit(None, "login-failed-unknown", "device", device.device_id)
            if own and (locked or user["locked_at"] is not None):
                raise self._locked_problem(conn, user)
            raise Problem(401, "invalid-credentials")
        if device.user_id != user["id"]:
            # Only now, after a correct password: a device is enrolled for one person, and its
            # escrow key opens that person's cache only.
            raise Problem(
                403,
                "forbidden",
                "Dit apparaat is aangemeld voor een ander account; log in met dat account of meld dit apparaat opnieuw aan.",
            )
        if user["locked_at"] is not None:
            raise self._locked_problem(conn, user)

        if password_ok:
            with self.db.transaction() as tx:
                store.reset_failed_logins(tx, user["id"])
                body = self._new_session(tx, user, device.device_id, temporary=bool(user["must_change_password"]))
                self.db.audit(_actor(user, device), "login", "user", user["id"])
            return body
        with self.db.transaction() as tx:
            if not store.use_password_reset(tx, reset["id"], now):
                raise Problem(401, "invalid-credentials")  # used a moment ago by a concurrent login
            # From now on only a new password opens the account (the old one is replaced).
            store.close_password_resets(tx, user["id"], now)
            store.set_password(tx, user["id"], None, must_change=True, now=now)
            store.end_resume_tokens(tx, now, "password-changed", user_id=user["id"])
            store.reset_failed_logins(tx, user["id"])
            body = self._new_session(tx, user, device.device_id, temporary=True)
            self.db.audit(_actor(user, device), "login-temporary-password", "user", user["id"])
        return body

    def refuse_unproven_login(self, username: str, password: str, device_id: str | None, *, user=_UNREAD) -> bool:
        """A login that names a device it does not prove (POST /devices/key-unlock) for a device
        that is unknown, revoked or not this user's: no wrong password may count here, or anyone
        outside the secure connection could lock an account by knowing a username (issue 13 item
        2). The same work as a failed login (two verifications, one write), so the answer's time
        says nothing; returns whether the password was right (for the revoked device's wipe)."""
        _, _, password_ok, reset = self._check_password(
            self.db.conn(), username, password, to_iso(utc_now()), always_both=True, user=user
        )
        with self.db.transaction():
            self.db.audit(None, "key-unlock-refused", "device", device_id)
        return password_ok or reset is not None

    def _check_password(self, conn, username: str, password: str, now: str, *, always_both: bool = False, user=_UNREAD):
        """(user, known, password_ok, the open reset it matches). Two Argon2 verifications (the
        password, then the open temporary one), against dummy hashes where there is nothing to
        check, so the time of a failure says nothing; a right password skips the second unless
        `always_both` (an answer that must not tell a right password from a wrong one)."""
        if user is _UNREAD:
            user = store.user_by_username(conn, normalise_username(username))
        known = user is not None and bool(user["active"])
        password_ok = self.hasher.verify(password, user["password_hash"] if known else None)
        if password_ok and not always_both:
            return user, known, True, None
        resets = store.open_password_resets(conn, user["id"], now) if known and not password_ok else []
        reset_ok = self.hasher.verify(password, resets[0]["password_hash"] if resets else None)
        return user, known, password_ok, resets[0] if reset_ok and resets else None

    def logout(self, session_id: str, principal: Principal) -> None:
        now = to_iso(utc_now())
        with self.db.transaction() as tx:
            store.end_session(tx, session_id, now)
            # Logged out on this device: it does not come back online by itself.
            store.end_resume_tokens(tx, now, "logout", user_id=principal.user_id, device_id=principal.device_id)
            self.db.audit(principal, "logout", "user", principal.user_id)

    def resume(self, token: str, device: DeviceEntry, cert_fingerprint: str) -> dict:
        """A desk that started offline, the service back: its resume token (issued at an online
        login on this device) for a session, over mutual TLS, without the password. Refused
        (401 `resume-refused`, `reason` for the client's sentence; it asks for the password) when
        the token is unknown, of another device or certificate, ended (logout, password change or
        reset, device revocation, used) or expired; a locked account answers `account-locked`
        as a login would (seed L4). A token shown twice (its rotation seen by someone else) ends
        the device's tokens. The answer carries a new token: each one works once."""
        conn = self.db.conn()
        hashed = token_hash(token)
        row = store.resume_token(conn, hashed)
        now = utc_now()
        if row is None or row["device_id"] != device.device_id or row["cert_fingerprint"] != cert_fingerprint:
            if row is not None:  # shown over another device: whoever holds it, it is spent
                with self.db.transaction() as tx:
                    store.end_resume_tokens(
                        tx, to_iso(now), "misused", user_id=row["user_id"], device_id=row["device_id"]
                    )
            self._refuse_resume(device, "unknown", "resume-ended")
        user = store.user_by_id(conn, row["user_id"])
        if row["ended_at"] is not None:
            if row["ended_reason"] == "rotated":  # used before: a copy is about; end them all
                with self.db.transaction() as tx:
                    store.end_resume_tokens(
                        tx, to_iso(now), "misused", user_id=row["user_id"], device_id=device.device_id
                    )
            reason = "password-changed" if row["ended_reason"] == "password-changed" else "resume-ended"
            if row["ended_reason"] == "locked" and user["locked_at"] is not None:
                raise self._locked_problem(conn, user)
            self._refuse_resume(device, row["ended_reason"], reason)
        if user["locked_at"] is not None:
            with self.db.transaction() as tx:
                store.end_resume_tokens(tx, to_iso(now), "locked", user_id=user["id"])
            raise self._locked_problem(conn, user)
        if not user["active"] or user["must_change_password"]:
            self._refuse_resume(device, "account", "resume-ended")
        changed = user["password_changed_at"]
        if changed is not None and from_iso(changed) > from_iso(row["created_at"]):
            self._refuse_resume(device, "password-changed", "password-changed")
        if from_iso(row["expires_at"]) <= now:
            self._refuse_resume(device, "expired", "resume-expired")
        with self.db.transaction() as tx:
            if not store.use_resume_token(tx, hashed, to_iso(now)):
                self._refuse_resume(device, "rotated", "resume-ended")  # a concurrent exchange won
            body = self._new_session(tx, user, device.device_id, temporary=False)
            self.db.audit(_actor(user, device), "session-resumed", "user", user["id"])
        return body

    def _refuse_resume(self, device: DeviceEntry, why: str, reason: str):
        with self.db.transaction():
            self.db.audit(None, "resume-refused", "device", device.device_id, {"why": why})
        raise Problem(401, "resume-refused", reason=reason)

    def change_password(
        self, principal: Principal, *, temporary_session: bool, new_password: str, current_password: str | None
    ) -> dict:
        """Choose a (definitive) password; ends every session of the account, returns a fresh one."""
        conn = self.db.conn()
        user = store.user_by_id(conn, principal.user_id)
        if not temporary_session:
            if current_password is None or not self.hasher.verify(current_password, user["password_hash"]):
                # Seed L4: a wrong current password is a wrong password like any other.
                now = to_iso(utc_now())
                with self.db.transaction() as tx:
                    locked = self._count_failure(
                        tx, user["id"], now, "password-change-failed", {"device_id": principal.device_id}
                    )
                if locked:
                    raise self._locked_problem(conn, user)
                raise Problem(
                    403,
                    "invalid-credentials",
                    "Het huidige wachtwoord is onjuist; probeer het opnieuw.",
                    invalid_params=[{"name": "current_password", "reason": "incorrect"}],
                )
        problems = password_policy_problems(new_password, user["username"])
        if not problems:
            problems = self._reused_password_problems(conn, user, new_password, temporary_session)
        if problems:
            raise Problem(422, "password-policy", invalid_params=problems)
        new_hash = self.hasher.hash(new_password)
        now = to_iso(utc_now())
        with self.db.transaction() as tx:
            store.set_password(tx, user["id"], new_hash, must_change=False, now=now)
            store.close_password_resets(tx, user["id"], now)
            ended = store.end_sessions_of_user(tx, user["id"], now)
            store.end_resume_tokens(tx, now, "password-changed", user_id=user["id"])
            body = self._new_session(tx, store.user_by_id(tx, user["id"]), principal.device_id, temporary=False)
            self.db.audit(principal, "password-changed", "user", user["id"], {"sessions_ended": ended})
        return body

    def _reused_password_problems(self, conn, user, new_password: str, temporary_session: bool) -> list[dict]:
        """Seed L3: the definitive password is neither the current one nor a temporary password
        it replaces (the one this session came from, or one mailed since)."""
        if self.hasher.verify(new_password, user["password_hash"]):
            return [{"name": "new_password", "reason": "same-as-current"}]
        if temporary_session:
            since = utc_now() - timedelta(
                minutes=self.config.temporary_password_minutes + self.config.temporary_session_minutes
            )
            for reset in store.recent_password_reset_hashes(conn, user["id"], to_iso(since)):
                if self.hasher.verify(new_password, reset["password_hash"]):
                    return [{"name": "new_password", "reason": "same-as-temporary"}]
        return []

    def device_status(self, device: DeviceEntry) -> dict:
        """What the doctor may know without a password: this device and its own account's state."""
        conn = self.db.conn()
        row = store.device(conn, device.device_id)
        user = store.user_by_id(conn, device.user_id)
        if user["locked_at"] is not None or not user["active"]:
            state = "locked"  # either way only a local administrator or the helpdesk brings it back
        elif user["must_change_password"]:
            state = "password-change-required"
        else:
            state = "active"
        contacts = store.organisation_settings(conn, user["organisation_id"])["contacts"]
        return {
            "device_id": device.device_id,
            "not_after": row["not_after"],
            "account": {"state": state, "contacts": contacts},
        }

    def escrow_key(self, principal: Principal) -> bytes:
        row = store.device(self.db.conn(), principal.device_id)
        key = self.escrow.open(principal.device_id, bytes(row["escrow_key"]))
        self.db.audit(principal, "escrow-released", "device", principal.device_id)
        return key

    # --- enrollment and devices ------------------------------------------------------------
    def issue_enrollment_code(self, user_id: str, issued_by: Principal | None) -> tuple[str, str]:
        """A one-time code for enrolling a device of `user_id`: (code, expires_at)."""
        code = _random_code(ENROLLMENT_CODE_ALPHABET, 4, 4)
        now = utc_now()
        expires_at = to_iso(now + timedelta(hours=self.config.enrollment_code_hours))
        with self.db.transaction() as tx:
            store.insert_enrollment_code(
                tx,
                code_hash=code_hash(code),
                user_id=user_id,
                issued_by=issued_by.user_id if issued_by else None,
                created_at=to_iso(now),
                expires_at=expires_at,
            )
            self.db.audit(issued_by, "enrollment-code-issued", "user", user_id)
        return code, expires_at

    def enroll(self, username: str, password: str, code: str, csr_pem: str) -> Enrollment:
        """Without a device certificate. Any failure is the same `enrollment-failed`.

        The one-time code is checked first: without a valid code for this username no password
        is verified or counted, so nobody can lock an account from outside the secure connection
        by knowing a username. A wrong password with a valid code counts toward the lockout."""
        conn = self.db.conn()
        user = store.user_by_username(conn, normalise_username(username))
        now = to_iso(utc_now())
        hashed_code = code_hash(code)
        if (
            user is None
            or not user["active"]
            or store.usable_enrollment_code(conn, hashed_code, user["id"], now) is None
        ):
            if user is not None:
                self.db.audit(None, "enrollment-failed", "user", user["id"], {"reason": "code"})
            raise Problem(400, "enrollment-failed")
        if user["locked_at"] is not None:
            self.db.audit(None, "enrollment-failed", "user", user["id"], {"reason": "locked"})
            raise Problem(400, "enrollment-failed")
        if not self.hasher.verify(password, user["password_hash"]):
            with self.db.transaction() as tx:
                self._count_failure(tx, user["id"], now, "enrollment-failed", {"reason": "password"})
            raise Problem(400, "enrollment-failed")
        try:
            csr_ok = parse_csr(csr_pem) is not None
        except InvalidCSR:
            csr_ok = False
        if not csr_ok:
            self.db.audit(None, "enrollment-failed", "user", user["id"], {"reason": "csr"})
            raise Problem(400, "enrollment-failed")

        device_id = "dev-" + uuid.uuid4().hex
        cert = self.ca.sign_device_csr(csr_pem, device_id, days=self.config.device_certificate_days)
        fp = fingerprint(cert.public_bytes(Encoding.DER))
        with self.db.transaction() as tx:
            if not store.consume_enrollment_code(tx, hashed_code, device_id, now):
                raise Problem(400, "enrollment-failed")
            store.insert_device(
                tx,
                id=device_id,
                user_id=user["id"],
                organisation_id=user["organisation_id"],
                cert_fingerprint=fp,
                cert_serial=format(cert.serial_number, "x"),
                not_before=to_iso(cert.not_valid_before_utc),
                not_after=to_iso(cert.not_valid_after_utc),
                sealed_escrow_key=self.escrow.seal(device_id, secrets.token_bytes(32)),
                enrolled_at=now,
            )
            store.reset_failed_logins(tx, user["id"])
            self.db.audit(None, "device-enrolled", "device", device_id, {"user_id": user["id"]})
        self.devices.put(fp, DeviceEntry(device_id, user["id"], user["organisation_id"], False))
        return Enrollment(device_id, certificate_pem(cert), to_iso(cert.not_valid_after_utc))

    def renew(self, principal: Principal, csr_pem: str) -> Enrollment:
        """A new certificate for this device, from two thirds of the current one's life."""
        row = store.device(self.db.conn(), principal.device_id)
        start, end = from_iso(row["not_before"]), from_iso(row["not_after"])
        if utc_now() < start + (end - start) * 2 / 3:
            raise Problem(409, "renewal-not-yet-allowed", renewable_from=to_iso(start + (end - start) * 2 / 3))
        try:
            cert = self.ca.sign_device_csr(csr_pem, principal.device_id, days=self.config.device_certificate_days)
        except InvalidCSR:
            raise Problem(400, "invalid-request", invalid_params=[{"name": "csr", "reason": "invalid-csr"}]) from None
        fp = fingerprint(cert.public_bytes(Encoding.DER))
        now = to_iso(utc_now())
        with self.db.transaction() as tx:
            store.replace_device_certificate(
                tx,
                principal.device_id,
                cert_fingerprint=fp,
                cert_serial=format(cert.serial_number, "x"),
                not_before=to_iso(cert.not_valid_before_utc),
                not_after=to_iso(cert.not_valid_after_utc),
                now=now,
            )
            store.rebind_resume_tokens(tx, principal.device_id, fp)
            self.db.audit(principal, "device-renewed", "device", principal.device_id)
        self.devices.put(fp, DeviceEntry(principal.device_id, row["user_id"], row["organisation_id"], False))
        return Enrollment(principal.device_id, certificate_pem(cert), to_iso(cert.not_valid_after_utc))

    def revoke_device(self, device_id: str, by: Principal | None, reason: str) -> None:
        now = to_iso(utc_now())
        with self.db.transaction() as tx:
            store.revoke_device(tx, device_id, by.user_id if by else None, now)
            ended = store.end_sessions_of_device(tx, device_id, now)
            store.end_resume_tokens(tx, now, "device-revoked", device_id=device_id)
            self.db.audit(by, "device-revoked", "device", device_id, {"reason": reason, "sessions_ended": ended})
        self.devices.revoke(device_id)

    def acknowledge_wipe(self, device: DeviceEntry, unsent_changes: int | None = None) -> None:
        """The client wiped its cache. A device that was not revoked is retired by it as well.
        The audit keeps how many unsent changes the wipe destroyed (None: not counted)."""
        if not device.revoked:
            self.revoke_device(device.device_id, None, "wiped-by-client")
        with self.db.transaction() as tx:
            # Only the first acknowledgement counts: a retried one (its answer lost), or a later
            # one with a stolen revoked certificate, cannot rewrite what the wipe destroyed.
            if store.mark_device_wiped(tx, device.device_id, to_iso(utc_now())):
                self.db.audit(None, "device-wiped", "device", device.device_id, {"unsent_changes": unsent_changes})

    # --- lockout ---------------------------------------------------------------------------
    def reactivate(self, user_id: str, by: Principal) -> None:
        with self.db.transaction() as tx:
            store.unlock(tx, user_id)
            # The lock ended every session already; this also covers accounts locked before it did.
            ended = store.end_sessions_of_user(tx, user_id, to_iso(utc_now()))
            store.end_resume_tokens(tx, to_iso(utc_now()), "locked", user_id=user_id)
            self.db.audit(by, "account-reactivated", "user", user_id, {"sessions_ended": ended})

    # --- forgot password (seed L3) ---------------------------------------------------------
    def forgot_password(self, username: str) -> None:
        """Mail a temporary password, or for a locked account who to call. Runs after the answer
        was sent, so the caller learns nothing about the username from the timing."""
        conn = self.db.conn()
        user = store.user_by_username(conn, normalise_username(username))
        if user is None or not user["active"]:
            return
        now = utc_now()
        # Counted before anything is sent, in one atomic step: a burst of requests cannot
        # slip past the limit while earlier mails are still being committed.
        if self.throttle.hit([(f"reset-mail:{user['id']}", self.config.throttle.reset_mails_per_hour)], 3600):
            self.db.audit(None, "password-reset-throttled", "user", user["id"])
            return
        contacts = store.organisation_settings(conn, user["organisation_id"])["contacts"]
        if user["locked_at"] is not None:
            self.db.audit(None, "password-reset-refused-locked", "user", user["id"])
            self.mailer.send(user["email"], "Uw MensCentraal-account is geblokkeerd", _locked_mail(user, contacts))
            return
        temporary = _random_code(TEMPORARY_PASSWORD_ALPHABET, 4, 4)
        valid = timedelta(minutes=self.config.temporary_password_minutes)
        with self.db.transaction() as tx:
            store.close_password_resets(tx, user["id"], to_iso(now))
            store.insert_password_reset(
                tx,
                id=uuid.uuid4().hex,
                user_id=user["id"],
                password_hash=self.hasher.hash(temporary),
                created_at=to_iso(now),
                expires_at=to_iso(now + valid),
            )
            self.db.audit(None, "password-reset-issued", "user", user["id"])
        self.mailer.send(
            user["email"],
            "Uw tijdelijke wachtwoord voor MensCentraal",
            _temporary_password_mail(user, temporary, valid, contacts),
        )


def _actor(user, device: DeviceEntry) -> Principal:
    return Principal(
        user["id"], user["username"], user["display_name"], user["role"], user["organisation_id"], device.device_id
    )


def _contact_lines(contacts: dict) -> str:
    admin, helpdesk = contacts.get("local_admin", {}), contacts.get("helpdesk", {})
    return (
        f"- uw lokaal beheerder: {admin.get('name', '')}, {admin.get('email', '')}, {admin.get('phone', '')}\n"
        f"- de helpdesk: {helpdesk.get('name', '')}, telefoon {helpdesk.get('phone', '')}, {helpdesk.get('email', '')}\n"
    )


def _temporary_password_mail(user, temporary: str, valid: timedelta, contacts: dict) -> str:
    minutes = int(valid.total_seconds() // 60)
    return (
        f"Beste {user['display_name']},\n\n"
        f"U heeft een nieuw wachtwoord aangevraagd voor MensCentraal (gebruikersnaam {user['username']}).\n\n"
        f"Uw tijdelijke wachtwoord is:\n\n    {temporary}\n\n"
        f"Het is {minutes} minuten geldig en werkt één keer. Na het inloggen kiest u een nieuw wachtwoord.\n"
        "Tot u het tijdelijke wachtwoord gebruikt, blijft uw oude wachtwoord werken.\n\n"
        "Heeft u dit niet zelf aangevraagd? Dan kunt u dit bericht negeren, of contact opnemen met:\n"
        + _contact_lines(contacts)
    )


def _locked_mail(user, contacts: dict) -> str:
    return (
        f"Beste {user['display_name']},\n\n"
        f"U heeft een nieuw wachtwoord aangevraagd voor MensCentraal (gebruikersnaam {user['username']}).\n"
        "Uw account is geblokkeerd na te veel mislukte inlogpogingen; een tijdelijk wachtwoord heft die blokkade niet op.\n"
        "Vraag uw lokaal beheerder of de helpdesk om uw account te heractiveren:\n" + _contact_lines(contacts)
    )
