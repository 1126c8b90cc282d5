"""Benchmark: adding 1,000 new ads to a store of N clustered ads (issue 4, incremental).

For each size N, seeded synthetic ads (``generate_ads(N + add, seed)``) are split
into the N stored ones and ``--add`` new ones, a seeded random sample of all of them,
so the new ads belong to operators already in the store as well as new ones. Every
step is the ``ketenbeeld`` command a user runs, each in its own process (wall time
and peak RSS are that process's own, interpreter start and imports included), on a
SQLite workspace:

* **setup**, once: ``online ingest`` of the N ads and a first ``online cluster``
  (which sketches all of them and stores the sketches and clusters);
* **the add**, ``--runs`` times, each time from a copy of the set-up workspace:
  ``online ingest`` of the new ads, then ``online cluster`` (which sketches only
  the new ads, reuses the N stored sketches and runs the graph steps over all);
* **from scratch**: ``online cluster --input`` over both files (read, normalise and
  sketch everything), whose clusters must be byte-identical to the add's.

    python benchmarks/online_incremental.py [--sizes 20000 200000 1000000]
        [--add 1000] [--runs 3] [--seed 1] [--no-append]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from _measure import publish, run_measured

from ketenbeeld.online.synth import generate_ads, write_ads_jsonl


def _ketenbeeld(workspace: Path | None, *args: str) -> list[str]:
    data = ["--data-dir", str(workspace)] if workspace is not None else []
    return [sys.executable, "-m", "ketenbeeld", *data, *args]


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _size(n: int, args: argparse.Namespace, work: Path) -> list[str]:
    started = time.perf_counter()
    made = generate_ads(n + args.add, seed=args.seed).ads
    new_rows = set(random.Random(args.seed).sample(range(len(made)), args.add))
    base, new = work / "base.jsonl", work / "new.jsonl"
    write_ads_jsonl([ad for i, ad in enumerate(made) if i not in new_rows], base)
    write_ads_jsonl([ad for i, ad in enumerate(made) if i in new_rows], new)
    del made
    making = time.perf_counter() - started
    setup = work / "setup"
    loads = [_load()]
    ingest_n = run_measured(_ketenbeeld(setup, "online", "ingest", str(base)))
    first = run_measured(_ketenbeeld(setup, "online", "cluster", "--out", str(work / "c0.csv")))
    database = sum(f.stat().st_size for f in setup.iterdir()) / 2**20
    adds: list[tuple[float, float]] = []
    clusters: list[tuple[float, float]] = []
    outputs: list[bytes] = []
    for run in range(args.runs):
        copy = work / f"run{run}"
        shutil.copytree(setup, copy)
        loads.append(_load())
        adds.append(run_measured(_ketenbeeld(copy, "online", "ingest", str(new))))
        out = work / f"c{run + 1}.csv"
        clusters.append(run_measured(_ketenbeeld(copy, "online", "cluster", "--out", str(out))))
        outputs.append(out.read_bytes())
        shutil.rmtree(copy)
    scratch_out = work / "scratch.csv"
    scratch = run_measured(
        _ketenbeeld(
            None,
            "online",
            "cluster",
            "--input",
            str(base),
            "--input",
            str(new),
            "--out",
            str(scratch_out),
        )
    )
    loads.append(_load())
    identical = all(output == scratch_out.read_bytes() for output in outputs)
    lines = [
        f"#### {n:,} stored ads + {args.add:,} new",
        "",
        f"- making the files (setup): {making:.1f} s; database after the first clustering: "
        f"{database:,.0f} MiB; 1-minute load average at the start, before each add and at the "
        f"end: {', '.join(loads)}",
        "- clusters after the add byte-identical to clustering both files from scratch: "
        f"**{'yes' if identical else 'NO'}** (the output of each of the {args.runs} runs compared)",
        "",
        "| step | runs | median wall (s) | min - max (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|",
        f"| setup: `online ingest` of {n:,} ads | 1 | {ingest_n[0]:.1f} | | {ingest_n[1]:,.0f} |",
        f"| setup: first `online cluster` (all sketched) | 1 | {first[0]:.1f} | | "
        f"{first[1]:,.0f} |",
    ]
    for label, runs in (
        (f"**add: `online ingest` of {args.add:,} new ads**", adds),
        ("**add: `online cluster`** (new ads sketched, stored ones reused)", clusters),
    ):
        walls = [wall for wall, _ in runs]
        lines.append(
            f"| {label} | {len(runs)} | **{statistics.median(walls):.1f}** | "
            f"{min(walls):.1f} - {max(walls):.1f} | {max(rss for _, rss in runs):,.0f} |"
        )
    total = [a[0] + c[0] for a, c in zip(adds, clusters, strict=True)]
    lines += [
        f"| **add: both** | {len(total)} | **{statistics.median(total):.1f}** | "
        f"{min(total):.1f} - {max(total):.1f} | |",
        f"| from scratch: `online cluster --input` both files | 1 | {scratch[0]:.1f} | | "
        f"{scratch[1]:,.0f} |",
        "",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[20_000, 200_000, 1_000_000])
    parser.add_argument("--add", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("ketenbeeld", "SQLAlchemy", "numpy", "datasketch")
    )
    command = " ".join(["python", "benchmarks/online_incremental.py", *sys.argv[1:]])
    sections = [
        "### online: adding 1,000 ads to a clustered store (incremental)",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- versions: {versions}; SQLite {__import__('sqlite3').sqlite_version}",
        f"- command: `{command}`",
        f"- `generate_ads(N + {args.add}, seed={args.seed})`; the {args.add:,} new ads are a "
        "seeded random sample of all of them; each step is the `ketenbeeld` command in its "
        "own process (start-up and imports included), on a SQLite workspace; the add is "
        "repeated from a copy of the set-up workspace",
        "",
    ]
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="kb-incremental-") as temporary:
            sections += _size(n, args, Path(temporary))
            print("\n".join(sections[-14:]), flush=True)
    sections.append(f"(whole benchmark: {(time.perf_counter() - started) / 60:.1f} min)")
    publish("\n".join(sections) + "\n", append=not args.no_append)


if __name__ == "__main__":
    main()
