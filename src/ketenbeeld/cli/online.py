"""``ketenbeeld online``: advertisements in, networks and a priority queue out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ketenbeeld.cli.common import err_console, guarded, out_console, progress_bar, state
from ketenbeeld.errors import InputError

__all__ = ["online_app"]

online_app = typer.Typer(
    help="Online advertisements: ingest, link into networks, flag and queue them.",
    no_args_is_help=True,
)


@online_app.command("ingest")
@guarded
def ingest_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="JSONL or CSV files of advertisements.")],
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error",
            help="reject: any bad record rejects the whole ingest (default); "
            "skip: store the good ads and list every skipped record.",
        ),
    ] = "reject",
) -> None:
    """Store advertisements (idempotent: ingesting the same ads again changes nothing)."""
    from ketenbeeld.online.ingest import ingest_ads

    if on_error not in ("reject", "skip"):
        raise InputError("--on-error must be reject or skip")
    with progress_bar() as progress:
        task = progress.add_task("Storing ads", total=None)
        summary = ingest_ads(
            state(ctx).engine,
            files,
            on_error="skip" if on_error == "skip" else "reject",
            actor=state(ctx).actor,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    out_console.print(
        f"Read {summary.n_records} records: {summary.n_new} new, {summary.n_updated} updated, "
        f"{summary.n_unchanged} unchanged, {len(summary.skipped)} skipped."
    )
    for problem in summary.skipped:
        err_console.print(Text(f"  skipped: {problem}"))
    for notice in summary.notices:
        err_console.print(Text(f"  note: {notice}", style="dim"))


@online_app.command("synth")
@guarded
def synth_command(
    out: Annotated[Path, typer.Option("--out", help="JSONL file to write the ads to.")],
    ads: Annotated[int, typer.Option("--ads", min=1, help="Number of ads.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 1,
    truth: Annotated[
        Path | None,
        typer.Option("--truth", help="Also write the ground truth per ad (CSV)."),
    ] = None,
) -> None:
    """Write seeded synthetic advertisements (sober wording, fictional sites) and their truth."""
    from ketenbeeld.online.synth import generate_ads, write_ads_jsonl, write_truth_csv

    with err_console.status(f"Generating {ads} synthetic ads…"):
        generated = generate_ads(ads, seed)
        write_ads_jsonl(generated.ads, out)
        if truth is not None:
            write_truth_csv(generated.truth, truth)
    organised = sum(t.organised for t in generated.truth)
    operators = len({t.operator_id for t in generated.truth})
    out_console.print(
        f"Wrote {len(generated.ads)} synthetic ads ({organised} by organised operators; "
        f"{operators} advertisers and operators in all) to {out}"
        + (f"; truth in {truth}." if truth else ".")
    )
