-- The case types each colleague may work on (issue 13 item 1: only such a colleague can be named
-- coordinator), so the client offers only them. NULL: not sent (an older service), offer everyone.
ALTER TABLE colleagues ADD COLUMN case_type_ids TEXT;  -- JSON array
