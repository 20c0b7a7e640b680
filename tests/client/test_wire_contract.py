"""The client's decoder (desktop/wire.py) and the contract (docs/openapi.json) say the same thing.

Three directions, each of which fails when the two drift apart:
- every page, push answer and outcomes answer the schema allows is decoded (generated from the
  schema's own components: boundaries, optional members left out, unknown members added where
  the schema allows them);
- what the schema forbids in the fields the client reads (a missing field, another JSON type, a
  value outside an enum, an unknown upsert kind) is refused with `FeedError`;
- every field the client reads exists in the schema, required and non-null where the client
  requires it, with a JSON type the client accepts.
The service side of the same file is proven by Schemathesis (tests/server/test_contract_openapi.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop import wire

DOCUMENT = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text(encoding="utf-8"))
SCHEMAS = DOCUMENT["components"]["schemas"]
EXAMPLES = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
UTC = dt.timezone.utc


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMAS[node["$ref"].rsplit("/", 1)[1]]
    return node


# --- values the schema allows, from the schema ---------------------------------------------------
def _string(node: dict) -> st.SearchStrategy:
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if node.get("format") == "date-time":
        return st.datetimes(timezones=st.just(UTC)).map(
            lambda moment: moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
        )
    if node.get("format") == "date":
        return st.dates().map(dt.date.isoformat)
    if "pattern" in node:  # ECMA-262: \d is ASCII, and $ is the end (never before a last newline)
        return st.from_regex(re.compile(node["pattern"].removesuffix("$") + r"\Z", re.ASCII), fullmatch=True)
    low, high = node.get("minLength", 0), node.get("maxLength")
    text = st.text(min_size=low, max_size=min(high or 20, low + 20))
    return st.one_of(text, st.just("x" * high)) if high else text  # the longest allowed, too


def _integer(node: dict) -> st.SearchStrategy:
    low, high = node.get("minimum", -(2**63)), node.get("maximum", 2**63 - 1)
    return st.one_of(st.sampled_from([low, high]), st.integers(low, high))


def _object(node: dict) -> st.SearchStrategy:
    properties, required = node.get("properties", {}), set(node.get("required", ()))
    if not properties:  # a map: capabilities, team_queue_email, a result's `current`
        values = node.get("additionalProperties", True)
        keys = from_schema({"type": "string", **node.get("propertyNames", {})})
        items = from_schema(values) if isinstance(values, dict) else st.one_of(st.none(), st.integers(), st.text())
        return st.dictionaries(keys, items, max_size=3)
    fields = {name: from_schema(sub) for name, sub in properties.items()}
    chosen = st.fixed_dictionaries(
        {n: s for n, s in fields.items() if n in required},
        optional={n: s for n, s in fields.items() if n not in required},
    )
    if node.get("additionalProperties", True) is False:
        return chosen
    # An open object may grow members the client does not know: it must ignore them.
    return st.tuples(chosen, st.booleans()).map(lambda pair: {**pair[0], "added_later": 1} if pair[1] else pair[0])


def from_schema(node: dict) -> st.SearchStrategy:
    node = _resolve(node)
    if "anyOf" in node:
        return st.one_of([from_schema(branch) for branch in node["anyOf"]])
    kind = node.get("type", "string" if "enum" in node else None)
    if kind == "object" or (kind is None and "properties" in node):
        return _object(node)
    if kind == "array":
        return st.lists(from_schema(node.get("items", {})), max_size=min(node.get("maxItems", 2), 2))
    if kind == "string":
        return _string(node)
    if kind == "integer":
        return _integer(node)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind is None and not node:  # any value
        return st.one_of(st.none(), st.integers(), st.text(max_size=5))
    raise AssertionError(f"the test's generator does not know this schema: {node}")


def validator(component: str):
    return jsonschema_rs.validator_for(
        {"$ref": f"#/components/schemas/{component}", "components": DOCUMENT["components"]}, validate_formats=True
    )


PAGE, PUSH, OUTCOMES = validator("FeedPage"), validator("PushOut"), validator("OutcomesOut")


def _unique_results(answer: dict) -> dict:
    """One result per mutation sent: the one rule of the push answer a JSON schema cannot say."""
    seen = {}
    for result in answer["results"]:
        seen.setdefault(result["id"], result)
    return {**answer, "results": list(seen.values())}


# --- what the schema allows is decoded -----------------------------------------------------------
@EXAMPLES
@given(from_schema({"$ref": "#/components/schemas/FeedPage"}))
def test_every_page_the_schema_allows_is_decoded(page):
    assert PAGE.is_valid(page), [str(e) for e in PAGE.iter_errors(page)]
    assert wire.check_page(page) is page


@EXAMPLES
@given(from_schema({"$ref": "#/components/schemas/PushOut"}).map(_unique_results))
def test_every_push_answer_the_schema_allows_is_decoded(answer):
    assert PUSH.is_valid(answer)
    sent = {result["id"] for result in answer["results"]}
    assert wire.check_push_answer(answer, sent) == answer["results"]


@EXAMPLES
@given(from_schema({"$ref": "#/components/schemas/OutcomesOut"}))
def test_every_outcomes_answer_the_schema_allows_is_decoded(answer):
    assert OUTCOMES.is_valid(answer)
    asked = {item["mutation_id"] for item in answer["outcomes"]}
    assert set(wire.check_outcomes(answer, asked)) == asked


# --- what the schema forbids is refused ----------------------------------------------------------
def _first(page: dict, kind: str) -> dict | None:
    objects = page["upserts"][kind]
    return objects[0] if objects else None


PAGE_BREAKS = {
    "cursor missing": lambda page: page.pop("cursor"),
    "cursor empty": lambda page: page.update(cursor=""),
    "has_more not a boolean": lambda page: page.update(has_more="false"),
    "an unknown upsert kind": lambda page: page["upserts"].update(notes=[]),
    "upserts not an object": lambda page: page.update(upserts=[]),
    "removals not a list": lambda page: page.update(removals={}),
    "a removal of an unknown type": lambda page: page["removals"].append({"type": "note", "id": "n-1"}),
    "a case status outside the enum": lambda page: (
        _first(page, "cases") and _first(page, "cases").update(status="archived")
    ),
    "a task status outside the enum": lambda page: (
        _first(page, "tasks") and _first(page, "tasks").update(status="parked")
    ),
    "a case without id": lambda page: _first(page, "cases") and _first(page, "cases").pop("id"),
    "a task version as text": lambda page: _first(page, "tasks") and _first(page, "tasks").update(version="3"),
    "a case version below zero": lambda page: _first(page, "cases") and _first(page, "cases").update(version=-1),
    "a team without members": lambda page: _first(page, "teams") and _first(page, "teams").pop("members"),
    "a colleague's team ids not a list": lambda page: (
        _first(page, "colleagues") and _first(page, "colleagues").update(team_ids="t")
    ),
    "an empty id": lambda page: _first(page, "case_types") and _first(page, "case_types").update(id=""),
}


@pytest.mark.parametrize("why", sorted(PAGE_BREAKS))
@settings(EXAMPLES, max_examples=10)  # per kind of break: every one is exercised
@given(page=from_schema({"$ref": "#/components/schemas/FeedPage"}))
def test_a_page_the_schema_forbids_is_refused(page, why):
    broken = json.loads(json.dumps(page))
    PAGE_BREAKS[why](broken)
    assume(broken != page)  # a page with nothing of that kind to break is drawn again
    assert not PAGE.is_valid(broken), f"the schema allows {why}"
    with pytest.raises(wire.FeedError):
        wire.check_page(broken)


PUSH_BREAKS = {
    "results missing": lambda answer: answer.pop("results"),
    "a status outside the enum": lambda answer: answer["results"][0].update(status="maybe"),
    "a result without id": lambda answer: answer["results"][0].pop("id"),
    "a code not text": lambda answer: answer["results"][0].update(code=7),
    "held_by not a person": lambda answer: answer["results"][0].update(held_by="someone"),
    "current not an object": lambda answer: answer["results"][0].update(current=[]),
}


@EXAMPLES
@given(
    from_schema({"$ref": "#/components/schemas/PushOut"}).map(_unique_results).filter(lambda a: a["results"]),
    st.sampled_from(sorted(PUSH_BREAKS)),
)
def test_a_push_answer_the_schema_forbids_is_refused(answer, why):
    sent = {result["id"] for result in answer["results"]}
    PUSH_BREAKS[why](answer)
    assert not PUSH.is_valid(answer), f"the schema allows {why}"
    with pytest.raises(wire.FeedError):
        wire.check_push_answer(answer, sent)


@pytest.mark.parametrize(
    "answer",
    [
        {},
        {"outcomes": {}},
        {"outcomes": [{"mutation_id": "m-1", "outcome": "perhaps", "code": None}]},
        {"outcomes": [{"outcome": "applied", "code": None}]},
        {"outcomes": [{"mutation_id": "m-1", "outcome": "refused", "code": 409}]},
    ],
    ids=["no outcomes", "not a list", "outside the enum", "no id", "code not text"],
)
def test_an_outcomes_answer_the_schema_forbids_is_refused(answer):
    assert not OUTCOMES.is_valid(answer)
    with pytest.raises(wire.FeedError):
        wire.check_outcomes(answer, {"m-1"})


# --- every field the client reads is in the schema, with a type the client accepts ---------------
READS = [
    ("Case", wire.CASE_FIELDS),
    ("Task", wire.TASK_FIELDS),
    ("Team", wire.TEAM_FIELDS),
    ("Named", wire.CASE_TYPE_FIELDS),
    ("Colleague", wire.COLLEAGUE_FIELDS),
    ("SessionOut", wire.SESSION_FIELDS),
]
ONE_OF_EACH_TYPE = {"string": "x", "integer": 1, "boolean": True, "array": [], "object": {}, "number": 1.5}


def _json_types(node: dict) -> set[str]:
    node = _resolve(node)
    if "anyOf" in node:
        return set().union(*(_json_types(branch) for branch in node["anyOf"]))
    if "type" in node:
        return {node["type"]}
    return {"string"} if "enum" in node else set(ONE_OF_EACH_TYPE) | {"null"}


@pytest.mark.parametrize("component, fields", READS, ids=[name for name, _ in READS])
def test_every_field_the_client_reads_is_in_the_schema_with_its_type(component, fields):
    schema = SCHEMAS[component]
    assert set(wire.UPSERT_KINDS) == set(SCHEMAS["Upserts"]["properties"]), "the upsert kinds"
    for name, check in fields:
        assert name in schema["properties"], f"the client reads {component}.{name}, which the schema does not have"
        allowed = _json_types(schema["properties"][name])
        if not check(None):  # the client requires it: the schema must promise it
            assert name in schema["required"] and "null" not in allowed, f"{component}.{name} may be missing or null"
        for json_type, value in ONE_OF_EACH_TYPE.items():
            if json_type not in allowed and not (json_type == "integer" and "number" in allowed):
                assert not check(value), (
                    f"the client takes a {json_type} for {component}.{name}; the schema says {allowed}"
                )
