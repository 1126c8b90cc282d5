"""Services refuse default or missing secrets outside the demo: the demo's password,
key and tokens, key and token files others can read, clear text off this machine."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from typer.testing import CliRunner

from ketenbeeld.accounts import DEMO_PASSWORD, create_user, users_with_demo_password
from ketenbeeld.cli import app
from ketenbeeld.signals.hub.admin import create_organisation
from ketenbeeld.signals.keys import generate_chain_key, write_key_file
from ketenbeeld.storage import make_engine

PASSWORD = "a-long-password-of-our-own"


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[str, Any]:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder: a command that passes its checks returns."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    return calls


def invoke(url: str, *args: str) -> Any:
    return CliRunner().invoke(app, ["--database-url", url, *args])


def one_line(output: str) -> str:
    return " ".join(output.split())


def test_the_app_is_not_served_while_a_user_has_the_demo_password(workspace, tmp_path, runs):
    url, engine = workspace
    create_user(
        engine,
        username="onderzoeker",
        password=DEMO_PASSWORD,
        role="onderzoeker",
        organisation="werkruimte",
        actor="demo",
        demo=True,
    )
    create_user(
        engine,
        username="analist",
        password=DEMO_PASSWORD,
        role="analist",
        organisation="werkruimte",
        actor="demo",
        demo=True,
    )
    create_user(
        engine,
        username="beheer",
        password=PASSWORD,
        role="beheerder",
        organisation="werkruimte",
        actor="cli:test",
    )
    both = invoke(url, "serve")
    assert both.exit_code == 2
    assert one_line(both.stderr).startswith(
        "Error: users analist, onderzoeker still have the demo's published password Hint: "
    )
    assert invoke(url, "users", "disable", "analist").exit_code == 0
    refused = invoke(url, "serve")
    assert refused.exit_code == 2
    assert one_line(refused.stderr) == (
        "Error: user onderzoeker still has the demo's published password "
        "Hint: give each a password of their own: ketenbeeld users password NAME "
        "(or disable it: ketenbeeld users disable NAME)"
    )
    assert runs == []

    password_file = tmp_path / "password.txt"
    password_file.write_text(PASSWORD + "\n", encoding="utf-8")
    changed = invoke(url, "users", "password", "onderzoeker", "--password-file", str(password_file))
    assert changed.exit_code == 0, changed.output
    assert "New password set for onderzoeker; their sessions have ended." in changed.output
    assert users_with_demo_password(engine) == []

    served = invoke(url, "serve", "--port", "8899")
    assert served.exit_code == 0, served.output
    assert runs == [
        {
            "host": "127.0.0.1",
            "port": 8899,
            "log_level": "warning",
            "ssl_certfile": None,
            "ssl_keyfile": None,
        }
    ]


def test_the_demo_password_is_refused_outside_the_demo(workspace, tmp_path):
    url, engine = workspace
    password_file = tmp_path / "password.txt"
    password_file.write_text(DEMO_PASSWORD, encoding="utf-8")
    result = invoke(
        url,
        "users",
        "create",
        "rita",
        "--role",
        "onderzoeker",
        "--org",
        "werkruimte",
        "--password-file",
        str(password_file),
    )
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "Error: that password is the demo's published password; choose another"
    )
    create_user(
        engine,
        username="rita",
        password=PASSWORD,
        role="onderzoeker",
        organisation="werkruimte",
        actor="cli:test",
    )
    again = invoke(url, "users", "password", "rita", "--password-file", str(password_file))
    assert again.exit_code == 2
    assert "demo's published password" in again.stderr


def test_no_https_on_a_public_address_is_refused(workspace, runs):
    url, engine = workspace
    create_user(
        engine,
        username="beheer",
        password=PASSWORD,
        role="beheerder",
        organisation="werkruimte",
        actor="cli:test",
    )
    refused = invoke(url, "serve", "--host", "0.0.0.0", "--no-https")
    assert refused.exit_code == 2
    assert one_line(refused.stderr).startswith(
        "Error: --no-https on 0.0.0.0 would send passwords and session cookies in clear text"
    )
    assert runs == []


def test_the_hub_refuses_demo_tokens_until_they_are_revoked(workspace, runs):
    url, engine = workspace
    create_organisation(engine, "jz-oost", "Jeugdzorg Oost", "jeugdzorg", demo=True)
    create_organisation(engine, "politie", "Politie", "politie")
    refused = invoke(url, "hub", "serve")
    assert refused.exit_code == 2
    assert one_line(refused.stderr) == (
        "Error: organisation jz-oost still holds a token made by the demo (its token files "
        "lie in the demo folder) Hint: revoke it with `ketenbeeld hub token revoke CODE` "
        "and issue a new one with `ketenbeeld hub token issue CODE`"
    )
    reserved = invoke(url, "hub", "token", "issue", "politie", "--label", "demo")
    assert reserved.exit_code == 2
    assert "the token label demo is reserved for the demo's tokens" in reserved.stderr

    assert invoke(url, "hub", "token", "revoke", "jz-oost").exit_code == 0
    served = invoke(url, "hub", "serve")
    assert served.exit_code == 0, served.output
    assert len(runs) == 1


@pytest.mark.parametrize("command", [["hub", "serve"], ["serve"]])
def test_clear_text_off_this_machine_is_refused(workspace, runs, command):
    url, engine = workspace
    create_user(
        engine,
        username="beheer",
        password=PASSWORD,
        role="beheerder",
        organisation="werkruimte",
        actor="cli:test",
    )
    result = invoke(url, *command, "--host", "10.0.0.5", "--tls-cert", "cert.pem")
    assert result.exit_code == 2
    assert one_line(result.stderr) == "Error: give both --tls-cert and --tls-key, or neither"
    if command == ["hub", "serve"]:
        refused = invoke(url, *command, "--host", "10.0.0.5")
        assert refused.exit_code == 2
        assert one_line(refused.stderr) == (
            "Error: the hub would receive API tokens in clear text on 10.0.0.5 Hint: give "
            "--tls-cert and --tls-key, or listen on 127.0.0.1 behind a proxy that "
            "terminates TLS"
        )
    assert runs == []


def test_the_node_api_without_accounts_serves_this_machine_only(workspace, runs, tmp_path):
    url, _ = workspace
    result = invoke(
        url, "node", "serve", "--org", "jz", "--hub", "http://127.0.0.1:1", "--host", "10.0.0.5"
    )
    assert result.exit_code == 2
    assert one_line(result.stderr) == (
        "Error: the node's API has no accounts, so it serves this machine only, not 10.0.0.5 "
        "Hint: professionals use the web application, which has accounts and roles "
        "(ketenbeeld serve --hub ...); a system elsewhere reaches the node through a proxy "
        "on this machine that authenticates it"
    )
    assert runs == []


def test_node_refuses_the_demo_key_and_open_key_or_token_files(workspace, runs, tmp_path):
    url, _ = workspace
    key = tmp_path / "chain.key"
    token = tmp_path / "hub.token"
    token.write_text("kbh_x\n", encoding="utf-8")
    token.chmod(0o600)
    node = ["node", "serve", "--org", "jz", "--hub", "http://127.0.0.1:1"]
    files = ["--key", str(key), "--token-file", str(token)]

    write_key_file(key, generate_chain_key(), demo=True)
    demo_key = invoke(url, *node, *files)
    assert demo_key.exit_code == 2
    assert one_line(demo_key.stderr).startswith(
        f"Error: the key file {key} was made by `ketenbeeld demo`; a service outside the "
        "demo needs the chain's own key"
    )

    write_key_file(key, generate_chain_key(), overwrite=True)
    key.chmod(0o644)
    open_key = invoke(url, *node, *files)
    assert open_key.exit_code == 2
    assert one_line(open_key.stderr) == (
        f"Error: the key file {key} can be read by other users of this machine "
        f"Hint: restrict it to its owner: chmod 600 {key}"
    )

    key.chmod(0o600)
    token.chmod(0o640)
    open_token = invoke(url, *node, *files)
    assert open_token.exit_code == 2
    assert one_line(open_token.stderr).startswith(
        f"Error: the token file {token} can be read by other users of this machine"
    )
    assert runs == []


def _certificate(folder: Path) -> tuple[Path, Path]:
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ketenbeeld test hub")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(private, hashes.SHA256())
    )
    cert, key = folder / "hub.pem", folder / "hub-key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key.chmod(0o600)
    return cert, key


def test_the_hub_serves_https_with_a_certificate(workspace, tmp_path):
    url, engine = workspace
    token = create_organisation(engine, "jz-oost", "Jeugdzorg Oost", "jeugdzorg")
    cert, key = _certificate(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "ketenbeeld", "--database-url", url, "hub", "serve"]
    command += ["--port", str(port), "--tls-cert", str(cert), "--tls-key", str(key)]
    server = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ)
    )
    try:
        deadline = time.monotonic() + 30
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(
                    f"https://127.0.0.1:{port}/api/v1/me",
                    headers={"Authorization": f"Bearer {token}"},
                    verify=trust,
                )
                break
            except httpx.ConnectError:
                time.sleep(0.2)
        assert answer is not None, server.stderr.read().decode() if server.stderr else ""
        assert answer.status_code == 200
        assert answer.json()["code"] == "jz-oost"
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"http://127.0.0.1:{port}/api/v1/me")  # no clear text on the TLS port
    finally:
        server.terminate()
        server.wait(timeout=10)
