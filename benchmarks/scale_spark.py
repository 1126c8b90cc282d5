"""Benchmark: the Spark engine against the local engine, on 1 and 2 cores, with extrapolation.

For each size, seeded synthetic input is made once (setup, timed on its own):

* **cluster**: ``generate_ads(n, seed)``; ads with an empty text (the reader rejects
  them, and ``online cluster`` would then cluster nothing) are left out.
* **link**: a population (``generate_population``, seed ``seed``) and two
  organisations' person files (``make_linkage_files``, seed ``seed + 1``, half of the
  persons in both), encoded with ``dutch-person`` under a key derived from the seed
  (``sha256("scale_spark <seed>")``), unusable rows skipped; the first ``--persons``
  usable encodings of each file are kept, so the link is ``--persons`` x ``--persons``.

Input goes to a temporary folder as Parquet (``--format parquet``, the default) or
JSONL. Then ``--runs`` times, for each ``--masters`` entry (``local`` is the local
engine; anything else is a Spark master such as ``local[1]``), one step in its own
process doing what the command does (``online cluster --input F --out clusters.csv
--engine ...`` / ``signals link A B --out links.csv --engine ...``): read the input,
start the Spark session (``spark_session``, as the command makes it), compute, write
the CSV with the command's writer, stop the session. Inside the step each part is
timed; **work = read + compute + write** (interpreter start, imports, the JVM start
and the session stop excluded; the process wall includes them).

Every output is compared with the local engine's output for the same input (the
local engine is run first in each round; if ``local`` is not among ``--masters`` it
is run once as the reference): **identical** means the CSV files are byte for byte
equal.

Memory: while a step runs, the process tree (the step's Python, Spark's JVM, the
Python workers) is sampled from /proc every half second: **tree peak** is the
largest sum of the resident sizes seen (shared pages counted once per process, so
forked workers are over-counted; a peak shorter than the interval can be missed);
**largest process** is the kernel's peak RSS (VmHWM, last seen) of the biggest single
process.
A step whose tree passes ``--memory-limit-gib`` or runs past ``--limit-minutes`` is
killed (its whole process group) and reported as stopped. CPU is the user + system
time of the tree (sampled, so approximate), and CPU / wall shows how many cores the
step kept busy on average.

``--driver-memory`` writes ``spark.driver.memory`` to a ``spark-defaults.conf`` in a
temporary ``SPARK_CONF_DIR``, as docs/scale.md tells users to; in local mode it is
the heap of the one JVM that runs the driver and the executors. Without it Spark's
default (1 GiB) applies.

    python benchmarks/scale_spark.py [--what link|cluster|both] [--ads 1000000 5000000]
        [--persons 1000000] [--masters local 'local[1]' 'local[2]'] [--runs 3] [--seed 1]
        [--format parquet|jsonl] [--one-to-one] [--driver-memory 12g]
        [--limit-minutes 60] [--memory-limit-gib 16]
        [--extrapolate-ads N ...] [--extrapolate-persons N ...] [--no-append]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import math
import os
import platform
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from _measure import publish

SAMPLE_SECONDS = 0.5
OVERLAP = 0.5  # make_linkage_files' default: half of the persons in both files
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")


# -- phases (each runs in its own process) ------------------------------------------------


def make_ads(work: Path, n: int, seed: int, fmt: str) -> None:
    """Write ``n`` seeded synthetic ads (those with an empty text left out)."""
    from ketenbeeld.online.synth import generate_ads, write_ads_jsonl

    ads = [ad for ad in generate_ads(n, seed).ads if (ad.get("text") or "").strip()]
    path = work / f"ads.{fmt}"
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        # One string column per field; an absent field is a null, as the reader takes it.
        names = sorted({name for ad in ads for name in ad})
        table = pa.table(
            {name: pa.array([ad.get(name) for ad in ads], pa.string()) for name in names}
        )
        pq.write_table(table, path)
    else:
        write_ads_jsonl(ads, path)
    (work / "made.json").write_text(json.dumps({"ads": len(ads), "dropped": n - len(ads)}))


def make_encodings(work: Path, n: int, seed: int, fmt: str) -> None:
    """Write two files of ``n`` encodings each (a population in two organisations)."""
    from ketenbeeld.signals.encode import Encoder
    from ketenbeeld.signals.encodings import write_encodings
    from ketenbeeld.signals.schema import load_schema
    from ketenbeeld.synth import generate_population, make_linkage_files

    # Each file holds (1 + OVERLAP) / 2 of the persons; a few rows are unusable.
    persons = math.ceil(n / ((1 + OVERLAP) / 2) / 0.95)
    case = make_linkage_files(generate_population(persons, seed), seed + 1, overlap=OVERLAP)
    key = hashlib.sha256(f"scale_spark {seed}".encode()).digest()
    encoder = Encoder(load_schema("dutch-person"), key)
    facts: dict[str, Any] = {"persons": persons}
    for side, rows in (("a", case.file_a), ("b", case.file_b)):
        records = encoder.encode(rows, source=f"{side}.csv").records
        if len(records) < n:
            raise SystemExit(f"only {len(records)} usable rows in file {side}, {n} wanted")
        write_encodings(work / f"{side}.{fmt}", records[:n])
        facts[f"usable_{side}"] = len(records)
        facts[f"bsn_{side}"] = sum(1 for record in records[:n] if record.bsn)
    (work / "made.json").write_text(json.dumps(facts))


def _self_peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def step(args: argparse.Namespace) -> None:
    """One measured step: read, (start Spark), compute, write; times in ``args.result``."""
    from ketenbeeld.signals.spark_link import spark_session

    spark_engine = args.master != "local"
    times: dict[str, Any] = {"session": 0.0, "stop": 0.0}
    start = time.perf_counter()
    if args.what == "cluster":
        from ketenbeeld.online.ads import read_ad_files
        from ketenbeeld.online.cluster import cluster_ads, write_clusters_csv
        from ketenbeeld.online.spark_cluster import cluster_ads_spark

        read = read_ad_files([args.input[0]])
        ads = list(read.ads)
        times.update(n=len(ads), problems=len(read.problems))
        records, app = len(ads), "ketenbeeld online cluster"
    else:
        from ketenbeeld.signals.encodings import read_encodings
        from ketenbeeld.signals.link import link
        from ketenbeeld.signals.links_file import write_links
        from ketenbeeld.signals.schema import load_schema
        from ketenbeeld.signals.spark_link import link_spark

        a, b = read_encodings(args.input[0]), read_encodings(args.input[1])
        layout = load_schema(a.schema.split("/", 1)[0]).layout()
        times.update(n_a=len(a), n_b=len(b))
        records, app = len(a) + len(b), "ketenbeeld signals link"
    times["read"] = time.perf_counter() - start

    def compute(spark: Any) -> None:
        begin = time.perf_counter()
        if args.what == "cluster":
            result = cluster_ads_spark(spark, ads) if spark else cluster_ads(ads)
            times["clusters"] = len(set(result.cluster_of.values()))
        else:
            options = {"threshold": args.threshold, "one_to_one": args.one_to_one}
            if spark:
                result = link_spark(spark, a, b, layout, **options)
            else:
                result = link(a, b, layout, **options)
            times.update(method=result.method, candidates=result.candidates)
            times["links"] = len(result.links)
        times["compute"] = time.perf_counter() - begin
        begin = time.perf_counter()
        if args.what == "cluster":
            write_clusters_csv(args.out, result)
        else:
            write_links(args.out, result.links)
        times["write"] = time.perf_counter() - begin

    if spark_engine:
        begin = time.perf_counter()
        with spark_session(args.master, records=records, app=app) as spark:
            times["session"] = time.perf_counter() - begin
            conf = spark.sparkContext.getConf()
            times["driver_memory"] = conf.get("spark.driver.memory", "1g (Spark's default)")
            times["parallelism"] = spark.sparkContext.defaultParallelism
            compute(spark)
            begin = time.perf_counter()
        times["stop"] = time.perf_counter() - begin
    else:
        compute(None)
    times["self_peak_mib"] = _self_peak_mib()
    args.result.write_text(json.dumps(times))


# -- measuring a process tree ----------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc."""
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(parent, []).append(int(entry))
    return tree


