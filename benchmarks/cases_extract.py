"""Benchmark: assisted coding on the gold sets: quality, speed, de-identification recall.

For each gold set (``tests/data/extract``: the set the rules were developed against;
``tests/data/extract-holdout``: written afterwards without looking at the rules, if
present) the summaries are extracted and compared with the hand coding
(``ketenbeeld.cases.extract.evaluate``): micro precision, recall and F1 over the
non-null values, the share of extracted values that are wrong, and the fields below
0.9. Speed: summaries extracted per second on one core, in process, after the
pipeline is loaded (median of several passes over the set), and the one-off load.
De-identification: the share of planted identifiers (``identifiers.json``) no
longer in the de-identified text, and whether extraction on the de-identified text
gives the same codes (labels and ages computed from a date of birth aside).

    python benchmarks/cases_extract.py [--runs 5] [--no-append]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from _measure import publish

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "gold (development)": ROOT / "tests/data/extract",
    "held out": ROOT / "tests/data/extract-holdout",
}


def _load(folder: Path) -> tuple[list[dict[str, Any]], list[str]]:
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("case-*.json"))]
    texts = [
        p.with_suffix(".txt").read_text(encoding="utf-8")
        for p in sorted(folder.glob("case-*.json"))
    ]
    return gold, texts


def _same_codes(a: dict[str, Any], b: dict[str, Any]) -> tuple[int, int]:
    """(values compared, values that differ) between two extractions of one case."""
    compared = differ = 0
    for role in ("perpetrators", "victims"):
        born = {
            e["path"].split(".")[1] for e in a["evidence"] if e["path"].endswith("age_at_start")
        }
        for left, right in zip(a[role], b[role], strict=False):
            for field in set(left) | set(right):
                if field == "label":
                    continue
                key = left.get("pid") or left.get("vid")
                if field == "age_at_start" and key in born and right.get(field) is None:
                    continue  # from a date of birth, which de-identification removes
                compared += 1
                differ += left.get(field) != right.get(field)
        compared += abs(len(a[role]) - len(b[role]))
        differ += abs(len(a[role]) - len(b[role]))
    return compared, differ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()

    from ketenbeeld.cases.deidentify import Deidentifier
    from ketenbeeld.cases.extract import extract_case
    from ketenbeeld.cases.extract.evaluate import evaluate

    started = time.perf_counter()
    extract_case("Verdachte 1 is Jan Bakker. Hij had schulden.", case_id="warm-up")
    load_seconds = time.perf_counter() - started
    deidentifier = Deidentifier()
    started = time.perf_counter()
    deidentifier.warm_up()
    deid_load = time.perf_counter() - started

    lines = [
        "### cases: assisted coding on the gold sets",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, spacy {version('spacy')}, clinlp "
        f"{version('clinlp')}, deduce {version('deduce')}; extraction rules 1",
        f"- command: `python benchmarks/cases_extract.py --runs {args.runs}`",
        f"- one-off load: extraction pipeline {load_seconds:.1f} s, deduce {deid_load:.1f} s "
        "(warm; the first run after an install builds deduce's lists, about two minutes)",
        "",
        "| set | summaries | characters | P | R | **F1** | wrong non-null | labels | "
        "**summaries/s** (median of runs) | fields below F1 0.9 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    deid_rows = []
    for name, folder in SETS.items():
        if not folder.exists():
            continue
        gold, texts = _load(folder)
        seconds = []
        predicted: list[dict[str, Any]] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            predicted = [
                extract_case(text, case_id=g["case"]["case_id"])
                for g, text in zip(gold, texts, strict=True)
            ]
            seconds.append(time.perf_counter() - started)
        result = evaluate(gold, predicted)
        weak = ", ".join(
            f"{name} {score.f1:.2f}"
            for name, score in sorted(result.fields.items())
            if score.f1 is not None and score.f1 < 0.9
        )
        overall = result.overall
        characters = sum(map(len, texts))
        lines.append(
            f"| {name} | {len(texts)} | {characters:,} | {overall.precision or 0:.3f} | "
            f"{overall.recall or 0:.3f} | **{overall.f1 or 0:.3f}** | "
            f"{result.wrong_nonnull_share or 0:.3f} | {result.label_accuracy or 0:.2f} | "
            f"**{len(texts) / statistics.median(seconds):.0f}** | "
            f"{weak or '-'} |"
        )
        identifiers = json.loads((folder / "identifiers.json").read_text(encoding="utf-8"))
        planted = left = compared = differ = 0
        for g, text in zip(gold, texts, strict=True):
            name_txt = f"{g['case']['case_id'].split('-')[1]}"
            result_text = deidentifier.deidentify(text).text
            for item in identifiers.get(f"case-{name_txt}.txt", []):
                planted += 1
                left += item["text"] in result_text
            case_id = g["case"]["case_id"]
            n, d = _same_codes(
                extract_case(text, case_id=case_id), extract_case(result_text, case_id=case_id)
            )
            compared += n
            differ += d
        deid_rows.append(
            f"| {name} | {planted} | {left} | **{(planted - left) / planted:.3f}** | "
            f"{compared} | {differ} | {1 - differ / compared:.3f} |"
        )
    lines += [
        "",
        "De-identification on the same sets:",
        "",
        "| set | planted identifiers | left in the text | **recall** | values compared | "
        "differ after de-identification | same codes |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *deid_rows,
        "",
        "Goals (issue 5): F1 >= 0.9 over non-null fields, wrong non-null values <= 5%, "
        ">= 50 summaries a second on one core, de-identification recall >= 0.98.",
    ]
    publish("\n".join(lines) + "\n", append=not args.no_append)


if __name__ == "__main__":
    sys.exit(main())
