-- Which device made the last change of a coordinator or of preferences: a stale base version is
-- a conflict only when someone else (another device) changed the field since, so that a client's
-- own offline edits, pushed in order, never conflict with each other.
ALTER TABLE cases ADD COLUMN coordinator_changed_by_device TEXT;
ALTER TABLE preferences ADD COLUMN changed_by_device TEXT;
