-- The front door: organisations, people, devices, sessions, mail and the audit trail.
-- Ids are TEXT; times are ISO 8601 UTC strings with Z.

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    -- {"organisation", "local_admin": {...}, "helpdesk": {...}} as in docs/API.md
    contacts    TEXT NOT NULL,
    offline_lock_hours INTEGER NOT NULL DEFAULT 72,
    offline_wipe_days  INTEGER NOT NULL DEFAULT 30,
    auto_lock_minutes  INTEGER NOT NULL DEFAULT 15
);

CREATE TABLE teams (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations(id)
);
CREATE INDEX teams_by_organisation ON teams(organisation_id);

CREATE TABLE users (
    id              TEXT PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('medewerker', 'superuser', 'lokaal_beheerder', 'helpdesk')),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    active          INTEGER NOT NULL DEFAULT 1,
    password_hash   TEXT,            -- Argon2id PHC string; NULL after a temporary password was used
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_at       TEXT,            -- set by the 11th consecutive failure (seed L4)
    must_change_password INTEGER NOT NULL DEFAULT 0,
    password_changed_at  TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX users_by_organisation ON users(organisation_id);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_by_user ON team_members(user_id);

CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    organisation_id TEXT NOT NULL REFERENCES organisations(id),
    -- sha256 of the DER of the device's current certificate; a renewed certificate replaces it
    cert_fingerprint TEXT NOT NULL UNIQUE,
    cert_serial     TEXT NOT NULL,
    not_before      TEXT NOT NULL,
    not_after       TEXT NOT NULL,
    escrow_key      BLOB NOT NULL,   -- 32 random bytes, released only over this device's mTLS
    enrolled_at     TEXT NOT NULL,
    renewed_at      TEXT,
    revoked_at      TEXT,
    revoked_by      TEXT,
    wiped_at        TEXT
);
CREATE INDEX devices_by_user ON devices(user_id);
CREATE INDEX devices_by_organisation ON devices(organisation_id);

CREATE TABLE enrollment_codes (
    code_hash   TEXT PRIMARY KEY,    -- sha256 of the code; the code itself is shown once
    user_id     TEXT NOT NULL REFERENCES users(id),
    issued_by   TEXT REFERENCES users(id),   -- NULL when issued from the command line
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT,
    device_id   TEXT
);
CREATE INDEX enrollment_codes_by_user ON enrollment_codes(user_id);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,    -- sha256 of the bearer token
    id          TEXT NOT NULL UNIQUE,
    user_id     TEXT NOT NULL REFERENCES users(id),
    device_id   TEXT NOT NULL REFERENCES devices(id),
    temporary   INTEGER NOT NULL DEFAULT 0,  -- 1: logged in with a temporary password
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_device ON sessions(device_id);

CREATE TABLE password_resets (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,     -- Argon2id of the temporary password
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX password_resets_by_user ON password_resets(user_id);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor_id    TEXT,                -- NULL: the system or an anonymous caller
    device_id   TEXT,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT,
    detail      TEXT                 -- JSON; never personal data
);
CREATE INDEX audit_by_object ON audit_log(object_type, object_id);

CREATE TABLE mail_outbox (
    id          TEXT PRIMARY KEY,
    to_address  TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT,                -- cleared once sent
    created_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error  TEXT,
    sent_at     TEXT
);
CREATE INDEX mail_outbox_pending ON mail_outbox(sent_at, next_attempt_at);
