"""``ketenbeeld serve``: the web application for researchers, analysts and professionals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ketenbeeld.cli.common import (
    LOOPBACK,
    TlsCert,
    TlsKey,
    guarded,
    out_console,
    state,
    tls_options,
)
from ketenbeeld.errors import ConfigError, InputError

__all__ = ["serve_command"]


@guarded
def serve_command(
    ctx: typer.Context,
    org: Annotated[
        str, typer.Option("--org", help="This installation's organisation (its hub code).")
    ] = "werkruimte",
    hub: Annotated[
        str | None,
        typer.Option("--hub", help="The hub's URL; with --key and --token-file, enables Signalen."),
    ] = None,
    key: Annotated[Path, typer.Option("--key", help="The chain key file.")] = Path("chain.key"),
    token_file: Annotated[
        Path, typer.Option("--token-file", help="File holding the organisation's hub token.")
    ] = Path("hub.token"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8800,
    https: Annotated[
        bool | None,
        typer.Option(
            "--https/--no-https",
            help="Served to browsers over HTTPS (cookies marked Secure). Default: on unless "
            "listening on 127.0.0.1.",
        ),
    ] = None,
    tls_cert: TlsCert = None,
    tls_key: TlsKey = None,
) -> None:
    """Run the web application until interrupted (create the first user with `users create`)."""
    import uvicorn

    from ketenbeeld.web import WebContext, create_app

    public = host not in LOOPBACK
    if public and https is False:
        raise ConfigError(
            f"--no-https on {host} would send passwords and session cookies in clear text",
            hint="serve HTTPS (--tls-cert and --tls-key, or a TLS proxy in front with "
            "--https), or listen on 127.0.0.1",
        )
    tls = (
        tls_options(host, tls_cert, tls_key, what="the application", carries="passwords")
        if tls_cert is not None or tls_key is not None
        else (None, None)
    )
    st = state(ctx)
    node = None
    if hub is not None:
        from ketenbeeld.cli.node import make_node

        node = make_node(st.engine, org, hub, key, token_file, "dutch-person")
    secure = tls[0] is not None or (https if https is not None else public)
    context = WebContext(
        st.engine,
        org,
        node=node,
        lang=st.settings.lang,
        min_cell=st.settings.min_cell,
        secure_cookies=secure,
    )
    from ketenbeeld.accounts import list_users, users_with_demo_password

    if not list_users(st.engine):
        raise InputError(
            "there are no users yet",
            hint="create the first administrator: "
            f"ketenbeeld users create NAME --role beheerder --org {org}",
        )
    demo_users = users_with_demo_password(st.engine)
    if demo_users:
        who = (
            f"user {demo_users[0]} still has"
            if len(demo_users) == 1
            else f"users {', '.join(demo_users)} still have"
        )
        raise ConfigError(
            f"{who} the demo's published password",
            hint="give each a password of their own: ketenbeeld users password NAME "
            "(or disable it: ketenbeeld users disable NAME)",
        )
    shown = f"{'https' if tls[0] else 'http'}://{host}:{port}"
    out_console.print(
        f"Ketenbeeld for {org} on {shown}" + (f" (node of hub {hub})" if node else "")
    )
    uvicorn.run(
        create_app(context),
        host=host,
        port=port,
        log_level="warning",
        ssl_certfile=tls[0],
        ssl_keyfile=tls[1],
    )
