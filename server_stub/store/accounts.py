"""SQL for the front door: organisations, teams, users, devices, codes, sessions, resets.

Plain functions on a sqlite3 connection; callers decide the transaction. Rows are sqlite3.Row.
"""

from __future__ import annotations

import json
import sqlite3

# --- organisations and teams -----------------------------------------------------------------


def insert_organisation(
    conn, *, id, name, contacts: dict, offline_lock_hours=72, offline_wipe_days=30, auto_lock_minutes=15
) -> None:
    conn.execute(
        "INSERT INTO organisations (id, name, contacts, offline_lock_hours, offline_wipe_days, auto_lock_minutes) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (id, name, json.dumps(contacts, ensure_ascii=False), offline_lock_hours, offline_wipe_days, auto_lock_minutes),
    )


def organisation(conn, organisation_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM organisations WHERE id = ?", (organisation_id,)).fetchone()


def organisation_settings(conn, organisation_id: str) -> dict:
    """The `organisation_settings` object of docs/API.md."""
    row = organisation(conn, organisation_id)
    return {
        "contacts": json.loads(row["contacts"]),
        "offline_lock_hours": row["offline_lock_hours"],
        "offline_wipe_days": row["offline_wipe_days"],
        "auto_lock_minutes": row["auto_lock_minutes"],
    }


def insert_team(conn, *, id, name, organisation_id) -> None:
    conn.execute("INSERT INTO teams (id, name, organisation_id) VALUES (?, ?, ?)", (id, name, organisation_id))


def add_team_member(conn, team_id: str, user_id: str) -> None:
    conn.execute("INSERT OR IGNORE INTO team_members (team_id, user_id) VALUES (?, ?)", (team_id, user_id))


# --- users -------------------------------------------------------------------------------------


def insert_user(conn, *, id, username, display_name, email, role, organisation_id, password_hash, created_at) -> None:
    conn.execute(
        "INSERT INTO users (id, username, display_name, email, role, organisation_id, password_hash, created_at, "
        "password_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (id, username, display_name, email, role, organisation_id, password_hash, created_at, created_at),
    )


def user_by_username(conn, username: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM users WHERE username = ?", (username,)).fetchone()


def user_by_id(conn, user_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()


def record_failed_login(conn, user_id: str, threshold: int, now: str) -> tuple[int, bool]:
    """Count one more consecutive failure; lock when the count passes `threshold`.

    One UPDATE, so concurrent failures from several devices are all counted.
    Returns (failures, locked).
    """
    row = conn.execute(
        "UPDATE users SET failed_logins = failed_logins + 1, "
        "locked_at = CASE WHEN locked_at IS NULL AND failed_logins + 1 > ? THEN ? ELSE locked_at END "
        "WHERE id = ? RETURNING failed_logins, locked_at",
        (threshold, now, user_id),
    ).fetchone()
    return row["failed_logins"], row["locked_at"] is not None


def reset_failed_logins(conn, user_id: str) -> None:
    conn.execute("UPDATE users SET failed_logins = 0 WHERE id = ? AND failed_logins != 0", (user_id,))


def set_password(conn, user_id: str, password_hash: str | None, *, must_change: bool, now: str) -> None:
    conn.execute(
        "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ? WHERE id = ?",
        (password_hash, int(must_change), now, user_id),
    )


def unlock(conn, user_id: str) -> None:
    conn.execute("UPDATE users SET locked_at = NULL, failed_logins = 0 WHERE id = ?", (user_id,))


def locked_users(conn, organisation_id: str | None) -> list[sqlite3.Row]:
    """Locked accounts, of one organisation or (None) of all."""
    sql = (
        "SELECT id, username, display_name, organisation_id, role, locked_at, failed_logins FROM users "
        "WHERE locked_at IS NOT NULL"
    )
    if organisation_id is None:
        return list(conn.execute(sql + " ORDER BY locked_at"))
    return list(conn.execute(sql + " AND organisation_id = ? ORDER BY locked_at", (organisation_id,)))


# --- enrollment codes -----------------------------------------------------------------------


def insert_enrollment_code(conn, *, code_hash, user_id, issued_by, created_at, expires_at) -> None:
    conn.execute(
        "INSERT INTO enrollment_codes (code_hash, user_id, issued_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        (code_hash, user_id, issued_by, created_at, expires_at),
    )


def usable_enrollment_code(conn, code_hash: str, user_id: str, now: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT * FROM enrollment_codes WHERE code_hash = ? AND user_id = ? AND used_at IS NULL AND expires_at > ?",
        (code_hash, user_id, now),
    ).fetchone()


def consume_enrollment_code(conn, code_hash: str, device_id: str, now: str) -> bool:
    """Mark the code used; False if someone else used it first."""
    cursor = conn.execute(
        "UPDATE enrollment_codes SET used_at = ?, device_id = ? WHERE code_hash = ? AND used_at IS NULL",
        (now, device_id, code_hash),
    )
    return cursor.rowcount == 1


# --- devices ---------------------------------------------------------------------------------


def insert_device(
    conn,
    *,
    id,
    user_id,
    organisation_id,
    cert_fingerprint,
    cert_serial,
    not_before,
    not_after,
    sealed_escrow_key: bytes,
    enrolled_at,
) -> None:
    conn.execute(
        "INSERT INTO devices (id, user_id, organisation_id, cert_fingerprint, cert_serial, not_before, not_after, "
        "escrow_key, escrow_sealed, enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (
            id,
            user_id,
            organisation_id,
            cert_fingerprint,
            cert_serial,
            not_before,
            not_after,
            sealed_escrow_key,
            enrolled_at,
        ),
    )


def device(conn, device_id: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM devices WHERE id = ?", (device_id,)).fetchone()


def all_devices_for_registry(conn) -> list[sqlite3.Row]:
    return list(conn.execute("SELECT id, user_id, organisation_id, cert_fingerprint, revoked_at FROM devices"))


def device_for_registry(conn, fingerprint: str) -> sqlite3.Row | None:
    return conn.execute(
        "SELECT id, user_id, organisation_id, cert_fingerprint, revoked_at FROM devices WHERE cert_fingerprint = ?",
        (fingerprint,),
    ).fetchone()


def devices_changed_since(conn, since: str) -> list[sqlite3.Row]:
    """Devices enrolled, renewed or revoked after `since` (for other instances' registries)."""
    return list(
        conn.execute(
            "SELECT id, user_id, organisation_id, cert_fingerprint, revoked_at FROM devices "
            "WHERE enrolled_at > ? OR renewed_at > ? OR revoked_at > ?",
            (since, since, since),
        )
    )


def devices_with_users(conn, organisation_id: str | None) -> list[sqlite3.Row]:
    sql = (
        "SELECT d.id, d.user_id, d.organisation_id, d.enrolled_at, d.renewed_at, d.not_after, d.revoked_at, "
        "d.wiped_at, u.username, u.display_name, u.role FROM devices d JOIN users u ON u.id = d.user_id"
    )
    if organisation_id is None:
        return list(conn.execute(sql + " ORDER BY d.enrolled_at"))
    return list(conn.execute(sql + " WHERE d.organisation_id = ? ORDER BY d.enrolled_at", (organisation_id,)))


def replace_device_certificate(
    conn, device_id: str, *, cert_fingerprint, cert_serial, not_before, not_after, now
) -> None:
    conn.execute(
        "UPDATE devices SET cert_fingerprint = ?, cert_serial = ?, not_before = ?, not_after = ?, renewed_at = ? WHERE id = ?",
        (cert_fingerprint, cert_serial, not_before, not_after, now, device_id),
    )


def revoke_device(conn, device_id: str, revoked_by: str | None, now: str) -> None:
    conn.execute(
        "UPDATE devices SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
        (now, revoked_by, device_id),
    )


def mark_device_wiped(conn, device_id: str, now: str) -> bool:
    """True for the first acknowledgement only: a wipe happens once."""
    return (
        conn.execute("UPDATE devices SET wiped_at = ? WHERE id = ? AND wiped_at IS NULL", (now, device_id)).rowcount
        == 1
    )


# --- sessions --------------------------------------------------------------------------------


def insert_session(conn, *, token_hash, id, user_id, device_id, temporary, created_at, expires_at) -> None:
    conn.execute(
        "INSERT INTO sessions (token_hash, id, user_id, device_id, temporary, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash, id, user_id, device_id, int(temporary), created_at, expires_at),
    )


def session_with_user(conn, token_hash: str) -> sqlite3.Row | None:
    """The auth path: one primary-key lookup joined with the user."""
    return conn.execute(
        "SELECT s.id, s.user_id, s.device_id, s.temporary, s.expires_at, s.ended_at, "
        "u.username, u.display_name, u.role, u.organisation_id, u.active, u.locked_at "
        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?",
        (token_hash,),
    ).fetchone()


def end_session(conn, session_id: str, now: str) -> None:
    conn.execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL", (now, session_id))


def end_sessions_of_user(conn, user_id: str, now: str) -> int:
    return conn.execute(
        "UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL", (now, user_id)
    ).rowcount


def end_sessions_of_device(conn, device_id: str, now: str) -> int:
    return conn.execute(
        "UPDATE sessions SET ended_at = ? WHERE device_id = ? AND ended_at IS NULL", (now, device_id)
    ).rowcount


# --- temporary passwords ---------------------------------------------------------------------


def insert_password_reset(conn, *, id, user_id, password_hash, created_at, expires_at) -> None:
    conn.execute(
        "INSERT INTO password_resets (id, user_id, password_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        (id, user_id, password_hash, created_at, expires_at),
    )


def open_password_resets(conn, user_id: str, now: str) -> list[sqlite3.Row]:
    return list(
        conn.execute(
            "SELECT * FROM password_resets WHERE user_id = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at DESC",
            (user_id, now),
        )
    )


def recent_password_reset_hashes(conn, user_id: str, since: str, limit: int = 5) -> list[sqlite3.Row]:
    """The newest temporary passwords created after `since` (used or not), newest first."""
    return list(
        conn.execute(
            "SELECT password_hash FROM password_resets WHERE user_id = ? AND created_at > ? ORDER BY created_at DESC LIMIT ?",
            (user_id, since, limit),
        )
    )


def close_password_resets(conn, user_id: str, now: str) -> None:
    """Mark every open temporary password of the user used (a newer one or a new password replaced it)."""
    conn.execute("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", (now, user_id))


def use_password_reset(conn, reset_id: str, now: str) -> bool:
    return (
        conn.execute(
            "UPDATE password_resets SET used_at = ? WHERE id = ? AND used_at IS NULL", (now, reset_id)
        ).rowcount
        == 1
    )


# --- resume tokens (a desk that started offline goes online without the password) ----------------


def insert_resume_token(conn, *, token_hash, user_id, device_id, cert_fingerprint, created_at, expires_at) -> None:
    conn.execute(
        "INSERT INTO resume_tokens (token_hash, user_id, device_id, cert_fingerprint, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (token_hash, user_id, device_id, cert_fingerprint, created_at, expires_at),
    )


def resume_token(conn, token_hash: str) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM resume_tokens WHERE token_hash = ?", (token_hash,)).fetchone()


def use_resume_token(conn, token_hash: str, now: str) -> bool:
    """End the token as used (rotated); False if it ended meanwhile (a concurrent exchange)."""
    return (
        conn.execute(
            "UPDATE resume_tokens SET ended_at = ?, ended_reason = 'rotated' WHERE token_hash = ? AND ended_at IS NULL",
            (now, token_hash),
        ).rowcount
        == 1
    )


def end_resume_tokens(conn, now: str, reason: str, *, user_id: str | None = None, device_id: str | None = None) -> int:
    """End the live resume tokens of a user, of a device, or of the user on that device."""
    where, params = [], []
    if user_id is not None:
        where.append("user_id = ?")
        params.append(user_id)
    if device_id is not None:
        where.append("device_id = ?")
        params.append(device_id)
    assert where, "end whose tokens?"
    return conn.execute(
        f"UPDATE resume_tokens SET ended_at = ?, ended_reason = ? WHERE {' AND '.join(where)} AND ended_at IS NULL",
        (now, reason, *params),
    ).rowcount


def rebind_resume_tokens(conn, device_id: str, cert_fingerprint: str) -> None:
    """A renewed certificate: the device's live tokens follow it (the old one no longer connects)."""
    conn.execute(
        "UPDATE resume_tokens SET cert_fingerprint = ? WHERE device_id = ? AND ended_at IS NULL",
        (cert_fingerprint, device_id),
    )
