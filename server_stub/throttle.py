"""Rate limits that hold under a burst: fixed-window counters in the database.

`Throttle.hit` raises a counter and reads it back in one SQL statement (an upsert with
RETURNING) inside a write transaction, so twenty concurrent requests are twenty counts, and
the state is shared by every worker on the same database (a later PostgreSQL store implements
the same `hit` with the same `INSERT ... ON CONFLICT ... RETURNING`).

Keys are hashed: a username as typed or a source address is personal data and need not be
stored in the clear to be counted.
"""

from __future__ import annotations

import hashlib
import math
import time

from server_stub.config import ThrottleConfig
from server_stub.problems import Problem
from server_stub.store import Database

PURGE_EVERY_SECONDS = 60.0


def throttle_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}\0{value}".encode("utf-8")).hexdigest()


class Throttle:
    """Counters per (key, window) in the `throttle_counters` table."""

    def __init__(self, db: Database, clock=time.time):
        self.db = db
        self.clock = clock
        self._last_purge = 0.0

    def hit(self, limits: list[tuple[str, int]], window_seconds: float) -> int | None:
        """Count one request against each (key, limit) in order; stop at the first that is over
        its limit and return the seconds until its window ends (for Retry-After), else None."""
        now = self.clock()
        window = max(1, int(window_seconds))
        start = int(now // window) * window
        with self.db.transaction() as tx:
            for key, limit in limits:
                count = tx.execute(
                    "INSERT INTO throttle_counters (key, window_start, expires_at, count) VALUES (?, ?, ?, 1) "
                    "ON CONFLICT (key, window_start) DO UPDATE SET count = throttle_counters.count + 1 RETURNING count",
                    (key, start, start + window),
                ).fetchone()[0]
                if count > limit:
                    return max(1, math.ceil(start + window - now))
            if now - self._last_purge > PURGE_EVERY_SECONDS:
                self._last_purge = now
                tx.execute("DELETE FROM throttle_counters WHERE expires_at < ?", (int(now),))
        return None


def enforce(throttle: Throttle, config: ThrottleConfig, action: str, source: str | None, account: str) -> None:
    """Per-source and per-account limits for `action` (login, enrollment, password_reset):
    raise 429 `too-many-requests` with Retry-After when one is exceeded. The account key is the
    normalised username as typed, whether or not it exists, so a 429 says nothing about accounts."""
    per_source = getattr(config, f"{action}_per_source")
    per_account = getattr(config, f"{action}_per_account")
    limits = [
        (throttle_key(f"{action}:source", source or "-"), per_source),
        (throttle_key(f"{action}:account", account), per_account),
    ]
    retry_after = throttle.hit(limits, config.window_seconds)
    if retry_after is not None:
        raise Problem(429, "too-many-requests", headers={"Retry-After": str(retry_after)}, retry_after=retry_after)
