"""Benchmark: import + stats + report for a synthetic cohort of 10,000 cases.

Runs each CLI step as its own process (as a user would) several times and reports
the median wall time and the peak resident memory of each step, then the whole
pipeline. As a peer, the same headline shares are computed the way a researcher
would in a notebook: pandas reading the JSONL and counting (no validation, no
intervals, no database, no report).

    python benchmarks/cases_report.py [--cases 10000] [--runs 5] [--no-append]

Appends a section to benchmarks/RESULTS.md unless --no-append is given.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from _measure import publish, run_measured

PANDAS_PEER = """
import json, sys
import pandas as pd
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
p = pd.json_normalize([x for r in rows for x in r["perpetrators"]])
v = pd.json_normalize([x for r in rows for x in r["victims"]])
def share(series, test):
    known = series.dropna()
    return (test(known).sum(), len(known))
out = [
    share(p["age_at_start"], lambda s: s.between(18, 29)),
    share(p["has_diploma"], lambda s: ~s.astype(bool)),
    share(p["has_debts"], lambda s: s.astype(bool)),
    share(p["has_addiction"], lambda s: s.astype(bool)),
    share(p["known_to_police_before"], lambda s: s.astype(bool)),
    share(p["known_to_care_before"], lambda s: s.astype(bool)),
    share(v["age_at_start"], lambda s: s < 18),
    share(v["living_situation"], lambda s: s.isin(["care_institution", "homeless"])),
    share(v["first_contact_channel"], lambda s: s == "online"),
    share(v["knew_perpetrator_before"], lambda s: ~s.astype(bool)),
    share(v.loc[v["knew_perpetrator_before"] == False, "first_contact_channel"],
          lambda s: s == "online"),
    share(v["recruitment_days"], lambda s: s <= 7),
    share(v["recruitment_days"], lambda s: s <= 30),
    share(v["contact_after_exploitation"], lambda s: s.astype(bool)),
]
print(len(out), v["recruitment_days"].median())
"""


IN_PROCESS = """
import sys
from pathlib import Path
from ketenbeeld.cases import (compute_statistics, import_cases, load_cases, load_codebook,
                              read_case_files, write_report)
from ketenbeeld.storage import make_engine
cohort, work = Path(sys.argv[1]), Path(sys.argv[2])
engine = make_engine(f"sqlite:///{work / 'k.db'}")
import_cases(engine, read_case_files([cohort], load_codebook()), actor="benchmark")
stats = compute_statistics(load_cases(engine))
write_report(stats, work / "r.html", pdf=work / "r.pdf")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()

    ketenbeeld = [sys.executable, "-m", "ketenbeeld"]
    timings: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cohort = work / "cohort.jsonl"
        env = {**os.environ, "KETENBEELD_DATABASE_URL": ""}
        env.pop("KETENBEELD_DATABASE_URL")
        run_measured(
            [
                *ketenbeeld,
                "cases",
                "synth",
                "--cases",
                str(args.cases),
                "--seed",
                "1",
                "--out",
                str(cohort),
            ],
            env,
        )
        for run in range(args.runs):
            data_dir = work / f"run{run}"
            (data_dir / "lib").mkdir(parents=True)
            base = [*ketenbeeld, "--data-dir", str(data_dir)]
            steps = {
                "import": [*base, "cases", "import", str(cohort)],
                "stats (json)": [*base, "cases", "stats", "--format", "json"],
                "report (html)": [*base, "cases", "report", "--out", str(data_dir / "r.html")],
                "report (html+pdf)": [
                    *base,
                    "cases",
                    "report",
                    "--out",
                    str(data_dir / "r.html"),
                    "--pdf",
                    str(data_dir / "r.pdf"),
                ],
                "all three in one process (library calls)": [
                    sys.executable,
                    "-c",
                    IN_PROCESS,
                    str(cohort),
                    str(data_dir / "lib"),
                ],
                "peer: pandas shares": [sys.executable, "-c", PANDAS_PEER, str(cohort)],
            }
            for name, command in steps.items():
                timings.setdefault(name, []).append(run_measured(command, env))
    pipeline = [
        sum(timings[name][i][0] for name in ("import", "stats (json)", "report (html+pdf)"))
        for i in range(args.runs)
    ]
    lines = [
        f"### cases: import + stats + report, {args.cases:,} synthetic cases",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, SQLAlchemy {version('sqlalchemy')}, "
        f"lifelines {version('lifelines')}, matplotlib {version('matplotlib')}, "
        f"WeasyPrint {version('weasyprint')}, pandas {version('pandas')}",
        f"- command: `python benchmarks/cases_report.py --cases {args.cases} --runs {args.runs}`",
        f"- each step is a separate `ketenbeeld` process (start-up included), SQLite; "
        f"median of {args.runs} runs",
        "",
        "| step | median wall (s) | min (s) | max (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in timings.items():
        walls = [v[0] for v in values]
        lines.append(
            f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | {max(walls):.2f} "
            f"| {max(v[1] for v in values):.0f} |"
        )
    pipeline_steps = ("import", "stats (json)", "report (html+pdf)")
    peak = max(v[1] for name in pipeline_steps for v in timings[name])
    lines.append(
        f"| **pipeline: import + stats + report (html+pdf)** | "
        f"**{statistics.median(pipeline):.2f}** | {min(pipeline):.2f} | {max(pipeline):.2f} | "
        f"{peak:.0f} |"
    )
    lines.append("")
    publish("\n".join(lines), append=not args.no_append)


if __name__ == "__main__":
    main()
