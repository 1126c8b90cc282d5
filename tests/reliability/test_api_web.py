"""Bad input against the web application's JSON API: Schemathesis on its OpenAPI.

The app runs in this process on a workspace with one coded case, users of each role
and a node whose hub (also in process) holds a match for the organisation. Each
operation of ``/openapi.json`` gets generated requests, valid and invalid: logged
in with a role that opens it (session cookie and CSRF header, as the pages use),
logged in with a role that does not, and anonymous. Every response must be
documented, no request may cause a 5xx, every error is the one JSON shape
(:class:`ErrorOut`), and a personal value planted in a request body never comes
back in an error. Derandomized: the same cases each run.

The helpers repeat those of test_api_hub.py: test modules do not import each other.
"""

from __future__ import annotations

import json
import re
import shutil
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

from ketenbeeld.accounts import create_user, log_in
from ketenbeeld.cases import import_cases, load_codebook, read_case_files
from ketenbeeld.online.cluster import cluster_ads
from ketenbeeld.online.ingest import ingest_ads, store_clusters, stored_ads
from ketenbeeld.online.synth import generate_ads, write_ads_jsonl
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.hub.admin import authenticate, create_organisation
from ketenbeeld.signals.hub.api import create_app as hub_app
from ketenbeeld.signals.hub.http_errors import ErrorOut
from ketenbeeld.signals.hub.service import Hub, SignalIn, hub_config
from ketenbeeld.signals.node import HubClient, Node
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import make_engine
from ketenbeeld.synth import generate_cohort, write_cohort_jsonl
from ketenbeeld.web import WebContext, create_app

MAX_EXAMPLES = 5
"""Fuzzed cases per operation and generation mode (valid, invalid), after the
coverage phase's boundary and type cases."""

SEED = 20260331
KEY = bytes(range(32))
PASSWORD = "correct horse battery"
ORG = "jeugdzorg-oost"
CASE_ID = "2019/OOST/03"
"""A case id of codebook 1 with '/', which it allows."""

SENTINEL = "Fenna Sentinelsma"
"""A made-up name planted in request bodies; no error may contain it."""

PERSON = {
    "first_name": "Noor",
    "last_name": "Testpersoon",
    "date_of_birth": "14-02-2008",
    "postcode": "7411 AB",
    "house_number": "12",
}

