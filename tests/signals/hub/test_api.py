"""The hub's HTTP API: authentication, the error shape, no echo of values, no scores."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ketenbeeld.signals.hub.admin import create_organisation, revoke_tokens
from ketenbeeld.signals.hub.api import create_app
from ketenbeeld.storage import session_scope
from ketenbeeld.storage.models import AuditEvent


@pytest.fixture
def api(world):
    tokens = {
        "a": create_organisation(world.hub.engine, "zorg-a", "Zorg A", "zorg"),
        "b": create_organisation(world.hub.engine, "politie-b", "Politie B", "politie"),
        "c": create_organisation(world.hub.engine, "om-c", "OM C", "om"),
    }
    client = TestClient(create_app(world.hub))
    return client, {k: {"Authorization": f"Bearer {v}"} for k, v in tokens.items()}


def body(record, **changes):
    values = {
        "clk": record.to_json()["clk"],
        "schema": record.schema,
        "category": "possible_victim",
        "legal_basis": "jeugdwet",
        "contact_ref": "Team Jeugd, 030-0000000",
    }
    values.update(changes)
    return values


def test_requests_without_a_valid_token_are_refused_and_audited(world, api, linkage):
    client, headers = api
    for extra in ({}, {"Authorization": "Bearer kbh_made-up"}):
        response = client.get("/api/v1/signals", headers=extra)
        assert response.status_code == 401
        assert response.json() == {
            "error": {
                "code": "unauthorized",
                "message": "a valid API token is required",
                "problems": [],
                "hint": "send it as 'Authorization: Bearer <token>'",
            }
        }
    revoke_tokens(world.hub.engine, "politie-b")
    assert client.get("/api/v1/me", headers=headers["b"]).status_code == 401
    assert client.get("/api/v1/me", headers=headers["a"]).json() == {
        "code": "zorg-a",
        "name": "Zorg A",
        "kind": "zorg",
    }
    with session_scope(world.hub.engine) as session:
        refusals = session.execute(
            select(AuditEvent.actor, AuditEvent.result, AuditEvent.origin).where(
                AuditEvent.action == "hub.authenticate"
            )
        ).all()
    assert [tuple(r) for r in refusals] == [("unknown", "denied", "testclient")] * 3


def test_register_match_and_work_the_match_over_http(api, linkage, true_pair):
    client, headers = api
    record_a, record_b = true_pair
    first = client.post("/api/v1/signals", json=body(record_a), headers=headers["a"])
    assert first.status_code == 201, first.text
    assert first.json()["new_matches"] == []
    assert first.json()["signal"]["status"] == "active"
    second = client.post(
        "/api/v1/signals",
        json=body(record_b, legal_basis="wpg", contact_ref="Team Mensenhandel"),
        headers=headers["b"],
    )
    (match_id,) = second.json()["new_matches"]

    seen_by_a = client.get(f"/api/v1/matches/{match_id}", headers=headers["a"]).json()
    assert seen_by_a["other_org_code"] == "politie-b"
    assert seen_by_a["other_contact_ref"] == "Team Mensenhandel"
    assert seen_by_a["status"] == "new"
    # No similarity score anywhere in what an organisation gets back.
    for text in (first.text, second.text, json.dumps(seen_by_a)):
        assert "score" not in text
    inbox = client.get("/api/v1/inbox", headers=headers["b"]).json()
    assert [(i["kind"], i["match_id"]) for i in inbox] == [("match.new", match_id)]

    lead = client.post(f"/api/v1/matches/{match_id}/lead", headers=headers["b"])
    assert (lead.status_code, lead.json()["lead_org_code"]) == (200, "politie-b")
    refused = client.post(f"/api/v1/matches/{match_id}/lead", headers=headers["a"])
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "conflict"
    closed = client.post(
        f"/api/v1/matches/{match_id}/close", json={"reason": "coordinated"}, headers=headers["b"]
    )
    assert closed.json()["status"] == "closed"
    assert client.get("/api/v1/inbox?unread=true", headers=headers["a"]).json()[0]["kind"] == (
        "match.close"
    )


def test_another_organisations_objects_answer_404_like_missing_ones(api, linkage, true_pair):
    client, headers = api
    record_a, record_b = true_pair
    signal_id = client.post("/api/v1/signals", json=body(record_a), headers=headers["a"]).json()[
        "signal"
    ]["id"]
    match_id = client.post("/api/v1/signals", json=body(record_b), headers=headers["b"]).json()[
        "new_matches"
    ][0]
    for path in (f"/api/v1/signals/{signal_id}", f"/api/v1/matches/{match_id}"):
        theirs = client.get(path, headers=headers["c"])
        missing = client.get(path + "x", headers=headers["c"])
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json()["error"]["code"] == "not_found"
        assert theirs.json()["error"]["message"].replace(path.rsplit("/", 1)[1], "ID") == (
            missing.json()["error"]["message"].replace(path.rsplit("/", 1)[1] + "x", "ID")
        )
    assert client.delete(f"/api/v1/signals/{signal_id}", headers=headers["c"]).status_code == 404
    assert client.get("/api/v1/signals", headers=headers["c"]).json() == []


def test_bad_requests_name_fields_and_never_echo_values(api, linkage):
    client, headers = api
    secret = "Jansen-Geheim"
    sent = body(linkage.a[0], name=secret, category="x" + secret)
    response = client.post("/api/v1/signals", json=sent, headers=headers["a"])
    assert response.status_code == 422
    assert secret not in response.text
    assert response.json()["error"]["problems"] == [
        {"field": "name", "message": "is not allowed here"}
    ]
    sent.pop("name")
    response = client.post("/api/v1/signals", json=sent, headers=headers["a"])
    assert response.status_code == 422
    assert secret not in response.text
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "1 problem found; the signal was not registered",
        "problems": [
            {
                "field": "category",
                "message": "must be one of at_risk, possible_perpetrator, possible_victim",
            }
        ],
        "hint": None,
    }


def test_the_openapi_document_lists_the_api(api):
    client, _ = api
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/v1/signals",
        "/api/v1/signals/{signal_id}",
        "/api/v1/inbox",
        "/api/v1/inbox/{item_id}/read",
        "/api/v1/matches",
        "/api/v1/matches/{match_id}",
        "/api/v1/matches/{match_id}/lead",
        "/api/v1/matches/{match_id}/contact",
        "/api/v1/matches/{match_id}/close",
    } <= set(paths)
