-- Escrow keys are sealed under the service's master key (server_stub/escrow.py). Rows written
-- before this migration hold the key in the clear (0) until the service seals them on start.
ALTER TABLE devices ADD COLUMN escrow_sealed INTEGER NOT NULL DEFAULT 0;
