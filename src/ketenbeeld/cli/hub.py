"""``ketenbeeld hub``: run the chain hub, manage its organisations and tokens, expire signals."""

from __future__ import annotations

import gc
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ketenbeeld.cli.common import TlsCert, TlsKey, guarded, out_console, state, tls_options
from ketenbeeld.errors import ConfigError, InputError

__all__ = ["hub_app"]

hub_app = typer.Typer(
    help="The chain hub: matches signals of organisations without seeing identities.",
    no_args_is_help=True,
)
org_app = typer.Typer(help="Organisations that may use the hub.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens of organisations.", no_args_is_help=True)
hub_app.add_typer(org_app, name="org")
hub_app.add_typer(token_app, name="token")

TokenOut = Annotated[
    Path | None,
    typer.Option(
        "--token-out",
        help="Write the token to this file (mode 0600) instead of printing it.",
    ),
]


def _show_token(token: str, path: Path | None, code: str) -> None:
    if path is None:
        out_console.print(f"API token for {code} (shown once, store it safely):")
        out_console.print(token, markup=False, highlight=False)
        return
    if path.exists():
        raise InputError(f"{path} exists already", hint="choose another file name")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(token + "\n")
    out_console.print(f"API token for {code} written to {path} (mode 0600).")


@hub_app.command("serve")
@guarded
def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8700,
    tls_cert: TlsCert = None,
    tls_key: TlsKey = None,
) -> None:
    """Run the hub's HTTP API (OpenAPI docs at /docs) until interrupted."""
    import uvicorn

    from ketenbeeld.signals.hub.admin import demo_token_holders
    from ketenbeeld.signals.hub.api import create_app
    from ketenbeeld.signals.hub.service import Hub, hub_config
    from ketenbeeld.storage import make_engine

    tls = tls_options(host, tls_cert, tls_key, what="the hub", carries="API tokens")
    settings = state(ctx).settings
    config = hub_config(
        settings.hub_schema,
        settings.hub_threshold,
        settings.hub_active_months,
        settings.hub_keep_months,
    )
    engine = make_engine(settings.effective_database_url, sqlite_immediate=True)
    demo_holders = demo_token_holders(engine)
    if demo_holders:
        raise ConfigError(
            f"organisation {', '.join(demo_holders)} still holds a token made by the demo "
            "(its token files lie in the demo folder)",
            hint="revoke it with `ketenbeeld hub token revoke CODE` and issue a new one "
            "with `ketenbeeld hub token issue CODE`",
        )
    hub = Hub(engine, config)
    loaded = hub.load()
    # The loaded index lives as long as the process: keep the collector from walking
    # it again and again (full collections took 0.2 s with a million signals).
    gc.freeze()
    scheme = "https" if tls[0] else "http"
    out_console.print(
        f"Hub for {config.layout.schema}: {loaded} active signals loaded; "
        f"listening on {scheme}://{host}:{port} (API docs at /docs)."
    )
    uvicorn.run(
        create_app(hub),
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=tls[0],
        ssl_keyfile=tls[1],
    )


@hub_app.command("expire")
@guarded
def expire_command(
    ctx: typer.Context,
    now: Annotated[
        str | None,
        typer.Option(help="Act as if it were this UTC time (ISO, e.g. 2031-01-01T00:00)."),
    ] = None,
) -> None:
    """Delete signals past their keep period (with their matches); run it daily."""
    from ketenbeeld.signals.hub.retention import expire
    from ketenbeeld.signals.hub.service import utcnow

    moment = utcnow()
    if now is not None:
        try:
            moment = datetime.fromisoformat(now)
        except ValueError:
            raise InputError("--now must be an ISO date and time, e.g. 2031-01-01T00:00") from None
    result = expire(state(ctx).engine, moment, actor=state(ctx).actor)
    out_console.print(
        f"Deleted {result.deleted_signals} signals and {result.deleted_matches} matches "
        f"past their keep period; {result.inactive_signals} signals are kept but no longer "
        "matched."
    )


@org_app.command("add")
@guarded
def org_add_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short code, e.g. jeugdzorg-oost.")],
    name: Annotated[str, typer.Option(help="Full name shown to matched organisations.")],
    kind: Annotated[
        str,
        typer.Option(help="jeugdzorg, politie, om, reclassering, veilig_thuis, gemeente or zorg."),
    ],
    token_out: TokenOut = None,
) -> None:
    """Add an organisation and issue its first API token."""
    from ketenbeeld.signals.hub.admin import create_organisation

    token = create_organisation(state(ctx).engine, code, name, kind, actor=state(ctx).actor)
    _show_token(token, token_out, code)


@org_app.command("list")
@guarded
def org_list_command(ctx: typer.Context) -> None:
    """List organisations with their number of active tokens."""
    from ketenbeeld.signals.hub.admin import list_organisations

    table = Table("code", "name", "kind", "active tokens", "since")
    for org in list_organisations(state(ctx).engine):
        table.add_row(
            org.code, org.name, org.kind, str(org.active_tokens), org.created_at.date().isoformat()
        )
    out_console.print(table)


@token_app.command("issue")
@guarded
def token_issue_command(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The organisation's code.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "node",
    token_out: TokenOut = None,
) -> None:
    """Issue another API token for an organisation (e.g. to rotate tokens)."""
    from ketenbeeld.signals.hub.admin import issue_token

    token = issue_token(state(ctx).engine, code, label, actor=state(ctx).actor)
    _show_token(token, token_out, code)


@token_app.command("revoke")
@guarded
def token_revoke_command(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="The organisation's code.")]
) -> None:
    """Revoke every active token of an organisation."""
    from ketenbeeld.signals.hub.admin import revoke_tokens

    count = revoke_tokens(state(ctx).engine, code, actor=state(ctx).actor)
    out_console.print(f"Revoked {count} token(s) of {code}.")
