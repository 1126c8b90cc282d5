"""Benchmark: register one signal at a hub that holds a million active signals.

The hub (ketenbeeld.signals.hub) keeps the encodings of all active signals in memory
and matches a new signal at once against the other organisations' signals. This
script fills a hub database with the encodings of a synthetic Dutch population
(ketenbeeld.synth, ``dutch-person`` schema, a generated chain key) spread over five
organisations, starts a :class:`Hub` on it (load time and memory), and times
``Hub.register`` for new signals one at a time: half of them persons already held by
another organisation (their own copy, with its own errors, so matches are made),
half persons the hub has not seen. The index look-up alone is timed as well, and
each registration is split into its parts to show where the time goes.

Every step is its own process: ``prepare`` (population, person files, encoding),
per backend ``fill`` (organisations through the admin API, signals bulk-inserted
with SQLAlchemy Core: scaffolding, not the measured path) and per run ``measure``
(a fresh hub process: load, then registrations). The runs share the store and each
registers signals of its own, so run r starts with (r - 1) x (queries + warm-up)
more signals than run 1.

    python benchmarks/signals_hub.py [--signals 1000000] [--queries 1000]
        [--backend sqlite postgresql] [--runs 3] [--no-append]
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import math
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from _measure import publish, run_measured

from ketenbeeld.settings import Settings

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ORGS = (
    ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg"),
    ("politie-oost", "Politie Oost-Nederland", "politie"),
    ("reclassering", "Reclassering Nederland", "reclassering"),
    ("veilig-thuis-oost", "Veilig Thuis Oost", "veilig_thuis"),
    ("gemeente-oost", "Gemeente Oost", "gemeente"),
)
THRESHOLD = Settings.model_fields["hub_threshold"].default  # the shipped hub_threshold
OVERLAP = 0.2  # share of the persons in both person files
WARMUP = 20  # registrations per run before timing starts (new persons, not reported)
BATCH = 10_000  # signals per insert statement while filling
GOAL_MS = 50.0
PARTS = {
    "serialise": "write lock (BEGIN IMMEDIATE / advisory lock)",
    "refresh": "refresh (signals stored by other processes)",
    "index query": "index query",
    "still active": "re-read the matched signals",
    "matches": "create matches (+ inbox, audit)",
    "audit": "audit event of the registration",
    "commit": "commit (fsync)",
    "index add": "add to the index",
    "other": "rest (validation, ORM insert + flush, session)",
}
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


# -- phases (each runs in its own process) ------------------------------------------------


def prepare(work: Path, signals: int, queries: int, runs: int) -> None:
    """Encode a population; write the store and each run's new signals to ``work``."""
    from ketenbeeld.signals.encode import Encoder
    from ketenbeeld.signals.keys import generate_chain_key
    from ketenbeeld.signals.schema import load_schema
    from ketenbeeld.synth import generate_population, make_linkage_files

    n_known, n_new = queries // 2, queries - queries // 2 + WARMUP
    # The two files hold (1 + OVERLAP) rows per person; about 1 % lack a date of birth.
    persons = math.ceil((signals + runs * (n_known + n_new)) / (1 + OVERLAP) / 0.97)
    case = make_linkage_files(generate_population(persons, seed=1), seed=2, overlap=OVERLAP)
    schema, key = load_schema("dutch-person"), generate_chain_key()

    def encode(rows: list[dict[str, str]], source: str) -> list[Any]:
        return list(Encoder(schema, key).encode(rows, source=source).records)

    a = encode(case.file_a, "a.csv")
    b = encode(case.file_b, "b.csv")
    partner = {b_id: a_id for a_id, b_id in case.true_links}
    usable_a = {record.id for record in a}
    known = [r for r in b if partner.get(r.id) in usable_a]
    new = [r for r in b if r.id not in partner]
    rng = np.random.default_rng(3)
    known = [known[i] for i in rng.choice(len(known), runs * n_known, replace=False)]
    new = [new[i] for i in rng.choice(len(new), runs * n_new, replace=False)]
    taken = {r.id for r in known + new}
    rest = [r for r in b if r.id not in taken]
    room = signals - len(a)
    if not 0 <= room <= len(rest):
        raise SystemExit(f"cannot make a store of {signals} signals from these files")
    store = a + [rest[i] for i in sorted(rng.choice(len(rest), room, replace=False))]
    store = [store[i] for i in rng.permutation(len(store))]
    position = {r.id: i for i, r in enumerate(store)}
    org = rng.integers(0, len(ORGS), len(store))
    rows, caller, partner_at, run_of, warm = [], [], [], [], []
    for run in range(runs):
        run_known = known[run * n_known : (run + 1) * n_known]
        run_new = new[run * n_new : (run + 1) * n_new]
        timed = run_known + run_new[WARMUP:]
        timed = [timed[i] for i in rng.permutation(len(timed))]
        for i, record in enumerate(run_new[:WARMUP] + timed):
            at = position.get(partner.get(record.id, ""), -1)
            rows.append(record)
            # A known person is registered by another organisation than the one holding it.
            home = int(org[at]) if at >= 0 else int(rng.integers(0, len(ORGS)))
            shift = int(rng.integers(1, len(ORGS))) if at >= 0 else 0
            caller.append((home + shift) % len(ORGS))
            partner_at.append(at)
            run_of.append(run)
            warm.append(i < WARMUP)
    np.savez(work / "store.npz", **_pack(store), org=org)
    np.savez(
        work / "queries.npz",
        **_pack(rows),
        caller=np.array(caller),
        partner=np.array(partner_at),
        run=np.array(run_of),
        warm=np.array(warm),
    )
    facts = {
        "persons": persons,
        "rows": len(case.file_a) + len(case.file_b),
        "encoded": len(a) + len(b),
        "with_bsn": int(sum(1 for r in store if r.bsn)),
        "schema": a[0].schema,
    }
    (work / "prepare.json").write_text(json.dumps(facts))


