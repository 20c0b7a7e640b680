-- A change the service refused as a whole request on its own (too large: 413; malformed: 400
-- with a problem code) is not a per-mutation answer: it stays in the outbox, set aside ("stuck")
-- with that code, skipped by later pushes, until the user retries or removes it.
ALTER TABLE outbox ADD COLUMN stuck_reason TEXT;  -- a problem code, never text from the payload
ALTER TABLE outbox ADD COLUMN stuck_at TEXT;
