"""``ketenbeeld node``: an organisation's node (local identities, chain key, hub client)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ketenbeeld.cli.common import TlsCert, TlsKey, guarded, out_console, state, tls_options
from ketenbeeld.errors import InputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from ketenbeeld.signals.node import Node

__all__ = ["make_node", "node_app"]

node_app = typer.Typer(
    help="An organisation's node: encodes identities locally, talks to the hub.",
    no_args_is_help=True,
)


def read_token(path: Path) -> str:
    """The API token in a token file (as written by ``hub org add --token-out``)."""
    try:
        token = path.read_text(encoding="utf-8").strip()
    except OSError:
        raise InputError(f"the token file {path} cannot be read") from None
    if not token:
        raise InputError(f"the token file {path} is empty")
    return token


def make_node(engine: Engine, org: str, hub: str, key: Path, token_file: Path, schema: str) -> Node:
    """The organisation's node for a service: its key and token files must be private
    and not the demo's, and the token must be the organisation's own."""
    from ketenbeeld.signals.encode import Encoder
    from ketenbeeld.signals.keys import read_service_key, require_private_file
    from ketenbeeld.signals.node import HubClient, Node
    from ketenbeeld.signals.schema import load_schema

    chain_key = read_service_key(key)
    require_private_file(token_file, "token file")
    client = HubClient(hub, read_token(token_file))
    me = client.request("GET", "/api/v1/me")
    if me["code"] != org:
        raise InputError(f"the token belongs to {me['code']}, not to {org}")
    encoder = Encoder(load_schema(schema), chain_key)
    return Node(engine, client, encoder, actor=f"node:{org}")


@node_app.command("serve")
@guarded
def serve_command(
    ctx: typer.Context,
    org: Annotated[str, typer.Option("--org", help="The organisation's code at the hub.")],
    hub: Annotated[str, typer.Option("--hub", help="The hub's URL, e.g. http://127.0.0.1:8700.")],
    key: Annotated[Path, typer.Option("--key", help="The chain key file.")] = Path("chain.key"),
    token_file: Annotated[
        Path, typer.Option("--token-file", help="File holding the organisation's API token.")
    ] = Path("hub.token"),
    schema: Annotated[
        str, typer.Option("--schema", help="Linkage schema: the hub's (dutch-person) or a file.")
    ] = "dutch-person",
    host: Annotated[str, typer.Option(help="Address to listen on (keep it local).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8701,
    tls_cert: TlsCert = None,
    tls_key: TlsKey = None,
) -> None:
    """Run the node's HTTP API for the organisation until interrupted."""
    import uvicorn

    from ketenbeeld.signals.node.api import create_app

    tls = tls_options(host, tls_cert, tls_key, what="the node", carries="identities")
    node = make_node(state(ctx).engine, org, hub, key, token_file, schema)
    scheme = "https" if tls[0] else "http"
    out_console.print(
        f"Node of {org} on {scheme}://{host}:{port} (hub {hub}; identities stay here)."
    )
    uvicorn.run(
        create_app(node, org),
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=tls[0],
        ssl_keyfile=tls[1],
    )