def _pack(records: list[Any]) -> dict[str, np.ndarray[Any, Any]]:
    clk = np.frombuffer(b"".join(r.bits for r in records), dtype=np.uint8)
    bsn = np.array([(r.bsn or "").encode("ascii") for r in records], dtype="S64")
    return {"clk": clk.reshape(len(records), -1), "bsn": bsn}


def fill(work: Path, url: str) -> None:
    """Create the organisations and bulk-insert the store's signals (all active)."""
    from sqlalchemy import create_engine, insert, select, text

    from ketenbeeld.signals.hub.admin import create_organisation
    from ketenbeeld.signals.hub.models import HubOrganisation, HubSignal
    from ketenbeeld.signals.hub.retention import add_months
    from ketenbeeld.signals.hub.service import new_public_id, utcnow
    from ketenbeeld.signals.hub.vocabulary import CATEGORIES, LEGAL_BASES
    from ketenbeeld.storage import make_engine

    store = np.load(work / "store.npz")
    schema = json.loads((work / "prepare.json").read_text())["schema"]
    engine = make_engine(url)
    tokens = [create_organisation(engine, *org, actor="cli:benchmark") for org in ORGS]
    with engine.connect() as connection:
        codes = dict(connection.execute(select(HubOrganisation.code, HubOrganisation.id)).all())
    org_ids = np.array([codes[code] for code, _, _ in ORGS])[store["org"]]
    clk, bsn = store["clk"], store["bsn"]
    rng = np.random.default_rng(4)
    # Registered in the last 700 days: every signal is still active (24 months).
    ages = rng.integers(0, 700 * 86_400, len(clk)).tolist()
    categories = rng.choice(sorted(CATEGORIES), len(clk)).tolist()
    bases = rng.choice(sorted(LEGAL_BASES), len(clk)).tolist()
    now = utcnow()
    start = time.perf_counter()
    for low in range(0, len(clk), BATCH):
        rows = []
        for i in range(low, min(low + BATCH, len(clk))):
            registered = now - timedelta(seconds=ages[i])
            rows.append(
                {
                    "id": i + 1,
                    "public_id": new_public_id("s"),
                    "org_id": int(org_ids[i]),
                    "schema": schema,
                    "clk": clk[i].tobytes(),
                    "bsn_hash": bsn[i].decode("ascii") or None,
                    "category": categories[i],
                    "legal_basis": bases[i],
                    "contact_ref": "Team Oost, 030-0000000",
                    "registered_at": registered,
                    "active_until": add_months(registered, 24),
                    "keep_until": add_months(registered, 60),
                }
            )
        with engine.begin() as connection:
            connection.execute(insert(HubSignal), rows)
    inserted = time.perf_counter() - start
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:  # ids were given: move the sequence past them
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence('hub_signals', 'id'), :n)"),
                {"n": len(clk)},
            )
        # As autovacuum would soon after a bulk load; here before the timing starts.
        vacuum = create_engine(engine.url, isolation_level="AUTOCOMMIT")
        with vacuum.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        vacuum.dispose()
    engine.dispose()
    (work / "fill.json").write_text(json.dumps({"tokens": tokens, "insert_s": inserted}))


