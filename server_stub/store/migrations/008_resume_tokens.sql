-- Issue 14: a desk that started offline goes online by itself once the service answers. Each
-- online login issues a resume token, bound to the device's certificate and the user, kept here
-- only as a hash; exchanging it (POST /sessions/resume, over mutual TLS) answers a session and
-- a new token (the old one ends: rotation). Ended on logout, password change or reset, lockout
-- and device revocation; `ended_reason` says which, so the client can say why in one sentence.
CREATE TABLE resume_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    cert_fingerprint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT,
    ended_reason TEXT
);
CREATE INDEX resume_tokens_by_user ON resume_tokens (user_id);
CREATE INDEX resume_tokens_by_device ON resume_tokens (device_id);
