"""The node refuses bad identities before anything leaves it, and stores nothing on failure."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import func, select

from ketenbeeld.errors import ValidationFailed
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.node import HubClient, HubUnavailable, Node
from ketenbeeld.signals.node.models import NodeSignal
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import session_scope

PERSON = {
    "first_name": "Sanne",
    "last_name": "de Vries",
    "date_of_birth": "12-03-2007",
    "postcode": "7411 AB",
}


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def node(db):
    url = f"http://127.0.0.1:{closed_port()}"
    encoder = Encoder(load_schema("dutch-person"), bytes(range(32)))
    made = Node(db.engine, HubClient(url, "kbh_x", timeout=2.0), encoder, actor="node:test")
    yield made
    made.client.close()


def stored(node) -> int:
    with session_scope(node.engine) as session:
        return session.execute(select(func.count()).select_from(NodeSignal)).scalar_one()


def register(node, person):
    return node.register(
        person, category="possible_victim", legal_basis="jeugdwet", contact_ref="Team Oost"
    )


def test_unknown_identity_fields_are_refused_before_encoding(node):
    with pytest.raises(ValidationFailed) as caught:
        register(node, {**PERSON, "nationality": "x", "notes": "y"})
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("nationality", "is not an identity field"),
        ("notes", "is not an identity field"),
    ]
    assert stored(node) == 0


def test_an_identity_that_cannot_be_encoded_names_the_field_not_the_value(node):
    with pytest.raises(ValidationFailed) as caught:
        register(node, {**PERSON, "date_of_birth": "31-02-2007"})
    fields = [p.field for p in caught.value.problems]
    assert fields == ["date_of_birth"]
    assert "31-02-2007" not in str(caught.value.problems[0])
    assert stored(node) == 0


def test_an_unreachable_hub_stores_nothing(node):
    with pytest.raises(HubUnavailable) as caught:
        register(node, PERSON)
    assert str(caught.value) == f"the hub at {node.client.base_url} cannot be reached"
    assert stored(node) == 0
