"""The chain part of the demo: one hub and three nodes on localhost, with synthetic persons.

A youth-care institution, the police and the probation service each run a node with
the shared chain key and register concerns about their (synthetic) clients; the hub
matches the encodings over real HTTP and each node sees which of its own clients a
match is about. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ketenbeeld.accounts.service import DEMO_PASSWORD

__all__ = [
    "DEMO_ORGS",
    "DEMO_PASSWORD",
    "ChainDemo",
    "ensure_demo_user",
    "run_chain_demo",
    "start_server",
]

log = logging.getLogger(__name__)

DEMO_ORGS = (
    ("jeugdzorg-oost", "Jeugdzorg Oost (demo)", "jeugdzorg", "jeugdwet", "possible_victim"),
    ("politie-oost", "Politie Oost-Nederland (demo)", "politie", "wpg", "possible_victim"),
    ("reclassering", "Reclassering (demo)", "reclassering", "wjsg", "possible_perpetrator"),
)
DEMO_CHAIN_PERSONS = 400


def ensure_demo_user(engine: Any, username: str, role: str, organisation: str, name: str) -> None:
    """Create a demo login unless it exists (the demo can be run again on its folder)."""
    from ketenbeeld.accounts import create_user, list_users

    if any(account.username == username for account in list_users(engine)):
        return
    create_user(
        engine,
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        organisation=organisation,
        display_name=name,
        actor="demo",
        demo=True,
    )


@dataclass
class ChainDemo:
    """The running (or finished) chain demo.

    Attributes:
        directory: hub and node databases, token files, the chain key.
        hub_url: where the hub listens.
        node_urls: organisation code -> the URL of its node's web application, where
            its professional logs in as the organisation code with
            :data:`DEMO_PASSWORD` (empty unless served).
        n_signals: signals registered by the three nodes.
        n_matches: matches the hub created.
    """

    directory: Path
    hub_url: str
    node_urls: dict[str, str]
    n_signals: int
    n_matches: int
    _servers: list[tuple[Any, threading.Thread]] = field(default_factory=list, repr=False)
    _engines: list[Any] = field(default_factory=list, repr=False)

    def stop(self) -> None:
        """Stop the hub and node servers."""
        for server, _ in self._servers:
            server.should_exit = True
        for _, thread in self._servers:
            thread.join(10)
        self._servers.clear()
        for engine in self._engines:
            engine.dispose()  # closes SQLite, which folds the WAL back into the file
        self._engines.clear()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(app: Any, port: int) -> tuple[Any, threading.Thread]:
    """Serve an ASGI ``app`` on 127.0.0.1:``port`` in a thread; return once it listens."""
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", log_config=None)
    )
    thread = threading.Thread(target=server.run, daemon=True, name=f"demo-server-{port}")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            from ketenbeeld.errors import InputError

            raise InputError(
                f"cannot listen on 127.0.0.1:{port}", hint="is another demo still running?"
            )
        time.sleep(0.02)
    return server, thread


def _fresh(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.iterdir():
        if path.suffix in (".db", ".token") or path.name.endswith((".db-wal", ".db-shm")):
            path.unlink()


def _write_token(path: Path, token: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(token + "\n")


def run_chain_demo(
    directory: Path,
    *,
    seed: int,
    serve: bool,
    hub_port: int | None = None,
    node_ports: tuple[int, ...] = (),
) -> ChainDemo:
    """Start a hub, register the three organisations' synthetic clients through their nodes.

    Args:
        directory: folder for the databases, tokens and chain key (remade each run).
        seed: seed of the synthetic persons.
        serve: keep the hub running and serve the three nodes' APIs too (call
            :meth:`ChainDemo.stop` to end); otherwise stop after registering.
        hub_port: the hub's port (a free one if not given).
        node_ports: the nodes' ports when serving (three).
    """
    from ketenbeeld.signals.encode import Encoder
    from ketenbeeld.signals.hub.admin import create_organisation
    from ketenbeeld.signals.hub.api import create_app as hub_app
    from ketenbeeld.signals.hub.service import Hub, hub_config
    from ketenbeeld.signals.keys import generate_chain_key, write_key_file
    from ketenbeeld.signals.node import HubClient, Node
    from ketenbeeld.signals.schema import load_schema
    from ketenbeeld.storage import make_engine
    from ketenbeeld.synth import generate_population, make_linkage_files

    _fresh(directory)
    key = generate_chain_key()
    write_key_file(directory / "chain.key", key, overwrite=True, demo=True)
    hub_engine = make_engine(f"sqlite:///{(directory / 'hub.db').resolve()}", sqlite_immediate=True)
    from ketenbeeld.settings import Settings

    threshold = Settings.model_fields["hub_threshold"].default  # the shipped default
    hub = Hub(hub_engine, hub_config("dutch-person", threshold))
    port = hub_port or _free_port()
    hub_url = f"http://127.0.0.1:{port}"
    demo = ChainDemo(directory, hub_url, {}, 0, 0)
    demo._engines.append(hub_engine)
    demo._servers.append(start_server(hub_app(hub), port))
    try:
        encoder = Encoder(load_schema("dutch-person"), key)
        case = make_linkage_files(generate_population(DEMO_CHAIN_PERSONS, seed), seed + 1)
        clients = {
            "jeugdzorg-oost": case.file_a[:150],
            "politie-oost": case.file_b[:150],
            "reclassering": case.file_b[150:200] + case.file_a[:30],
        }
        nodes: dict[str, Node] = {}
        for code, name, kind, legal_basis, category in DEMO_ORGS:
            token = create_organisation(hub_engine, code, name, kind, actor="demo", demo=True)
            _write_token(directory / f"{code}.token", token)
            engine = make_engine(f"sqlite:///{(directory / f'{code}.db').resolve()}")
            demo._engines.append(engine)
            node = Node(engine, HubClient(hub_url, token), encoder, actor=f"node:{code}")
            nodes[code] = node
            for row in clients[code]:
                person = {k: v for k, v in row.items() if k != "id"}
                if not person.get("date_of_birth"):
                    continue  # the demo's files have a few; a professional would ask
                registration = node.register(
                    person,
                    category=category,
                    legal_basis=legal_basis,
                    contact_ref=f"{name}, team signalen",
                )
                demo.n_signals += 1
                demo.n_matches += len(registration.new_matches)
        if serve:
            from ketenbeeld.web import WebContext, create_app

            for (code, name, *_), node_port in zip(DEMO_ORGS, node_ports, strict=True):
                node = nodes[code]
                ensure_demo_user(node.engine, code, "professional", code, f"Professional, {name}")
                context = WebContext(node.engine, code, node=node, secure_cookies=False)
                demo._servers.append(start_server(create_app(context), node_port))
                demo.node_urls[code] = f"http://127.0.0.1:{node_port}"
    except BaseException:
        demo.stop()
        raise
    if not serve:
        demo.stop()
    log.info("chain demo: %d signals, %d matches", demo.n_signals, demo.n_matches)
    return demo
