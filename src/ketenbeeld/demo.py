"""The demo workspace: synthetic data through every module, on embedded defaults."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from ketenbeeld.cases import (
    compute_statistics,
    import_cases,
    load_cases,
    load_codebook,
    read_case_files,
    write_report,
)
from ketenbeeld.storage import make_engine
from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

__all__ = ["DemoWorkspace", "build_demo_workspace"]

log = logging.getLogger(__name__)

DEMO_SEED = 2021
DEMO_CASES = 25


@dataclass(frozen=True)
class DemoWorkspace:
    """Where the demo put everything."""

    directory: Path
    database: Path
    cohort: Path
    stats_json: Path
    report_html: Path
    report_pdf: Path | None
    n_cases: int


def build_demo_workspace(directory: Path, *, pdf: bool = True) -> DemoWorkspace:
    """Make (or remake) a demo workspace in ``directory``.

    Writes a seeded synthetic cohort of 25 cases (the size of the study), imports it
    into an SQLite database in the folder, and writes the statistics (JSON) and the
    Dutch research report (HTML and, unless ``pdf`` is false, PDF). Running it again
    gives the same data and replaces the cases rather than adding to them.

    Example:
        >>> ws = build_demo_workspace(Path("ketenbeeld-demo"))  # doctest: +SKIP
    """
    directory.mkdir(parents=True, exist_ok=True)
    database = directory / "ketenbeeld.db"
    cohort = directory / "cohort.jsonl"
    write_cohort_jsonl(generate_cohort(DEMO_CASES, DEMO_SEED), cohort)
    engine = make_engine(f"sqlite:///{database.resolve()}")
    try:
        files = read_case_files([cohort], load_codebook())
        import_cases(engine, files, actor="demo")
        cases = load_cases(engine)
    finally:
        engine.dispose()
    stats = compute_statistics(cases)
    stats_json = directory / "stats.json"
    stats_json.write_text(
        json.dumps(stats.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    paths = write_report(
        stats,
        directory / "report.html",
        pdf=directory / "report.pdf" if pdf else None,
        lang="nl",
    )
    log.info("demo workspace ready with %d cases", len(cases))
    return DemoWorkspace(
        directory=directory,
        database=database,
        cohort=cohort,
        stats_json=stats_json,
        report_html=paths.html,
        report_pdf=paths.pdf,
        n_cases=len(cases),
    )
