"""What a signed-in user works in: the profile, its vault, the open cache and the transport.

The command line and the GUI call the same functions here:
- `enroll_device(...)`: enroll (certificate) → login → escrow → vault → encrypted cache → profile.
- `Session.login(password, new_password=None)`: online first (every wrong password counts towards
  the service's lockout), then the cache opens with the password or, after a reset, via escrow.
  Without a connection it unlocks offline, within the offline grace period.
- `Session.lock()`, `change_password()`, `logout()`, `wipe()`, revocation handling.

Nothing personal is written outside the encrypted cache; `account-state.json` holds the last
account state the service reported (a code and the organisation's contacts) for `doctor`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import httpx

from desktop import clock as clock_mod, errors, org_config, unsent_export, vault as vault_mod, wipe, wire
from desktop.i18n import translate
from desktop.cache import db as cache_db, health, outbox, queries, recovery, writes
from desktop.cache.errors import CacheCorrupt, CacheError, CacheKeyRejected, CacheMissing
from desktop.profile import Profile, ProfileConfig, ProfileError
from desktop.secrets import SecretStore
from desktop.sync import enrollment
from desktop.sync.identity import save_identity, unlock_identity
from desktop.sync.transport import DeviceIdentity, Transport, load_ca, normalise_server_url
from desktop.vault import KdfParams, Vault

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]

# Failures that mean "no usable connection right now": login falls back to offline unlock and
# says why. An impostor certificate (a captive portal, say) is one: the handshake failed before
# anything, the password included, was sent.
OFFLINE_CAUSES = (
    errors.ConnectionProblem,
    errors.NoSecureConnection,
    errors.DeviceCertificateRequired,
    errors.ServiceError,
    errors.ServerCertificateUntrusted,
    errors.InvalidResponse,
)


RESUME_MARK = "resume"  # the cache's view mark holding the resume token (desktop.cache view_marks)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class GraceStatus:
    """How long since the last contact with the service, against the organisation's limits.

    Counted on the server-anchored clock (desktop.clock), never on the local clock alone.
    """

    last_contact: dt.datetime | None
    hours_offline: float
    locked: bool  # past `offline_lock_hours`, or the clock moved backwards: only an online login opens it
    wipe_due: bool  # past `offline_wipe_days` on a clock we can believe: the cache is wiped
    days_until_wipe: int | None  # set from the warning day (25 by default)
    wipe_at: dt.datetime | None = None  # when the wipe falls due (server-anchored)
    clock_backwards: bool = False  # the local clock is below its high-water mark


@dataclass
class LoginOutcome:
    online: bool
    offline_reason: errors.ClientError | None = None  # why the online login was not possible
    warnings: list[str] = field(default_factory=list)  # sentences for the user (grace period)
    days_until_wipe: int | None = None  # offline, from the warning day on
    user: dict | None = None
    recovered: int = 0  # unsent changes taken back from an offline-expiry export


def grace_status(config: ProfileConfig, reading: clock_mod.Reading) -> GraceStatus:
    settings = config.effective_settings
    anchor = config.clock_anchor()
    if anchor is None or reading.elapsed is None:
        return GraceStatus(None, 0.0, False, False, None)
    hours = reading.elapsed.total_seconds() / 3600
    # A clock that moved backwards locks (the elapsed time is unknown) but never wipes.
    wipe_due = hours >= settings.offline_wipe_days * 24 and not reading.backwards
    days_left = None
    if hours >= settings.wipe_warning_days * 24 and not wipe_due:
        days_left = max(0, int(settings.offline_wipe_days - hours // 24))
    wipe_at = anchor.server_time + dt.timedelta(days=settings.offline_wipe_days)
    return GraceStatus(
        anchor.server_time,
        hours,
        hours >= settings.offline_lock_hours or reading.backwards,
        wipe_due,
        days_left,
        wipe_at,
        reading.backwards,
    )


def _decode_escrow(answer: Any) -> bytes:
    try:
        key = base64.b64decode(answer["escrow_key"], validate=True)
    except (TypeError, KeyError, ValueError, binascii.Error):
        raise errors.InvalidResponse() from None
    if len(key) != vault_mod.KEY_BYTES:
        raise errors.InvalidResponse()
    return key


def _decode_key(text: Any) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (TypeError, ValueError, binascii.Error):
        raise errors.InvalidResponse() from None
    if len(key) != vault_mod.KEY_BYTES:
        raise errors.InvalidResponse()
    return key


def _session_body(answer: Any) -> dict:
    return wire.check_session(answer)  # InvalidResponse (FeedError) when it is not a session


def load_config(profile: Profile) -> ProfileConfig:
    try:
        return profile.load_config()
    except ProfileError:
        raise errors.CacheUnreadable() from None


class Session:
    """One profile, used by one user; holds the open cache only while unlocked."""

    def __init__(
        self,
        profile: Profile,
        secrets: SecretStore | None,
        *,
        clock: Clock = utc_now,
        kdf: KdfParams | None = None,
        time_sources: clock_mod.Sources | None = None,
    ) -> None:
        self.profile = profile
        self.secrets = secrets
        self.clock = clock
        # The wall clock is `clock`; the boot clock beside it guards the grace period and stamps.
        self.time_sources = replace(time_sources or clock_mod.Sources(), wall=clock)
        self._clock_lock = threading.Lock()  # the anchor in profile.json: read-modify-write from two lanes
        self.kdf = kdf or KdfParams()
        self.config = load_config(profile)
        self.transport: Transport | None = None
        self.cache: cache_db.Connection | None = None
        self.user: dict | None = None
        self.organisation_settings: dict = {}
        self.must_change_password = False
        self._data_key: bytes | None = None  # only while unlocked; `lock()` drops it
        # The device key once opened, so a new transport needs no second login.
        self._identity: DeviceIdentity | None = None
        self._identity_source: str | None = None
        self._unlock_key: bytes | None = None  # seals the device key; known after an online login
        self._escrow_key: bytes | None = None  # asked once per login; dropped with the data key
        self.cache_recovered: errors.CacheRecovered | None = None  # the last open replaced a damaged cache
        self._unsent_remembered: int | None = None  # what unsent.json says (written by this session)
        self._resume_answer: dict | None = None  # the login's resume token, until the cache keeps it
        # When the cache's damage checks run (desktop.cache.health); the state only while unlocked.
        self._check_state: health.CheckState | None = None
        self._check_lock = threading.Lock()  # the background check's verdict against close_cache
        self._background_check: health.BackgroundCheck | None = None
        self.cache_check_due = False  # the background check should run once the list is shown

    # --- state ---

    @property
    def enrolled(self) -> bool:
        return bool(self.config.device_id) and self.profile.device_cert_path.exists()

    @property
    def identity(self) -> DeviceIdentity | None:
        """The device key once opened (None before login where only the service's unlock key opens it)."""
        return self._identity

    @property
    def unlocked(self) -> bool:
        return self.cache is not None

    @property
    def online(self) -> bool:
        return self.transport is not None and self.transport.token is not None

    def grace(self) -> GraceStatus:
        return grace_status(self.config, self.time_now())

    def time_now(self) -> clock_mod.Reading:
        """The server-anchored time now; moves the saved high-water mark of the local clock up."""
        with self._clock_lock:
            anchor = self.config.clock_anchor()
            reading = clock_mod.read(anchor, self.time_sources)
            advanced = clock_mod.advance_high_water(anchor, reading)
            if advanced is not None and self.profile.config_path.exists():
                try:
                    # Read back, not our own copy: at most once a minute (MARK_STEP), and profile.json
                    # may hold what this copy lacks (a profile_id made since, naming the keychain entries).
                    self.config = self.profile.update_config(clock=advanced.to_json())
                except OSError as exc:  # a full disk must not stop a read; the mark moves up next time
                    log.info("clock high-water mark not saved: %s", type(exc).__name__)
        return reading

    def connect_cache(self, check_same_thread: bool = True) -> cache_db.Connection:
        """Another connection to the unlocked cache (the sync engine's writer opens its own)."""
        if self._data_key is None:
            raise errors.CacheLocked()
        return cache_db.open_cache(self.profile.cache_path, self._data_key, check_same_thread=check_same_thread)

    # --- transport ---

    def connect(self) -> Transport:
        """The mutual-TLS transport of this device (made once, reused: keep-alive)."""
        if not self.enrolled:
            raise errors.NotEnrolled()
        if self.transport is None:
            if not self.config.service_url or not self.config.ca_path:
                raise errors.NotEnrolled()
            ca_pem, timeout = self._ca_and_timeout()
            if self._identity is None:
                self._identity, self._identity_source = unlock_identity(self.profile, self.secrets, None)
            self.transport = Transport(self.config.service_url, ca_pem, self._identity, timeout=timeout)
        return self.transport

    def _ca_and_timeout(self) -> tuple[bytes, httpx.Timeout]:
        """The pinned organisation CA and the configured timeouts, for a connection to the service."""
        try:
            ca_pem = open(self.config.ca_path, "rb").read()
        except OSError:
            raise errors.NotEnrolled() from None
        settings = self.config.settings
        return ca_pem, httpx.Timeout(settings.read_timeout_seconds, connect=settings.connect_timeout_seconds)

    def record_contact(self) -> None:
        """The service answered: the offline grace period starts again from the service's time.

        The contact time is the service's (its Date header), never this device's clock.
        """
        server_time = self.transport.server_time if self.transport is not None else None
        if server_time is None:
            return
        with self._clock_lock:
            anchor = clock_mod.contact_anchor(server_time, self.time_sources)
            self.config = self.profile.update_config(last_contact_at=clock_mod.iso(server_time), clock=anchor.to_json())

    def _call(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        """One request; a revoked device is wiped and acknowledged before the error goes up."""
        transport = self.connect()
        try:
            if method == "GET":
                return transport.get_json(path, **kwargs)
            return transport.post_json(path, body, **kwargs)
        except errors.DeviceRevoked:
            self.handle_revocation()
            raise
        except errors.AccountLocked as locked:
            # Also after login: a lock ends the session, and `doctor` should know it offline too.
            wipe.write_account_state(self.profile, "locked", locked.details["contacts"])
            raise

    # --- login ---

    def login(
        self, password: str, new_password: str | None = None, accepted: Callable[[], None] | None = None
    ) -> LoginOutcome:
        """Log in online first; offline unlock when there is no connection (within the grace period).

        With a temporary password the service demands a definitive one: pass it as
        `new_password`, or catch PasswordChangeRequired and call `choose_password()`.
        `accepted()` is called (on this thread) once the service let the user in and the cache's key
        derivation starts: the user and role are known then (the GUI builds its window meanwhile).
        """
        if not self.enrolled:
            raise errors.NotEnrolled()
        if not password:
            raise errors.PasswordMissing()
        try:
            if self._device_key_sealed_only():
                answer = self._login_unlocking_device_key(password)
            else:
                answer = self._call(
                    "POST", "/sessions", {"username": self.config.username, "password": password}, authenticated=False
                )
        except OFFLINE_CAUSES as reason:
            self.close_transport()
            outcome = self.unlock_offline(password)
            outcome.offline_reason = reason
            return outcome
        self._accept_session(answer)
        if self.must_change_password:
            if new_password is None:
                raise errors.PasswordChangeRequired()
            return self.choose_password(new_password)
        if accepted is not None:
            accepted()
        self._open_cache_online(password, password_changed=False)
        return self._online_outcome()

    def _device_key_sealed_only(self) -> bool:
        """True when only the service's unlock key opens the device key (R-10)."""
        if self._identity is not None:
            return False
        try:
            self._identity, self._identity_source = unlock_identity(self.profile, self.secrets, None)
        except (errors.DevicePasswordNeeded, errors.KeychainEntryMissing):
            return True
        return False

    def _login_unlocking_device_key(self, password: str) -> Any:
        """Log in without a client certificate, naming this device: the service checks the password
        as `POST /sessions` does (lockout, temporary passwords) and answers with the session and
        the key that opens the sealed device key. The session then continues over mutual TLS."""
        self.close_transport()
        ca_pem, timeout = self._ca_and_timeout()
        body = {"device_id": self.config.device_id, "username": self.config.username, "password": password}
        with Transport(self.config.service_url, ca_pem, timeout=timeout) as plain:
            try:
                answer = plain.post_json("/devices/key-unlock", body, authenticated=False)
            except errors.DeviceRevoked:
                self.handle_revocation()
                raise
            except errors.AccountLocked as locked:
                wipe.write_account_state(self.profile, "locked", locked.details["contacts"])
                raise
        if not isinstance(answer, dict):
            raise errors.InvalidResponse()
        unlock_key = _decode_key(answer.get("unlock_key"))
        self._identity, self._identity_source = unlock_identity(self.profile, self.secrets, unlock_key)
        self._unlock_key = unlock_key
        self.connect()
        return answer.get("session")

    # --- going online without the password (a desk that started offline) ---

    def resume(self) -> LoginOutcome:
        """Offline-unlocked, the service back: exchange the resume token of the last online login
        (kept only in the encrypted cache) over this device's mutual TLS for a session, without
        the password. ResumeRefused (expired, ended, password changed: ask for the password),
        AccountLocked, DeviceRevoked (wiped) or a connection problem (still offline) otherwise."""
        if self.cache is None:
            raise errors.CacheLocked()
        kept = self._kept_resume()
        if kept is None:
            raise errors.ResumeRefused()
        if self._identity is None:
            self._open_identity_for_resume(kept)
        try:
            answer = self._call("POST", "/sessions/resume", {"resume_token": kept["token"]}, authenticated=False)
        except (errors.ResumeRefused, errors.AccountLocked):
            self._forget_resume_token()
            raise
        except OFFLINE_CAUSES:
            self.close_transport()
            raise
        self._accept_session(answer)
        self._keep_resume_token()
        return LoginOutcome(online=True, user=self.user, warnings=self._cache_warnings())

    def _open_identity_for_resume(self, kept: dict) -> None:
        """The device key: from the keychain, or (password-only mode) with the unlock key the
        last online login kept beside the token in the cache (R-10; see _keep_resume_token)."""
        try:
            self._identity, self._identity_source = unlock_identity(self.profile, self.secrets, None)
            return
        except (errors.DevicePasswordNeeded, errors.KeychainEntryMissing):
            pass
        try:
            unlock_key = _decode_key(kept.get("unlock_key"))
        except errors.InvalidResponse:
            raise errors.ResumeRefused() from None
        self._identity, self._identity_source = unlock_identity(self.profile, self.secrets, unlock_key)
        self._unlock_key = unlock_key

    def _kept_resume(self) -> dict | None:
        try:
            kept = json.loads(queries.view_mark(self.cache, RESUME_MARK) or "null")
        except ValueError:
            return None
        return kept if isinstance(kept, dict) and isinstance(kept.get("token"), str) and kept["token"] else None

    def _keep_resume_token(self) -> None:
        """Into the encrypted cache only (opened by the password), never a file or the keychain.
        In password-only mode the device key's unlock key goes with it: offline the device key
        opens only with it, and the cache's password copy is that mode's offline target anyway."""
        answer, self._resume_answer = self._resume_answer, None
        if answer is None or self.cache is None or not self.user:
            return
        if self._identity_source == vault_mod.SOURCE_SEALED and self._unlock_key is not None:
            answer["unlock_key"] = base64.b64encode(self._unlock_key).decode("ascii")
        try:
            writes.set_user(self.cache, self.user)  # view marks are per user
            writes.set_view_mark(self.cache, RESUME_MARK, json.dumps(answer))
        except (CacheError, cache_db.DatabaseError, OSError) as exc:  # the password next time instead
            log.warning("resume token not kept: %s", type(exc).__name__)

    def _forget_resume_token(self) -> None:
        if self.cache is not None:
            try:
                writes.set_view_mark(self.cache, RESUME_MARK, "null")
            except (CacheError, cache_db.DatabaseError, OSError) as exc:
                log.warning("resume token not forgotten: %s", type(exc).__name__)

    def choose_password(self, new_password: str) -> LoginOutcome:
        """Replace the temporary password; the cache then opens through the escrow copy."""
        if self.transport is None or self.transport.token is None:
            raise errors.SessionExpired()
        if not new_password:
            raise errors.NewPasswordMissing()
        answer = self._call("POST", "/password", {"new_password": new_password})
        self._accept_session(answer)
        self._open_cache_online(new_password, password_changed=True)
        return self._online_outcome()

    def change_password(self, current_password: str, new_password: str) -> None:
        """Online only: a new password at the service, and the same data key re-wrapped under it."""
        if not self.online:
            raise errors.NeedsConnection()
        if not new_password:
            raise errors.NewPasswordMissing()
        answer = self._call("POST", "/password", {"current_password": current_password, "new_password": new_password})
        self._accept_session(answer)
        self._keep_resume_token()  # the new password ended the old one
        data_key = self._escrow_unlock(Vault.load(self.profile, self.secrets))
        Vault.load(self.profile, self.secrets).rewrap_password(data_key, new_password, self.kdf)

    def _accept_session(self, answer: Any) -> None:
        body = _session_body(answer)
        self.transport.token = body["access_token"]
        self._escrow_key = None  # a new login asks again
        self.user = body.get("user") or {}
        self.organisation_settings = body.get("organisation_settings") or {}
        self.must_change_password = bool(body.get("must_change_password"))
        token = body.get("resume_token")
        self._resume_answer = (
            {"token": token, "expires_at": body.get("resume_expires_at")} if isinstance(token, str) and token else None
        )
        self._apply_organisation_settings()
        self.record_contact()
        wipe.write_account_state(
            self.profile,
            "password-change-required" if self.must_change_password else "active",
            self.organisation_settings.get("contacts"),
        )

    def _apply_organisation_settings(self) -> None:
        # Kept apart from the user's own settings: the service's policy wins over the organisation
        # file and caps the user's choices (desktop.profile.resolve_settings).
        policy = org_config.service_policy(self.organisation_settings)
        if policy and policy != self.config.service_policy:
            self.config = self.profile.update_config(service_policy=policy)

    def _online_outcome(self) -> LoginOutcome:
        self._protect_device_key()
        self._renew_certificate_if_due()
        self._keep_resume_token()
        outcome = LoginOutcome(online=True, user=self.user, warnings=self._cache_warnings())
        self._recover_unsent_export(outcome)
        return outcome

    def _cache_warnings(self) -> list[str]:
        return [self.cache_recovered.message()] if self.cache_recovered is not None else []

    def _escrow(self) -> bytes:
        """The device's escrow key, asked once per login: the cache, the device key and the unsent
        export all need it."""
        if self._escrow_key is None:
            self._escrow_key = _decode_escrow(self._call("GET", "/devices/current/escrow"))
        return self._escrow_key

    def _device_unlock_key(self) -> bytes:
        if self._unlock_key is None:
            self._unlock_key = vault_mod.device_key_unlock_key(self._escrow(), self.config.device_id or "")
        return self._unlock_key

    def _protect_device_key(self) -> None:
        """After an online login: keep the device key as R-10 wants. Seals a key that has no sealed
        copy yet (new, or a plain file from before R-10, which is then shredded) and restores the
        keychain copy of a keychain that lost its entry."""
        identity, source = self._identity, self._identity_source
        if identity is None:
            return
        sealed = vault_mod.device_key_sealed_path(self.profile).exists()
        restore_keychain = self.secrets is not None and source != vault_mod.SOURCE_KEYCHAIN
        if sealed and not restore_keychain and source != vault_mod.SOURCE_PLAIN:
            return
        self._store_device_key(identity)
        self._identity_source = vault_mod.SOURCE_KEYCHAIN if self.secrets is not None else vault_mod.SOURCE_SEALED

    def _store_device_key(self, identity: DeviceIdentity) -> None:
        unlock_key = self._device_unlock_key()
        try:
            vault_mod.store_device_key(self.profile, identity.private_key, self.secrets, unlock_key)
        except vault_mod.KeychainUnavailable:
            # The sealed copy is written first and opens the key; the keychain copy comes back next login.
            log.warning("device key: keychain copy not stored")
            vault_mod.store_device_key(self.profile, identity.private_key, None, unlock_key)

    def _escrow_unlock(self, vault: Vault) -> bytes:
        try:
            return vault.unlock_with_escrow(self._escrow())
        except vault_mod.EscrowKeyRejected:
            raise errors.CacheUnreadable() from None

    def _open_cache_online(self, password: str, password_changed: bool) -> None:
        """After an online login: create the vault and cache the first time, else open them."""
        if not Vault.exists(self.profile):
            self._unlock_key = vault_mod.device_key_unlock_key(self._escrow(), self.config.device_id or "")
            _, data_key = Vault.create(self.profile, password, self._escrow(), self.secrets, self.kdf)
            self._open_cache(data_key, create=True)
            return
        try:
            vault = Vault.load(self.profile, self.secrets)
        except vault_mod.VaultError:
            raise errors.CacheUnreadable() from None
        data_key = None
        if not password_changed and vault.has_password_copy:
            try:
                data_key = vault.unlock_with_password(password)
            except (
                vault_mod.WrongPassword,
                vault_mod.PasswordCopyDestroyed,
                vault_mod.DeviceSecretMissing,
                vault_mod.KeychainUnavailable,
            ):
                data_key = None  # changed elsewhere, destroyed offline or keychain trouble: the escrow copy opens it
        if data_key is None:
            data_key = self._escrow_unlock(vault)
            try:
                vault.rewrap_password(data_key, password, self.kdf)
            except vault_mod.KeychainUnavailable:
                log.warning("vault: keychain locked, password copy not renewed")  # online work goes on
        self._open_cache(data_key, create=not self.profile.cache_path.exists())

    def unlock_offline(self, password: str) -> LoginOutcome:
        """Open the cache without the service: password copy, within the offline grace period."""
        grace = self.grace()
        settings = self.config.effective_settings
        if not Vault.exists(self.profile):
            if grace.wipe_due or unsent_export.exists(self.profile):
                raise errors.OfflineDataWiped(days=settings.offline_wipe_days, unsent=unsent_export.count(self.profile))
            raise errors.NeedsConnection()
        # Past the lock the password still opens the vault, but only to count the unsent changes
        # for the sentence (and, when the wipe is due, to export them first).
        data_key = self._offline_data_key(password)
        if grace.locked or grace.wipe_due:
            self._open_cache(data_key, create=False)
            if grace.wipe_due:
                raise errors.OfflineDataWiped(
                    days=settings.offline_wipe_days, unsent=self._wipe_offline_expired(data_key)
                )
            unsent = self.unsent_count()
            self.lock()
            if grace.clock_backwards:
                raise errors.ClockMovedBackwards(unsent=unsent)
            raise errors.OfflineGraceExpired(
                hours=settings.offline_lock_hours, unsent=unsent, wipe_date=grace.wipe_at.strftime("%Y-%m-%d")
            )
        self._open_cache(data_key, create=False)
        outcome = LoginOutcome(online=False, days_until_wipe=grace.days_until_wipe, warnings=self._cache_warnings())
        if grace.days_until_wipe is not None:
            outcome.warnings.append(
                translate(
                    "Session",
                    "Over {days} dagen worden de offline gegevens gewist als u geen verbinding maakt; "
                    "maak verbinding zodat uw {unsent} niet-verzonden wijzigingen worden verstuurd.",
                ).format(days=grace.days_until_wipe, unsent=self.unsent_count())
            )
        return outcome

    def _offline_data_key(self, password: str) -> bytes:
        try:
            return Vault.load(self.profile, self.secrets).unlock_with_password(password)
        except vault_mod.WrongPassword as wrong:
            raise errors.WrongOfflinePassword(remaining=wrong.remaining) from None
        except vault_mod.PasswordCopyDestroyed:
            # Also when the wipe is due: without the data key nothing can be counted or exported,
            # so nothing is wiped; the cache stays sealed until an online login (escrow) opens it.
            raise errors.OfflineUnlockUnavailable() from None
        except vault_mod.KeychainUnavailable:
            raise errors.KeychainLocked() from None
        except vault_mod.DeviceSecretMissing:
            # The keychain lost its entry: an online login recovers (the service opens the sealed
            # device key, its escrow copy the cache), as long as there is a sealed copy.
            if vault_mod.device_key_sealed_path(self.profile).exists():
                raise errors.KeychainEntryMissing() from None
            raise errors.DeviceCredentialsMissing() from None
        except vault_mod.VaultError:
            raise errors.CacheUnreadable() from None

    def _wipe_offline_expired(self, data_key: bytes) -> int:
        """The offline period is over: the unsent changes (and the refused ones the user has not
        dismissed: their text is nowhere else) go to an export under the cache's data key (the
        vault's escrow copy kept beside it), then keys and cache are wiped; returns how many."""
        rows = outbox.export_rows(self.cache)
        vault = Vault.load(self.profile, self.secrets)
        if rows:
            unsent_export.write(self.profile, vault, data_key, rows)
        self.lock()
        vault_mod.wipe_profile(self.profile, self.secrets, keep_device_key=True)
        return len(rows)

    def _recover_unsent_export(self, outcome: LoginOutcome) -> None:
        """After an online login: changes exported by an offline-expiry wipe go back in the outbox."""
        if not unsent_export.exists(self.profile) or self.cache is None:
            return
        try:
            escrow_key = self._escrow()
        except errors.ClientError as exc:  # logged in all the same; the export waits for the next login
            log.warning("unsent export not recovered yet: %s", exc.code)
            return
        try:
            rows = unsent_export.read(self.profile, escrow_key)
        except unsent_export.ExportUnreadable:
            # Damaged on disk, or not this device's: kept for the helpdesk, and said every login
            # (a log line alone would lose the user's work in silence).
            log.warning("the export of unsent changes does not open with this device's escrow key")
            held = unsent_export.count(self.profile)
            outcome.warnings.append(
                translate(
                    "Session",
                    "{count} niet-verzonden wijzigingen van vóór het wissen konden niet worden "
                    "teruggezet; het bestand is bewaard, bel de helpdesk.",
                ).format(count=held)
                if held
                else translate(
                    "Session",
                    "De niet-verzonden wijzigingen van vóór het wissen konden niet worden teruggezet; "
                    "het bestand is bewaard, bel de helpdesk.",
                )
            )
            return
        outcome.recovered = outbox.import_rows(self.cache, rows)
        unsent_export.remove(self.profile)
        if outcome.recovered:
            outcome.warnings.append(
                translate(
                    "Session",
                    "{count} niet-verzonden wijzigingen van vóór het wissen staan weer klaar om te versturen.",
                ).format(count=outcome.recovered)
            )

    def unsent_count(self) -> int:
        """Changes in the outbox not yet accepted by the service (0 when locked)."""
        if self.cache is None:
            return 0
        return outbox.unsent_count(self.cache)

    def _open_cache(self, data_key: bytes, create: bool) -> None:
        self.close_cache()
        # Not bound to one thread: the GUI logs in on a worker lane and locks from the GUI thread
        # (one thread at a time, never concurrently).
        self.cache_recovered = None
        path = self.profile.cache_path
        state = health.read_state(path)
        # The full checks read the whole file (~26 s at 100,000 cases, cold): on the login path
        # only for a file we did not close cleanly ourselves or one with damage found or met since.
        check = create or health.login_check_needed(path, state)
        state = state or health.CheckState()
        moved = None
        try:
            try:
                self.cache = cache_db.open_cache(path, data_key, create=create, check_same_thread=False, check=check)
            except CacheMissing:  # new, or a recovery killed half-way (then told like any)
                check = True
                self.cache, moved = recovery.open_missing(path, data_key, check_same_thread=False)
            except (CacheCorrupt, CacheKeyRejected):
                # The vault's authenticated encryption vouched for the key, so a refusal is damage:
                # moved aside (never deleted), its unsent changes queued again in a fresh cache.
                check = True
                self.cache, moved = recovery.replace_damaged(path, data_key, check_same_thread=False, now=self.clock())
            if moved is not None:
                self.cache_recovered = errors.CacheRecovered(moved.held, moved.recovered, moved.moved_to.name)
                log.warning("damaged cache moved aside: %d of %s unsent changes recovered", moved.recovered, moved.held)
        except (CacheError, OSError) as exc:
            # A full, read-only or forbidden disk has its own sentence: the cache itself is fine.
            raise (errors.storage_error(exc) or errors.CacheUnreadable()) from None
        self._data_key = data_key
        now = self.clock().timestamp()
        if check:  # checked (or made fresh) just now
            state.checked_at, state.damage = now, False
        self.cache_check_due = not check and health.background_check_due(state, now)
        state.closed = None  # open: a crash from here on leaves no stamp (an unclean exit)
        errors.cache_damage_seen(reset=True)
        self._check_state = state
        self._write_check_state(state)
        self._remember_unsent()

    def _write_check_state(self, state: health.CheckState) -> None:
        try:
            path = health.state_path(self.profile.cache_path)
            self.profile.write_private(path, health.encode_state(state))
        except OSError:  # a full disk: without a stamp the next login checks, which is safe
            log.warning("cache check state not recorded")

    def start_cache_check(self, on_damage: Callable[[], None]) -> bool:
        """The full damage check in the background when it is due (`cache_check_due`); `on_damage()`
        is called on the check's thread when it finds damage (the next login recovers)."""
        if not self.cache_check_due or self._data_key is None or self._background_check is not None:
            return False

        def done(ok: bool) -> None:
            with self._check_lock:
                state = self._check_state
                if state is None:  # locked meanwhile
                    return
                if ok:
                    state.checked_at = self.clock().timestamp()
                else:
                    state.damage = True
                self._write_check_state(state)
                self.cache_check_due = False
            if not ok:
                log.warning("the background cache check found damage")
                on_damage()

        self._background_check = health.BackgroundCheck(self.profile.cache_path, self._data_key, done)
        self._background_check.start()
        return True

    def _remember_unsent(self) -> None:
        if self.cache is not None:
            try:
                count = self.unsent_count()
                if count != self._unsent_remembered:  # open and lock: one write when it changed
                    wipe.remember_unsent(self.profile, count)
                    self._unsent_remembered = count
            except (OSError, CacheError):
                log.warning("unsent count not recorded")

    def _renew_certificate_if_due(self) -> None:
        """From two thirds of its life the certificate is renewed; a failure waits for next time."""
        transport = self.transport
        if transport is None or transport.identity is None:
            return
        if not enrollment.renewal_due(transport.identity.certificate, self.clock()):
            return
        try:
            self._device_unlock_key()  # asked with the old certificate, which the renewal replaces
            identity = enrollment.renew(transport)
        except errors.ClientError as exc:
            log.warning("certificate renewal postponed: %s", exc.code)
            return
        self._store_device_key(identity)
        self.profile.write_private(self.profile.device_cert_path, identity.certificate_pem)
        self._identity = identity
        token = transport.token
        self.close_transport()
        self.connect().token = token

    # --- ending ---

    def close_cache(self) -> None:
        if self._background_check is not None:
            self._background_check.stop()
            self._background_check = None
        conn, self.cache = self.cache, None
        cache_db.close_cache(conn)
        with self._check_lock:
            state, self._check_state = self._check_state, None
            if conn is None or state is None:
                return
            if errors.cache_damage_seen():
                state.damage = True  # met while open (CacheDamagedInUse): the next login checks
            # Closed cleanly: the stamp lets the next login skip the full check (desktop.cache.health).
            state.closed = None if state.damage else health.stamp_closed(self.profile.cache_path)
            self._write_check_state(state)
            self.cache_check_due = False

    def close_transport(self) -> None:
        if self.transport is not None:
            self.transport.close()
            self.transport = None

    def lock(self) -> None:
        """Close the cache and drop the key; the next unlock needs the password again."""
        self._remember_unsent()
        self.close_cache()
        self._data_key = self._escrow_key = None

    def logout(self) -> None:
        self._forget_resume_token()  # logged out: this device does not come back online by itself
        if self.online:
            try:
                self.transport.request("DELETE", "/sessions/current")
            except errors.ClientError:
                pass  # the token expires by itself; logging out locally is what matters
        self.lock()
        self.close_transport()

    def close(self) -> None:
        self.lock()
        self.close_transport()
        self._identity = self._unlock_key = None

    def wipe(self) -> None:
        """Remove everything of this profile from the device: keys, cache, certificate, config."""
        self.close()
        wipe.wipe_everything(self.profile, self.secrets)
        self.config = ProfileConfig()

    def handle_revocation(self) -> None:
        """The service says this device is revoked: destroy keys and cache, then acknowledge
        (`desktop.wipe.wipe_revoked`); the session is left closed and not enrolled."""
        unsent = outbox.unsent_count(self.cache) if self.cache is not None else None
        self.lock()
        try:
            wipe.wipe_revoked(self.profile, self.secrets, self.transport, unsent)
        finally:
            self.close_transport()
            self.config = ProfileConfig()


def enroll_device(
    profile: Profile,
    secrets: SecretStore | None,
    server_url: str,
    ca_pem: bytes,
    username: str,
    password: str,
    code: str,
    *,
    new_password: str | None = None,
    clock: Clock = utc_now,
    kdf: KdfParams | None = None,
) -> tuple[Session, LoginOutcome]:
    """Enroll this device, then log in: the vault and the encrypted cache are created.

    Refuses a profile that is already enrolled (wipe it first). Nothing is recorded when the
    service refuses the enrollment. When the account must first choose a definitive password,
    PasswordChangeRequired carries the logged-in `session` to call `choose_password` on.
    """
    config = load_config(profile)
    if config.device_id:
        raise errors.AlreadyEnrolled()
    load_ca(ca_pem)
    result = enrollment.enroll(server_url, ca_pem, username, password, code)
    profile.ensure_dir()
    profile.write_private(profile.ca_cert_path, ca_pem)
    # No contact time yet: the login below records the service's.
    profile.save_config(
        replace(
            config,
            service_url=normalise_server_url(server_url),
            ca_path=str(profile.ca_cert_path),
            username=username,
            device_id=result.device_id,
        )
    )
    save_identity(profile, secrets, result.identity)
    session = Session(profile, secrets, clock=clock, kdf=kdf)
    session._identity = result.identity  # just made; sealed after the login below
    session._identity_source = vault_mod.SOURCE_KEYCHAIN if secrets is not None else None
    try:
        outcome = session.login(password, new_password)
    except errors.PasswordChangeRequired as change:
        # The device is enrolled and logged in; the caller asks for the definitive password and
        # calls `change.session.choose_password(...)`.
        change.session = session
        raise
    except BaseException:
        session.close()
        raise
    return session, outcome


def request_password_reset(profile: Profile, username: str) -> str:
    """Seed L3: ask the service to e-mail a temporary password; its neutral sentence comes back."""
    config = load_config(profile)
    if not config.service_url or not config.ca_path:
        raise errors.NotEnrolled()
    try:
        ca_pem = open(config.ca_path, "rb").read()
    except OSError:
        raise errors.NotEnrolled() from None
    with Transport(config.service_url, ca_pem) as transport:
        answer = transport.post_json("/password-resets", {"username": username}, authenticated=False)
    detail = answer.get("detail") if isinstance(answer, dict) else None
    return (
        detail
        if isinstance(detail, str)
        else translate(
            "Session", "Als deze gebruikersnaam bestaat, is er een e-mail met een tijdelijk wachtwoord verstuurd."
        )
    )
