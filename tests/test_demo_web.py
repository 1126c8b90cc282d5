"""The demo's web applications: each node's and the workspace's, with the printed logins."""

from __future__ import annotations

import re
import socket

import httpx

from ketenbeeld.demo_chain import DEMO_PASSWORD, run_chain_demo


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def log_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token
    answer = client.post(
        "/login",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 303, answer.text
    return client


def test_each_demo_node_serves_its_web_application_with_the_printed_login(tmp_path):
    ports = (free_port(), free_port(), free_port())
    chain = run_chain_demo(tmp_path, seed=3, serve=True, hub_port=free_port(), node_ports=ports)
    try:
        assert chain.n_matches > 0
        found = {}
        for code, url in chain.node_urls.items():
            client = log_in(url, code)
            page = client.get("/signalen/matches").text
            found[code] = len(re.findall(r'href="/signalen/matches/', page))
            assert client.get("/onderzoek").status_code == 403  # a professional's role
            client.close()
        # Every match has two sides, each shown at its own organisation.
        assert sum(found.values()) == 2 * chain.n_matches
    finally:
        chain.stop()


def test_the_demo_workspace_logins(tmp_path):
    from ketenbeeld.cli.demo import WORKSPACE_USERS, _serve_workspace
    from ketenbeeld.storage import make_engine

    database = tmp_path / "ketenbeeld.db"
    make_engine(f"sqlite:///{database}").dispose()
    port = free_port()
    server, thread = _serve_workspace(database, port)
    try:
        for username, role, _ in WORKSPACE_USERS:
            client = log_in(f"http://127.0.0.1:{port}", username)
            assert client.get("/api/v1/me").json()["role"] == role
            client.close()
    finally:
        server.should_exit = True
        thread.join(10)