def _tree(root: int) -> list[int]:
    tree, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(tree.get(pid, ()))
    return out


def _sample(pid: int) -> tuple[int, int, int] | None:
    """(resident bytes, peak resident bytes, CPU ticks) of one process; None when gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError, ValueError):
        return None
    kib = {
        line.split(":")[0]: int(line.split()[1])
        for line in status
        if line.startswith(("VmRSS:", "VmHWM:"))
    }
    ticks = int(fields[11]) + int(fields[12])
    return kib.get("VmRSS", 0) << 10, kib.get("VmHWM", 0) << 10, ticks


@dataclass
class Measured:
    """One step: wall, tree peak RSS, largest process, CPU, and what the step wrote."""

    wall: float
    tree_peak_mib: float
    largest_mib: float
    cpu_s: float
    result: dict[str, Any]
    load: str


class Stopped(Exception):
    """A step did not finish: the reason says why."""


def run_tree(
    command: list[str], limits: tuple[float, float], env: dict[str, str], log: Path
) -> Measured:
    """Run ``command`` in its own session; sample its tree; kill it at a limit.

    Raises:
        Stopped: the step hit the time or memory limit, or failed.
    """
    seconds, max_bytes = limits
    before = os.getloadavg()[0]
    start = time.perf_counter()
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    peak, reason = 0, ""
    cpu: dict[int, int] = {}
    largest: dict[int, int] = {}
    while True:
        waited, status, usage = os.wait4(process.pid, os.WNOHANG)
        if waited:
            break
        total = 0
        for pid in _tree(process.pid):
            sample = _sample(pid)
            if sample is not None:
                total += sample[0]
                largest[pid] = sample[1]
                cpu[pid] = sample[2]
        peak = max(peak, total)
        elapsed = time.perf_counter() - start
        if elapsed > seconds:
            reason = f"stopped at the time limit ({seconds / 60:g} min)"
        elif total > max_bytes:
            reason = f"stopped at the memory limit ({max_bytes / 2**30:g} GiB process tree RSS)"
        if reason:
            for pid in _tree(process.pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            os.wait4(process.pid, 0)
            raise Stopped(f"{reason} after {elapsed:.0f} s")
        time.sleep(SAMPLE_SECONDS)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with contextlib.suppress(ProcessLookupError):  # a JVM or worker left by a failed step
        os.killpg(process.pid, signal.SIGKILL)
    if code != 0:
        text = log.read_text(encoding="utf-8", errors="replace")
        errors = [
            line.strip() for line in text.splitlines() if "Error" in line or "Exception" in line
        ]
        oom = "java.lang.OutOfMemoryError" if "OutOfMemoryError" in text else ""
        last = oom or (errors[-1][:160] if errors else f"exit code {code}")
        raise Stopped(f"failed after {wall:.0f} s: {last}")
    ticks = sum(cpu.values())
    own = usage.ru_utime + usage.ru_stime  # the step and the children it waited for
    return Measured(
        wall,
        peak / 2**20,
        max([usage.ru_maxrss << 10, *largest.values()]) / 2**20,
        max(own, ticks / TICKS),
        {},
        f"{before:.1f} -> {os.getloadavg()[0]:.1f}",
    )


# -- orchestration ---------------------------------------------------------------------------


@dataclass
class Size:
    """What was measured at one size of one workload."""

    what: str
    n: int
    made: dict[str, Any]
    setup: Measured | None
    runs: dict[str, list[Measured]] = field(default_factory=dict)
    identical: dict[str, list[str]] = field(default_factory=dict)
    stopped: dict[str, str] = field(default_factory=dict)


def _me(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _difference(mine: Path, reference: Path) -> str:
    """How two outputs differ: line counts and lines in one only."""
    with mine.open(encoding="utf-8") as m, reference.open(encoding="utf-8") as r:
        lines_m, lines_r = m.read().splitlines(), r.read().splitlines()
    only = len(set(lines_m) ^ set(lines_r))
    return f"no ({len(lines_m):,} vs {len(lines_r):,} lines; {only:,} lines in one file only)"


def run_size(what: str, n: int, args: argparse.Namespace, env: dict[str, str]) -> Size:
    limits = (args.limit_minutes * 60, args.memory_limit_gib * 2**30)
    with tempfile.TemporaryDirectory(prefix="scale_spark-") as tmp:
        work = Path(tmp)
        phase = "make-ads" if what == "cluster" else "make-encodings"
        size = Size(what, n, {}, None)
        make = _me("--phase", phase, "--n", str(n), "--seed", str(args.seed))
        make += ["--format", args.format, "--work", str(work)]
        try:
            size.setup = run_tree(make, limits, env, work / "setup.log")
        except Stopped as exc:
            size.stopped["setup"] = str(exc)
            return size
        size.made = json.loads((work / "made.json").read_text())
        inputs = (
            [work / f"ads.{args.format}"]
            if what == "cluster"
            else [work / f"a.{args.format}", work / f"b.{args.format}"]
        )
        masters = list(args.masters)
        reference_only = "local" not in masters
        if reference_only:
            masters.insert(0, "local")
        reference = work / "out-reference.csv"
        for run in range(args.runs):
            for master in masters:
                if master in size.stopped or (reference_only and master == "local" and run):
                    continue
                label = "local (reference)" if reference_only and master == "local" else master
                out = work / f"out-{len(size.runs.get(label, []))}.csv"
                result = work / "result.json"
                command = _me("--phase", "step", "--what", what, "--master", master)
                command += ["--input", *map(str, inputs), "--out", str(out)]
                command += ["--result", str(result), "--threshold", str(args.threshold)]
                command += ["--one-to-one"] if args.one_to_one else []
                try:
                    measured = run_tree(command, limits, env, work / "step.log")
                except Stopped as exc:
                    size.stopped[master] = str(exc)
                    continue
                measured.result = json.loads(result.read_text())
                size.runs.setdefault(label, []).append(measured)
                if master == "local":
                    if not reference.exists():
                        out.rename(reference)
                        continue
                    same = (
                        "yes" if _sha256(out) == _sha256(reference) else _difference(out, reference)
                    )
                elif reference.exists():
                    same = (
                        "yes" if _sha256(out) == _sha256(reference) else _difference(out, reference)
                    )
                else:
                    same = "unknown (the local engine did not finish)"
                size.identical.setdefault(label, []).append(same)
                out.unlink()
                print(
                    f"{what} {n:,} {label} run {run + 1}: {measured.wall:.1f} s, {same}",
                    file=sys.stderr,
                )
    return size


# -- rendering -------------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def _work(m: Measured) -> float:
    return m.result["read"] + m.result["compute"] + m.result["write"]


def _cores(master: str) -> int:
    if master.startswith("local["):
        inside = master[6:-1]
        return (os.cpu_count() or 1) if inside == "*" else int(inside)
    return os.cpu_count() or 1  # the local engine: a thread per core


def _render_size(size: Size, args: argparse.Namespace, rates: dict[str, Any]) -> list[str]:
    made = size.made
    if size.what == "cluster":
        title = f"#### online cluster: {made.get('ads', size.n):,} ads"
        facts = (
            f"generate_ads({size.n:,}, seed={args.seed}), "
            f"{made.get('dropped', 0)} without text left out"
        )
        unit = "ads/min"
    else:
        title = f"#### signals link: {size.n:,} x {size.n:,} encodings"
        facts = (
            f"{made.get('persons', 0):,} persons (seed {args.seed}), files seed {args.seed + 1}; "
            f"usable rows {made.get('usable_a', 0):,} / {made.get('usable_b', 0):,}, the first "
            f"{size.n:,} of each kept; with a BSN hash {made.get('bsn_a', 0):,} / "
            f"{made.get('bsn_b', 0):,}; threshold {args.threshold:g}"
            + (", --one-to-one" if args.one_to_one else "")
        )
        unit = "records/s"
    lines = [title, ""]
    if size.setup is not None:
        lines.append(
            f"- setup (not in the table): {facts}; {size.setup.wall:.1f} s, tree peak "
            f"{size.setup.tree_peak_mib:,.0f} MiB; written as {args.format}"
        )
    lines += [
        "",
        f"| engine | runs | **wall (s)** | JVM start (s) | read (s) | compute (s) | write (s) | "
        f"**work (s)** | **{unit}** | CPU (s) | CPU / wall | tree peak (MiB) | "
        "largest process (MiB) | identical |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, done in size.runs.items():
        work = _median([_work(m) for m in done])
        records = (
            done[0].result["n"]
            if size.what == "cluster"
            else done[0].result["n_a"] + done[0].result["n_b"]
        )
        rate = records / work * (60 if size.what == "cluster" else 1)
        cpu = _median([m.cpu_s for m in done])
        wall = _median([m.wall for m in done])
        same = size.identical.get(label, [])
        same_text = "yes" if all(s == "yes" for s in same) else "; ".join(same)
        if not label.startswith("local["):  # the local engine: its first run is the reference
            same_text = "reference" + (f"; later runs the same: {same_text}" if same else "")
        lines.append(
            f"| {label} | {len(done)} | **{_median([m.wall for m in done]):.1f}** | "
            f"{_median([m.result['session'] for m in done]):.1f} | "
            f"{_median([m.result['read'] for m in done]):.1f} | "
            f"{_median([m.result['compute'] for m in done]):.1f} | "
            f"{_median([m.result['write'] for m in done]):.1f} | **{work:.1f}** | "
            f"**{rate:,.0f}** | {cpu:.0f} | {cpu / wall:.2f} | "
            f"{max(m.tree_peak_mib for m in done):,.0f} | "
            f"{max(m.largest_mib for m in done):,.0f} | {same_text} |"
        )
        master = label.split(" ")[0]
        rates.setdefault((size.what, label), []).append((size.n, done, master))
    for label, reason in size.stopped.items():
        lines.append(f"| {label} | 0 | {reason} | | | | | | | | | | | |")
    lines.append("")
    notes = []
    for label, done in size.runs.items():
        r = done[0].result
        extra = (
            f"Spark driver memory {r['driver_memory']}, parallelism {r['parallelism']}; "
            if "driver_memory" in r
            else ""
        )
        if size.what == "cluster":
            extra += f"{r['clusters']:,} clusters; {r['problems']} problems on reading"
        else:
            extra += (
                f"path {r['method']}, {r['candidates']:,} candidate pairs, {r['links']:,} links"
            )
        loads = ", ".join(m.load for m in done)
        notes.append(f"- {label}: {extra}; 1-min load before -> after each run: {loads}")
    return lines + notes + [""]


def _hours(seconds: float) -> str:
    return f"{seconds / 3600:,.1f} h" if seconds >= 3600 else f"{seconds / 60:,.1f} min"


def _extrapolate(rates: dict[Any, Any], args: argparse.Namespace) -> list[str]:
    lines = [
        "#### Extrapolated (not measured)",
        "",
        "From the work time (not the wall) at the largest size each engine finished "
        "(for clustering, the slope between the two largest when two finished), "
        "assuming the cost grows as stated and "
        "that Spark's work divides evenly over more cores (start-up, reading on the driver "
        "and the collected results do not: they stay as on this machine). "
        "core-hours = work x cores used (local[N]: N; local engine: all cores).",
        "",
    ]
    for (what, label), entries in rates.items():
        n, done, master = max(entries, key=lambda entry: entry[0])
        work = _median([_work(m) for m in done])
        cores = _cores(master)
        r = done[0].result
        finished = sorted(
            (e[1][0].result.get("n", 0), _median([_work(m) for m in e[1]])) for e in entries
        )
        if what == "cluster" and len(finished) > 1 and finished[-1][0] > finished[-2][0]:
            # The slope between the two largest sizes: a fixed cost does not inflate it.
            (n1, t1), (n2, t2) = finished[-2], finished[-1]
            per = (t2 - t1) / (n2 - n1)
            formula = (
                f"T(n) = {t2:.0f} s + (n - {n2:,}) x {per * 1e6:.1f} s per million ads "
                f"(the slope between {n1:,} and {n2:,} ads; "
                f"growth {t2 / t1:.2f}x for {n2 / n1:.2f}x the ads)"
            )
            targets = [(f"{t:,} ads", t2 + (t - n2) * per) for t in args.extrapolate_ads]
        elif what == "cluster":
            per = work / r["n"]
            formula = f"T(n) = n x {per * 1e6:.1f} s per million ads (linear in ads, from {n:,})"
            targets = [(f"{t:,} ads", t * per) for t in args.extrapolate_ads]
        elif r["method"] == "bruteforce":
            pairs = r["n_a"] * r["n_b"]
            per = work / pairs
            formula = (
                f"T(n_a, n_b) = n_a x n_b x {per * 1e9:.2f} s per billion pairs "
                f"(every pair scored, the path chosen at {n:,} x {n:,})"
            )
            targets = [(f"{t:,} x {t:,}", t * t * per) for t in args.extrapolate_persons]
        else:
            per = work / (r["n_a"] + r["n_b"])
            formula = (
                f"T(n_a, n_b) = (n_a + n_b) x {per * 1e6:.1f} s per million records "
                f"(index path at {n:,} x {n:,}; linear only while the candidates per record stay)"
            )
            targets = [(f"{t:,} x {t:,}", 2 * t * per) for t in args.extrapolate_persons]
        cells = "; ".join(
            f"{name}: {_hours(t)} here, {t * cores / 3600:,.1f} core-hours" for name, t in targets
        )
        lines.append(
            f"- {what}, {label} ({cores} cores): {formula}" + (f"; {cells}" if cells else "")
        )
    return [*lines, ""]


def _java() -> str:
    try:
        done = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    except OSError:
        return "not found"
    return (done.stderr or done.stdout).splitlines()[0] if (done.stderr or done.stdout) else "?"


def _memory() -> str:
    info = dict(
        line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines() if ":" in line
    )
    gib = {k: int(info[k].split()[0]) / 2**20 for k in ("MemTotal", "MemAvailable")}
    return f"{gib['MemTotal']:.1f} GiB memory ({gib['MemAvailable']:.1f} GiB available at start)"


def _code_digest() -> str:
    """SHA-256 (12 hex) of the signals and online packages' sources: the code measured."""
    digest = hashlib.sha256()
    for package in ("ketenbeeld.signals", "ketenbeeld.online"):
        spec = importlib.util.find_spec(package)
        assert spec is not None and spec.submodule_search_locations is not None
        for path in sorted(Path(spec.submodule_search_locations[0]).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def main() -> None:
    from ketenbeeld.signals.link import DEFAULT_THRESHOLD

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--what", choices=("link", "cluster", "both"), default="both")
    parser.add_argument("--ads", type=int, nargs="+", default=[1_000_000, 5_000_000])
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000],
                        help="encodings per organisation: the link is N x N")  # fmt: skip
    parser.add_argument("--masters", nargs="+", default=["local", "local[1]", "local[2]"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--one-to-one", action="store_true")
    parser.add_argument("--driver-memory", help="spark.driver.memory, e.g. 12g")
    parser.add_argument("--limit-minutes", type=float, default=60.0)
    parser.add_argument("--memory-limit-gib", type=float, default=16.0)
    parser.add_argument("--extrapolate-ads", type=int, nargs="*", default=[])
    parser.add_argument("--extrapolate-persons", type=int, nargs="*", default=[])
    parser.add_argument("--no-append", action="store_true")
    # Internal: one phase in a child process.
    phases = ("make-ads", "make-encodings", "step")
    parser.add_argument("--phase", choices=phases, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--master", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "make-ads":
        make_ads(args.work, args.n, args.seed, args.format)
        return
    if args.phase == "make-encodings":
        make_encodings(args.work, args.n, args.seed, args.format)
        return
    if args.phase == "step":
        step(args)
        return
    started = datetime.now(UTC)
    load_start = os.getloadavg()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="scale_spark-conf-") as conf:
        if args.driver_memory:
            Path(conf, "spark-defaults.conf").write_text(
                f"spark.driver.memory {args.driver_memory}\n"
            )
            env["SPARK_CONF_DIR"] = conf
        sizes: list[Size] = []
        for what in ("cluster", "link"):
            if args.what not in (what, "both"):
                continue
            for n in args.ads if what == "cluster" else args.persons:
                sizes.append(run_size(what, n, args, env))
    load_end = os.getloadavg()
    lines = [
        "### scale: the Spark engine against the local engine, 1 and 2 cores",
        "",
        f"- date: {started.strftime('%Y-%m-%d %H:%M UTC')} to "
        f"{datetime.now(UTC).strftime('%H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores "
        f"({len(os.sched_getaffinity(0))} usable), {_memory()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average (1, 5, 15 min) "
        f"before {', '.join(f'{v:.2f}' for v in load_start)}, after "
        f"{', '.join(f'{v:.2f}' for v in load_end)}",
        f"- versions: ketenbeeld {version('ketenbeeld')}, pyspark {version('pyspark')}, "
        f"{_java()}, numpy {version('numpy')}, numba {version('numba')}, pyarrow "
        f"{version('pyarrow')}, pandas {version('pandas')}; `src/ketenbeeld/{{signals,online}}/"
        f"*.py` sha256 {_code_digest()}",
        f"- command: `python benchmarks/scale_spark.py {shlex.join(sys.argv[1:])}`",
        f"- Spark driver memory: {args.driver_memory or 'not set (Spark default 1g)'}; each step "
        f"its own process, stopped after {args.limit_minutes:g} min or at "
        f"{args.memory_limit_gib:g} GiB of process-tree RSS; median of {args.runs} runs; "
        "**work = read + compute + write inside the step** (interpreter start, imports, JVM "
        "start and stop excluded; wall includes them); rates from work; CPU and tree peak "
        f"sampled from /proc every {SAMPLE_SECONDS:g} s (see the script's docstring); "
        "identical = the CSV equals the local engine's byte for byte",
        "",
    ]
    rates: dict[Any, Any] = {}
    for size in sizes:
        lines += _render_size(size, args, rates)
    lines += _extrapolate(rates, args)
    publish("\n".join(lines), append=not args.no_append)


if __name__ == "__main__":
    main()
