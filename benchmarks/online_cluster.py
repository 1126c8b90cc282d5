"""Benchmark: clustering synthetic online ads into operators, against a plain baseline.

For each size, seeded synthetic ads (ketenbeeld.online.synth.generate_ads) are
written to a JSONL file, as a user would have them, with their truth. Then, each
in its own process (so wall time and peak RSS are that step's own), ``--runs``
times, alternating:

* **ours**: ``read_ad_files`` (parsing, phone / e-mail / handle normalisation) and
  ``cluster_ads`` with the default ``ClusterParams``; the read and the clustering
  are timed separately inside the process.
* **baseline**: a plain MinHash LSH + phone union-find, written here with
  datasketch: records read with ``json.loads``; ads with the same ``phone`` field,
  exactly as written (no normalisation, numbers in the text ignored), joined;
  MinHash (``num_perm`` ``--baseline-perm``, datasketch's default scheme) of the
  word 3-shingles (``\\w+`` words) of the lower-cased title and text, no masking,
  no boilerplate or stock-text guard, in ``MinHashLSH(threshold=0.5)``; every pair
  of ads sharing an LSH bucket joined (what querying each ad and joining its
  candidates gives, without the quadratic work), no Jaccard check.
* **baseline + check**: the same, but each ad queries the index before it is
  inserted and is joined only to candidates whose MinHash estimate of the Jaccard
  coefficient is at least 0.5 (the check datasketch's documentation advises).

A step that runs past ``--limit-minutes`` or past ``--memory-limit-gib`` of address
space (a MemoryError, not the OOM killer, on a shared machine) is reported as such.

Quality: pairwise precision, recall, F1 and adjusted Rand index
(``ketenbeeld.online.evaluate.cluster_quality``) against the true operator, over
all ads and over the ads of organised operators. Indicators: our
``ketenbeeld.online.indicators`` (``text_hits`` per ad, ``group_hits`` per contact
over ``contact_groups`` of all ads, ``price_hits`` with ``city_medians``; lexicon
version 1) against the planted ones, per ad (see ``INDICATOR_MAP``).

    python benchmarks/online_cluster.py [--sizes 20000 200000 1000000] [--runs 3]
        [--seed 1] [--baseline-perm 64] [--limit-minutes 25] [--memory-limit-gib 16]
        [--no-append]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from _measure import publish, run_measured

from ketenbeeld.online.evaluate import cluster_quality

# Truth indicator -> our indicator. ``shared_number`` (one number used for several
# persons) and ``several_names`` (several names, or ages two or more years apart,
# behind one phone, e-mail or handle) are different questions; the row is shown
# but is not a measure of either.
INDICATOR_MAP = (
    ("youth", "youth"),
    ("new", "new"),
    ("third_party", "third_party"),
    ("low_price", "low_price"),
    ("mobility", "mobility"),
    ("burst", "burst"),
    ("shared_number", "several_names"),
)
GOAL_F1 = 0.98
GOAL_RATE = 300_000
GOAL_RATIO = 2.0
GOAL_MEMORY_MIB = 8 * 1024
GOAL_GROWTH = 12.0

# Every measured process stops itself after the time limit and cannot take more than
# the address-space limit (argv[1]: "seconds,MiB"; a MemoryError rather than the
# kernel's OOM killer on a shared machine), and names an uncaught error in the file
# $KB_BENCH_STATUS.
_LIMITS = """
import os, resource, signal, sys
_seconds, _mib = map(int, sys.argv[1].split(","))
def _status(kind, value, trace):
    with open(os.environ["KB_BENCH_STATUS"], "w") as handle:
        handle.write(kind.__name__)
    sys.__excepthook__(kind, value, trace)
class TimeLimit(BaseException):  # not an Exception: no library handler may catch it
    pass
def _stop(*_):
    raise TimeLimit
sys.excepthook = _status
signal.signal(signal.SIGALRM, _stop)
signal.alarm(_seconds)
resource.setrlimit(resource.RLIMIT_AS, (_mib << 20, _mib << 20))
"""

MAKE_FILES = """
import sys
from pathlib import Path
from ketenbeeld.online.synth import generate_ads, write_ads_jsonl, write_truth_csv
n, seed, work = int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
made = generate_ads(n, seed)
write_ads_jsonl(made.ads, work / "ads.jsonl")
write_truth_csv(made.truth, work / "truth.csv")
"""

OURS = (
    _LIMITS
    + """
