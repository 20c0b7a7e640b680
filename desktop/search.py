"""Searching the service for a case by case number or citizen number (seed C6). Online only.

The terms travel only in the request body, never in a URL, a log line or the cache. A user
authorised for the case type but not on the case gets it with its closed steps only, read-only.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop import errors
from desktop import wire

BSN = re.compile(r"^\d{9}$")


class InvalidSearch(errors.ClientError):
    code = "invalid-search"
    text = QT_TRANSLATE_NOOP("Errors", "Zoek op een zaaknummer of op een burgerservicenummer van 9 cijfers.")
    exit_code = errors.EXIT_USAGE


def search_cases(
    owner: Any,
    field: str | None = None,
    term: str | None = None,
    *,
    case_number: str | None = None,
    bsn: str | None = None,
) -> list[dict]:
    """The cases the service lets this user see for one term: `search_cases(ws, "bsn", "…")`
    or `search_cases(session, case_number="…")`. `owner` is a session or a Workspace."""
    session = getattr(owner, "session", owner)
    if field is not None:
        if field not in ("case_number", "bsn"):
            raise InvalidSearch()
        case_number, bsn = (term, None) if field == "case_number" else (None, term)
    case_number = (case_number or "").strip() or None
    bsn = (bsn or "").replace(" ", "").replace(".", "") or None
    if (case_number is None) == (bsn is None) or (bsn is not None and not BSN.match(bsn)):
        raise InvalidSearch()
    if case_number is not None and len(case_number) > 40:
        raise InvalidSearch()
    if not session.online:
        raise errors.NeedsConnection()
    body = {"case_number": case_number} if case_number is not None else {"bsn": bsn}
    answer = session.transport.post_json("/cases/search", body)
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        raise errors.InvalidResponse()
    for case in results:
        wire.check_case(case, "search")
    return results