class _Parts:
    """Wraps callables to add their time to the current registration's parts."""

    def __init__(self) -> None:
        self.current: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - start
                self.current[name] = self.current.get(name, 0.0) + spent

        return timed


def _status(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return math.nan


def measure(work: Path, url: str, run: int) -> None:
    """Start a hub, load it, register this run's signals one by one; write the timings."""
    import ketenbeeld.signals.hub.matches as matches_module
    import ketenbeeld.signals.hub.service as service_module
    from ketenbeeld.signals.hub.admin import authenticate
    from ketenbeeld.signals.hub.service import Hub, SignalIn, hub_config
    from ketenbeeld.storage import make_engine

    data = np.load(work / "queries.npz")
    mine = np.flatnonzero(data["run"] == run)
    schema = json.loads((work / "prepare.json").read_text())["schema"]
    engine = make_engine(url, sqlite_immediate=True)  # as `ketenbeeld hub serve`
    hub = Hub(engine, hub_config("dutch-person", THRESHOLD))
    tokens = json.loads((work / "fill.json").read_text())["tokens"]
    callers = [authenticate(hub, token, "127.0.0.1") for token in tokens]
    rss_before = _status("VmRSS")
    start = time.perf_counter()
    loaded = hub.load()
    load_s = time.perf_counter() - start
    out: dict[str, Any] = {
        "load_s": load_s,
        "loaded": loaded,
        "rss_before": rss_before,
        "rss_after": _status("VmRSS"),
        "rss_peak": _status("VmHWM"),
        "register_ms": [],
        "index_ms": [],
        "scored": [],
        "parts": {name: [] for name in PARTS},
        "known": [],
        "found": [],
        "matches": [],
        "gc_ms": [],
        "loadavg": [os.getloadavg()[0]],
    }
    index_query = hub.index.query  # unwrapped, for the index-only timing
    scored: list[int] = []
    score = hub.index._score

    def counting_score(query: Any, rows: Any) -> Any:
        scored.append(len(rows))
        return score(query, rows)

    parts = _Parts()
    hub.index._score = counting_score  # type: ignore[method-assign]
    hub.index.query = parts.wrap("index query", hub.index.query)  # type: ignore[method-assign]
    hub.index.add = parts.wrap("index add", hub.index.add)  # type: ignore[method-assign]
    hub._serialise = parts.wrap("serialise", hub._serialise)  # type: ignore[method-assign]
    hub._refresh = parts.wrap("refresh", hub._refresh)  # type: ignore[method-assign]
    hub._still_active = parts.wrap("still active", hub._still_active)  # type: ignore[method-assign]
    service_module.append_audit_event = parts.wrap("audit", service_module.append_audit_event)
    matches_module.create_match = parts.wrap("matches", matches_module.create_match)
    engine.dialect.do_commit = parts.wrap("commit", engine.dialect.do_commit)  # type: ignore[method-assign]
    pauses: list[float] = []
    started = [0.0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        # Full collections only: they walk every tracked object, the index's too.
        if info["generation"] != 2:
            return
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(on_gc)
    for q in mine.tolist():
        raw = data["clk"][q].tobytes()
        bsn = data["bsn"][q].decode("ascii") or None
        caller = callers[int(data["caller"][q])]
        bits = np.frombuffer(raw, dtype=">u8").astype(np.uint64)
        signal_in = SignalIn(
            clk=base64.b64encode(raw).decode("ascii"),
            schema=schema,
            category="possible_victim",
            legal_basis="jeugdwet",
            contact_ref="Team Jeugd Oost, 030-0000000",
            bsn_hash=bsn,
        )
        scored.clear()
        pauses.clear()
        start = time.perf_counter()
        found = index_query(bits, bsn, exclude_org=caller.org_id)
        index_s = time.perf_counter() - start
        n_scored = sum(scored)
        parts.current = {}
        start = time.perf_counter()
        registration = hub.register(caller, signal_in)
        register_s = time.perf_counter() - start
        if data["warm"][q]:
            continue
        partner = int(data["partner"][q])
        out["register_ms"].append(register_s * 1000)
        out["index_ms"].append(index_s * 1000)
        out["scored"].append(n_scored)
        for name in PARTS:
            out["parts"][name].append(parts.current.get(name, 0.0) * 1000)
        out["parts"]["other"][-1] = out["register_ms"][-1] - sum(parts.current.values()) * 1000
        out["known"].append(partner >= 0)
        out["found"].append(any(c.signal_id == partner + 1 for c in found))
        out["matches"].append(len(registration.match_ids))
        out["gc_ms"] += pauses
    gc.callbacks.remove(on_gc)
    out["loadavg"].append(os.getloadavg()[0])
    engine.dispose()
    (work / f"measure-{run}.json").write_text(json.dumps(out))


# -- orchestration ---------------------------------------------------------------------------


def _phase(work: Path, *args: str) -> tuple[float, float]:
    return run_measured(
        [sys.executable, str(Path(__file__).resolve()), "--phase", *args, "--work", str(work)]
    )


def _fsync_ms(folder: Path, times: int = 200) -> tuple[float, float]:
    """p50 and p99 of writing 4 KiB to a file in ``folder`` and fsyncing it."""
    path = folder / "fsync.probe"
    spent = []
    with path.open("wb") as handle:
        for _ in range(times):
            start = time.perf_counter()
            handle.write(b"\0" * 4096)
            handle.flush()
            os.fsync(handle.fileno())
            spent.append((time.perf_counter() - start) * 1000)
    path.unlink()
    p50, p99 = np.percentile(spent, [50, 99])
    return float(p50), float(p99)


class _Database:
    """A throw-away hub database: a SQLite file, or a fresh PostgreSQL schema."""

    def __init__(self, backend: str, work: Path, postgres_url: str) -> None:
        self.backend = backend
        self.admin: Any = None
        if backend == "sqlite":
            self.url = f"sqlite:///{work / 'hub.db'}"
            return
        from sqlalchemy import create_engine, text

        self.schema = f"bench_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as connection:
            self.server = connection.execute(text("SHOW server_version")).scalar()
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        self.url = f"{postgres_url}?options=-csearch_path%3D{self.schema}"

    def drop(self) -> None:
        if self.admin is None:
            return
        from sqlalchemy import text

        with self.admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        self.admin.dispose()


def _ms(values: list[float], q: float) -> str:
    return f"{float(np.percentile(values, q)):.1f}"


def _bench(backend: str, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    database = _Database(backend, work, args.postgres_url)
    try:
        fill_wall, fill_rss = _phase(work, "fill", "--url", database.url)
        insert_s = json.loads((work / "fill.json").read_text())["insert_s"]
        runs = []
        for run in range(args.runs):
            _phase(work, "measure", "--url", database.url, "--run", str(run))
            runs.append(json.loads((work / f"measure-{run}.json").read_text()))
        size = (work / "hub.db").stat().st_size / 2**20 if backend == "sqlite" else None
    finally:
        database.drop()
    server = getattr(database, "server", sqlite3.sqlite_version)
    return {
        "fill": (fill_wall, fill_rss, insert_s),
        "runs": runs,
        "size": size,
        "server": server,
    }


def _render(args: argparse.Namespace, facts: dict[str, Any], results: dict[str, Any]) -> str:
    prep_wall, prep_rss = facts["prepare_measured"]
    fsync50, fsync99 = facts["fsync"]
    servers = ", ".join(f"{BACKEND_NAMES[b]} {r['server']}" for b, r in results.items())
    pg = ", psycopg " + version("psycopg") if "postgresql" in results else ""
    lines = [
        f"### signals hub: register one signal against {args.signals:,} active signals",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"fsync of 4 KiB in the temp dir p50 {fsync50:.1f} ms, p99 {fsync99:.1f} ms",
        f"- versions: ketenbeeld {version('ketenbeeld')}, SQLAlchemy {version('sqlalchemy')}, "
        f"numpy {version('numpy')}{pg}; {servers}",
        f"- command: `python benchmarks/signals_hub.py --signals {args.signals} "
        f"--queries {args.queries} --backend {' '.join(args.backend)} --runs {args.runs}`",
        f"- store: {facts['persons']:,} synthetic persons (seed 1), two person files with "
        f"errors (seed 2, overlap {OVERLAP}), {facts['encoded']:,} usable rows encoded "
        "(`dutch-person`, a generated key); "
        f"{args.signals:,} of them as active signals of "
        f"{len(ORGS)} organisations at random, {facts['with_bsn']:,} with a BSN hash; "
        "bulk-inserted with SQLAlchemy Core (setup, not the measured path)",
        f"- each run: a fresh hub process (`make_engine(..., sqlite_immediate=True)`, threshold "
        f"{THRESHOLD}), `hub.load()`, {WARMUP} untimed warm-up registrations, then "
        f"{args.queries} registrations one at a time, half persons held by another "
        "organisation (their own copy with errors), half new persons; before each, the "
        "index look-up alone (`hub.index.query`); percentiles over all "
        f"{args.runs} x {args.queries} registrations; RSS from /proc/self/status",
        "",
        "| step | wall (s) | peak RSS (MiB) |",
        "|---|---:|---:|",
        f"| prepare: population, person files, encode {facts['encoded']:,} rows | "
        f"{prep_wall:.0f} | {prep_rss:.0f} |",
    ]
    for backend, result in results.items():
        wall, rss, insert_s = result["fill"]
        size = f", database {result['size']:,.0f} MiB" if result["size"] else ""
        lines.append(
            f"| fill {BACKEND_NAMES[backend]}: organisations + {args.signals:,} signals "
            f"(insert {insert_s:.0f} s{size}) | {wall:.0f} | {rss:.0f} |"
        )
    lines += [
        "",
        "| backend | signals loaded | load median (s) | min | max | RSS before load (MiB) "
        "| RSS after load (MiB) | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        runs = result["runs"]
        loads = [r["load_s"] for r in runs]
        lines.append(
            f"| {BACKEND_NAMES[backend]} | {runs[0]['loaded']:,} | "
            f"{statistics.median(loads):.1f} | {min(loads):.1f} | {max(loads):.1f} | "
            f"{statistics.median(r['rss_before'] for r in runs):.0f} | "
            f"{statistics.median(r['rss_after'] for r in runs):.0f} | "
            f"{max(r['rss_peak'] for r in runs):.0f} |"
        )
    lines += [
        "",
        "| backend | timed | n | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | p99 per run (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, result in results.items():
        runs = result["runs"]
        for key, label in (("register_ms", "**register**"), ("index_ms", "index query alone")):
            values = [v for r in runs for v in r[key]]
            per_run = " / ".join(_ms(r[key], 99) for r in runs)
            lines.append(
                f"| {BACKEND_NAMES[backend]} | {label} | {len(values):,} | {_ms(values, 50)} | "
                f"{_ms(values, 90)} | {_ms(values, 99)} | {max(values):.1f} | {per_run} |"
            )
    header = " | ".join(f"{BACKEND_NAMES[b]} mean | p99" for b in results)
    lines += [
        "",
        f"| part of a registration (ms) | {header} |",
        "|---|" + "---:|---:|" * len(results),
    ]
    for name, label in PARTS.items():
        cells = []
        for result in results.values():
            values = [v for r in result["runs"] for v in r["parts"][name]]
            cells.append(f"{statistics.fmean(values):.2f} | {_ms(values, 99)}")
        lines.append(f"| {label} | {' | '.join(cells)} |")
    lines.append("")
    for backend, result in results.items():
        runs = result["runs"]
        known = [f for r in runs for k, f in zip(r["known"], r["found"], strict=True) if k]
        new = [m for r in runs for k, m in zip(r["known"], r["matches"], strict=True) if not k]
        scored = [s for r in runs for s in r["scored"]]
        register = [v for r in runs for v in r["register_ms"]]
        pauses = [v for r in runs for v in r["gc_ms"]]
        p99 = float(np.percentile(register, 99))
        verdict = "met" if p99 < GOAL_MS else "**not met**"
        lines.append(
            f"- {BACKEND_NAMES[backend]}: goal p99 < {GOAL_MS:.0f} ms {verdict} "
            f"({p99:.1f} ms). Encodings scored per look-up: p50 {np.percentile(scored, 50):,.0f}, "
            f"p99 {np.percentile(scored, 99):,.0f}, max {max(scored):,}. Persons held by another "
            f"organisation found: {sum(known):,} of {len(known):,} "
            f"({sum(known) / len(known):.1%}); new persons given a match: "
            f"{sum(1 for m in new if m):,} of {len(new):,}; matches created: "
            f"{sum(m for r in runs for m in r['matches']):,}. Full (generation 2) garbage "
            f"collections during the timed registrations: {len(pauses)}"
            + (f" of {', '.join(f'{v:.0f}' for v in pauses)} ms" if pauses else "")
            + ". 1-minute load average before and after each run: "
            + ", ".join(" -> ".join(f"{v:.1f}" for v in r["loadavg"]) for r in runs)
            + "."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--backend", nargs="+", choices=sorted(BACKEND_NAMES), default=["sqlite"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--no-append", action="store_true")
    # Internal: one phase in a child process.
    parser.add_argument("--phase", choices=("prepare", "fill", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "prepare":
        prepare(args.work, args.signals, args.queries, args.runs)
        return
    if args.phase == "fill":
        fill(args.work, args.url)
        return
    if args.phase == "measure":
        measure(args.work, args.url, args.run)
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        prepared = _phase(
            work,
            "prepare",
            "--signals",
            str(args.signals),
            "--queries",
            str(args.queries),
            "--runs",
            str(args.runs),
        )
        facts = json.loads((work / "prepare.json").read_text())
        facts["prepare_measured"] = prepared
        facts["fsync"] = _fsync_ms(work)
        results = {}
        for backend in args.backend:
            results[backend] = _bench(backend, work, args)
            print(f"{backend}: done", file=sys.stderr)
    publish(_render(args, facts, results), append=not args.no_append)


if __name__ == "__main__":
    main()