ROLE_OF_TAG = {
    "accounts": "professional",
    "signalen": "professional",
    "onderzoek": "analist",
    "online": "analist",
}
"""Who opens an operation's part of the application (by its OpenAPI tag)."""

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
    """Deterministic generation with a fixed seed; no example database on disk."""
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",
                "mode": "all",
                "allow-extra-parameters": False,
            },
            "phases": {
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
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert "sentinelsma" not in response.text.lower(), response.text


def _codes(spec: object) -> set[str]:
    if isinstance(spec, list):
        return set().union(*(_codes(item) for item in spec)) if spec else set()
    if not isinstance(spec, dict):
        return set()
    found = {v for v in spec.get("enum", []) if isinstance(v, str)}
    return found.union(*(_codes(v) for k, v in spec.items() if k != "enum"))


def planted(body: object, keep: set[str]) -> object:
    if isinstance(body, str):
        return body if body in keep else SENTINEL
    if isinstance(body, dict):
        return {key: planted(value, keep) for key, value in body.items()}
    if isinstance(body, list):
        return [planted(value, keep) for value in body]
    return body


def call_and_check(case: schemathesis.Case, **kwargs: Any) -> schemathesis.Response:
    """Send ``case`` and run the checks; a fuzzed JSON object body is sent twice more
    (strings replaced by the sentinel; an unknown field ``naam`` holding it)."""
    checks = list(CHECKS)
    response = case.call_and_validate(checks=checks, additional_checks=[error_shape], **kwargs)
    assert response.status_code < 500, response.text
    fuzzed = case.meta is not None and case.meta.phase.name.value == "fuzzing"
    if fuzzed and isinstance(case.body, dict) and response.status_code not in (401, 403):
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
    """The node's HTTP transport to a hub app in this process (no port, no thread)."""

    def __init__(self, app: Any) -> None:
        self._client = TestClient(app, base_url="http://hub.test")

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self._client.request(
            request.method, str(request.url), headers=dict(request.headers), content=request.read()
        )
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


@dataclass(frozen=True)
class Template:
    """A prepared workspace and hub database (argon2 makes users slow to create)."""

    folder: Path
    hub_token: str
    sessions: dict[str, tuple[str, str]]
    match_id: str


@dataclass
class Workspace:
    """The web app on a copy of the template, and a live session per role."""

    app: Any
    sessions: dict[str, tuple[str, str]]
    match_id: str

    def login(self, role: str) -> dict[str, Any]:
        """Transport arguments of a request by the user with ``role``."""
        token, csrf = self.sessions[role]
        return {"cookies": {"kb_session": token}, "headers": {"X-CSRF-Token": csrf}}


def _node(engine: Any, hub_engine: Any, token: str) -> Node:
    hub = Hub(hub_engine, hub_config("dutch-person", 0.8))
    hub.load()
    client = HubClient("http://hub.test", token, transport=InProcessHub(hub_app(hub)))
    return Node(engine, client, Encoder(load_schema("dutch-person"), KEY), actor=f"node:{ORG}")


def _import_case(engine: Any, folder: Path) -> None:
    """One synthetic coded case, with a case id holding '/'."""
    path = folder / "case.json"
    write_cohort_jsonl(generate_cohort(1, 5), path)
    document = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    document["case"]["case_id"] = CASE_ID
    path.write_text(json.dumps(document), encoding="utf-8")
    import_cases(engine, read_case_files([path], load_codebook()), actor="test")


def _cluster_ads(engine: Any, folder: Path, *, prefix: str = "", cluster: bool = True) -> None:
    """Synthetic ads, clustered (or not: then the queue cannot be built)."""
    path = folder / f"ads{prefix}.jsonl"
    ads = generate_ads(40, 5).ads
    for ad in ads:
        ad["ad_id"] = prefix + ad["ad_id"]
    write_ads_jsonl(ads, path)
    ingest_ads(engine, [path], actor="test")
    if cluster:
        store_clusters(engine, cluster_ads(stored_ads(engine)).cluster_of, actor="test")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    """The organisation's workspace (users, a case, a signal) and its hub with a match."""
    folder = tmp_path_factory.mktemp("web")
    engine = make_engine(f"sqlite:///{folder / 'workspace.db'}")
    hub_engine = make_engine(f"sqlite:///{folder / 'hub.db'}")
    token = create_organisation(hub_engine, ORG, "Jeugdzorg Oost", "jeugdzorg", actor="test")
    node = _node(engine, hub_engine, token)
    node.register(PERSON, category="possible_victim", legal_basis="jeugdwet", contact_ref="Team")
    node.client.close()
    hub = Hub(hub_engine, hub_config("dutch-person", 0.8))
    other = create_organisation(hub_engine, "politie-b", "Politie B", "politie", actor="test")
    (record,) = node.encoder.encode([{"id": "b-1", **PERSON}], source="b").records
    signal = SignalIn(record.to_json()["clk"], record.schema, "at_risk", "wpg", "Team B")
    (match_id,) = hub.register(authenticate(hub, other, "test"), signal).match_ids
    _import_case(engine, folder)
    _cluster_ads(engine, folder)
    sessions = {}
    for role in ("professional", "analist", "beheerder"):
        create_user(engine, username=role, password=PASSWORD, role=role, organisation=ORG, actor="")
        started = log_in(engine, role, PASSWORD, client="testclient")
        sessions[role] = (started.token, started.csrf_token)
    engine.dispose()
    hub_engine.dispose()
    return Template(folder, token, sessions, match_id)


@pytest.fixture
def workspace(template: Template, tmp_path: Path) -> Iterator[Workspace]:
    """A fresh copy of the template's databases for this test."""
    for name in ("workspace.db", "hub.db"):
        shutil.copyfile(template.folder / name, tmp_path / name)
    engine = make_engine(f"sqlite:///{tmp_path / 'workspace.db'}")
    hub_engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    node = _node(engine, hub_engine, template.hub_token)
    app = create_app(WebContext(engine, ORG, node=node, secure_cookies=False), warm_up=False)
    yield Workspace(app, template.sessions, template.match_id)
    node.client.close()
    engine.dispose()
    hub_engine.dispose()


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
def web_schema(workspace: Workspace) -> Any:
    schema = schemathesis.openapi.from_asgi("/openapi.json", workspace.app, config=st_config())
    ids = {"case_id": CASE_ID, "match_id": workspace.match_id}
    return with_real_values(schema, ids, {"person": PERSON, "contact_ref": "Team A"})


@pytest.fixture
def refused_web_schema(workspace: Workspace) -> Any:
    config = st_config(max_examples=3, coverage=False)
    return schemathesis.openapi.from_asgi("/openapi.json", workspace.app, config=config)


web = schemathesis.pytest.from_fixture("web_schema")
refused_web = schemathesis.pytest.from_fixture("refused_web_schema")


@web.parametrize()
def test_the_api_answers_a_user_with_the_right_role_as_documented(
    case: schemathesis.Case, workspace: Workspace
):
    (tag,) = case.operation.tags or ["accounts"]
    call_and_check(case, **workspace.login(ROLE_OF_TAG[tag]))


@refused_web.parametrize()
def test_the_api_refuses_anonymous_users_and_other_roles(
    case: schemathesis.Case, workspace: Workspace
):
    anonymous = call_and_check(case)
    # Unsafe methods meet the CSRF check first, whose token belongs to a session.
    assert anonymous.status_code in ((403, 422) if case.method == "POST" else (401, 422))
    if case.path != "/api/v1/me":
        other_role = call_and_check(case, **workspace.login("beheerder"))
        assert other_role.status_code in (403, 422), other_role.text


def test_every_documented_error_is_the_one_shape(workspace: Workspace):
    spec = TestClient(workspace.app).get("/openapi.json").json()
    errors = {
        (path, method, status): answer["content"]["application/json"]["schema"]
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
        for status, answer in operation["responses"].items()
        if int(status) >= 400
    }
    assert len(errors) >= 20
    shape = {"$ref": "#/components/schemas/ErrorOut"}
    assert [where for where, schema in errors.items() if schema != shape] == []
    assert "HTTPValidationError" not in json.dumps(spec)


def test_a_case_id_with_a_slash_is_found_and_bad_ids_are_refused(workspace: Workspace):
    client = TestClient(workspace.app)
    login = workspace.login("analist")
    client.cookies.update(login["cookies"])
    found = client.get(f"/api/v1/cases/{CASE_ID}")
    assert found.status_code == 200, found.text
    assert found.json()["case"]["case_id"] == CASE_ID
    assert client.get("/api/v1/cases/2019%2FOOST%2F03").json()["case"]["case_id"] == CASE_ID
    missing = client.get("/api/v1/cases/2019/OOST/99")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")
    for bad in ("a%00b", "x" * 101):
        refused = client.get(f"/api/v1/cases/{bad}")
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["problems"][0]["field"] == "case_id"


def test_match_ids_that_would_change_the_hubs_url_are_refused(workspace: Workspace):
    client = TestClient(workspace.app)
    client.cookies.update(workspace.login("professional")["cookies"])
    assert client.get(f"/api/v1/matches/{workspace.match_id}").status_code == 200
    for bad in ("m-x%3Funread=true", "m-x%23y", "m-" + "x" * 60):
        refused = client.get(f"/api/v1/matches/{bad}")
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["error"]["problems"][0]["field"] == "match_id"


def test_an_unexpected_failure_answers_500_without_its_text(
    workspace: Workspace, caplog: pytest.LogCaptureFixture
):
    for path in ("/api/v1/boom", "/boom"):
        workspace.app.get(path)(_fail)
    client = TestClient(workspace.app, raise_server_exceptions=False)
    api, page = client.get("/api/v1/boom"), client.get("/boom")
    assert (api.status_code, api.json()["error"]["code"]) == (500, "internal")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    for answer in (api, page):
        assert SENTINEL not in answer.text
        assert answer.headers["cache-control"] == "no-store"
    assert SENTINEL not in caplog.text


def _fail() -> None:
    raise RuntimeError(SENTINEL)


def test_the_queue_is_a_409_while_new_ads_are_not_clustered(workspace: Workspace, tmp_path: Path):
    client = TestClient(workspace.app)
    client.cookies.update(workspace.login("analist")["cookies"])
    assert client.get("/api/v1/online/queue?top=2").json()["clusters"]
    _cluster_ads(workspace.app.state.context.engine, tmp_path, prefix="NEW-", cluster=False)
    answer = client.get("/api/v1/online/queue?top=2")
    assert (answer.status_code, answer.json()["error"]["code"]) == (409, "conflict")
    assert answer.json()["error"]["message"] == (
        "the stored ads have not been clustered (40 ads are new since)"
    )


def test_a_nul_byte_in_a_case_id_is_refused_on_each_backend(db: Any):
    """Found here: PostgreSQL cannot compare text with a NUL byte; that was a 500."""
    create_user(
        db.engine, username="analist", password=PASSWORD, role="analist", organisation=ORG, actor=""
    )
    started = log_in(db.engine, "analist", PASSWORD, client="testclient")
    app = create_app(WebContext(db.engine, ORG, secure_cookies=False), warm_up=False)
    client = TestClient(app, raise_server_exceptions=False)
    client.cookies.set("kb_session", started.token)
    refused = client.get("/api/v1/cases/2019-OOST%0003")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["problems"][0]["field"] == "case_id"
