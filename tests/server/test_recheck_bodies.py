"""Re-check of issue 13 item 9 on the routes the issues added (wipe-ack with its count, key-unlock,
outcomes): odd bodies get a 400-class problem, never a 500, and change nothing."""

from __future__ import annotations

import json

from tests.service_fixtures import API, enrolled_client, plain_client

ODD_COUNTS = [-1, 10**20, 1.5, "3", True, [], {}, 2**63]
JSON = {"content-type": "application/json"}


def _device_row(service, username):
    return (
        service.db.conn()
        .execute(
            "SELECT id, revoked_at, wiped_at FROM devices WHERE user_id = ? ORDER BY enrolled_at DESC",
            (service.user_id(username),),
        )
        .fetchone()
    )


def test_issue13_item9_odd_bodies_on_the_new_routes_are_refused_and_change_nothing(service_factory):
    service = service_factory()
    with enrolled_client(service, "eva", login=True) as device:
        for count in ODD_COUNTS:
            response = device.post(f"{API}/devices/wipe-ack", json={"unsent_changes": count})
            assert response.status_code in (400, 422), (count, response.text)
            assert response.headers["content-type"] == "application/problem+json"
        for raw in (b"not json", b"[1]", b"\xff\xfe", b"[" * 5000 + b"]" * 5000):
            response = device.post(f"{API}/devices/wipe-ack", content=raw, headers={"content-type": "application/json"})
            assert response.status_code in (400, 422), (raw[:10], response.text)
        assert _device_row(service, "eva")["revoked_at"] is None  # no odd body retired the device
        for body in (
            {"mutation_ids": [1]},
            {"mutation_ids": None},
            {"mutation_ids": "abc"},
            {"mutation_ids": ["\ud800"]},
            [["a"]],
        ):
            response = device.post(f"{API}/sync/outcomes", content=json.dumps(body), headers=JSON)
            assert response.status_code in (400, 422), (body, response.text)
        device_id = _device_row(service, "eva")["id"]
    with plain_client(service) as outsider:
        for body in (
            {"device_id": device_id, "username": "eva", "password": 1},
            {"device_id": device_id, "username": "eva", "password": "x" * 5000},
            {"device_id": "x" * 65, "username": "eva", "password": "p"},
            {"device_id": device_id, "username": "eva\ud800", "password": "p"},
            {"device_id": device_id, "username": "eva", "password": "p", "extra": 1},
            {"device_id": device_id, "username": "eva"},
        ):
            response = outsider.post(f"{API}/devices/key-unlock", content=json.dumps(body), headers=JSON)
            assert response.status_code in (400, 422), (body, response.text)
    assert (
        service.db.conn()
        .execute("SELECT failed_logins FROM users WHERE id = ?", (service.user_id("eva"),))
        .fetchone()[0]
        == 0
    )
    with enrolled_client(service, "eva") as device:  # a well-formed count is kept in the audit
        assert device.post(f"{API}/devices/wipe-ack", json={"unsent_changes": 7}).status_code == 204
        wiped_at = _device_row(service, "eva")["wiped_at"]
        # a second acknowledgement (a retry, or a stolen revoked certificate) rewrites nothing
        assert device.post(f"{API}/devices/wipe-ack", json={"unsent_changes": 0}).status_code == 204
    [wiped] = [e for e in service.audit_entries("device") if e["action"] == "device-wiped"]
    assert '"unsent_changes": 7' in wiped["detail"]
    assert _device_row(service, "eva")["wiped_at"] == wiped_at
