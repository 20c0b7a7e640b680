"""Offline reads a device reports with its push: judged, audited once, never dropped for a clock.

Each record carries the device's local time and its server-anchored estimate (the service's time
at the device's last contact plus the time elapsed on its boot clock; desktop/clock.py). The
service judges by the estimate:
- a case the user could not see (not in view now and never sent to this user) → refused
  `not-found`, audited as suspicious;
- an estimate before the device's enrollment or in the future → refused `impossible-time`,
  audited as suspicious;
- a local time far from the estimate → accepted, flagged `clock_skew`;
- the same record again (a retried push) → `duplicate`, not audited twice.
"""

from __future__ import annotations

import json

from server_stub import mutations
from server_stub.store import Database, feed, to_iso, work

ACTION = "case.read_offline"
REFUSED_ACTION = "case.read_offline_refused"


def _visible(conn, viewer, principal, case_ids: set[str]) -> set[str]:
    """The cases of `case_ids` this user may see now, or was ever sent (read online or synced)."""
    cases = work.load_cases(conn, sorted(case_ids))
    seen = {
        case_id
        for case_id, case in cases.items()
        if case["organisation_id"] == principal.organisation_id and feed.case_for(viewer, case) is not None
    }
    for case_id in case_ids - seen:
        if conn.execute(
            "SELECT 1 FROM audit_log WHERE object_type = 'case' AND object_id = ? AND actor_id = ? "
            "AND action = 'case.read' LIMIT 1",
            (case_id, principal.user_id),
        ).fetchone():
            seen.add(case_id)
    return seen


def _already_recorded(conn, principal, case_id: str, detail: dict) -> bool:
    rows = conn.execute(
        "SELECT detail FROM audit_log WHERE object_type = 'case' AND object_id = ? AND action IN (?, ?) "
        "AND actor_id = ? AND device_id IS ?",
        (case_id, ACTION, REFUSED_ACTION, principal.user_id, principal.device_id or None),
    )
    for (text,) in rows:
        try:
            earlier = json.loads(text or "{}")
        except ValueError:
            continue
        if (
            earlier.get("local_time") == detail["local_time"]
            and earlier.get("estimated_time") == detail["estimated_time"]
        ):
            return True
    return False


def record(db: Database, principal, viewer, reads: list) -> list[dict]:
    """Judge and audit each read; one result per read, in order: {"status", "code"}."""
    if not reads:
        return []
    db.flush_audit()  # earlier online reads (and earlier pushes) must be visible to the checks below
    results = []
    with db.transaction() as conn:
        visible = _visible(conn, viewer, principal, {r.case_id for r in reads})
        for read in reads:
            local = mutations.parse_time(read.local_time or read.opened_at or "")
            estimate = mutations.parse_time(read.estimated_time) if read.estimated_time else local
            detail = {
                "via": "offline",
                "local_time": to_iso(local) if local else None,
                "estimated_time": to_iso(estimate) if estimate else None,
            }
            reason, skew = mutations.judge_time(conn, principal.device_id, local, estimate)
            code = "impossible-time" if reason else None
            if code is None and read.case_id not in visible:
                code, reason = "not-found", "not-visible"
            if code is None:
                detail["clock_skew"] = skew
            else:
                detail.update(suspicious=True, reason=reason)
            if _already_recorded(conn, principal, read.case_id, detail):
                results.append({"status": "duplicate", "code": code})
                continue
            if code is None:
                db.audit(principal, ACTION, "case", read.case_id, detail, at=estimate)
                results.append({"status": "recorded", "code": None})
            else:
                db.audit(principal, REFUSED_ACTION, "case", read.case_id, detail)
                results.append({"status": "refused", "code": code})
    return results
