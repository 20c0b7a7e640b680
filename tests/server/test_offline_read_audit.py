"""Issue 13 item 7 / issue 12: offline-read audit records survive a wrong clock and cannot be forged.

Each record carries the device's local time and its server-anchored estimate; the service judges
by the estimate (server_stub/offline_reads.py). Against the real service over mutual TLS.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from tests.server.work_client import case_of
from tests.service_fixtures import API


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def push_reads(worker, *reads: dict) -> list[dict]:
    response = worker.http.post(f"{API}/sync/push", json={"offline_reads": list(reads)})
    assert response.status_code == 200, response.text
    return response.json()["offline_reads"]


def audited(service, case_id: str, action: str) -> list[dict]:
    return [
        dict(e, detail=json.loads(e["detail"])) for e in service.audit_entries("case", case_id) if e["action"] == action
    ]


def test_offline_read_with_a_fast_local_clock_is_accepted_and_flagged_clock_skew(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    now = datetime.now(timezone.utc)
    local, estimate = now + timedelta(days=3), now - timedelta(minutes=2)  # today: 400, record lost
    assert push_reads(anouk, {"case_id": case_id, "local_time": iso(local), "estimated_time": iso(estimate)}) == [
        {"status": "recorded", "code": None}
    ]
    [entry] = audited(service, case_id, "case.read_offline")
    assert entry["at"][:19] == iso(estimate)[:19] and entry["device_id"] == anouk.http.device_id
    assert entry["detail"]["clock_skew"] is True and entry["detail"]["local_time"][:19] == iso(local)[:19]


def test_offline_read_with_a_right_clock_is_not_flagged(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    moment = iso(datetime.now(timezone.utc) - timedelta(minutes=1))
    push_reads(anouk, {"case_id": case_id, "local_time": moment, "estimated_time": moment})
    assert audited(service, case_id, "case.read_offline")[0]["detail"]["clock_skew"] is False


@pytest.mark.parametrize("hidden_coordinator", ["ilse", "daan"])  # another organisation; own organisation, not a member
def test_offline_read_of_a_case_the_user_could_not_see_is_refused_and_audited_as_suspicious(
    service, workers, hidden_coordinator
):
    anouk = workers("anouk")
    hidden = case_of(service, hidden_coordinator, excluding=("anouk",))
    anouk.pull_all()
    assert hidden not in anouk.pull_all()["cases"]
    moment = iso(datetime.now(timezone.utc) - timedelta(minutes=1))
    assert push_reads(anouk, {"case_id": hidden, "local_time": moment, "estimated_time": moment}) == [
        {"status": "refused", "code": "not-found"}
    ]
    assert audited(service, hidden, "case.read_offline") == []
    [entry] = audited(service, hidden, "case.read_offline_refused")
    assert entry["detail"]["suspicious"] is True and entry["detail"]["reason"] == "not-visible"


def test_offline_read_with_an_impossible_estimate_is_refused_and_audited_as_suspicious(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    now = datetime.now(timezone.utc)
    before_enrollment, future = now - timedelta(days=40), now + timedelta(hours=2)
    results = push_reads(
        anouk,
        {"case_id": case_id, "local_time": iso(now), "estimated_time": iso(before_enrollment)},
        {"case_id": case_id, "local_time": iso(now), "estimated_time": iso(future)},
    )
    assert results == [{"status": "refused", "code": "impossible-time"}] * 2
    assert audited(service, case_id, "case.read_offline") == []
    reasons = sorted(e["detail"]["reason"] for e in audited(service, case_id, "case.read_offline_refused"))
    assert reasons == ["before-enrollment", "in-future"]


def test_same_offline_read_pushed_again_is_recorded_once(service, workers):
    # A push whose answer was lost is sent again with the same records.
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    moment = iso(datetime.now(timezone.utc) - timedelta(minutes=1))
    read = {"case_id": case_id, "local_time": moment, "estimated_time": moment}
    assert push_reads(anouk, read) == [{"status": "recorded", "code": None}]
    assert push_reads(anouk, read) == [{"status": "duplicate", "code": None}]
    assert len(audited(service, case_id, "case.read_offline")) == 1
