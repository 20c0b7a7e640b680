"""Moments as the service and the cache write them (ISO 8601), parsed in one place."""
from __future__ import annotations

import datetime as dt


def parse_time(iso: str | None) -> dt.datetime | None:
    """An aware datetime (UTC when the text names no zone), or None for nothing or nonsense."""
    if not iso:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)
