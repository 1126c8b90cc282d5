"""Privacy shown over real HTTP: three nodes register synthetic persons at a hub on
127.0.0.1; no identifier value reaches the hub's requests, database or logs."""

from __future__ import annotations

import base64
import logging
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.hub.admin import create_organisation
from ketenbeeld.signals.hub.api import create_app
from ketenbeeld.signals.hub.service import Hub, hub_config
from ketenbeeld.signals.keys import generate_chain_key
from ketenbeeld.signals.node import HubClient, Node
from ketenbeeld.signals.schema import load_schema
from ketenbeeld.storage import make_engine
from ketenbeeld.synth import generate_population
from ketenbeeld.synth.person_files import make_linkage_files


class Recorder:
    """ASGI wrapper keeping everything the hub receives: path, query, headers, body."""

    def __init__(self, app) -> None:
        self.app = app
        self.received: list[bytes] = []

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        parts = [scope["path"].encode(), scope.get("query_string", b"")]
        parts += [value for _, value in scope.get("headers", [])]

        async def recording_receive():
            message = await receive()
            if message["type"] == "http.request":
                parts.append(message.get("body", b""))
            return message

        await self.app(scope, recording_receive, send)
        self.received.append(b"\n".join(parts))


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record) + " " + repr(record.args))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def hub_server(tmp_path: Path):
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}", sqlite_immediate=True)
    hub = Hub(engine, hub_config("dutch-person", 0.7))
    tokens = {
        code: create_organisation(engine, code, name, kind)
        for code, name, kind in (
            ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg"),
            ("politie-oost", "Politie Oost-Nederland", "politie"),
            ("reclassering", "Reclassering Nederland", "reclassering"),
        )
    }
    recorder = Recorder(create_app(hub))
    logs = Collect()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(logs)
    root.setLevel(logging.DEBUG)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(recorder, host="127.0.0.1", port=port, log_level="debug", log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the hub did not start"
    try:
        yield f"http://127.0.0.1:{port}", tokens, recorder, logs, tmp_path / "hub.db"
    finally:
        server.should_exit = True
        thread.join(10)
        root.removeHandler(logs)
        root.setLevel(old_level)
        engine.dispose()


def identifier_values(rows) -> set[str]:
    """The identifier values of person rows as written and as normalised (long enough
    that a chance occurrence in random bytes is negligible)."""
    values: set[str] = set()
    for row in rows:
        for field in ("first_name", "last_name", "city"):
            value = row.get(field, "").strip()
            if len(value) >= 6:
                values |= {value, value.lower()}
        dob = row.get("date_of_birth", "").strip()
        if dob:
            values.add(dob)
            if len(dob) == 10 and dob[2] == "-":
                values.add(f"{dob[6:]}-{dob[3:5]}-{dob[:2]}")
        postcode = row.get("postcode", "").replace(" ", "").upper()
        if len(postcode) == 6:
            values |= {postcode, f"{postcode[:4]} {postcode[4:]}"}
        if row.get("bsn"):
            values.add(row["bsn"])
    return values


def test_no_identifier_reaches_the_hub(hub_server, tmp_path: Path):
    url, tokens, recorder, logs, hub_db = hub_server
    key = generate_chain_key()
    encoder = Encoder(load_schema("dutch-person"), key)
    case = make_linkage_files(generate_population(400, seed=11), seed=12)
    rows = {
        "jeugdzorg-oost": case.file_a[:120],
        "politie-oost": case.file_b[:120],
        "reclassering": case.file_b[120:160] + case.file_a[:20],
    }
    nodes, sent = {}, []
    for code, token in tokens.items():
        engine = make_engine(f"sqlite:///{tmp_path / (code + '.db')}")
        nodes[code] = Node(engine, HubClient(url, token), encoder, actor=f"node:{code}")
    new_matches = 0
    for code, person_rows in rows.items():
        for row in person_rows:
            person = {k: v for k, v in row.items() if k != "id"}
            if not person.get("date_of_birth") or not (
                person.get("first_name") or person.get("last_name")
            ):
                continue
            category = "possible_perpetrator" if code == "reclassering" else "possible_victim"
            legal_basis = {"jeugdzorg-oost": "jeugdwet", "politie-oost": "wpg"}.get(code, "wjsg")
            registration = nodes[code].register(
                person, category=category, legal_basis=legal_basis, contact_ref=f"Team {code}"
            )
            new_matches += len(registration.new_matches)
            sent.append(person)

    # Matches happened, and each node sees which of its own clients a match is about.
    assert new_matches >= 40
    for code, node in nodes.items():
        for found in node.matches():
            assert found["client"] is not None
            assert found["other_org_code"] != code
            assert "score" not in found

    values = identifier_values(sent)
    assert len(values) > 500
    received = b"\n".join(recorder.received)
    assert len(recorder.received) >= len(sent)
    database = hub_db.read_bytes() + (
        hub_db.with_name("hub.db-wal").read_bytes()
        if hub_db.with_name("hub.db-wal").exists()
        else b""
    )
    log_text = "\n".join(logs.lines)
    assert logs.lines, "the hub logged nothing: the log check would prove nothing"
    leaks = {
        place: sorted(v for v in values if v.encode() in blob)
        for place, blob in (
            ("requests", received),
            ("database", database),
            ("logs", log_text.encode()),
        )
    }
    assert leaks == {"requests": [], "database": [], "logs": []}
    # The key never travels either, in any form.
    for form in (key, key.hex().encode(), base64.b64encode(key)):
        assert form not in received and form not in database
    # Keys and tokens are never logged (at DEBUG, on both sides), and the hub's
    # database keeps only the tokens' digests.
    for secret in (*tokens.values(), key.hex(), base64.b64encode(key).decode()):
        assert secret not in log_text
        assert secret.encode() not in database
    assert all(token.encode() in received for token in tokens.values())  # the check can see
    # The check can see a leak: the nodes' own databases do hold the identities.
    node_db = (tmp_path / "jeugdzorg-oost.db").read_bytes() + (
        (tmp_path / "jeugdzorg-oost.db-wal").read_bytes()
        if (tmp_path / "jeugdzorg-oost.db-wal").exists()
        else b""
    )
    assert sum(v.encode() in node_db for v in identifier_values(rows["jeugdzorg-oost"])) > 100
