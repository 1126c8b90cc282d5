"""``ketenbeeld signals``: chain key, encoding of person files, batch linking."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.text import Text

from ketenbeeld.cli.common import (
    BatchEngine,
    SparkMaster,
    err_console,
    guarded,
    out_console,
    progress_bar,
)
from ketenbeeld.errors import InputError, Problem

__all__ = ["signals_app"]

signals_app = typer.Typer(
    help="Chain signals, organisation side: chain key, encoding of identities, linking.",
    no_args_is_help=True,
)


def _progress(description: str, total: int | None) -> Progress:
    progress = progress_bar()
    progress.add_task(description, total=total)
    return progress


def _print_problems(title: str, problems: list[Problem]) -> None:
    err_console.print(Text(title, style="yellow"))
    for problem in problems:
        err_console.print(Text(f"  - {problem}"))


@signals_app.command("keygen")
@guarded
def keygen_command(
    out: Annotated[Path, typer.Option(help="The key file to write (mode 0600).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing key file.")] = False,
) -> None:
    """Make a new random chain key (32 bytes) and write it to a key file.

    The chain's organisations share this key out of band; the hub never receives it.
    """
    from ketenbeeld.signals.keys import generate_chain_key, write_key_file

    write_key_file(out, generate_chain_key(), overwrite=force)
    out_console.print(
        f"Chain key written to {out} (readable by you only). Never send it to the hub."
    )


@signals_app.command("encode")
@guarded
def encode_command(
    persons: Annotated[Path, typer.Argument(help="The person file (CSV with a header).")],
    key: Annotated[Path, typer.Option(help="The chain key file.")],
    out: Annotated[
        Path,
        typer.Option(help="The encodings file to write: JSONL, or Parquet if it ends in .parquet."),
    ],
    schema: Annotated[
        str, typer.Option(help="Linkage schema: dutch-person, febrl or a schema .yaml file.")
    ] = "dutch-person",
    skip_unusable: Annotated[
        bool,
        typer.Option(
            "--skip-unusable",
            help="Encode the usable rows and list the others, instead of writing nothing.",
        ),
    ] = False,
) -> None:
    """Encode identities into keyed Bloom-filter encodings, on the organisation's side.

    The output holds one line per person with its record id and encoding (and a
    keyed hash of the BSN where present); no name, date or address leaves in it.
    Rows that cannot be used are listed by row number and field.
    """
    from ketenbeeld.signals.encode import encode_file
    from ketenbeeld.signals.keys import read_key_file
    from ketenbeeld.signals.schema import load_schema

    linkage_schema = load_schema(schema)
    chain_key = read_key_file(key)
    with _progress("Encoding", None) as progress:
        task = progress.task_ids[0]
        summary = encode_file(
            persons,
            linkage_schema,
            chain_key,
            out,
            skip_unusable=skip_unusable,
            on_row=lambda done: progress.update(task, completed=done),
        )
    if summary.problems:
        _print_problems(f"{len(summary.problems)} unusable row(s) skipped:", summary.problems)
    if summary.ignored:
        _print_problems(
            f"{len(summary.ignored)} invalid value(s) in fields a row does not need "
            "were left empty:",
            summary.ignored,
        )
    out_console.print(
        f"Encoded {summary.written} of {summary.rows} persons with schema {summary.schema} "
        f"into {summary.out}."
    )


@signals_app.command("link")
@guarded
def link_command(
    file_a: Annotated[
        Path, typer.Argument(help="Encodings of organisation A (JSONL or .parquet).")
    ],
    file_b: Annotated[
        Path, typer.Argument(help="Encodings of organisation B (JSONL or .parquet).")
    ],
    out: Annotated[
        Path,
        typer.Option(
            help="The links file to write: CSV id_a,id_b,score, or Parquet if it ends in .parquet."
        ),
    ],
    threshold: Annotated[
        float | None,
        typer.Option(
            min=0.0,
            max=1.0,
            help="Lowest score that is a link (default 0.70, chosen by measurement).",
        ),
    ] = None,
    one_to_one: Annotated[
        bool, typer.Option("--one-to-one", help="Each record in at most one link (best first).")
    ] = False,
    schema: Annotated[
        str | None,
        typer.Option(help="Schema .yaml file, for encodings made with an own schema."),
    ] = None,
    engine: Annotated[
        BatchEngine,
        typer.Option(help="local (this process) or spark (Apache Spark; the same links)."),
    ] = BatchEngine.local,
    master: SparkMaster = "local[*]",
) -> None:
    """Link two organisations' encodings: weighted per-field Dice on the bit vectors.

    An index on the encodings keeps the cost far below comparing every pair. With
    --engine spark the work runs on Apache Spark (this machine, or a cluster with
    --master), with the same links as the local engine.
    """
    from ketenbeeld.signals.encodings import read_encodings
    from ketenbeeld.signals.link import DEFAULT_THRESHOLD, link
    from ketenbeeld.signals.links_file import write_links
    from ketenbeeld.signals.schema import BUILTIN_SCHEMAS, load_schema

    a = read_encodings(file_a)
    b = read_encodings(file_b)
    if a.schema != b.schema:
        raise InputError(
            f"{file_a.name} uses schema {a.schema} but {file_b.name} uses {b.schema}",
            hint="both organisations must encode with the same schema and chain key",
        )
    name = a.schema.split("/", 1)[0]
    if schema is None and name not in BUILTIN_SCHEMAS:
        raise InputError(
            f"the encodings use schema {a.schema}, which is not built in",
            hint="pass the schema file with --schema FILE",
        )
    linkage_schema = load_schema(schema or name)
    if linkage_schema.schema_id != a.schema:
        raise InputError(
            f"the encodings use schema {a.schema}, not {linkage_schema.schema_id}",
            hint="pass the schema file the encodings were made with",
        )
    cutoff = DEFAULT_THRESHOLD if threshold is None else threshold
    if engine is BatchEngine.spark:
        from ketenbeeld.signals.spark_link import link_spark, spark_session

        with (
            _progress("Linking on Spark", None),
            spark_session(master, records=len(a) + len(b)) as spark,
        ):
            result = link_spark(
                spark, a, b, linkage_schema.layout(), threshold=cutoff, one_to_one=one_to_one
            )
    else:
        with _progress("Linking", None) as progress:
            task = progress.task_ids[0]
            result = link(
                a,
                b,
                linkage_schema.layout(),
                threshold=cutoff,
                one_to_one=one_to_one,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
    written = write_links(out, result.links)
    out_console.print(
        f"{written} links at threshold {cutoff:g} between {len(a)} and {len(b)} records "
        f"({result.candidates} candidate pairs compared) written to {out}."
    )
