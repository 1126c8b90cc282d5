"""The hub's access matrix, generated from its route table: every operation x
anonymous, a revoked token, the owning organisation, the other party to a match and
an organisation outside it.

Each operation is public (listed below, with why) or depends on the token check; a
new operation without it fails here, and so does a new path parameter whose owner
is not declared in ``OWNERS``. An organisation outside an object gets 404 for it,
exactly as for an id that does not exist (the ids used are the real ones, as a
guess that happened to be right), and no answer to anyone names an object the
caller may not see (beyond the id it asked for).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ketenbeeld.signals.encodings import EncodedRecord
from ketenbeeld.signals.hub.admin import create_organisation, revoke_tokens
from ketenbeeld.signals.hub.api import create_app

PUBLIC = {("GET", "/health"): "liveness for the operator: no data"}

OWNERS = {
    "signal_id": "owner",  # the organisation that registered the signal
    "item_id": "owner",  # the organisation whose inbox holds the notice
    "match_id": "parties",  # both organisations whose signals matched
}
"""Who may use the object a path parameter names; everyone else gets 404."""

BODIES: dict[tuple[str, str], Callable[[dict[str, Any]], dict[str, Any]]] = {
    ("POST", "/api/v1/signals"): lambda world: world["new_signal"],
    ("POST", "/api/v1/matches/{match_id}/close"): lambda world: {"reason": "coordinated"},
}
"""The request body of each operation that takes one."""

CALLERS = ("anonymous", "revoked", "owner", "party", "outsider")

# A public id: a prefix and 16 URL-safe characters (service.new_public_id).
_PUBLIC_ID = re.compile(r"(?<![A-Za-z0-9_-])[sm]-[A-Za-z0-9_-]{16}(?![A-Za-z0-9_-])")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    params: tuple[str, ...]

    @property
    def allowed(self) -> frozenset[str]:
        """The callers that may use it: every organisation, or the object's owners."""
        kinds = {OWNERS[p] for p in self.params}
        if not kinds:
            return frozenset({"owner", "party", "outsider"})
        if kinds == {"parties"}:
            return frozenset({"owner", "party"})
        return frozenset({"owner"})


def _authenticated(route: APIRoute) -> bool:
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if getattr(dependency.call, "__name__", "") == "caller":
            return True
        pending.extend(dependency.dependencies)
    return False


def operations(app) -> list[Operation]:
    found = []
    for route in app.routes:
        if not isinstance(route, APIRoute):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            if (method, route.path) in PUBLIC:
                continue
            assert _authenticated(route), f"{method} {route.path} does not check the token"
            params = tuple(re.findall(r"\{(\w+)\}", route.path))
            for param in params:
                assert param in OWNERS, f"{method} {route.path}: declare who owns {{{param}}}"
            if route.body_field is not None:
                assert (method, route.path) in BODIES, f"{method} {route.path}: add a body"
            found.append(Operation(method, route.path, params))
    return found


def _body(record: EncodedRecord, contact: str) -> dict[str, Any]:
    return {
        "clk": record.to_json()["clk"],
        "schema": record.schema,
        "category": "possible_victim",
        "legal_basis": "jeugdwet",
        "contact_ref": contact,
        "bsn_hash": record.bsn,
    }


class Worlds:
    """Fresh organisations and signals in one hub, one set per use.

    Each world has an owner and a party whose signals about one person matched, and
    an outsider with a signal about someone else; worlds share no person, so an
    operation that changes state in one leaves the others as they were.
    """

    def __init__(self, engine, client: TestClient, pairs, loners) -> None:
        self.engine, self.client = engine, client
        self.pairs, self.loners = iter(pairs), iter(loners)
        self.count = 0

    def new(self) -> dict[str, Any]:
        self.count += 1
        n = self.count
        headers, codes = {}, {}
        for who in ("owner", "party", "outsider", "revoked"):
            codes[who] = f"{who}-{n}"
            token = create_organisation(self.engine, codes[who], f"{who} {n}", "zorg")
            headers[who] = {"Authorization": f"Bearer {token}"}
        revoke_tokens(self.engine, codes["revoked"])
        headers["anonymous"] = {}
        record_a, record_b = next(self.pairs)
        post = self.client.post
        signal = post("/api/v1/signals", json=_body(record_a, "a"), headers=headers["owner"])
        party = post("/api/v1/signals", json=_body(record_b, "b"), headers=headers["party"])
        alone = _body(next(self.loners), "c")
        loner = post("/api/v1/signals", json=alone, headers=headers["outsider"])
        (match_id,) = party.json()["new_matches"]
        (item,) = self.client.get("/api/v1/inbox", headers=headers["owner"]).json()
        ids = {
            "signal_id": signal.json()["signal"]["id"],
            "match_id": match_id,
            "item_id": str(item["id"]),
        }
        mine = {"signal_id": ids["signal_id"], "match_id": match_id}
        visible = {
            "owner": set(mine.values()),
            "party": {party.json()["signal"]["id"], match_id},
            "outsider": {loner.json()["signal"]["id"]},
            "anonymous": set(),
            "revoked": set(),
        }
        return {
            "headers": headers,
            "ids": ids,
            "visible": visible,
            "new_signal": _body(next(self.loners), "d"),
        }


