"""``ketenbeeld backup`` and ``ketenbeeld restore``: the whole database in one file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ketenbeeld.cli.common import guarded, out_console, state

if TYPE_CHECKING:
    from ketenbeeld.storage.backup import BackupSummary

__all__ = ["backup_command", "restore_command"]


def _describe(summary: BackupSummary) -> str:
    kind = "SQLite" if summary.kind == "sqlite" else "PostgreSQL"
    chain = "verified" if summary.audit_ok else "BROKEN"
    return (
        f"{kind}, revision {summary.revision}, {summary.rows:,} rows, "
        f"{summary.audit_events:,} audit events (chain {chain}), SHA-256 {summary.sha256[:16]}"
    )


@guarded
def backup_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="The backup file to write.")],
) -> None:
    """Write a consistent backup of the database (SQLite backup API or pg_dump)."""
    from ketenbeeld.storage.backup import backup_database

    st = state(ctx)
    summary = backup_database(st.settings.effective_database_url, out, actor=st.actor)
    out_console.print(f"Backup written to {out}: {_describe(summary)}.")
    if not summary.audit_ok:
        out_console.print(
            "The audit log does not verify: run `ketenbeeld audit verify`.", style="bold red"
        )
        raise typer.Exit(1)


@guarded
def restore_command(
    ctx: typer.Context,
    backup: Annotated[Path, typer.Argument(help="A file written by `ketenbeeld backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that holds data.")
    ] = False,
) -> None:
    """Replace the database with a backup, all or nothing, then migrate and verify it."""
    from ketenbeeld.storage.backup import restore_database

    st = state(ctx)
    summary = restore_database(
        st.settings.effective_database_url, backup, force=force, actor=st.actor
    )
    out_console.print(f"Restored {backup}: {_describe(summary)}.")
    if not summary.audit_ok:
        out_console.print(
            "The restored audit log does not verify: the backup was changed after it was written.",
            style="bold red",
        )
        raise typer.Exit(1)
