"""Helpers for the work and sync tests: a signed-in client per user, pushes and full pulls."""

from __future__ import annotations

import uuid

from tests.service_fixtures import API, enrolled_client


def mutation(kind: str, payload: dict, base_version: int | None = None, mutation_id: str | None = None) -> dict:
    body = {"id": mutation_id or str(uuid.uuid4()), "kind": kind, "payload": payload}
    if base_version is not None:
        body["base_version"] = base_version
    return body


class Worker:
    """One user on one enrolled device, signed in, with the cursor of its last pull."""

    def __init__(self, service, username: str):
        self.service = service
        self.username = username
        self.user_id = service.user_id(username)
        self.http = enrolled_client(service, username, login=True)
        self.cursor: str | None = None

    def close(self) -> None:
        self.http.close()

    def push(self, *mutations: dict, offline_reads: list | None = None) -> list[dict]:
        body = {"mutations": list(mutations)}
        if offline_reads is not None:
            body["offline_reads"] = offline_reads
        response = self.http.post(f"{API}/sync/push", json=body)
        assert response.status_code == 200, response.text
        return response.json()["results"]

    def push_one(self, kind: str, payload: dict, base_version: int | None = None) -> dict:
        return self.push(mutation(kind, payload, base_version))[0]

    def pull(self, wait: float = 0, limit: int | None = None) -> dict:
        params = {}
        if self.cursor is not None:
            params["cursor"] = self.cursor
        if wait:
            params["wait"] = wait
        if limit:
            params["limit"] = limit
        response = self.http.get(f"{API}/sync/changes", params=params, timeout=wait + 10)
        assert response.status_code == 200, response.text
        page = response.json()
        self.cursor = page["cursor"]
        return page

    def pull_all(self, limit: int | None = None) -> dict:
        """Every page until has_more is false, merged: {"cases": {id: case}, ..., "removals": [...]}."""
        merged = {
            "cases": {},
            "tasks": {},
            "teams": {},
            "preferences": [],
            "organisation": [],
            "colleagues": [],
            "case_types": [],
            "removals": [],
            "pages": 0,
        }
        while True:
            page = self.pull(limit=limit)
            merged["pages"] += 1
            for kind in ("cases", "tasks", "teams"):
                for obj in page["upserts"][kind]:
                    merged[kind][obj["id"]] = obj
            for kind in ("preferences", "organisation", "colleagues", "case_types"):
                if page["upserts"][kind]:
                    merged[kind] = page["upserts"][kind]
            merged["removals"] += page["removals"]
            if not page["has_more"]:
                return merged


def worker_pool(service):
    """For a fixture: `yield from worker_pool(service)` gives workers(username) -> a logged-in
    Worker over its own enrolled device (one per username), all closed afterwards."""
    made: dict[str, Worker] = {}

    def get(username: str) -> Worker:
        if username not in made:
            made[username] = Worker(service, username)
        return made[username]

    yield get
    for worker in made.values():
        worker.close()


def one(service, sql: str, *args):
    """The first column of the first row of a query on the service's database (for set-up)."""
    row = service.db.conn().execute(sql, args).fetchone()
    assert row is not None, "no demo data matches: " + sql
    return row[0]


def case_of(
    service,
    coordinator: str,
    *,
    excluding: tuple[str, ...] = (),
    status: str = "open",
    case_types: tuple[str, ...] | None = None,
    with_closed_step: bool = False,
) -> str:
    """A demo case coordinated by `coordinator` in which none of `excluding` is a member."""
    conn = service.db.conn()
    coord = service.user_id(coordinator)
    others = [service.user_id(u) for u in excluding]
    for case_id, case_type in conn.execute(
        "SELECT id, case_type_id FROM cases WHERE coordinator_id = ? AND status = ? ORDER BY number", (coord, status)
    ):
        if case_types is not None and case_type not in case_types:
            continue
        supporters = {r[0] for r in conn.execute("SELECT user_id FROM case_supporters WHERE case_id = ?", (case_id,))}
        if supporters & set(others):
            continue
        if (
            with_closed_step
            and not conn.execute(
                "SELECT 1 FROM case_steps WHERE case_id = ? AND status = 'closed'", (case_id,)
            ).fetchone()
        ):
            continue
        return case_id
    raise AssertionError("no demo case matches")
