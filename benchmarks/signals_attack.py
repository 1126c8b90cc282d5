"""Benchmark: a frequency-alignment attack on the encodings, with and without the salting.

For each size and run, a seeded synthetic Dutch population (seed = run number) is
encoded with a fresh random chain key, once with the shipped `dutch-person` schema
(names and gender salted with the year of birth) and once with the same schema
without salts; the attack of `ketenbeeld.signals.attack` (public layout and name
statistics, never the key) guesses every record's first name and surname. Reported
per attack: the re-identification rate (both names right), the per-field correct
rates, the share of records with a guess for both names and the precision of those
guesses, as the median over the runs. The attacks:

- rank: the classic rank alignment of pattern counts with name shares, where unambiguous;
- mining: q-gram pattern mining, labelling and decoding, over all records at once;
- mining by gender pattern: the same within groups of records that share the gender
  section's bit pattern (salted with the year: one group per gender and year of birth);
- mining by mined year of birth: the same within groups by year of birth, mined from
  the (unsalted) date section without the key (``attack.year_groups``).

``--attacks`` runs only the attacks whose labels are given (e.g. ``--attacks "mining by
mined year of birth"``); ``--salted-only`` only the shipped schema.

With `--link-size`, the linkage-quality cost of the salting is measured on that
many persons (two files with the documented errors, one-to-one links).

    python benchmarks/signals_attack.py [--sizes 10000 100000] [--runs 3] [--link-size 10000]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.metadata import version

import numpy as np
from _measure import publish

from ketenbeeld.signals.attack import AttackResult, run_frequency_attack, unsalted_schema
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.encodings import EncodingSet
from ketenbeeld.signals.keys import generate_chain_key
from ketenbeeld.signals.link import evaluate, link
from ketenbeeld.signals.schema import Schema, load_schema
from ketenbeeld.synth import generate_population, make_linkage_files

ATTACKS = (
    ("rank", "rank", None),
    ("mining", "mining", None),
    ("mining by gender pattern", "mining", "gender"),
    ("mining by mined year of birth", "mining", "date_of_birth.year"),
)
THRESHOLDS = (0.6, 0.7, 0.8)


def _median(results: Sequence[AttackResult], name: str) -> float:
    return statistics.median(getattr(r, name) for r in results)


def _encodings(rows: list[dict[str, str]], schema: Schema, key: bytes) -> EncodingSet:
    records = Encoder(schema, key).encode(rows, source="synthetic").records
    data = b"".join(r.bits for r in records)
    matrix = np.frombuffer(data, dtype=">u8").reshape(len(records), -1).astype(np.uint64)
    return EncodingSet(
        tuple(r.id for r in records), matrix, schema.schema_id, (None,) * len(records)
    )


def _linkage(n: int) -> list[str]:
    case = make_linkage_files(generate_population(n, 1), 2)
    truth = set(case.true_links)
    key = generate_chain_key()
    lines = [
        f"#### Linkage cost of the salting ({n:,} persons, population seed 1, files seed 2, "
        "one-to-one)",
        "",
        "| schema | threshold | P | R | F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, schema in (
        ("salted (shipped)", load_schema("dutch-person")),
        ("unsalted", unsalted_schema()),
    ):
        # The BSN column is dropped: the exact BSN links would hide the names' share.
        rows_a = [{k: v for k, v in r.items() if k != "bsn"} for r in case.file_a]
        rows_b = [{k: v for k, v in r.items() if k != "bsn"} for r in case.file_b]
        a, b = _encodings(rows_a, schema, key), _encodings(rows_b, schema, key)
        found = link(a, b, schema.layout(), threshold=THRESHOLDS[0], one_to_one=True).links
        for threshold in THRESHOLDS:
            e = evaluate([x for x in found if x.score >= threshold], truth)
            lines.append(
                f"| {label} | {threshold:.2f} | {e.precision:.4f} | {e.recall:.4f} | {e.f1:.4f} |"
            )
    return [*lines, ""]


def _quoted(argument: str) -> str:
    return f'"{argument}"' if " " in argument else argument


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--link-size", type=int, default=10_000, help="0 to skip")
    parser.add_argument("--attacks", nargs="+", choices=[label for label, _, _ in ATTACKS])
    parser.add_argument("--salted-only", action="store_true")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    attacks = [a for a in ATTACKS if args.attacks is None or a[0] in args.attacks]
    command = " ".join(["python", "benchmarks/signals_attack.py", *map(_quoted, sys.argv[1:])])
    lines = [
        "### signals: frequency-alignment attack on the encodings, with and without salting",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, numpy {version('numpy')}, "
        f"scipy {version('scipy')}, schema {load_schema('dutch-person').schema_id}",
        f"- command: `{command}`",
        f"- population seeds 1..{args.runs}, a new random chain key per run; clean records "
        "(no errors); the attacker knows the exact name shares the population is drawn from; "
        f"median of {args.runs} runs (min-max of the re-identification rate in brackets)",
        "",
    ]
    for n in args.sizes:
        lines += [
            f"#### {n:,} persons",
            "",
            "| schema | attack | re-identified | first name | surname | guessed | precision "
            "| wall (s) |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
        ]
        for hardened in (True,) if args.salted_only else (False, True):
            for label, method, group_by in attacks:
                results: list[AttackResult] = []
                walls: list[float] = []
                for run in range(1, args.runs + 1):
                    start = time.perf_counter()
                    results.append(
                        run_frequency_attack(n, run, hardened, method=method, group_by=group_by)
                    )
                    walls.append(time.perf_counter() - start)
                reid = [r.reidentified for r in results]
                lines.append(
                    f"| {'salted (shipped)' if hardened else 'unsalted'} | {label} "
                    f"| {statistics.median(reid):.4f} ({min(reid):.4f}-{max(reid):.4f}) "
                    f"| {_median(results, 'first_name_correct'):.4f} "
                    f"| {_median(results, 'last_name_correct'):.4f} "
                    f"| {_median(results, 'guessed'):.4f} | {_median(results, 'precision'):.4f} "
                    f"| {statistics.median(walls):.0f} |"
                )
                print(lines[-1], flush=True)
        lines.append("")
    if args.link_size:
        lines += _linkage(args.link_size)
    publish("\n".join(lines), append=not args.no_append)


if __name__ == "__main__":
    main()