import json, time
from pathlib import Path
from ketenbeeld.online.ads import read_ad_files
from ketenbeeld.online.cluster import cluster_ads
source, out = Path(sys.argv[2]), Path(sys.argv[3])
start = time.perf_counter()
read = read_ad_files([source])
read_done = time.perf_counter()
marks = []
clustering = cluster_ads(read.ads, on_step=lambda name: marks.append((name, time.perf_counter())))
end = time.perf_counter()
marks.append(("", end))
reasons = {}
for link in clustering.links:
    reasons[link.reason] = reasons.get(link.reason, 0) + 1
out.write_text(json.dumps({
    "n": len(read.ads), "problems": len(read.problems), "read": read_done - start,
    "cluster": end - read_done,
    "steps": {a[0]: b[1] - a[1] for a, b in zip(marks, marks[1:])},
    "links": reasons, "stock_links": len(clustering.stock_links),
    "common_contacts": len(clustering.common_contacts),
    "boilerplate_shingles": clustering.boilerplate_shingles,
    "cluster_of": clustering.cluster_of,
}))
"""
)

BASELINE = (
    _LIMITS
    + """
import json, re, time
from pathlib import Path
import numpy as np
from datasketch import MinHash, MinHashLSH
source, out, num_perm = Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
check = sys.argv[5] == "check"
start = time.perf_counter()
ids, phones, texts = [], [], []
with source.open(encoding="utf-8") as handle:
    for line in handle:
        record = json.loads(line)
        ids.append(record["ad_id"])
        phones.append(record.get("phone") or "")
        texts.append(f"{record.get('title') or ''} {record.get('text') or ''}".lower())
read_done = time.perf_counter()
parent = list(range(len(ids)))
def find(i):
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
def union(a, b):
    a, b = find(a), find(b)
    if a != b:
        parent[max(a, b)] = min(a, b)
first = {}
for i, phone in enumerate(phones):
    if phone:
        union(first.setdefault(phone, i), i)
phone_done = time.perf_counter()
word = re.compile(r"\\w+")
def shingles(text):
    words = word.findall(text)
    return [" ".join(words[k : k + 3]).encode() for k in range(len(words) - 2)]
lsh = MinHashLSH(threshold=0.5, num_perm=num_perm)
signature = None
for i, m in enumerate(MinHash.generator((shingles(t) for t in texts), num_perm=num_perm)):
    if m.is_empty():
        continue
    if check:  # query before inserting: each pair once; keep those whose estimate >= 0.5
        if signature is None:
            signature = np.zeros((len(texts), num_perm), dtype=m.hashvalues.dtype)
        signature[i] = m.hashvalues
        found = lsh.query(m)
        if found:
            found = np.fromiter(found, dtype=np.int64, count=len(found))
            similar = (signature[found] == m.hashvalues).mean(axis=1) >= 0.5
            for j in found[similar].tolist():
                union(i, j)
    lsh.insert(i, m, check_duplication=False)
lsh_done = time.perf_counter()
for table in () if check else lsh.hashtables:
    for key in table.keys():
        members = iter(table.get(key))
        head = next(members)
        for other in members:
            union(head, other)
end = time.perf_counter()
smallest = {}
for i, ad_id in enumerate(ids):
    root = find(i)
    if root not in smallest or ad_id < smallest[root]:
        smallest[root] = ad_id
steps = {"phone": phone_done - read_done}
if check:
    steps["minhash + LSH query + check + join + insert"] = end - phone_done
else:
    steps["minhash + LSH insert"] = lsh_done - phone_done
    steps["join buckets"] = end - lsh_done
out.write_text(json.dumps({
    "n": len(ids), "read": read_done - start, "cluster": end - read_done, "steps": steps,
    "cluster_of": {ad_id: smallest[find(i)] for i, ad_id in enumerate(ids)},
}))
"""
)

INDICATORS = (
    _LIMITS
    + """
import json, time
from pathlib import Path
from ketenbeeld.online.ads import read_ad_files
from ketenbeeld.online.indicators import (
    city_medians, contact_groups, group_hits, price_hits, text_hits)
from ketenbeeld.online.lexicon import load_lexicon
source, out = Path(sys.argv[2]), Path(sys.argv[3])
lexicon = load_lexicon("1")
ads = read_ad_files([source]).ads
start = time.perf_counter()
flagged = {}
def flag(hit):
    flagged.setdefault(hit.indicator, set()).update(hit.ad_ids)
for ad in ads:
    for hit in text_hits(ad, lexicon):
        flag(hit)
for contact, members in contact_groups(ads).items():
    for hit in group_hits(contact, members, lexicon):
        flag(hit)
medians = city_medians(ads, int(lexicon.group["low_price"].params["min_city_ads"]))
for hit in price_hits(ads, lexicon, medians):
    flag(hit)
