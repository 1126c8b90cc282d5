"""The access matrix, generated from the route table: every route x every role x anonymous.

Each route must either be public (listed below, with why) or depend on
``require(module)`` / ``require_login``; a new route without either fails here. For
every protected route the matrix then checks: anonymous -> 401 (API) or a redirect
to the login page; a role without the module -> 403; a role with it -> neither.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from ketenbeeld.accounts import MODULES, ROLES
from ketenbeeld.web import WebContext, create_app
from ketenbeeld.web.app import ROUTERS

from .conftest import add_users, csrf_of, login

PUBLIC = {
    ("GET", "/"): "redirects to the login page when not logged in",
    ("GET", "/login"): "the login form",
    ("POST", "/login"): "logging in (CSRF-protected by a double-submit cookie)",
    ("GET", "/taal/{lang}"): "the language switch sets a cookie only",
    ("GET", "/health"): "liveness for the operator, no data",
    ("POST", "/logout"): "needs a session, not a role (tested in test_auth.py)",
}


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


def _routes(app) -> list[tuple[str, str, str]]:
    found = []
    # The routers' routes carry their prefix; routes added to the app itself are
    # APIRoutes of the app (FastAPI keeps included routers as opaque entries).
    every = [route for router in ROUTERS for route in router.routes] + list(app.routes)
    for route in every:
        if not isinstance(route, APIRoute):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            if (method, route.path) in PUBLIC:
                continue
            module = _required(route)
            assert module is not None, f"{method} {route.path} has no authorization"
            found.append((method, route.path, module))
    return found


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def matrix(db):
    add_users(db.engine, "Org")
    app = create_app(WebContext(db.engine, "Org", secure_cookies=False), warm_up=False)
    clients = {}
    for role in ROLES:
        client = TestClient(app)
        assert login(client, role).status_code == 303
        clients[role] = (client, csrf_of(client.get("/").text))
    return app, clients


def test_every_route_is_public_or_requires_a_module(matrix):
    app, _ = matrix
    routes = _routes(app)
    assert len(routes) >= 25
    modules = {module for _, _, module in routes}
    assert modules <= {*set().union(*MODULES.values()), "*"}


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
        for role, (client, token) in clients.items():
            allowed = module == "*" or module in MODULES[role]
            answer = client.request(
                method, url, headers={"X-CSRF-Token": token}, follow_redirects=False
            )
            if allowed and answer.status_code in (401, 403):
                wrong.append(f"{role} {method} {path}: refused ({answer.status_code})")
            if not allowed and answer.status_code != 403:
                wrong.append(f"{role} {method} {path}: {answer.status_code}, not 403")
    assert wrong == []
