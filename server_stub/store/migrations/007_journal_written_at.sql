-- When a note was written (issue 14): the device's server-anchored estimate, kept beside
-- created_at (when the service received it). NULL: written online, or a time judged impossible.
ALTER TABLE journal_entries ADD COLUMN written_at TEXT;
