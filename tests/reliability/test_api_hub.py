"""Bad input against the chain APIs: Schemathesis on the hub's and the node's OpenAPI.

Each operation of ``/openapi.json`` gets generated requests, valid and invalid
(Schemathesis' coverage phase, then fuzzing), sent to the app in this process: as
an organisation with a real token, and without one. Every response must be
documented (status, content type, body), no request may cause a 5xx, every error
is the one JSON shape (:class:`ErrorOut`), and a personal value planted in a
request body never comes back in an error. Derandomized: the same cases each run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.hub import matches as match_ops
from ketenbeeld.signals.hub.admin import authenticate, create_organisation
from ketenbeeld.signals.hub.api import create_app as hub_app
from ketenbeeld.signals.hub.http_errors import ErrorOut
from ketenbeeld.signals.hub.service import Hub, SignalIn, hub_config
from ketenbeeld.signals.node import HubClient, Node
from ketenbeeld.signals.node.api import create_app as node_app
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import make_engine

MAX_EXAMPLES = 5
"""Fuzzed cases per operation and generation mode (valid, invalid), after the
coverage phase's boundary and type cases (5 to 90 per operation)."""

SEED = 20260331
KEY = bytes(range(32))
SENTINEL = "Fenna Sentinelsma"
"""A made-up name planted in request bodies; no error may contain it."""

PERSON = {
    "first_name": "Noor",
    "last_name": "Testpersoon",
    "date_of_birth": "14-02-2008",
    "postcode": "7411 AB",
    "house_number": "12",
}

# The response checks. positive_data_acceptance is left out: what the domain checks
# beyond the schema (an encoding of the hub's bit length, a date not in the future)
# answers valid-looking input with a documented 422.
CHECKS = (
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
)

CODE_STATUS = {
    "invalid": {422},
    "unauthorized": {401},
    "forbidden": {403},
    "csrf": {403},
    "not_found": {404},
    "method_not_allowed": {405},
    "conflict": {409},
    "storage": {503},
}


def st_config(*, max_examples: int = MAX_EXAMPLES, coverage: bool = True) -> schemathesis.Config:
    """Deterministic generation with a fixed seed; no example database on disk.

    Extra query parameters are not generated as invalid input (the APIs ignore them,
    as HTTP APIs do); unknown *body* fields are tested by :func:`call_and_check`.
    Security parameters are left to the caller: a real token, or none.
    """
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
                "mode": "all",
                "allow-extra-parameters": False,
                "with-security-parameters": False,
            },
            "phases": {
                # One method the paths do not have, not all seven, per operation.
                "coverage": {"enabled": coverage, "unexpected-methods": ["patch"]},
                "stateful": {"enabled": False},
            },
        }
    )


