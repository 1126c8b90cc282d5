"""Benchmark: encode + link a synthetic Dutch population held by two organisations.

For each size, a seeded population is generated (ketenbeeld.synth.persons), two
organisations' person files with realistic errors are made, both are encoded with
the `dutch-person` schema and linked; precision, recall and F1 against the ground
truth are reported over a range of thresholds, with and without one-to-one
matching, with the wall time and peak memory of each step (each step in its own
process, so the peak is that step's own).

    python benchmarks/signals_link.py [--sizes 10000 100000] [--runs 3] [--no-append]

Peer tools (clkhash + anonlink, Splink) are measured in a later version of this
script; see benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from _measure import publish, run_measured

THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)

MAKE_FILES = """
import json, sys
from pathlib import Path
from ketenbeeld.synth import generate_population, make_linkage_files, write_person_csv
n, work = int(sys.argv[1]), Path(sys.argv[2])
case = make_linkage_files(generate_population(n, 1), 2)
write_person_csv(case.file_a, work / "a.csv")
write_person_csv(case.file_b, work / "b.csv")
(work / "truth.json").write_text(json.dumps(sorted(case.true_links)))
"""


def _quality(
    links_csv: Path, truth: set[tuple[str, str]]
) -> list[tuple[float, float, float, float]]:
    with links_csv.open(encoding="utf-8") as handle:
        rows = [(r["id_a"], r["id_b"], float(r["score"])) for r in csv.DictReader(handle)]
    out = []
    for threshold in THRESHOLDS:
        found = {(a, b) for a, b, score in rows if score >= threshold}
        tp = len(found & truth)
        precision = tp / len(found) if found else 0.0
        recall = tp / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        out.append((threshold, precision, recall, f1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    kb = [sys.executable, "-m", "ketenbeeld"]
    lines = [
        "### signals: encode + link, synthetic Dutch population in two organisations",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, numpy {version('numpy')}, "
        f"cryptography {version('cryptography')}",
        f"- command: `python benchmarks/signals_link.py --sizes {' '.join(map(str, args.sizes))} "
        f"--runs {args.runs}`",
        "- population seed 1, files seed 2 (half of the persons in both files, documented "
        "error rates); rows without a date of birth are skipped (`--skip-unusable`); "
        f"each step its own process; median of {args.runs} runs",
        "",
    ]
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            run_measured([sys.executable, "-c", MAKE_FILES, str(n), str(work)])
            truth = {tuple(pair) for pair in json.loads((work / "truth.json").read_text())}
            key = work / "chain.key"
            run_measured([*kb, "signals", "keygen", "--out", str(key)])
            steps: dict[str, list[tuple[float, float]]] = {}
            for _ in range(args.runs):
                for side in ("a", "b"):
                    steps.setdefault(f"encode {side}", []).append(
                        run_measured(
                            [
                                *kb,
                                "signals",
                                "encode",
                                str(work / f"{side}.csv"),
                                "--key",
                                str(key),
                                "--out",
                                str(work / f"{side}.jsonl"),
                                "--skip-unusable",
                            ]
                        )
                    )
                for mode, extra in (("link", []), ("link --one-to-one", ["--one-to-one"])):
                    out = work / f"links-{len(extra)}.csv"
                    steps.setdefault(mode, []).append(
                        run_measured(
                            [
                                *kb,
                                "signals",
                                "link",
                                str(work / "a.jsonl"),
                                str(work / "b.jsonl"),
                                "--threshold",
                                str(THRESHOLDS[0]),
                                "--out",
                                str(out),
                                *extra,
                            ]
                        )
                    )
            n_a = sum(1 for _ in (work / "a.csv").open()) - 1
            lines += [
                f"#### {n:,} persons ({n_a:,} records per organisation, {len(truth):,} true links)",
                "",
                "| step | median wall (s) | min (s) | max (s) | peak RSS (MiB) |",
                "|---|---:|---:|---:|---:|",
            ]
            for name, values in steps.items():
                walls = [v[0] for v in values]
                lines.append(
                    f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | "
                    f"{max(walls):.2f} | {max(v[1] for v in values):.0f} |"
                )
            lines += [
                "",
                "| threshold | P | R | F1 | P (1:1) | R (1:1) | F1 (1:1) |",
                "|---:|---:|---:|---:|---:|---:|---:|",
            ]
            plain = _quality(work / "links-0.csv", truth)
            one = _quality(work / "links-1.csv", truth)
            for (t, p, r, f), (_, p1, r1, f1) in zip(plain, one, strict=True):
                lines.append(
                    f"| {t:.2f} | {p:.4f} | {r:.4f} | {f:.4f} | {p1:.4f} | {r1:.4f} | {f1:.4f} |"
                )
            lines.append("")
    publish("\n".join(lines), append=not args.no_append)


if __name__ == "__main__":
    main()
