"""``ketenbeeld serve``: the web application for researchers, analysts and professionals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ketenbeeld.cli.common import guarded, out_console, state
from ketenbeeld.errors import InputError

__all__ = ["serve_command"]

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
) -> None:
    """Run the web application until interrupted (create the first user with `users create`)."""
    import uvicorn

    from ketenbeeld.web import WebContext, create_app

    st = state(ctx)
    node = None
    if hub is not None:
        from ketenbeeld.cli.node import make_node

        node = make_node(st.engine, org, hub, key, token_file, "dutch-person")
    secure = https if https is not None else host not in _LOOPBACK
    context = WebContext(
        st.engine,
        org,
        node=node,
        lang=st.settings.lang,
        min_cell=st.settings.min_cell,
        secure_cookies=secure,
    )
    from ketenbeeld.accounts import list_users

    if not list_users(st.engine):
        raise InputError(
            "there are no users yet",
            hint="create the first administrator: "
            f"ketenbeeld users create NAME --role beheerder --org {org}",
        )
    shown = f"http://{host}:{port}"
    out_console.print(
        f"Ketenbeeld for {org} on {shown}" + (f" (node of hub {hub})" if node else "")
    )
    uvicorn.run(create_app(context), host=host, port=port, log_level="warning")
