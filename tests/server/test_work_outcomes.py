"""POST /sync/outcomes: what became of the caller's own pushed mutations, and nothing more."""

from __future__ import annotations

import uuid

from tests.server.work_client import Worker, case_of, mutation
from tests.service_fixtures import API


def outcomes(worker: Worker, ids: list[str]) -> dict[str, dict]:
    response = worker.http.post(f"{API}/sync/outcomes", json={"mutation_ids": ids})
    assert response.status_code == 200, response.text
    return {o["mutation_id"]: o for o in response.json()["outcomes"]}


def test_outcome_route_says_applied_refused_or_unknown_for_own_mutations_only(service, workers):
    anouk, bram = workers("anouk"), workers("bram")
    case_id = case_of(service, "anouk")
    note = mutation("journal.add", {"case_id": case_id, "entry_id": "o-1", "text": "Geheime notitie."})
    closed = mutation("case.close", {"case_id": case_id, "outcome": "afgerond"})
    late = mutation("journal.add", {"case_id": case_id, "entry_id": "o-2", "text": "Te laat."})
    assert [r["status"] for r in anouk.push(note, closed, late)] == ["applied", "applied", "rejected"]
    never = str(uuid.uuid4())

    mine = outcomes(anouk, [note["id"], late["id"], never])
    assert mine[note["id"]] == {"mutation_id": note["id"], "outcome": "applied", "code": None}
    assert mine[late["id"]] == {"mutation_id": late["id"], "outcome": "refused", "code": "case-closed"}
    assert mine[never] == {"mutation_id": never, "outcome": "unknown", "code": None}
    # Another user learns nothing about anouk's mutations, not even that they exist.
    theirs = outcomes(bram, [note["id"], late["id"]])
    assert {o["outcome"] for o in theirs.values()} == {"unknown"}


def test_outcome_route_never_carries_object_content(service, workers):
    anouk = workers("anouk")
    case_id = case_of(service, "anouk")
    note = mutation("journal.add", {"case_id": case_id, "entry_id": "o-3", "text": "Inhoud blijft thuis."})
    anouk.push(note)
    response = anouk.http.post(f"{API}/sync/outcomes", json={"mutation_ids": [note["id"]]})
    assert "Inhoud" not in response.text and case_id not in response.text
    assert set(response.json()["outcomes"][0]) == {"mutation_id", "outcome", "code"}


def test_outcome_route_refuses_bad_input_and_strangers(service, workers):
    anouk = workers("anouk")
    for body in (
        {"mutation_ids": []},
        {"mutation_ids": ["x"] * 501},
        {"mutation_ids": ["x" * 101]},
        {"mutation_ids": ["a"], "extra": 1},
    ):
        response = anouk.http.post(f"{API}/sync/outcomes", json=body)
        assert response.status_code in (400, 422) and response.json()["code"] == "invalid-request"
    anouk.http.headers.pop("Authorization")
    assert anouk.http.post(f"{API}/sync/outcomes", json={"mutation_ids": ["a"]}).status_code == 401


def test_outcome_route_answers_a_full_batch_in_order_with_repeats(service, workers):
    # One query for the whole batch (not one per id): every id is answered once per time it was
    # asked, in the order asked, up to the most a request may carry.
    anouk = workers("anouk")
    note = mutation("journal.add", {"case_id": case_of(service, "anouk"), "entry_id": "o-4", "text": "Eén."})
    anouk.push(note)
    unknown = [str(uuid.uuid4()) for _ in range(497)]
    ids = [unknown[0], note["id"], *unknown[1:], note["id"], unknown[0]]
    response = anouk.http.post(f"{API}/sync/outcomes", json={"mutation_ids": ids})
    assert response.status_code == 200, response.text
    answers = response.json()["outcomes"]
    assert [a["mutation_id"] for a in answers] == ids
    assert [a["outcome"] for a in answers].count("applied") == 2
    assert answers[1] == answers[-2] == {"mutation_id": note["id"], "outcome": "applied", "code": None}
