"""A data subject's access history over real HTTP: the node finds its signals about
the person and lists who looked at them, at the node and at the hub."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketenbeeld.demo_chain import start_server
from ketenbeeld.errors import NotFoundError
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.hub.admin import create_organisation
from ketenbeeld.signals.hub.api import create_app
from ketenbeeld.signals.hub.service import Hub, hub_config
from ketenbeeld.signals.node import HubClient, Node
from ketenbeeld.signals.node.access import access_history
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import make_engine, verify_audit_log

SANNE = {
    "first_name": "Sanne",
    "name_prefix": "de",
    "last_name": "Vries",
    "date_of_birth": "12-03-2007",
    "postcode": "7411 AB",
}
# The same person as the police wrote her down.
SANNE_AT_POLICE = {
    "first_name": "Sanne",
    "last_name": "Vries, de",
    "date_of_birth": "2007-03-12",
    "postcode": "7411AB",
}
OTHER = {"first_name": "Bram", "last_name": "Jansen", "date_of_birth": "01-01-2005"}


@dataclass
class Chain:
    nodes: dict[str, Node]
    hub_engine: object


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[Chain]:
    hub_engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}", sqlite_immediate=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server, thread = start_server(
        create_app(Hub(hub_engine, hub_config("dutch-person", 0.8))), port
    )
    encoder = Encoder(load_schema("dutch-person"), bytes(range(32)))
    nodes = {}
    for code, kind in (("jz", "jeugdzorg"), ("politie", "politie"), ("rn", "reclassering")):
        token = create_organisation(hub_engine, code, code.upper(), kind)
        engine = make_engine(f"sqlite:///{tmp_path / (code + '.db')}")
        nodes[code] = Node(
            engine, HubClient(f"http://127.0.0.1:{port}", token), encoder, actor=f"node:{code}"
        )
    try:
        yield Chain(nodes, hub_engine)
    finally:
        server.should_exit = True
        thread.join(10)
        for node in nodes.values():
            node.client.close()
            node.engine.dispose()  # type: ignore[attr-defined]
        hub_engine.dispose()  # type: ignore[attr-defined]


def _register(node: Node, person: dict[str, str], actor: str, legal_basis: str):
    return node.register(
        person,
        category="possible_victim",
        legal_basis=legal_basis,
        contact_ref="Team signalen",
        actor=actor,
    )


def test_the_history_lists_who_looked_at_the_signals_about_the_person(chain):
    jz, politie, rn = chain.nodes["jz"], chain.nodes["politie"], chain.nodes["rn"]
    sanne = _register(jz, SANNE, "web:anna", "jeugdwet").signal.hub_signal_id
    other = _register(jz, OTHER, "web:anna", "jeugdwet").signal.hub_signal_id
    registered = _register(politie, SANNE_AT_POLICE, "web:piet", "wpg")
    (match_id,) = registered.new_matches

    jz.signals(viewer="web:bas")  # Bas opens the signals page: both identities shown
    politie.match(match_id, viewer="web:piet")  # the police read the match
    with pytest.raises(NotFoundError):
        rn.match(match_id, viewer="web:rik")  # probation is no party: refused, recorded
    jz.act(match_id, "lead", actor="web:anna")

    (found,) = access_history(jz, SANNE_AT_POLICE, actor="cli:privacy")
    assert found.hub_signal_id == sanne != other
    assert found.category == "possible_victim"
    seen = [(r.where, r.actor, r.action, r.object_ref, r.result) for r in found.records]
    expected = [
        ("hub", "org:jz", "hub.signal.register", sanne, "ok"),  # the hub first, then stored
        ("node", "web:anna", "node.signal.register", sanne, "ok"),
        ("node", "web:bas", "node.signal.view", sanne, "ok"),
        ("hub", "org:politie", "hub.match.read", match_id, "ok"),
        ("hub", "org:rn", "hub.match.read", match_id, "not_found"),
        ("hub", "org:jz", "hub.match.lead", match_id, "ok"),
        ("node", "web:anna", "node.match.lead", match_id, "ok"),
    ]
    assert [item for item in seen if item in expected] == expected
    # Nothing about the other person, and nothing from other organisations' nodes.
    assert not [item for item in seen if other in item]
    assert not [item for item in seen if item[1] in ("web:piet", "web:rik")]
    assert [r.at for r in found.records] == sorted(r.at for r in found.records)

    # The request itself is recorded, at the node and at the hub, and shows next time.
    (again,) = access_history(jz, SANNE, actor="cli:privacy")
    actions = [(r.where, r.actor, r.action) for r in again.records]
    assert ("node", "cli:privacy", "node.subject.access") in actions
    assert ("hub", "org:jz", "hub.signal.access") in actions
    for node in (jz, politie, rn):
        assert verify_audit_log(node.engine).ok
    assert verify_audit_log(chain.hub_engine).ok


def test_nobody_else_can_ask_the_hub_about_a_signal(chain):
    jz, politie = chain.nodes["jz"], chain.nodes["politie"]
    sanne = _register(jz, SANNE, "web:anna", "jeugdwet").signal.hub_signal_id
    with pytest.raises(NotFoundError):
        politie.client.request("GET", f"/api/v1/signals/{sanne}/access")
    with pytest.raises(NotFoundError):
        politie.client.request("GET", "/api/v1/signals/s-guessed/access")
    (found,) = access_history(jz, SANNE, actor="cli:privacy")
    refused = [(r.actor, r.action, r.result) for r in found.records if r.result != "ok"]
    assert refused == [("org:politie", "hub.signal.access", "not_found")]


def test_a_person_without_signals_gets_an_empty_history_and_the_request_is_recorded(chain):
    jz = chain.nodes["jz"]
    _register(jz, OTHER, "web:anna", "jeugdwet")
    assert access_history(jz, SANNE, actor="cli:privacy") == []
    from sqlalchemy import text

    with jz.engine.connect() as connection:  # type: ignore[attr-defined]
        last = connection.execute(
            text("SELECT actor, action, object_ref FROM audit_log ORDER BY id DESC LIMIT 1")
        ).one()
    assert tuple(last) == ("cli:privacy", "node.subject.access", "")
