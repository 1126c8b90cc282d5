"""``ketenbeeld online``: advertisements in, networks and a priority queue out."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ketenbeeld.cli.common import (
    BatchEngine,
    SparkMaster,
    err_console,
    guarded,
    out_console,
    progress_bar,
    state,
)
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
    if summary.notices:
        fields = Counter(notice.field for notice in summary.notices)
        err_console.print(
            Text(
                f"  {len(summary.notices)} values could not be read and were kept as written ("
                + ", ".join(f"{field} {count}" for field, count in sorted(fields.items()))
                + "), e.g.:",
                style="dim",
            )
        )
        for notice in summary.notices[:5]:
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
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="File to write ad_id,cluster_id to: CSV, or Parquet if it ends in .parquet.",
        ),
    ],
    input_file: Annotated[
        list[Path] | None,
        typer.Option("--input", help="Cluster these files instead of the stored ads."),
    ] = None,
    links: Annotated[
        Path | None,
        typer.Option("--links", help="Also write every link with its reason (CSV)."),
    ] = None,
    engine: Annotated[
        BatchEngine,
        typer.Option(help="local (this process) or spark (Apache Spark; the same clusters)."),
    ] = BatchEngine.local,
    master: SparkMaster = "local[*]",
) -> None:
    """Link ads into networks by shared contacts and template text.

    With --engine spark the work runs on Apache Spark (this machine, or a cluster with
    --master), with the same clusters as the local engine; it needs --input.
    """
    from ketenbeeld.online.ads import read_ad_files
    from ketenbeeld.online.cluster import (
        cluster_ads,
        write_clusters_csv,
        write_clusters_parquet,
        write_links_csv,
    )
    from ketenbeeld.parquet import is_parquet

    reuse_note = ""
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
        if engine is BatchEngine.spark:
            from ketenbeeld.online.spark_cluster import cluster_ads_spark
            from ketenbeeld.signals.spark_link import spark_session

            with (
                err_console.status(f"Clustering {len(ads)} ads on Spark…") as status,
                spark_session(master, records=len(ads), app="ketenbeeld online cluster") as spark,
            ):
                result = cluster_ads_spark(
                    spark, ads, on_step=lambda step: status.update(f"Clustering: {step}…")
                )
        else:
            with err_console.status(f"Clustering {len(ads)} ads…") as status:
                result = cluster_ads(
                    ads, on_step=lambda step: status.update(f"Clustering: {step}…")
                )
    elif engine is BatchEngine.spark:
        raise InputError(
            "--engine spark clusters files, not the stored ads",
            hint="pass the ads with --input FILE, or use --engine local for the stored ads",
        )
    else:
        from ketenbeeld.online.analyst import cluster_stored

        with err_console.status("Clustering the stored ads…") as status:
            result, note = cluster_stored(
                state(ctx).engine,
                actor=state(ctx).actor,
                on_step=lambda step: status.update(f"Clustering: {step}…"),
            )
        reuse_note = f" ({note})"
    if is_parquet(out):
        write_clusters_parquet(out, result)
    else:
        write_clusters_csv(out, result)
    if links is not None:
        write_links_csv(links, result)
    sizes = Counter(result.cluster_of.values())
    networks = sum(1 for size in sizes.values() if size > 1)
    out_console.print(
        f"{len(result.cluster_of)} ads in {len(sizes)} clusters ({networks} with more than "
        f"one ad, the "
        f"largest {max(sizes.values())}); {len(result.links)} links joined them, "
        f"{len(result.stock_links)} shared stock-text links did not"
        + (
            f", {len(result.common_contacts)} contacts were too common to link"
            if result.common_contacts
            else ""
        )
        + f". Written to {out}{reuse_note}."
    )


@online_app.command("queue")
@guarded
def queue_command(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, help="How many clusters to show.")] = 50,
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", help="Override a weight: NAME=NUMBER (e.g. youth=5, size=0)."),
    ] = None,
    lexicon_name: Annotated[
        str, typer.Option("--lexicon", help="Indicator lexicon: a version or a YAML file.")
    ] = "1",
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    include_dismissed: Annotated[
        bool, typer.Option("--include-dismissed", help="Also show dismissed clusters.")
    ] = False,
) -> None:
    """Clusters ranked by priority, each score explained by its terms and evidence."""
    import json

    from ketenbeeld.online.analyst import analyst_queue

    if output not in ("table", "json"):
        raise InputError("--format must be table or json")
    view = analyst_queue(
        state(ctx).engine,
        lexicon_name=lexicon_name,
        weights=weight or [],
        include_dismissed=include_dismissed,
        top=top,
    )
    queue, statuses, templates = view.items, view.statuses, view.templates
    if output == "json":
        document = {
            "lexicon_version": view.lexicon_version,
            "clusters": [
                {
                    "cluster_id": item.cluster_id,
                    "status": statuses.get(item.cluster_id, "new"),
                    "priority": round(item.priority, 3),
                    "ads": item.n_ads,
                    "cities": list(item.cities),
                    "newest": item.newest.isoformat() if item.newest else None,
                    "template": templates[item.cluster_id].marked(),
                    "terms": [
                        {"name": t.name, "points": round(t.points, 3), "evidence": t.evidence}
                        for t in item.terms
                    ],
                }
                for item in queue
            ],
        }
        out_console.print_json(json.dumps(document, ensure_ascii=False))
        return
    out_console.print(f"Priority queue (lexicon version {view.lexicon_version}):")
    for rank, item in enumerate(queue, start=1):
        out_console.print(
            Text(
                f"{rank:>3}. {item.cluster_id}  priority {item.priority:.2f}  "
                f"{item.n_ads} ads, {len(item.cities)} cities  "
                f"[{statuses.get(item.cluster_id, 'new')}]",
                style="bold",
            )
        )
        for term in item.terms:
            out_console.print(Text(f"       +{term.points:5.2f}  {term.name}: {term.evidence}"))
        if item.n_ads > 1:
            out_console.print(Text(f"       template: {templates[item.cluster_id].marked()}"))


@online_app.command("status")
@guarded
def status_command(
    ctx: typer.Context,
    cluster_id: Annotated[str, typer.Argument(help="The cluster (its id in the queue).")],
    set_to: Annotated[
        str | None,
        typer.Option("--set", help="new, in_review, escalated or dismissed."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="The analyst's note.")] = None,
) -> None:
    """Set a cluster's status with a note (audited), or show its history."""
    from ketenbeeld.online.workflow import cluster_history, set_status

    engine = state(ctx).engine
    if set_to is None and note is not None:
        raise InputError("--note goes with --set", hint="e.g. --set in_review --note '...'")
    if set_to is not None:
        entry = set_status(engine, cluster_id, set_to, actor=state(ctx).actor, note=note)
        out_console.print(f"Cluster {cluster_id} is now {entry.status}.")
        return
    history = cluster_history(engine, cluster_id)
    if not history:
        out_console.print(f"Cluster {cluster_id}: new (no status set yet).")
        return
    for entry in history:
        line = f"{entry.at.isoformat(timespec='seconds')}  {entry.status:<10} {entry.actor}"
        out_console.print(Text(line + (f"  {entry.note}" if entry.note else "")))
