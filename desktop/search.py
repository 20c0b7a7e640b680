"""Online case search by case number or citizen service number (seed C6).

The term travels only in the request body, never in a URL or a log. A user authorised for the
case type but not a member gets the case with its closed steps only; the service decides.
"""
from __future__ import annotations

from typing import Any

from desktop import errors

FIELDS = ("case_number", "bsn")


def search_cases(ws: Any, field: str, term: str) -> list[dict]:
    if field not in FIELDS:
        raise ValueError(f"unknown search field {field!r}")
    term = term.strip()
    if not term:
        return []
    if not ws.online:
        raise errors.NeedsConnection()
    answer = ws.session.transport.post_json("/cases/search", {field: term})
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list) or not all(isinstance(case, dict) for case in results):
        raise errors.InvalidResponse()
    return results
