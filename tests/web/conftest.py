"""Web fixtures: the app on each backend, logins, and a real hub for the Signalen pages."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ketenbeeld.accounts import create_user
from ketenbeeld.demo_chain import start_server
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.hub.admin import create_organisation
from ketenbeeld.signals.hub.api import create_app as hub_app
from ketenbeeld.signals.hub.service import Hub, hub_config
from ketenbeeld.signals.node import HubClient, Node
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import make_engine
from ketenbeeld.web import WebContext, create_app

PASSWORD = "correct horse battery"
KEY = bytes(range(32))
ROLES = ("beheerder", "onderzoeker", "analist", "professional")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD):
    token = csrf_of(client.get("/login").text)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def finished_job(client: TestClient, response) -> str:
    """The page of the job a form started, once the job has finished."""
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert location.startswith("/taken/j-"), location
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = client.get(location).text
        status = re.search(r'data-status="([a-z]+)"', page)
        assert status, page
        if status.group(1) in ("done", "failed", "interrupted"):
            return page
        time.sleep(0.1)
    raise AssertionError("the job did not finish in two minutes")


def logged_in(app, username: str) -> TestClient:
    client = TestClient(app)
    response = login(client, username)
    assert response.status_code == 303, response.text
    return client


def add_users(engine, organisation: str, prefix: str = "") -> None:
    for role in ROLES:
        create_user(
            engine,
            username=f"{prefix}{role}",
            password=PASSWORD,
            role=role,
            organisation=organisation,
            actor="test",
        )


@pytest.fixture
def web(db):
    """The app on a fresh database of each backend, with one user per role."""
    add_users(db.engine, "Jeugdzorg Oost")
    app = create_app(WebContext(db.engine, "Jeugdzorg Oost", secure_cookies=False))
    return app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app, port: int):
    """Serve ``app`` on 127.0.0.1:``port`` in a thread, as the demo does."""
    return start_server(app, port)


@dataclass
class Chain:
    """A hub and three organisations, each with its own workspace and node web app."""

    hub_url: str
    apps: dict[str, object]
    engines: dict[str, object]
    hub_engine: object


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[Chain]:
    hub_engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}", sqlite_immediate=True)
    hub = Hub(hub_engine, hub_config("dutch-person", 0.8))
    port = free_port()
    server, thread = serve(hub_app(hub), port)
    url = f"http://127.0.0.1:{port}"
    encoder = Encoder(load_schema("dutch-person"), KEY)
    apps, engines, clients = {}, {}, []
    for code, name, kind in (
        ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg"),
        ("politie-oost", "Politie Oost-Nederland", "politie"),
        ("reclassering", "Reclassering Nederland", "reclassering"),
    ):
        token = create_organisation(hub_engine, code, name, kind, actor="test")
        engine = make_engine(f"sqlite:///{tmp_path / (code + '.db')}")
        client = HubClient(url, token)
        clients.append(client)
        node = Node(engine, client, encoder, actor=f"node:{code}")
        add_users(engine, code, prefix=f"{code.split('-')[0]}-")
        apps[code] = create_app(WebContext(engine, code, node=node, secure_cookies=False))
        engines[code] = engine
    try:
        yield Chain(url, apps, engines, hub_engine)
    finally:
        server.should_exit = True
        thread.join(10)
        for client in clients:
            client.close()
        for engine in engines.values():
            engine.dispose()
        hub_engine.dispose()
