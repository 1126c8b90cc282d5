"""The root ``ketenbeeld`` command and its global options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ketenbeeld import __version__
from ketenbeeld.cli.audit import audit_app
from ketenbeeld.cli.backup import backup_command, restore_command
from ketenbeeld.cli.cases import cases_app
from ketenbeeld.cli.common import State, out_console
from ketenbeeld.cli.demo import demo_command
from ketenbeeld.cli.hub import hub_app
from ketenbeeld.cli.node import node_app
from ketenbeeld.cli.online import online_app
from ketenbeeld.cli.serve import serve_command
from ketenbeeld.cli.signals import signals_app
from ketenbeeld.cli.users import users_app

__all__ = ["app", "main"]

app = typer.Typer(
    name="ketenbeeld",
    help="Ketenbeeld: research on coded case files, chain signals and online monitoring.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
app.add_typer(cases_app, name="cases")
app.add_typer(signals_app, name="signals")
app.add_typer(hub_app, name="hub")
app.add_typer(node_app, name="node")
app.add_typer(online_app, name="online")
app.add_typer(audit_app, name="audit")
app.add_typer(users_app, name="users")
app.command("serve")(serve_command)
app.command("demo")(demo_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)


def _version(value: bool) -> None:
    if value:
        out_console.print(f"ketenbeeld {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Workspace folder (default ./ketenbeeld-data; env KETENBEELD_DATA_DIR).",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy database URL (env KETENBEELD_DATABASE_URL); default SQLite "
            "in the workspace.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Ketenbeeld: a picture shared by the chain against sexual exploitation."""
    overrides: dict[str, object] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    ctx.obj = State(overrides=overrides)


def main() -> None:
    """Console-script entry point."""
    app()
