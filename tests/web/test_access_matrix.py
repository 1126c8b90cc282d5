"""The access matrix, generated from the route table: every route x every role x
own or other organisation x anonymous.

Each route must either be public (listed below, with why) or depend on
``require(module)`` / ``require_login``; a new route without either fails here. For
every protected route the matrix then checks: anonymous -> 401 (API) or a redirect
to the login page; a role without the module -> 403; a role with it -> neither. An
account of another organisation than the installation's (a guest) has its role
except for the organisation-bound modules (signals, administration): 403.

Every path parameter names whose object it is (``OBJECTS``); a new one fails here
until declared. Objects of one organisation (jobs, matches) answer 404 to another
organisation on every route that takes them, exactly as an id that does not exist.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ketenbeeld.accounts import MODULES, ORGANISATION_BOUND, ROLES
from ketenbeeld.storage.jobs import create_job
from ketenbeeld.web import WebContext, create_app
from ketenbeeld.web.app import ROUTERS

from .conftest import add_users, csrf_of, logged_in, login

PUBLIC = {
    ("GET", "/"): "redirects to the login page when not logged in",
    ("GET", "/login"): "the login form",
    ("POST", "/login"): "logging in (CSRF-protected by a double-submit cookie)",
    ("GET", "/taal/{lang}"): "the language switch sets a cookie only",
    ("GET", "/health"): "liveness for the operator, no data",
    ("POST", "/logout"): "needs a session, not a role (tested in test_auth.py)",
}


BOUND = {"signalen", "beheer"}
"""The modules only for accounts of the installation's organisation: its clients'
signals and matches, its accounts and audit log (the policy, written down here so
that a change to ``ORGANISATION_BOUND`` fails a test)."""

OBJECTS = {
    "job_id": "organisation: the organisation of the user who started the job",
    "match_id": "organisation: the parties to the match (the hub decides)",
    "case_id": "installation: the coded dataset, by role",
    "draft_id": "installation: extraction drafts of the coded dataset, by role",
    "cluster_id": "installation: the online workspace, by role",
    "username": "installation: its accounts, for its own administrators",
    "action": "not an object: what to do with the one before it",
    "lang": "not an object: the language",
    "kind": "not an object: the report's file format",
}
"""Whose object each path parameter names."""


def _required(route: APIRoute) -> str | None:
    """The module a route requires (``*`` for any logged-in user), or ``None``."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        name = getattr(dependency.call, "__name__", "")
        if name == "require_login":
            return "*"
        if name.startswith("require_"):
            return name.removeprefix("require_")
        pending.extend(dependency.dependencies)
    return None


def _every_route(app) -> list[APIRoute]:
    # The routers' routes carry their prefix; routes added to the app itself are
    # APIRoutes of the app (FastAPI keeps included routers as opaque entries).
    every = [route for router in ROUTERS for route in router.routes] + list(app.routes)
    return [route for route in every if isinstance(route, APIRoute)]


def _routes(app) -> list[tuple[str, str, str]]:
    found = []
    for route in _every_route(app):
        for method in sorted(route.methods - {"HEAD"}):
            if (method, route.path) in PUBLIC:
                continue
            module = _required(route)
            assert module is not None, f"{method} {route.path} has no authorization"
            found.append((method, route.path, module))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _params(path: str) -> list[str]:
    return re.findall(r"\{(\w+)(?::\w+)?\}", path)


@pytest.fixture
def matrix(db):
    """The app of organisation Org, with an account of every role of Org and of Gast."""
    add_users(db.engine, "Org")
    add_users(db.engine, "Gast", prefix="gast-")
    app = create_app(WebContext(db.engine, "Org", secure_cookies=False), warm_up=False)
    clients = {}
    for username in [*ROLES, *(f"gast-{role}" for role in ROLES)]:
        client = TestClient(app)
        assert login(client, username).status_code == 303
        clients[username] = (client, csrf_of(client.get("/").text))
    return app, clients


def _may(username: str, module: str) -> bool:
    guest, role = username.startswith("gast-"), username.removeprefix("gast-")
    if module == "*":
        return True
    return module in MODULES[role] and not (guest and module in BOUND)


