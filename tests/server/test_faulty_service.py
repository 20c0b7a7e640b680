"""tests/faulty_service.py itself: each fault does what its docstring says, against the real service."""

from __future__ import annotations

import time

from tests.faulty_service import CHANGES, PUSH, FaultInjector, drip, rate_limited, truncate_push
from tests.server.work_client import Worker, case_of, mutation
from tests.service_fixtures import API


def test_fault_injector_answers_drips_truncates_and_then_lets_the_real_service_answer(service):
    faults = FaultInjector.install(service)
    anouk = Worker(service, "anouk")
    try:
        case_id = case_of(service, "anouk")
        notes = [mutation("journal.add", {"case_id": case_id, "entry_id": f"f-{n}", "text": "x"}) for n in range(3)]
        faults.add(rate_limited(retry_after=3), times=1)
        refused = anouk.http.post(f"{API}/sync/push", json={"mutations": notes})
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "3"
        assert refused.json()["code"] == "too-many-requests"
        faults.add(truncate_push(keep=1), times=1)
        assert [r["id"] for r in anouk.push(*notes)] == [notes[0]["id"]]
        assert [r["status"] for r in anouk.push(*notes)] == ["applied"] * 3  # the fault was used up
        faults.add(drip(chunk=256, delay=0.05, path=CHANGES, method="GET"))
        started = time.monotonic()
        response = anouk.http.get(f"{API}/sync/changes", params={"limit": 1})
        chunks = len(response.content) // 256
        assert response.json()["upserts"] and time.monotonic() - started >= 0.05 * chunks > 0
        assert faults.count("rate-limited") == 1 and faults.count("drip") == 1
        assert [(m, p) for _, m, p, name in faults.requests if name] == [
            ("POST", PUSH),
            ("POST", PUSH),
            ("GET", CHANGES),
        ]
    finally:
        anouk.close()


def test_random_push_fault_makes_every_kind():
    import random

    from tests.faulty_service import random_push_fault

    rng = random.Random(7)
    names = {random_push_fault(rng).name for _ in range(200)}
    assert names == {
        "rate-limited",
        "gateway-404",
        "gateway-409",
        "gateway-502",
        "answer-500",
        "garbled",
        "garbled-applied",
        "truncate-push",
        "drop-results",
        "drip",
    }