@pytest.fixture
def hub_api(world, linkage):
    """The hub's app over the test database and worlds drawn from the synthetic files."""
    app = create_app(world.hub)
    client = TestClient(app)
    a = {r.id: r for r in linkage.a}
    b = {r.id: r for r in linkage.b}
    # Pairs with the same BSN hash: a match whatever the threshold; persons apart.
    pairs = [
        (a[i], b[j])
        for i, j in sorted(linkage.true_links)
        if i in a and j in b and a[i].bsn and a[i].bsn == b[j].bsn
    ]
    linked = {i for i, _ in linkage.true_links}
    loners = [r for r in linkage.a if r.id not in linked and r.bsn is None]
    return app, Worlds(world.hub.engine, client, pairs, loners)


def _outcome(status: int) -> str:
    return "ok" if 200 <= status < 300 else str(status)


def test_every_operation_is_public_or_checks_the_token(hub_api):
    app, _ = hub_api
    found = operations(app)
    assert len(found) == 13
    assert {p for op in found for p in op.params} == set(OWNERS)


def test_the_matrix_of_operations_and_callers(hub_api):
    app, worlds = hub_api
    client = worlds.client
    expected, actual, leaks = {}, {}, []
    for op in operations(app):
        # Refusals change nothing, so they share a world with the first allowed caller;
        # every further allowed caller gets a world of its own (taking the lead twice
        # on one match is a conflict, not an access question).
        order = [c for c in CALLERS if c not in op.allowed] + sorted(op.allowed)
        world = worlds.new()
        for n, caller in enumerate(order):
            if caller in op.allowed and n > len(CALLERS) - len(op.allowed):
                world = worlds.new()
            url = op.path.format(**{p: world["ids"][p] for p in op.params})
            body = BODIES.get((op.method, op.path))
            answer = client.request(
                op.method,
                url,
                headers=world["headers"][caller],
                json=body(world) if body else None,
            )
            key = f"{op.method} {op.path} as {caller}"
            if caller in ("anonymous", "revoked"):
                expected[key] = "401"
            else:
                expected[key] = "ok" if caller in op.allowed else "404"
            actual[key] = _outcome(answer.status_code)
            if answer.status_code == 404:
                # Not found like a made-up id: same code, same message apart from the id.
                assert answer.json()["error"]["code"] == "not_found", key
            # What the caller may see, and the ids it sent (a 404 repeats the one asked for).
            visible = world["visible"][caller] | set(_PUBLIC_ID.findall(url))
            if answer.status_code == 201:  # a registration: the new signal is the caller's
                visible.add(answer.json()["signal"]["id"])
            named = set(_PUBLIC_ID.findall(answer.text)) - visible
            if named:
                leaks.append(f"{key}: names {sorted(named)}")
    assert actual == expected
    assert leaks == []


def test_an_outsiders_404_is_the_same_as_for_an_id_that_does_not_exist(hub_api):
    app, worlds = hub_api
    world = worlds.new()
    outsider = world["headers"]["outsider"]
    made_up = {"signal_id": "s-" + "A" * 16, "match_id": "m-" + "A" * 16, "item_id": "999999"}
    for op in operations(app):
        if not op.params or op.method != "GET":
            continue
        real = worlds.client.get(op.path.format(**world["ids"]), headers=outsider)
        fake = worlds.client.get(op.path.format(**made_up), headers=outsider)
        assert real.status_code == fake.status_code == 404
        shape = re.compile(r"[sm]-[A-Za-z0-9_-]{16}|\d+")
        assert shape.sub("ID", real.json()["error"]["message"]) == shape.sub(
            "ID", fake.json()["error"]["message"]
        )