def test_every_route_is_public_or_requires_a_module(matrix):
    app, _ = matrix
    routes = _routes(app)
    assert len(routes) >= 25
    modules = {module for _, _, module in routes}
    assert modules <= {*set().union(*MODULES.values()), "*"}
    assert ORGANISATION_BOUND == BOUND
    assert modules >= BOUND


def test_every_path_parameter_says_whose_object_it_names(matrix):
    app, _ = matrix
    params = {p for route in _every_route(app) for p in _params(route.path)}
    assert params == set(OBJECTS), f"declare in OBJECTS: {sorted(params - set(OBJECTS))}"


def test_the_matrix_of_routes_roles_and_anonymous(matrix):
    app, clients = matrix
    anonymous = TestClient(app)
    wrong = []
    for method, path, module in _routes(app):
        url = _concrete(path)
        answer = anonymous.request(method, url, follow_redirects=False)
        expected_anonymous = 401 if path.startswith("/api/") else 303
        # An unsafe request without a session fails the CSRF check first: also refused.
        if answer.status_code not in (expected_anonymous, 403):
            wrong.append(f"anonymous {method} {path}: {answer.status_code}")
        if answer.status_code == 303 and not answer.headers["location"].startswith("/login"):
            wrong.append(f"anonymous {method} {path}: redirected elsewhere")
        for username, (client, token) in clients.items():
            allowed = _may(username, module)
            answer = client.request(
                method, url, headers={"X-CSRF-Token": token}, follow_redirects=False
            )
            if allowed and answer.status_code in (401, 403):
                wrong.append(f"{username} {method} {path}: refused ({answer.status_code})")
            if not allowed and answer.status_code != 403:
                wrong.append(f"{username} {method} {path}: {answer.status_code}, not 403")
    assert wrong == []


def test_a_job_answers_404_to_another_organisation_on_every_job_route(matrix):
    app, clients = matrix
    engine = app.state.context.engine
    own = create_job(engine, "cases.import", organisation="Org", created_by="x")
    guest = create_job(engine, "cases.import", organisation="Gast", created_by="y")
    routes = [r for r in _routes(app) if "{job_id}" in r[1]]
    assert len(routes) == 2
    client, _ = clients["onderzoeker"]
    for method, path, _module in routes:
        assert client.request(method, path.format(job_id=own.id)).status_code == 200
        theirs = client.request(method, path.format(job_id=guest.id))
        missing = client.request(method, path.format(job_id="j-" + "A" * 16))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.text.replace(guest.id, "ID") == missing.text.replace("j-" + "A" * 16, "ID")
        assert "cases.import" not in theirs.text


def test_a_match_answers_404_to_another_organisation_on_every_match_route(chain):
    from .test_signals_pages import PERSON, match_ids, register

    politie = logged_in(chain.apps["politie-oost"], "politie-professional")
    reclassering = logged_in(chain.apps["reclassering"], "reclassering-professional")
    jeugdzorg = logged_in(chain.apps["jeugdzorg-oost"], "jeugdzorg-professional")
    other = {**PERSON, "first_name": "Lotte", "last_name": "Jansen", "date_of_birth": "01-01-2006"}
    register(politie, other)
    register(reclassering, other, category="possible_perpetrator", legal_basis="wjsg")
    [theirs] = match_ids(politie)
    assert match_ids(reclassering) == [theirs]
    assert match_ids(jeugdzorg) == []
    app = chain.apps["jeugdzorg-oost"]
    routes = [r for r in _routes(app) if "{match_id}" in r[1]]
    assert len(routes) == 3
    token = csrf_of(jeugdzorg.get("/signalen").text)
    for method, path, _module in routes:
        for action in ("lead", "contact", "close") if "{action}" in path else ("",):
            for attempt in (theirs, "m-" + "A" * 16):
                url = path.replace("{action}", action).format(match_id=attempt)
                answer = jeugdzorg.request(
                    method,
                    url,
                    headers={"X-CSRF-Token": token},
                    data={"reason": "coordinated"} if action == "close" else None,
                    follow_redirects=False,
                )
                assert answer.status_code == 404, (method, url)
                assert "Lotte" not in answer.text and "Reclassering" not in answer.text
    # Nothing changed at the parties.
    assert "<dt>Regie</dt><dd>–</dd>" in politie.get(f"/signalen/matches/{theirs}").text
    assert "Gesloten" not in reclassering.get(f"/signalen/matches/{theirs}").text
