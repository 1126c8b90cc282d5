"""``ketenbeeld users``: accounts of the web application (the first administrator too)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ketenbeeld.cli.common import guarded, out_console, state
from ketenbeeld.errors import InputError

__all__ = ["users_app"]

users_app = typer.Typer(help="Accounts of the web application.", no_args_is_help=True)


def _password(path: Path | None) -> str:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").rstrip("\n")
        except OSError:
            raise InputError(f"the password file {path} cannot be read") from None
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("create")
@guarded
def create_command(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[
        str,
        typer.Option(help="beheerder, onderzoeker, analist or professional."),
    ],
    org: Annotated[str, typer.Option("--org", help="The user's organisation.")],
    name: Annotated[str, typer.Option("--name", help="Name shown in the application.")] = "",
    password_file: Annotated[
        Path | None,
        typer.Option("--password-file", help="Read the password from this file instead of asking."),
    ] = None,
) -> None:
    """Create a user (asks for the password twice; at least 12 characters)."""
    from ketenbeeld.accounts import create_user

    st = state(ctx)
    account = create_user(
        st.engine,
        username=username,
        password=_password(password_file),
        role=role,
        organisation=org,
        display_name=name,
        actor=st.actor,
    )
    out_console.print(f"Created {account.username} ({account.role} at {account.organisation}).")


@users_app.command("list")
@guarded
def list_command(ctx: typer.Context) -> None:
    """The users, with organisation, role and whether they are disabled."""
    from ketenbeeld.accounts import list_users

    table = Table("user", "name", "organisation", "role", "created", "disabled")
    for account in list_users(state(ctx).engine):
        table.add_row(
            account.username,
            account.display_name,
            account.organisation,
            account.role,
            f"{account.created_at:%Y-%m-%d}",
            "yes" if account.disabled else "no",
        )
    out_console.print(table)


@users_app.command("disable")
@guarded
def disable_command(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The user to disable.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again.")] = False,
) -> None:
    """Disable a user (their sessions end at once), or enable them again."""
    from ketenbeeld.accounts import set_disabled

    st = state(ctx)
    account = set_disabled(st.engine, username, not enable, actor=st.actor)
    out_console.print(f"{account.username} is {'disabled' if account.disabled else 'enabled'}.")


@users_app.command("password")
@guarded
def password_command(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The user's login name.")],
    password_file: Annotated[
        Path | None,
        typer.Option("--password-file", help="Read the password from this file instead of asking."),
    ] = None,
) -> None:
    """Set a user's password (asks twice; at least 12 characters); their sessions end."""
    from ketenbeeld.accounts import set_password

    st = state(ctx)
    account = set_password(st.engine, username, _password(password_file), actor=st.actor)
    out_console.print(f"New password set for {account.username}; their sessions have ended.")