def error_shape(_: object, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """Every 4xx and 5xx is the one error shape, with a code that fits the status."""
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == "application/json", (response.status_code, content_type)
    error = ErrorOut.model_validate_json(response.content).error
    assert response.status_code in CODE_STATUS.get(error.code, set()), (error.code, response.text)
    if response.status_code == 422:
        assert error.problems, f"a 422 names the fields that were wrong: {response.text}"


def no_echo(response: schemathesis.Response | httpx.Response) -> None:
    """An error does not contain the sentinel (in any case, or its surname alone)."""
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert "sentinelsma" not in response.text.lower(), response.text


def _codes(spec: object) -> set[str]:
    """Every value an ``enum`` of the OpenAPI document allows."""
    if isinstance(spec, list):
        return set().union(*(_codes(item) for item in spec)) if spec else set()
    if not isinstance(spec, dict):
        return set()
    found = {v for v in spec.get("enum", []) if isinstance(v, str)}
    return found.union(*(_codes(v) for k, v in spec.items() if k != "enum"))


def planted(body: object, keep: set[str]) -> object:
    """``body`` with :data:`SENTINEL` for every string that is not a vocabulary code."""
    if isinstance(body, str):
        return body if body in keep else SENTINEL
    if isinstance(body, dict):
        return {key: planted(value, keep) for key, value in body.items()}
    if isinstance(body, list):
        return [planted(value, keep) for value in body]
    return body


def call_and_check(case: schemathesis.Case, **kwargs: Any) -> schemathesis.Response:
    """Send ``case`` and run the checks; a fuzzed JSON object body is sent twice more.

    Once with :data:`SENTINEL` for each string (vocabulary codes kept, so the
    request gets as far as it did), once with an unknown field ``naam`` holding it:
    the first must not echo it, the second is refused naming the field only.
    """
    checks = list(CHECKS)
    response = case.call_and_validate(checks=checks, additional_checks=[error_shape], **kwargs)
    assert response.status_code < 500, response.text
    fuzzed = case.meta is not None and case.meta.phase.name.value == "fuzzing"
    if fuzzed and isinstance(case.body, dict) and response.status_code != 401:
        keep = _codes(case.operation.schema.raw_schema)
        no_echo(case.call(json=planted(case.body, keep), **kwargs))
        extra = case.call(json={**case.body, "naam": SENTINEL}, **kwargs)
        no_echo(extra)
        assert extra.status_code == 422, extra.text
        assert {"field": "naam", "message": "is not allowed here"} in extra.json()["error"][
            "problems"
        ]
    return response


class InProcessHub(httpx.BaseTransport):
    """A node's HTTP transport to a hub app in this process (no port, no thread)."""

    def __init__(self, app: Any) -> None:
        self._client = TestClient(app, base_url="http://hub.test")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self._client.request(
            request.method, str(request.url), headers=dict(request.headers), content=request.read()
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


@dataclass
class Chain:
    """A hub with organisations A (with its node) and B; one match between them."""

    hub_app: Any
    token: str
    node: Node
    ids: dict[str, object]
    encoding: dict[str, object]


def make_chain(engine: Any) -> Chain:
    """Register one synthetic person at A (through its node) and at B: one match.

    A's node keeps its signals in the hub's database (other tables), so one
    migrated database serves the run.
    """
    hub = Hub(engine, hub_config("dutch-person", 0.8))
    app = hub_app(hub)
    encoder = Encoder(load_schema("dutch-person"), KEY)
    token = create_organisation(engine, "zorg-a", "Zorg A", "zorg", actor="test")
    client = HubClient("http://hub.test", token, transport=InProcessHub(app))
    node = Node(engine, client, encoder, actor="node:zorg-a")
    own = node.register(PERSON, category="possible_victim", legal_basis="jeugdwet", contact_ref="A")
    other = create_organisation(engine, "politie-b", "Politie B", "politie", actor="test")
    (record,) = encoder.encode([{"id": "b-1", **PERSON}], source="b").records
    signal = SignalIn(
        clk=record.to_json()["clk"],
        schema=record.schema,
        category="at_risk",
        legal_basis="wpg",
        contact_ref="Team B",
    )
    (match_id,) = hub.register(authenticate(hub, other, "test"), signal).match_ids
    (notice,) = match_ops.inbox(hub, authenticate(hub, token, "test"))
    ids = {"signal_id": own.signal.hub_signal_id, "match_id": match_id, "item_id": notice.id}
    real = {"clk": signal.clk, "schema": signal.schema, "contact_ref": "Team A"}
    return Chain(app, token, node, ids, real)


@pytest.fixture
def chain(db: Any) -> Iterator[Chain]:
    """The chain with the hub on each backend."""
    made = make_chain(db.engine)
    yield made
    made.node.client.close()


@pytest.fixture
def sqlite_chain(tmp_path: Path) -> Iterator[Chain]:
    """The chain on SQLite, for the runs whose outcome the backend cannot change."""
    engine = make_engine(f"sqlite:///{tmp_path / 'chain.db'}")
    made = make_chain(engine)
    yield made
    made.node.client.close()
    engine.dispose()


def with_real_values(
    schema: Any, ids: dict[str, object], body: dict[str, object] | None = None
) -> Any:
    """Let valid generated values be, now and then, real ones the domain accepts.

    A path id that matches its pattern may become a real object's id, and a body
    whose ``body`` fields are strings may get the real values (an encoding of the
    hub's length, a person with a date of birth, a printable contact): the schema
    cannot say all the domain checks, so without them registrations and the success
    and conflict paths (200, 201, 204, 409) would hardly be reached. Only values of
    a valid type are swapped, so an invalid case stays invalid.
    """

    def flatmap_path_parameters(context: Any, parameters: dict[str, Any] | None) -> Any:
        swaps = [
            {**parameters, name: ids[name]}
            for name, value in (parameters or {}).items()
            if name in ids and _valid(context.operation, name, value)
        ]
        return st.sampled_from([parameters, *swaps])

    def flatmap_body(context: Any, generated: Any) -> Any:
        fits = (
            isinstance(generated, dict)
            and body
            and all(_same_shape(generated.get(name), value) for name, value in body.items())
        )
        # Mostly the real values: the generated ones are hardly ever accepted.
        swapped = {**generated, **body} if fits else generated
        return st.sampled_from([swapped, swapped, generated])

    schema.hook(flatmap_path_parameters)
    if body:
        schema.hook(flatmap_body)
    return schema


def _same_shape(generated: object, real: object) -> bool:
    """A string for a string; for an object, an object of strings."""
    if isinstance(real, dict):
        return isinstance(generated, dict) and all(isinstance(v, str) for v in generated.values())
    return isinstance(generated, str)


def _valid(operation: Any, name: str, value: object) -> bool:
    definition = operation.get_parameter(name, "path").definition["schema"]
    if isinstance(value, str):
        return re.fullmatch(definition.get("pattern", ".*"), value) is not None
    low, high = definition.get("minimum", 1), definition.get("maximum", 2**63 - 1)
    return isinstance(value, int) and low <= value <= high


@pytest.fixture
def hub_schema(chain: Chain, db: Any) -> Any:
    # PostgreSQL's own failures (NUL bytes, lengths, integer ranges) come from the
    # coverage phase's boundary values; few fuzzed cases there keep the run short.
    config = st_config(max_examples=MAX_EXAMPLES if db.backend == "sqlite" else 3)
    schema = schemathesis.openapi.from_asgi("/openapi.json", chain.hub_app, config=config)
    return with_real_values(schema, chain.ids, chain.encoding)


@pytest.fixture
def anonymous_hub_schema(sqlite_chain: Chain) -> Any:
    config = st_config(max_examples=4, coverage=False)
    return schemathesis.openapi.from_asgi("/openapi.json", sqlite_chain.hub_app, config=config)


@pytest.fixture
def node_schema(sqlite_chain: Chain) -> Any:
    app = node_app(sqlite_chain.node, "zorg-a")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=st_config())
    ids = {"match_id": sqlite_chain.ids["match_id"]}
    return with_real_values(schema, ids, {"person": PERSON, "contact_ref": "Team A"})


hub = schemathesis.pytest.from_fixture("hub_schema")
anonymous_hub = schemathesis.pytest.from_fixture("anonymous_hub_schema")
node = schemathesis.pytest.from_fixture("node_schema")


@hub.parametrize()
def test_the_hub_answers_an_organisation_as_documented(case: schemathesis.Case, chain: Chain):
    call_and_check(case, headers={"Authorization": f"Bearer {chain.token}"})


@anonymous_hub.parametrize()
def test_the_hub_answers_no_one_without_a_token(case: schemathesis.Case):
    response = call_and_check(case)
    if case.path.startswith("/api/"):
        # A body FastAPI cannot parse is refused before the token is asked for.
        assert response.status_code in (401, 422), response.text


@node.parametrize()
def test_the_node_answers_as_documented(case: schemathesis.Case):
    call_and_check(case)


def test_every_documented_error_is_the_one_shape(sqlite_chain: Chain):
    """Every 4xx/5xx the documents declare is ErrorOut, not FastAPI's default."""
    for app in (sqlite_chain.hub_app, node_app(sqlite_chain.node, "zorg-a")):
        spec = TestClient(app).get("/openapi.json").json()
        errors = {
            (path, method, status): answer["content"]["application/json"]["schema"]
            for path, methods in spec["paths"].items()
            for method, operation in methods.items()
            for status, answer in operation["responses"].items()
            if int(status) >= 400
        }
        assert len(errors) >= 15
        shape = {"$ref": "#/components/schemas/ErrorOut"}
        assert [where for where, schema in errors.items() if schema != shape] == []
        assert "HTTPValidationError" not in json.dumps(spec)


def test_unknown_paths_and_methods_answer_in_the_one_shape(sqlite_chain: Chain):
    client = TestClient(sqlite_chain.hub_app)
    missing = client.get("/api/v1/nope")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    wrong = client.put("/api/v1/signals")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (405, "method_not_allowed")
    headers = {"Authorization": f"Bearer {sqlite_chain.token}", "Content-Type": "application/json"}
    for content, message in (
        (b"\x80", "cannot be parsed: send JSON in UTF-8"),
        (b'{"clk": ', "is not valid JSON"),
    ):
        refused = client.post("/api/v1/signals", content=content, headers=headers)
        assert refused.status_code == 422
        assert refused.json()["error"]["problems"] == [{"field": "body", "message": message}]


def test_bad_ids_and_numbers_are_refused_on_each_backend(chain: Chain):
    """Found here: on PostgreSQL these were 500s (NUL byte, an audit reference over 200
    characters, integers past int4); on SQLite past int8, and a NUL stored in node_ref."""
    client = TestClient(chain.hub_app, raise_server_exceptions=False)
    headers = {"Authorization": f"Bearer {chain.token}"}
    body = {"clk": "AAAA", "schema": "dutch-person/3", "category": "at_risk"}
    body |= {"legal_basis": "wpg", "contact_ref": "Team", "node_ref": "n-\x00"}
    for answer, field in (
        (client.get("/api/v1/signals/s-a%00b", headers=headers), "signal_id"),
        (client.get("/api/v1/signals/s-" + "x" * 300, headers=headers), "signal_id"),
        (client.post("/api/v1/matches/m-" + "x" * 300 + "/lead", headers=headers), "match_id"),
        (client.post(f"/api/v1/inbox/{2**31}/read", headers=headers), "item_id"),
        (client.get(f"/api/v1/signals?offset={2**63}", headers=headers), "offset"),
        (client.post("/api/v1/signals", json=body, headers=headers), "node_ref"),
    ):
        assert answer.status_code == 422, answer.text
        assert [p["field"] for p in answer.json()["error"]["problems"]] == [field]


def test_an_unexpected_failure_is_a_500_in_the_one_shape_without_its_text(
    sqlite_chain: Chain, caplog: pytest.LogCaptureFixture
):
    @sqlite_chain.hub_app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError(SENTINEL)

    answer = TestClient(sqlite_chain.hub_app, raise_server_exceptions=False).get("/api/v1/boom")
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal"
    assert SENTINEL not in answer.text and SENTINEL not in caplog.text
    assert "unexpected RuntimeError in GET /api/v1/boom" in caplog.text