out.write_text(json.dumps({
    "seconds": time.perf_counter() - start, "version": lexicon.version,
    "flagged": {name: sorted(ids) for name, ids in flagged.items()},
}))
"""
)


Run = tuple[float, float, dict[str, Any]]  # process wall (s), peak RSS (MiB), its result


class _Stopped(Exception):
    """A measured step did not finish (time limit, or the process failed)."""


def _measure(code: str, limits: tuple[int, int], *args: str) -> Run:
    """Run one step in its own process: (wall s, peak RSS MiB, what it wrote).

    Raises:
        _Stopped: the step hit a limit or failed; the reason says which.
    """
    out = Path(args[1])
    status = out.with_suffix(".status")
    out.unlink(missing_ok=True)
    status.unlink(missing_ok=True)
    env = {**os.environ, "KB_BENCH_STATUS": str(status)}
    start = time.perf_counter()
    try:
        wall, peak = run_measured(
            [sys.executable, "-c", code, f"{limits[0]},{limits[1]}", *args], env=env
        )
    except SystemExit as exc:
        elapsed = time.perf_counter() - start
        error = status.read_text(encoding="utf-8") if status.exists() else ""
        reason = {
            "TimeLimit": f"stopped at the time limit ({limits[0] / 60:g} min)",
            "MemoryError": f"MemoryError at the {limits[1] / 1024:g} GiB address-space limit",
        }.get(error, f"failed ({error or 'killed'})")
        raise _Stopped(f"{reason} after {elapsed:.0f} s") from exc
    return wall, peak, json.loads(out.read_text(encoding="utf-8"))


def _truth(path: Path) -> tuple[dict[str, str], set[str], dict[str, set[str]]]:
    """ad -> operator, the ads of organised operators, indicator -> its ads."""
    operator: dict[str, str] = {}
    organised: set[str] = set()
    planted: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            operator[row["ad_id"]] = row["operator_id"]
            if row["organised"] == "true":
                organised.add(row["ad_id"])
            for name in filter(None, row["indicators"].split(";")):
                planted.setdefault(name, set()).add(row["ad_id"])
    return operator, organised, planted


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _rate(n: int, seconds: float) -> float:
    return n / seconds * 60 if seconds > 0 else float("nan")


def _ok(met: bool) -> str:
    return "met" if met else "**not met**"


def _code_digest() -> str:
    """SHA-256 (12 hex) of the online package's sources: the code measured, between commits."""
    spec = importlib.util.find_spec("ketenbeeld.online")
    assert spec is not None and spec.submodule_search_locations is not None
    digest = hashlib.sha256()
    for path in sorted(Path(spec.submodule_search_locations[0]).glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


@dataclass
class _Size:
    """What was measured at one size."""

    n: int
    operator: dict[str, str]
    organised: set[str]
    planted: dict[str, set[str]]
    making: tuple[float, float]
    runs: dict[str, list[Run]] = field(
        default_factory=lambda: {"ours": [], "baseline": [], "baseline + check": []}
    )
    stopped: dict[str, str] = field(default_factory=dict)
    loads: list[str] = field(default_factory=list)
    indicators: Run | None = None


def _run_size(n: int, args: argparse.Namespace, limits: tuple[int, int]) -> _Size:
    """Make the file, then measure ours and the baseline (alternating) and our indicators."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        making = run_measured([sys.executable, "-c", MAKE_FILES, str(n), str(args.seed), str(work)])
        size = _Size(n, *_truth(work / "truth.csv"), making=making)
        source, out = str(work / "ads.jsonl"), str(work / "result.json")
        perm = str(args.baseline_perm)
        steps = {
            "ours": (OURS, source, out),
            "baseline": (BASELINE, source, out, perm, "join"),
            "baseline + check": (BASELINE, source, out, perm, "check"),
        }
        for _ in range(args.runs):
            before = _load()
            for name, (code, *step_args) in steps.items():
                if name in size.stopped:
                    continue
                try:
                    size.runs[name].append(_measure(code, limits, *step_args))
                except _Stopped as exc:
                    size.stopped[name] = str(exc)
            size.loads.append(f"{before} -> {_load()}")
        if "ours" not in size.stopped:
            try:
                size.indicators = _measure(INDICATORS, limits, source, out)
            except _Stopped as exc:
                size.stopped["indicators"] = str(exc)
    return size


def _speed(size: _Size, row: dict[str, Any]) -> list[str]:
    lines = [
        "| method | read (s) | cluster (s) | **read + cluster (s)** | min - max (s) | "
        "**ads/min** | process wall (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, done in size.runs.items():
        if not done:
            lines.append(f"| {name} | {size.stopped.get(name, 'not run')} | | | | | | |")
            continue
        totals = [r[2]["read"] + r[2]["cluster"] for r in done]
        row[f"{name}_total"] = total = _median(totals)
        row[f"{name}_rate"] = rate = _rate(size.n, total)
        row[f"{name}_peak"] = peak = max(r[1] for r in done)
        lines.append(
            f"| {name} | {_median([r[2]['read'] for r in done]):.2f} | "
            f"{_median([r[2]['cluster'] for r in done]):.2f} | **{total:.2f}** | "
            f"{min(totals):.2f} - {max(totals):.2f} | **{rate:,.0f}** | "
            f"{_median([r[0] for r in done]):.2f} | {peak:.0f} |"
        )
    for base in ("baseline", "baseline + check"):
        if "ours_rate" in row and f"{base}_rate" in row:
            row[f"ratio {base}"] = ratio = row["ours_rate"] / row[f"{base}_rate"]
            lines.append(f"| ours / {base} (ads/min) | | | | | **{ratio:.2f}x** | | |")
    lines += ["", "| method | part of the clustering | median (s) |", "|---|---|---:|"]
    for name, done in size.runs.items():
        for part in done[0][2]["steps"] if done else ():
            lines.append(
                f"| {name} | {part} | {_median([r[2]['steps'][part] for r in done]):.2f} |"
            )
    return lines


def _clusters(size: _Size, row: dict[str, Any]) -> list[str]:
    lines = [
        "| method | ads | P | R | **F1** | ARI | clusters |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, done in size.runs.items():
        if not done:
            continue
        cluster_of = done[-1][2]["cluster_of"]
        # An ad the reader rejects (the generator can write one with an empty text) is
        # in no cluster; quality is measured over the ads that were read.
        read = set(cluster_of)
        scopes = (
            ("all", set(size.operator) & read),
            ("organised operators", set(size.organised) & read),
        )
        for scope, members in scopes:
            q = cluster_quality(
                {ad: cluster_of[ad] for ad in members}, {ad: size.operator[ad] for ad in members}
            )
            row[f"{name}_f1_{scope}"] = q.f1
            lines.append(
                f"| {name} | {scope} | {q.precision:.4f} | {q.recall:.4f} | **{q.f1:.4f}** | "
                f"{q.ari:.4f} | {len({cluster_of[ad] for ad in members}):,} |"
            )
    if size.runs["ours"]:
        facts = size.runs["ours"][-1][2]
        lines += [
            "",
            f"- ours: {facts['n']:,} ads read ({facts['problems']} problems); links "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(facts["links"].items()))
            + f"; {facts['stock_links']:,} stock-text links (not joined); "
            f"{facts['common_contacts']} common contacts; "
            f"{facts['boilerplate_shingles']:,} boilerplate shingles dropped",
        ]
    return lines


def _indicators(size: _Size) -> list[str]:
    if size.indicators is None:
        return []
    _, peak, result = size.indicators
    flagged = {name: set(ids) for name, ids in result["flagged"].items()}
    lines = [
        "",
        f"Indicators per ad (lexicon {result['version']}; text, group and price hits over "
        f"all ads: {result['seconds']:.1f} s after reading, process peak {peak:.0f} MiB):",
        "",
        "| planted (truth) | ours | planted ads | flagged ads | P | R |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for truth_name, ours_name in INDICATOR_MAP:
        want, got = size.planted.get(truth_name, set()), flagged.get(ours_name, set())
        hit = len(want & got)
        note = " (not comparable)" if truth_name != ours_name else ""
        precision = f"{hit / len(got):.3f}" if got else "-"
        recall = f"{hit / len(want):.3f}" if want else "-"
        lines.append(
            f"| {truth_name} | {ours_name}{note} | {len(want):,} | {len(got):,} | "
            f"{precision} | {recall} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 200_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--baseline-perm", type=int, default=64)
    parser.add_argument("--limit-minutes", type=float, default=25.0)
    parser.add_argument("--memory-limit-gib", type=float, default=16.0)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    limits = (int(args.limit_minutes * 60), int(args.memory_limit_gib * 1024))
    lines = [
        "### online: clustering synthetic ads into operators, against a plain baseline",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, numpy {version('numpy')}, "
        f"scipy {version('scipy')}, phonenumbers {version('phonenumbers')}, "
        f"datasketch {version('datasketch')}; `src/ketenbeeld/online/*.py` sha256 "
        f"{_code_digest()}",
        f"- command: `python benchmarks/online_cluster.py --sizes "
        f"{' '.join(map(str, args.sizes))} --runs {args.runs} --seed {args.seed} "
        f"--baseline-perm {args.baseline_perm} --limit-minutes {args.limit_minutes:g} "
        f"--memory-limit-gib {args.memory_limit_gib:g}`",
        f"- `generate_ads(n, seed={args.seed})` (30 % organised), written to JSONL; each step "
        f"its own process, ours and the baselines alternating, median of {args.runs} runs; "
        "**ads/min = ads / (read + cluster) inside the process** (interpreter start, "
        "imports and writing the result excluded; the process wall includes them); "
        f"a step is stopped after {args.limit_minutes:g} min or at "
        f"{args.memory_limit_gib:g} GiB of address space",
        "- ours: `read_ad_files` + `cluster_ads(ClusterParams())`; baseline: raw `phone` "
        f"field equality + datasketch MinHashLSH(threshold 0.5, num_perm "
        f"{args.baseline_perm}) on word 3-shingles of the raw lower-cased title + text, "
        "ads sharing a bucket joined; baseline + check: joined only where the MinHash "
        "estimate is >= 0.5 (see the script's docstring)",
        "",
    ]
    summary: list[tuple[int, dict[str, Any]]] = []
    for n in args.sizes:
        size = _run_size(n, args, limits)
        row: dict[str, Any] = {}
        summary.append((n, row))
        lines += [
            f"#### {n:,} ads ({len(size.organised):,} of organised operators, "
            f"{len(set(size.operator.values())):,} true operators)",
            "",
            f"- making the file (setup): {size.making[0]:.1f} s, peak {size.making[1]:.0f} MiB; "
            "1-minute load average before -> after each run: " + ", ".join(size.loads),
            "",
            *_speed(size, row),
            "",
            *_clusters(size, row),
            *_indicators(size),
            *(f"\n- **{name}: {reason}**" for name, reason in size.stopped.items()),
            "",
        ]
    lines += _goals(summary)
    publish("\n".join(lines), append=not args.no_append)


def _goals(summary: list[tuple[int, dict[str, Any]]]) -> list[str]:
    """The issue's goals, one row each, as measured in this run."""
    out = [
        "#### Goals",
        "",
        "| goal | target | measured | |",
        "|---|---|---|---|",
    ]
    for n, row in summary:
        for scope in ("all", "organised operators"):
            f1 = row.get(f"ours_f1_{scope}")
            bases = [(b, row.get(f"{b}_f1_{scope}")) for b in ("baseline", "baseline + check")]
            if f1 is not None:
                extra = "; ".join(f"{b} {v:.4f}" for b, v in bases if v is not None)
                extra = f" ({extra})" if extra else ""
                out.append(
                    f"| pairwise F1, {scope}, {n:,} ads | >= {GOAL_F1} | {f1:.4f}{extra} | "
                    f"{_ok(f1 >= GOAL_F1)} |"
                )
    for n, row in summary:
        if "ours_rate" in row:
            out.append(
                f"| ads clustered per minute, {n:,} ads | >= {GOAL_RATE:,} | "
                f"{row['ours_rate']:,.0f} | {_ok(row['ours_rate'] >= GOAL_RATE)} |"
            )
        else:
            out.append(
                f"| ads clustered per minute, {n:,} ads | >= {GOAL_RATE:,} | "
                "did not finish | **not met** |"
            )
        for base in ("baseline", "baseline + check"):
            if f"ratio {base}" in row:
                ratio = row[f"ratio {base}"]
                out.append(
                    f"| ours / {base} speed, {n:,} ads | >= {GOAL_RATIO:g}x | "
                    f"{ratio:.2f}x | {_ok(ratio >= GOAL_RATIO)} |"
                )
    for n, row in summary:
        if n == 1_000_000:
            peak = row.get("ours_peak")
            measured = f"{peak:,.0f} MiB" if peak is not None else "did not finish"
            met = peak is not None and peak <= GOAL_MEMORY_MIB
            out.append(f"| peak memory, 1,000,000 ads | <= 8 GiB | {measured} | {_ok(met)} |")
    totals = {n: row["ours_total"] for n, row in summary if "ours_total" in row}
    if 20_000 in totals and 200_000 in totals:
        growth = totals[200_000] / totals[20_000]
        out.append(
            f"| growth, time at 200k / time at 20k | <= {GOAL_GROWTH:g} | {growth:.1f} | "
            f"{_ok(growth <= GOAL_GROWTH)} |"
        )
    out.append("")
    return out


if __name__ == "__main__":
    main()
