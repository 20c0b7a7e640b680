-- Issue 14: what the user has looked at, kept inside the encrypted cache (never in plain files):
-- `werkbak_seen` (when the user last left the Werkbak: tasks queued later are "new") and
-- `recent_colleagues` (a JSON list of ids, newest first: whom the forward picker offers first).
CREATE TABLE view_marks (
    user_id TEXT NOT NULL,
    name    TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (user_id, name)
);
