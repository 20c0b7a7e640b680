-- Offline reads carry the server-anchored estimate beside the local time (desktop/clock.py): the
-- service judges the audit record by the estimate, so a wrong local clock no longer loses it.
ALTER TABLE offline_reads ADD COLUMN estimated_at TEXT;
