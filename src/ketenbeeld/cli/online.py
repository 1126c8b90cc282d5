"""``ketenbeeld online``: advertisements in, networks and a priority queue out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

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


@online_app.command("cluster")
@guarded
def cluster_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option("--out", help="CSV to write ad_id,cluster_id to.")],
    input_file: Annotated[
        list[Path] | None,
        typer.Option("--input", help="Cluster these files instead of the stored ads."),
    ] = None,
    links: Annotated[
        Path | None,
        typer.Option("--links", help="Also write every link with its reason (CSV)."),
    ] = None,
) -> None:
    """Link ads into networks by shared contacts and template text."""
    from ketenbeeld.online.ads import read_ad_files
    from ketenbeeld.online.cluster import cluster_ads, write_clusters_csv, write_links_csv
    from ketenbeeld.online.ingest import stored_ads

    ads: list[Any]
    if input_file:
        read = read_ad_files(list(input_file))
        if read.problems:
            from ketenbeeld.errors import ValidationFailed

            raise ValidationFailed(
                read.problems,
                what="nothing was clustered",
                hint="ingest with --on-error skip to store the usable ads, then cluster those",
            )
        ads = list(read.ads)
    else:
        ads = list(stored_ads(state(ctx).engine))
        if not ads:
            raise InputError("there are no stored ads", hint="run `ketenbeeld online ingest` first")
    with err_console.status(f"Clustering {len(ads)} ads…") as status:
        result = cluster_ads(ads, on_step=lambda step: status.update(f"Clustering: {step}…"))
    write_clusters_csv(out, result)
    if links is not None:
        write_links_csv(links, result)
    sizes = Counter(result.cluster_of.values())
    networks = sum(1 for size in sizes.values() if size > 1)
    out_console.print(
        f"{len(ads)} ads in {len(sizes)} clusters ({networks} with more than one ad, the "
        f"largest {max(sizes.values())}); {len(result.links)} links joined them, "
        f"{len(result.stock_links)} shared stock-text links did not"
        + (
            f", {len(result.common_contacts)} contacts were too common to link"
            if result.common_contacts
            else ""
        )
        + f". Written to {out}."
    )
