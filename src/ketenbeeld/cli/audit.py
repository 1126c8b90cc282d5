"""``ketenbeeld audit``: verify the hash-chained audit log."""

from __future__ import annotations

import typer

from ketenbeeld.cli.common import guarded, out_console, state

__all__ = ["audit_app"]

audit_app = typer.Typer(help="The audit log of every write.", no_args_is_help=True)


@audit_app.command("verify")
@guarded
def verify_command(ctx: typer.Context) -> None:
    """Recompute the audit log's hash chain; exit 1 if an entry was changed, removed or moved."""
    from ketenbeeld.storage import verify_audit_log

    result = verify_audit_log(state(ctx).engine)
    if result.ok:
        out_console.print(f"Audit log intact: {result.n_events} events verified.")
        return
    out_console.print(
        f"Audit log BROKEN at event {result.first_bad_id}: {result.reason}.", style="bold red"
    )
    raise typer.Exit(1)
