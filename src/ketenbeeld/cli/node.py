"""``ketenbeeld node``: an organisation's node (local identities, chain key, hub client)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ketenbeeld.cli.common import LOOPBACK, guarded, out_console, state
from ketenbeeld.errors import ConfigError, InputError

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
    host: Annotated[
        str, typer.Option(help="Address to listen on: this machine only (127.0.0.1 or ::1).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8701,
) -> None:
    """Run the node's HTTP API for the organisation's systems on this machine until interrupted."""
    import uvicorn

    from ketenbeeld.signals.node.api import create_app

    if host not in LOOPBACK:
        # The API has no accounts: anyone who reaches it could read identities.
        raise ConfigError(
            f"the node's API has no accounts, so it serves this machine only, not {host}",
            hint="professionals use the web application, which has accounts and roles "
            "(ketenbeeld serve --hub ...); a system elsewhere reaches the node through a "
            "proxy on this machine that authenticates it",
        )
    node = make_node(state(ctx).engine, org, hub, key, token_file, schema)
    out_console.print(f"Node of {org} on http://{host}:{port} (hub {hub}; identities stay here).")
    uvicorn.run(create_app(node, org), host=host, port=port, log_level="warning")


def _read_person(path: Path) -> dict[str, str]:
    """The one person in a CSV file with identity columns (the ``dutch-person`` ones)."""
    import csv

    from ketenbeeld.signals.node.service import IDENTITY_FIELDS

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError:
        raise InputError(f"the person file {path} cannot be read") from None
    except (UnicodeDecodeError, csv.Error):
        raise InputError(f"the person file {path} is not a UTF-8 CSV file") from None
    if len(rows) != 1:
        raise InputError(
            f"the person file {path} must hold exactly one person (one row under the "
            f"header); it holds {len(rows)}"
        )
    unknown = sorted(c for c in rows[0] if c not in IDENTITY_FIELDS and c != "id")
    if unknown:
        raise InputError(
            f"the person file {path} has columns that are not identity fields: "
            f"{', '.join(unknown)}",
            hint=f"use the columns {', '.join(IDENTITY_FIELDS)}",
        )
    return {k: (v or "").strip() for k, v in rows[0].items() if k in IDENTITY_FIELDS and v}


@node_app.command("access-history")
@guarded
def access_history_command(
    ctx: typer.Context,
    person: Annotated[Path, typer.Argument(help="CSV file with the person's identity (one row).")],
    org: Annotated[str, typer.Option("--org", help="The organisation's code at the hub.")],
    hub: Annotated[str, typer.Option("--hub", help="The hub's URL.")],
    key: Annotated[Path, typer.Option("--key", help="The chain key file.")] = Path("chain.key"),
    token_file: Annotated[
        Path, typer.Option("--token-file", help="File holding the organisation's API token.")
    ] = Path("hub.token"),
    threshold: Annotated[
        float, typer.Option(help="Least similarity of a signal about the person.", min=0.5, max=1.0)
    ] = 0.8,
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """A data subject's access history: the signals about a person and who looked at them."""
    import json

    from rich.table import Table

    from ketenbeeld.signals.node.access import access_history

    if output not in ("table", "json"):
        raise InputError("--format must be table or json")
    st = state(ctx)
    identity = _read_person(person)
    node = make_node(st.engine, org, hub, key, token_file, "dutch-person")
    try:
        found = access_history(node, identity, actor=st.actor, threshold=threshold)
    finally:
        node.client.close()
    if output == "json":
        document = [
            {
                "signal": item.hub_signal_id,
                "category": item.category,
                "registered_at": item.registered_at.isoformat(),
                "keep_until": item.keep_until.isoformat(),
                "accesses": [
                    {
                        "at": r.at.isoformat(),
                        "where": r.where,
                        "who": r.actor,
                        "what": r.action,
                        "object": r.object_ref,
                        "result": r.result,
                    }
                    for r in item.records
                ],
            }
            for item in found
        ]
        out_console.print_json(json.dumps(document))
        return
    out_console.print(f"{len(found)} signal(s) of {org} about this person.")
    for item in found:
        table = Table(
            "when (UTC)", "where", "who", "what", "object", "result",
            title=f"signal {item.hub_signal_id} ({item.category}), registered "
            f"{item.registered_at:%Y-%m-%d}, deleted after {item.keep_until:%Y-%m-%d}",
        )  # fmt: skip
        for r in item.records:
            table.add_row(
                f"{r.at:%Y-%m-%d %H:%M:%S}", r.where, r.actor, r.action, r.object_ref, r.result
            )
        out_console.print(table)
