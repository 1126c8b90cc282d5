"""``ketenbeeld cases``: import, statistics, report and synthetic cohorts."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from ketenbeeld import cases as domain  # names load on first use: fast start-up
from ketenbeeld.cli.common import err_console, guarded, out_console, progress_bar, state
from ketenbeeld.errors import InputError

if TYPE_CHECKING:
    from ketenbeeld.cases import CaseStatistics, CodedCase

__all__ = ["cases_app"]

cases_app = typer.Typer(
    help="Coded investigation files: import, statistics, report, synthetic cohorts.",
    no_args_is_help=True,
)


class StatsFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Lang(StrEnum):
    nl = "nl"
    en = "en"


def _progress() -> Progress:
    return progress_bar()


def _read(paths: list[Path], codebook_version: str) -> list[CodedCase]:
    codebook = domain.load_codebook(codebook_version)
    with _progress() as progress:
        task = progress.add_task("Reading and validating cases", total=None)
        files = domain.read_case_files(paths, codebook, on_case=lambda: progress.advance(task))
    return [case for case_file in files for case in case_file.cases]


@cases_app.command("import")
@guarded
def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Coded-case files: .json, .jsonl, .csv or .xlsx.")
    ],
    codebook: Annotated[
        str, typer.Option(help="Codebook version (or a codebook .yaml file) to validate against.")
    ] = "1",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
) -> None:
    """Validate coded cases and import them, all or nothing.

    Every problem in every file is listed (file, row, field, what is allowed); if
    there is any, nothing is imported. A case whose case_id is already in the
    database is replaced.
    """
    book = domain.load_codebook(codebook)
    with _progress() as progress:
        task = progress.add_task("Reading and validating cases", total=None)
        case_files = domain.read_case_files(files, book, on_case=lambda: progress.advance(task))
    n_cases = sum(len(f.cases) for f in case_files)
    if dry_run:
        out_console.print(
            f"{n_cases} cases in {len(case_files)} file(s) are valid; nothing written."
        )
        return
    st = state(ctx)
    engine = st.engine
    err_console.print(f"Writing {n_cases} cases to the database…")
    summary = domain.import_cases(engine, case_files, actor=st.actor)
    out_console.print(
        f"Imported {summary.n_cases} cases from {summary.n_files} file(s): "
        f"{summary.n_new} new, {summary.n_replaced} replaced. "
        f"The database now holds {domain.count_cases(engine)} cases."
    )


def _statistics(
    ctx: typer.Context, inputs: list[Path] | None, min_cell: int | None
) -> CaseStatistics:
    st = state(ctx)
    threshold = st.settings.min_cell if min_cell is None else min_cell
    if inputs:
        cases = _read(inputs, "1")
    else:
        cases = domain.load_cases(st.engine)
        if not cases:
            raise InputError(
                "the database holds no cases yet",
                hint="import coded cases with `ketenbeeld cases import FILE` or pass --input FILE",
            )
    return domain.compute_statistics(cases, min_cell=threshold)


def _percent(value: float | None, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{100 * value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


_HEADERS = {
    "nl": ("Kenmerk", "Teller", "Noemer", "Onbekend", "%", "95%-BI"),
    "en": ("Indicator", "Numerator", "Denominator", "Unknown", "%", "95% CI"),
}


def _render_table(stats: CaseStatistics, lang: str) -> None:
    headers = _HEADERS[lang]
    table = Table(
        title=f"{stats.n_cases} cases, {stats.n_perpetrators} perpetrators, "
        f"{stats.n_victims} victims"
        if lang == "en"
        else f"{stats.n_cases} zaken, {stats.n_perpetrators} daders, {stats.n_victims} slachtoffers"
    )
    table.add_column(headers[0])
    for header in headers[1:]:
        table.add_column(header, justify="right")
    for row in stats.rows:
        suppressed = "onderdrukt" if lang == "nl" else "suppressed"
        table.add_row(
            row.label[lang],
            suppressed if row.suppressed else str(row.numerator),
            str(row.denominator),
            str(row.unknown),
            _percent(row.proportion, lang),
            "–"
            if row.ci_low is None
            else f"{_percent(row.ci_low, lang)}–{_percent(row.ci_high, lang)}",
        )
    out_console.print(table)
    rec = stats.recruitment
    nl = lang == "nl"
    low = "–" if rec.ci_low is None else f"{rec.ci_low:g}"
    high = "–" if rec.ci_high is None else f"{rec.ci_high:g}"
    if rec.suppressed:
        median = "onderdrukt (te weinig slachtoffers)" if nl else "suppressed (too few victims)"
    elif rec.median is None:
        median = "niet bereikt" if nl else "not reached"
    else:
        median = (
            f"{rec.median:g} dagen (95%-BI {low}–{high})"
            if nl
            else f"{rec.median:g} days (95% CI {low}–{high})"
        )
    if nl:
        out_console.print(
            f"Wervingsperiode (Kaplan-Meier): mediaan {median}; n = {rec.n}, "
            f"waarvan {rec.censored} gecensureerd; {rec.excluded} zonder bekende periode."
        )
    else:
        out_console.print(
            f"Recruitment period (Kaplan-Meier): median {median}; n = {rec.n}, "
            f"{rec.censored} censored; {rec.excluded} without a known period."
        )
    trend = stats.trend
    if trend.hazard_ratio_per_year is None:
        out_console.print(f"Trend: {trend.note}" if not nl else "Trend: niet te schatten.")
    else:
        hr = f"{trend.hazard_ratio_per_year:.2f} ({trend.ci_low:.2f}–{trend.ci_high:.2f})"
        out_console.print(
            f"Trend (Cox, per jaar): hazard ratio {hr.replace('.', ',')}; "
            "boven 1 = wervingsperiode wordt korter."
            if nl
            else f"Trend (Cox, per year): hazard ratio {hr}; above 1 = recruitment period "
            "is getting shorter."
        )
    out_console.print(
        Text(
            f"codebook {stats.codebook_version}, statistics {stats.statistics_version}, "
            f"fingerprint {stats.fingerprint[:16]}…",
            style="dim",
        )
    )


@cases_app.command("stats")
@guarded
def stats_command(
    ctx: typer.Context,
    input_files: Annotated[
        list[Path] | None,
        typer.Option("--input", help="Compute from these files instead of the database."),
    ] = None,
    output_format: Annotated[
        StatsFormat, typer.Option("--format", help="table (for people), json or csv.")
    ] = StatsFormat.table,
    min_cell: Annotated[
        int | None,
        typer.Option(min=0, help="Suppress counts from 1 to N-1 (and their complements)."),
    ] = None,
    lang: Annotated[Lang | None, typer.Option(help="Language of labels: nl or en.")] = None,
) -> None:
    """The study's headline table with 95% Wilson intervals and the recruitment period.

    `--format json` is the stable machine interface documented in docs/cli.md.
    """
    stats = _statistics(ctx, input_files, min_cell)
    language = (lang.value if lang else None) or state(ctx).settings.lang
    if output_format is StatsFormat.json:
        out_console.print_json(json.dumps(stats.to_json(), ensure_ascii=False))
    elif output_format is StatsFormat.csv:
        typer.echo(domain.statistics_to_csv(stats, lang=language), nl=False)
    else:
        _render_table(stats, language)


@cases_app.command("report")
@guarded
def report_command(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="The HTML report to write.")],
    pdf: Annotated[Path | None, typer.Option(help="Also write a PDF of the report here.")] = None,
    lang: Annotated[Lang | None, typer.Option(help="Report language: nl (default) or en.")] = None,
    input_files: Annotated[
        list[Path] | None,
        typer.Option("--input", help="Report on these files instead of the database."),
    ] = None,
    min_cell: Annotated[
        int | None,
        typer.Option(min=0, help="Suppress counts from 1 to N-1 (and their complements)."),
    ] = None,
) -> None:
    """Write the research report: one self-contained HTML file, optionally a PDF."""
    stats = _statistics(ctx, input_files, min_cell)
    language = (lang.value if lang else None) or state(ctx).settings.lang
    with err_console.status("Writing the report…"):
        paths = domain.write_report(stats, out, pdf=pdf, lang=language)
    out_console.print(f"Report written to {paths.html}")
    if paths.pdf is not None:
        out_console.print(f"PDF written to {paths.pdf}")


@cases_app.command("extract")
@guarded
def extract_command(
    summaries: Annotated[
        list[Path],
        typer.Argument(help="Case summaries: Dutch plain text, UTF-8.", show_default=False),
    ],
    out: Annotated[Path, typer.Option(help="Folder to write one <case id>.json per summary into.")],
) -> None:
    """Propose a coding of each case summary, every value with its evidence.

    Writes one coded case (the Coded case format) per summary, named after the file;
    each non-null value has an evidence entry: the exact words in the summary and
    their character offsets. Unknown stays null: the proposal is for a researcher
    to review, not a finished coding. Nothing is written when a file cannot be read.
    """
    from ketenbeeld.cases.extract import extract_files

    with _progress() as progress:
        task = progress.add_task("Extracting", total=len(summaries))
        written = extract_files(summaries, out, on_file=lambda: progress.advance(task))
    out_console.print(f"Wrote {len(written)} proposed coding(s) to {out}")


@cases_app.command("deidentify")
@guarded
def deidentify_command(
    summaries: Annotated[
        list[Path],
        typer.Argument(help="Case summaries: Dutch plain text, UTF-8.", show_default=False),
    ],
    out: Annotated[Path, typer.Option(help="Folder to write the de-identified files into.")],
) -> None:
    """Replace names, addresses, phone numbers, e-mail, dates of birth, BSNs, licence
    plates and bank numbers with placeholders ([PERSOON-1], [ADRES-1], ...).

    The same person or value gets the same placeholder throughout a document. Dates,
    ages, places and platforms are kept, so extraction gives the same codes on the
    result. The first run after an install builds deduce's name lists (about two
    minutes); later runs start in seconds.
    """
    from ketenbeeld.cases.deidentify import Deidentifier, deidentify_file

    deidentifier = Deidentifier()
    with _progress() as progress:
        task = progress.add_task("Loading the de-identification lists", total=None)
        deidentifier.warm_up()
        progress.update(task, description="De-identifying", total=len(summaries), completed=0)
        written = []
        for path in summaries:
            written.append(deidentify_file(path, out, deidentifier))
            progress.advance(task)
    out_console.print(f"Wrote {len(written)} de-identified file(s) to {out}")


@cases_app.command("evaluate")
@guarded
def evaluate_command(
    gold: Annotated[Path, typer.Option(help="Folder of hand-coded cases (*.json).")],
    pred: Annotated[Path, typer.Option(help="Folder of extracted cases (*.json).")],
) -> None:
    """Compare extracted codings with hand-coded ones: precision, recall, F1 per field.

    Cases are matched by case id; within a case, persons are matched by best
    agreement, not by order. Also reports the share of extracted values that are
    wrong and how often the labels agree.
    """
    from ketenbeeld.cases.extract.evaluate import evaluate, format_table, read_documents

    result = evaluate(read_documents(gold), read_documents(pred))
    out_console.print(Text(format_table(result)))


@cases_app.command("synth")
@guarded
def synth_command(
    out: Annotated[Path, typer.Option(help="The JSONL file to write.")],
    cases: Annotated[int, typer.Option("--cases", min=1, help="Number of cases.")] = 25,
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed gives the same file.")
    ] = 2021,
) -> None:
    """Write a seeded synthetic cohort whose marginals follow the published figures.

    Every record is marked synthetic (case.synthetic = true, case_id SYN-...).
    """
    from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

    documents = generate_cohort(cases, seed)
    write_cohort_jsonl(documents, out)
    out_console.print(f"Wrote {len(documents)} synthetic cases to {out}")


@cases_app.command("codebook")
@guarded
def codebook_command(
    lang: Annotated[Lang, typer.Option(help="Language of the labels.")] = Lang.nl,
    codebook: Annotated[str, typer.Option(help="Codebook version or .yaml file.")] = "1",
) -> None:
    """List every codebook variable with its type and allowed values."""
    book = domain.load_codebook(codebook)
    language = lang.value
    version_word = "versie" if lang is Lang.nl else "version"
    out_console.print(Text(f"{book.title[language]} ({version_word} {book.version})", style="bold"))
    for entity in book.entities.values():
        out_console.print()
        out_console.print(Text(f"{entity.label[language]} ({entity.name})", style="bold"))
        for var in entity.variables:
            line = Text("  ")
            line.append(var.name, style="cyan")
            line.append(f"  {var.type}{' (required)' if var.required else ''}  ")
            line.append(var.label[language])
            out_console.print(line)
            out_console.print(Text(f"      {var.allowed()}", style="dim"))


@cases_app.command("list")
@guarded
def list_command(ctx: typer.Context) -> None:
    """List the cases in the database: id, start year, number of persons, import."""
    summaries = domain.list_cases(state(ctx).engine)
    if not summaries:
        out_console.print("The database holds no cases.")
        return
    # Plain aligned lines: a Rich table of ten thousand rows takes seconds to lay out.
    width = max(len("case_id"), *(len(item.case_id) for item in summaries))
    lines = [
        f"{'case_id':<{width}}  year  perpetrators  victims  synthetic  import",
        *(
            f"{item.case_id:<{width}}  {item.year_start or '':>4}  {item.n_perpetrators:>12}  "
            f"{item.n_victims:>7}  {'yes' if item.synthetic else 'no':>9}  {item.import_id:>6}"
            for item in summaries
        ),
        f"{len(summaries)} cases",
    ]
    typer.echo("\n".join(lines))


@cases_app.command("delete")
@guarded
def delete_command(
    ctx: typer.Context,
    case_ids: Annotated[list[str], typer.Argument(help="The case ids to delete.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete cases from the database (all named cases or none), recorded in the audit log."""
    if not yes:
        typer.confirm(f"Delete {len(case_ids)} case(s) from the database?", abort=True)
    deleted = domain.delete_cases(state(ctx).engine, case_ids, actor=state(ctx).actor)
    out_console.print(f"Deleted {deleted} case(s).")
