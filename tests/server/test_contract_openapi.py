"""The wire contract: docs/openapi.json is what the service serves, follows the API Design Rules we
claim, and is proven by a tool we did not write (Schemathesis) against the live service over
mutual TLS, with zero findings.

The Schemathesis runs are bounded (a fixed number of examples per operation, a fixed seed,
deterministic generation) and split so that one run cannot end the next one's session: the work
routes as a medewerker, the administration routes as a local administrator, and the routes that
end a session or retire a device (logout, password change, wipe acknowledgement, revocation) as
the helpdesk with a throw-away device of its own. The lockout threshold is raised so that fuzzed wrong passwords
never lock the account midway (the request throttles are already raised for tests).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from server_stub import contract
from server_stub.openapi_export import DEFAULT_PATH, render
from tests.service_fixtures import API, enrolled_client, plain_client

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)
EXAMPLES = 5
# Routes that end the caller's session or retire its device: one run of their own, last in line
# (Schemathesis learns real device ids from GET /admin/devices and revokes its own device).
SESSION_ENDERS = r"^/api/v1/(sessions/current|password|devices/wipe-ack|admin/devices/[^/]+/revoke)$"


def _resolve(document: dict, item: dict) -> dict:
    while "$ref" in item:
        node = document
        for part in item["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        item = node
    return item


def _document() -> dict:
    return json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))


def test_the_committed_file_is_what_the_service_describes():
    assert DEFAULT_PATH.read_text(encoding="utf-8") == render(), (
        "docs/openapi.json drifted from the service: run python -m server_stub.openapi_export"
    )


# --- the API Design Rules (Logius) we follow; the ones we do not are in docs/API.md ------------
def test_the_document_follows_the_api_design_rules():
    document = _document()
    info = document["info"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", info["version"]), "API-56: info.version is semver"
    assert info["contact"]["name"] and info["contact"]["url"], "info.contact"
    assert document["servers"] and document["servers"][0]["url"].startswith("https://")
    assert document["openapi"].startswith("3."), "OpenAPI 3"
    assert all(path.startswith("/api/v1/") for path in document["paths"]), "API-20: major version in the path"
    schemes = document["components"]["securitySchemes"]
    assert schemes["deviceCertificate"]["type"] == "mutualTLS"
    assert schemes["bearerToken"] == {**schemes["bearerToken"], "type": "http", "scheme": "bearer"}
    for path, operations in document["paths"].items():
        literal = [part for part in path.split("/") if part and not part.startswith("{")]
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", part) for part in literal), (
            f"kebab-case path segments: {path}"
        )
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert "security" in operation, where
            assert re.fullmatch(r"[a-z]+([A-Z][a-z0-9]*)*", operation["operationId"]), where
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    assert re.fullmatch(r"[a-z]+([A-Z][a-z0-9]*)*", parameter["name"]), f"camelCase query: {where}"
            for status, answer in operation["responses"].items():
                answer = _resolve(document, answer)
                headers = answer.get("headers", {})
                assert contract.API_VERSION_HEADER in headers, f"API-57 API-Version on {status} of {where}"
                if int(status) >= 400:
                    assert list(answer["content"]) == ["application/problem+json"], f"problem+json: {status} {where}"
                assert status != "422" or path == "/api/v1/password", f"422 only for the password policy: {where}"
    problem = document["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code"} <= set(problem["required"])
    codes = document["components"]["schemas"]["ProblemCode"]["enum"]
    assert "cursor-expired" in codes and "HTTPValidationError" not in document["components"]["schemas"]


# --- Schemathesis against the live service ---------------------------------------------------
def _schemathesis(service, client, tmp_path: Path, *filters: str) -> subprocess.CompletedProcess:
    token = client.headers["authorization"]
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "run",
        str(DEFAULT_PATH),
        "--url",
        service.url,
        "--tls-verify",
        str(service.ca_path),
        "--request-cert",
        str(client.cert_path),
        "--request-cert-key",
        str(client.key_path),
        "-H",
        f"Authorization: {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(EXAMPLES),
        "--generation-deterministic",
        "--workers",
        "1",
        "--phases",
        "examples,coverage,fuzzing",
        "--no-color",
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "30",
        *filters,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)


@pytest.fixture
def contract_service(service_factory):
    # Fuzzed wrong passwords must not lock the account midway (seed L4's threshold is 10).
    return service_factory(config_changes={"lockout_threshold": 1_000_000})


def test_the_live_service_serves_the_file(contract_service):
    with enrolled_client(contract_service, "anouk", login=True) as client:
        response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.headers[contract.API_VERSION_HEADER] == contract.API_VERSION
    assert response.json() == _document()


def test_even_an_unexpected_error_says_its_version(service, monkeypatch):
    from server_stub.routes import health

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(health, "utc_now", broken)
    with plain_client(service) as client:
        response = client.get(f"{API}/health")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal-error"
    assert response.headers[contract.API_VERSION_HEADER] == contract.API_VERSION


@pytest.mark.parametrize(
    "username, filters",
    [
        ("anouk", ("--exclude-path-regex", r"^/api/v1/admin/|" + SESSION_ENDERS)),
        ("gerrit", ("--include-path-regex", r"^/api/v1/admin/", "--exclude-path-regex", SESSION_ENDERS)),
        ("hanna", ("--include-path-regex", SESSION_ENDERS)),
    ],
    ids=["work", "admin", "session-enders"],
)
def test_schemathesis_finds_nothing(contract_service, tmp_path, username, filters):
    with enrolled_client(contract_service, username, login=True) as client:
        run = _schemathesis(contract_service, client, tmp_path, *filters)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]


def test_the_enums_are_the_services_own_lists():
    """The document's lists come from the contract; these are the lists the service decides by."""
    from typing import get_args

    from server_stub import mutations, rules

    assert {kind.value for kind in contract.MutationKind} == set(mutations.KINDS)
    codes = {code.value for code in contract.MutationCode} | {code.value for code in contract.ReasonCode}
    assert set(mutations.DETAILS) <= codes, "a refusal the service explains is missing from the contract"
    outcome = contract.Case.model_fields["outcome"].annotation
    assert set(get_args(get_args(outcome)[0])) == set(rules.OUTCOMES)
