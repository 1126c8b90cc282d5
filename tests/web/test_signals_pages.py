"""Signalen: two organisations register the same person; both see the match; no peeking."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from ketenbeeld.signals.hub.admin import revoke_tokens
from ketenbeeld.signals.node.models import NodeSignal
from ketenbeeld.storage import session_scope

from .conftest import csrf_of, logged_in

PERSON = {
    "first_name": "Sanne",
    "name_prefix": "de",
    "last_name": "Vries",
    "date_of_birth": "12-03-2007",
    "gender": "v",
    "postcode": "7411 AB",
    "house_number": "12",
    "city": "Deventer",
}


def register(client: TestClient, person: dict[str, str], **overrides: str):
    token = csrf_of(client.get("/signalen").text)
    form = {
        **person,
        "category": "possible_victim",
        "legal_basis": "jeugdwet",
        "contact_ref": "Team Oost, 0570-123456",
        "csrf_token": token,
        **overrides,
    }
    return client.post("/signalen", data=form, follow_redirects=False)


def match_ids(client: TestClient) -> list[str]:
    return re.findall(r'href="/signalen/matches/([^"]+)"', client.get("/signalen/matches").text)


def test_both_organisations_see_the_match_and_only_their_own_client(chain):
    jeugdzorg = logged_in(chain.apps["jeugdzorg-oost"], "jeugdzorg-professional")
    politie = logged_in(chain.apps["politie-oost"], "politie-professional")
    first = register(jeugdzorg, PERSON)
    assert first.headers["location"] == "/signalen?registered=0"
    # The police write the name a little differently; the encodings still match.
    second = register(politie, {**PERSON, "name_prefix": "", "last_name": "de Vries"})
    assert second.headers["location"] == "/signalen?registered=1"
    assert "Er is een match" in politie.get(second.headers["location"]).text

    [jz_match] = match_ids(jeugdzorg)
    [po_match] = match_ids(politie)
    assert jz_match == po_match
    page = jeugdzorg.get(f"/signalen/matches/{jz_match}").text
    assert "Politie Oost-Nederland" in page
    assert "Team Oost, 0570-123456" in page  # the other professional's contact
    assert "Sanne" in page  # the own client, looked up at the own node


def test_taking_the_lead_shows_at_both_sides(chain):
    jeugdzorg = logged_in(chain.apps["jeugdzorg-oost"], "jeugdzorg-professional")
    politie = logged_in(chain.apps["politie-oost"], "politie-professional")
    register(jeugdzorg, PERSON)
    register(politie, PERSON)
    [match_id] = match_ids(politie)
    token = csrf_of(politie.get(f"/signalen/matches/{match_id}").text)
    taken = politie.post(f"/signalen/matches/{match_id}/lead", data={"csrf_token": token})
    assert "regie genomen" in taken.text
    assert "politie-oost" in jeugdzorg.get(f"/signalen/matches/{match_id}").text


def test_an_unusable_identity_is_shown_back_with_the_problem_and_nothing_stored(chain):
    jeugdzorg = logged_in(chain.apps["jeugdzorg-oost"], "jeugdzorg-professional")
    answer = register(jeugdzorg, {**PERSON, "date_of_birth": "31-02-2007"})
    assert answer.status_code == 422
    assert "date_of_birth" in answer.text
    assert 'value="Sanne"' in answer.text  # what was typed is kept for the correction
    with session_scope(chain.engines["jeugdzorg-oost"]) as session:
        assert session.execute(select(NodeSignal)).first() is None


def test_my_signals_show_the_active_and_visible_dates(chain):
    jeugdzorg = logged_in(chain.apps["jeugdzorg-oost"], "jeugdzorg-professional")
    register(jeugdzorg, PERSON)
    page = jeugdzorg.get("/signalen").text
    with session_scope(chain.engines["jeugdzorg-oost"]) as session:
        signal = session.execute(select(NodeSignal)).scalar_one()
    assert f"{signal.active_until:%Y-%m-%d}" in page
    assert f"{signal.keep_until:%Y-%m-%d}" in page
    assert (signal.keep_until - signal.registered_at).days >= 5 * 365


def test_the_api_registers_with_the_csrf_header_and_refuses_without(chain):
    politie = logged_in(chain.apps["politie-oost"], "politie-professional")
    token = csrf_of(politie.get("/signalen").text)
    body = {
        "person": {k: v for k, v in PERSON.items()},
        "category": "possible_victim",
        "legal_basis": "wpg",
        "contact_ref": "THB Oost",
    }
    refused = politie.post("/api/v1/signals", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf"
    made = politie.post("/api/v1/signals", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    assert made.json()["signal"]["person"]["first_name"] == "Sanne"
    assert [s["hub_signal_id"] for s in politie.get("/api/v1/signals").json()] == [
        made.json()["signal"]["hub_signal_id"]
    ]


def test_a_revoked_hub_token_is_a_service_error_not_a_login_form(chain):
    jeugdzorg = logged_in(chain.apps["jeugdzorg-oost"], "jeugdzorg-professional")
    assert jeugdzorg.get("/signalen/matches").status_code == 200
    revoke_tokens(chain.hub_engine, "jeugdzorg-oost")
    page = jeugdzorg.get("/signalen/matches", follow_redirects=False)
    assert page.status_code == 503
    assert "the hub refused this organisation&#39;s token" in page.text
    assert "ketenbeeld hub token issue CODE" in page.text
    api = jeugdzorg.get("/api/v1/matches")
    assert api.status_code == 503
    assert api.json()["error"]["code"] == "storage"
    # Still logged in: the session is fine, the organisation's hub token is not.
    assert jeugdzorg.get("/", follow_redirects=False).status_code == 200
