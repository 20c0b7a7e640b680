-- Rate-limit counters (server_stub/throttle.py): one row per hashed key and fixed window. The
-- count is raised and read in one statement, so concurrent requests cannot slip past a limit.
CREATE TABLE throttle_counters (
    key TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
) WITHOUT ROWID;
CREATE INDEX throttle_counters_expiry ON throttle_counters (expires_at);
