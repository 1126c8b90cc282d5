"""Benchmark: many clients register signals at a real hub at once; is anything lost?

A hub runs as ``python -m ketenbeeld --database-url URL hub serve`` (its own process,
on 127.0.0.1). ``--clients`` client threads, each with the API token of one of
``--orgs`` organisations and its own keep-alive connection (httpx), register
``--signals`` signals as fast as the hub answers, built as
:meth:`ketenbeeld.signals.node.service.Node.register` builds them.

The workload: a seeded synthetic population (ketenbeeld.synth); each person is held
by one to five organisations (:data:`HOLDERS`), and each holder has its own copy
of the person with its own errors, made by ``make_linkage_files`` (overlap 1.0, one
call per two copies), encoded with the ``dutch-person`` schema and a chain key
derived from the seed. So thousands of matches are made while the clients race.

Afterwards the database is checked:

* nothing lost: every registration answered 2xx is in ``hub_signals`` with the
  returned id, organisation and node reference; the signal count equals the 2xx
  answers; every match id returned is stored; any non-2xx is listed by status;
* no duplicate match: no two ``hub_matches`` rows for one unordered pair;
* complete: every pair that offline batch linking (``link_bruteforce`` of each two
  organisations' stored encodings, at the hub's threshold, with the BSN rule) finds
  is a match, and the hub made no other; a missing pair is explained by the hub's
  candidate index (no field written exactly alike, or only fields shared by more than
  ``max_bucket`` earlier signals) or reported as unexplained.

    python benchmarks/reliability_load.py [--signals 20000] [--clients 50] [--orgs 5]
        [--backend postgresql|sqlite] [--seed 1] [--out /tmp/reliability-load.md]

The markdown section goes to ``--out`` and stdout (never to benchmarks/RESULTS.md).
tests/reliability/test_load.py runs the same functions with 400 signals.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any, Protocol

import httpx
import numpy as np
from sqlalchemy import Engine, create_engine, select, text

from ketenbeeld.settings import Settings

POSTGRES_URL = os.environ.get(
    "KETENBEELD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
THRESHOLD: float = Settings.model_fields["hub_threshold"].default  # the shipped hub_threshold
ORGS = (  # code, name, kind, the legal basis its signals name
    ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg", "jeugdwet"),
    ("politie-oost", "Politie Oost-Nederland", "politie", "wpg"),
    ("reclassering", "Reclassering Nederland", "reclassering", "wjsg"),
    ("veilig-thuis-oost", "Veilig Thuis Oost", "veilig_thuis", "wmo"),
    ("gemeente-oost", "Gemeente Oost", "gemeente", "avg_6_1_e"),
    ("om-oost", "OM Oost-Nederland", "om", "wjsg"),
    ("zorg-oost", "Zorggroep Oost", "zorg", "avg_6_1_e"),
)
HOLDERS = {1: 0.40, 2: 0.30, 3: 0.15, 4: 0.10, 5: 0.05}
"""Share of the persons held by 1, 2, ... organisations (capped at ``--orgs``)."""
CATEGORIES = ("possible_victim", "possible_perpetrator", "at_risk")
TIMEOUT_S = 120.0
BACKEND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
ACTOR = "cli:load-benchmark"

NO_EXACT_FIELD = "no field written exactly alike and no equal BSN hash (index limit)"
COMMON_KEYS = "only fields shared by more than max_bucket earlier signals (index limit)"
UNEXPLAINED = "unexplained: the index finds and scores it, the hub did not match it"
SCORED_BELOW = "the index scores the pair below the threshold (batch linking does not)"


# -- workload -------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One signal to register: its node reference, organisation, person and body."""

    ref: str  # the record id, sent as node_ref
    org: int  # index into the workload's organisations
    person: str  # the synthetic person_id (for the report only; never sent)
    bits: bytes
    bsn: str | None
    body: dict[str, str]


@dataclass(frozen=True)
class Workload:
    """The signals to register and the organisations that register them."""

    orgs: tuple[tuple[str, str, str, str], ...]
    items: list[Item]
    schema: str
    held_by: dict[int, int]  # number of holding organisations -> persons


def make_workload(signals: int, orgs: int, seed: int) -> Workload:
    """Encode copies of synthetic persons held by several organisations.

    Args:
        signals: how many signals (exactly).
        orgs: how many organisations (2 to ``len(ORGS)``).
        seed: seeds the population, the copies, the chain key and the choices.
    """
    from ketenbeeld.signals.encode import Encoder
    from ketenbeeld.signals.schema import load_schema
    from ketenbeeld.synth import generate_population, make_linkage_files

    if not 2 <= orgs <= len(ORGS):
        raise ValueError(f"--orgs must be 2 to {len(ORGS)}")
    shares = {k: w for k, w in HOLDERS.items() if k <= orgs}
    ks = np.array(sorted(shares))
    p = np.array([shares[k] for k in ks]) / sum(shares.values())
    # About 1 % of the copies lack a date of birth and cannot be encoded.
    persons = math.ceil(signals / float(ks @ p) / 0.97) + 20
    population = generate_population(persons, seed=seed)
    copies: dict[str, list[dict[str, str]]] = {}
    for round_ in range(math.ceil(int(ks.max()) / 2)):
        case = make_linkage_files(population, seed=seed + 1 + round_, overlap=1.0)
        for row in case.file_a + case.file_b:
            person = case.person_ids[row["id"]]
            copies.setdefault(person, []).append({**row, "id": f"r{round_}-{row['id']}"})
    rng = np.random.default_rng(seed)
    chosen: list[tuple[str, int, dict[str, str]]] = []
    for index in rng.permutation(len(population)).tolist():
        person = population[index].person_id
        k = int(rng.choice(ks, p=p))
        holders = rng.choice(orgs, k, replace=False).tolist()
        rows = [copies[person][i] for i in rng.choice(len(copies[person]), k, replace=False)]
        chosen += [(person, org, row) for org, row in zip(holders, rows, strict=True)]
    key = hashlib.sha256(f"reliability-load-{seed}".encode()).digest()
    schema = load_schema("dutch-person")
    records = {
        r.id: r for r in Encoder(schema, key).encode([c[2] for c in chosen], source="load").records
    }
    items: list[Item] = []
    for person, org, row in chosen:
        record = records.get(row["id"])
        if record is None:  # unusable copy (no date of birth)
            continue
        code, _, _, basis = ORGS[org]
        body = {k: v for k, v in record.to_json().items() if k != "id"}
        if "bsn" in body:
            body["bsn_hash"] = body.pop("bsn")
        body.update(
            category=CATEGORIES[int(rng.integers(len(CATEGORIES)))],
            legal_basis=basis,
            contact_ref=f"Team {code}, 030-{int(rng.integers(10**7)):07d}",
            node_ref=record.id,
        )
        if rng.random() < 0.5:
            body["concern_since"] = (
                date.today() - timedelta(days=int(rng.integers(2, 365)))
            ).isoformat()
        items.append(Item(record.id, org, person, record.bits, record.bsn, body))
        if len(items) == signals:
            break
    if len(items) < signals:
        raise RuntimeError(f"made only {len(items)} usable signals")
    per_person = Counter(Counter(item.person for item in items).values())
    return Workload(
        ORGS[:orgs], items, records[items[0].ref].schema, dict(sorted(per_person.items()))
    )


# -- the run --------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one client saw of one registration."""

    ref: str
    status: str  # the HTTP status ("201"), or the transport error's type
    ms: float
    signal_id: str | None = None
    new_matches: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status.startswith("2")


@dataclass
class LoadRun:
    """The outcomes and the measurements of one run."""

    outcomes: list[Outcome]
    wall_s: float
    loadavg_before: tuple[float, float, float]
    loadavg_after: tuple[float, float, float]
    hub_errors: list[str]  # the hub's stderr lines (there should be none)
    hub_peak_rss_mib: float
    hub_cpu_s: float
    exit_code: int | None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_hub(url: str, folder: Path, port: int) -> tuple[subprocess.Popen[bytes], Path]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENBEELD_")}
    env.update(
        PYTHONUNBUFFERED="1",
        KETENBEELD_DATA_DIR=str(folder / "ws"),
        KETENBEELD_HUB_THRESHOLD=str(THRESHOLD),
    )
    log = folder / f"hub-{port}.log"
    command = [sys.executable, "-m", "ketenbeeld", "--database-url", url, "hub", "serve"]
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process, log
        except httpx.TransportError:
            time.sleep(0.05)
    if process.poll() is None:
        process.kill()
        process.wait()
    raise RuntimeError(f"the hub did not start: {log.read_text()[-500:]}")


def _proc(pid: int) -> tuple[float, float]:
    """Peak RSS (MiB) and CPU seconds (user + system) of a running process."""
    status = Path(f"/proc/{pid}/status").read_text().splitlines()
    peak = next((int(s.split()[1]) / 1024 for s in status if s.startswith("VmHWM:")), math.nan)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return peak, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _client(
    base_url: str, token: str, items: list[Item], start: threading.Barrier, out: list[Outcome]
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=TIMEOUT_S) as client:
        start.wait()
        for item in items:
            began = time.perf_counter()
            try:
                response = client.post("/api/v1/signals", json=item.body)
            except httpx.TransportError as error:
                ms = (time.perf_counter() - began) * 1000
                out.append(Outcome(item.ref, type(error).__name__, ms))
                continue
            ms = (time.perf_counter() - began) * 1000
            if response.status_code == 201:
                answer = response.json()
                matches = tuple(answer["new_matches"])
                out.append(Outcome(item.ref, "201", ms, answer["signal"]["id"], matches))
            else:
                out.append(Outcome(item.ref, str(response.status_code), ms))


def deal(workload: Workload, clients: int, seed: int) -> list[tuple[int, list[Item]]]:
    """Each client's organisation and queue: client c works for organisation c % orgs,
    and an organisation's signals are dealt in random order over its clients."""
    n_orgs = len(workload.orgs)
    if clients < n_orgs:
        raise ValueError("every organisation needs a client: --clients >= --orgs")
    rng = np.random.default_rng(seed + 1000)
    queues: list[tuple[int, list[Item]]] = [(c % n_orgs, []) for c in range(clients)]
    for org in range(n_orgs):
        mine = [item for item in workload.items if item.org == org]
        own = [queue for queue in queues if queue[0] == org]
        for i, index in enumerate(rng.permutation(len(mine)).tolist()):
            own[i % len(own)][1].append(mine[index])
    return queues


def run_load(
    url: str, engine: Engine, workload: Workload, clients: int, folder: Path, seed: int = 1
) -> LoadRun:
    """Create the organisations, start a hub process, let the clients register everything."""
    from ketenbeeld.signals.hub.admin import create_organisation

    tokens = [
        create_organisation(engine, code, name, kind, actor=ACTOR)
        for code, name, kind, _ in workload.orgs
    ]
    queues = deal(workload, clients, seed)
    port = _free_port()
    hub, log = _start_hub(url, folder, port)
    try:
        out: list[Outcome] = []
        start = threading.Barrier(clients + 1)
        threads = [
            threading.Thread(
                target=_client, args=(f"http://127.0.0.1:{port}", tokens[org], items, start, out)
            )
            for org, items in queues
        ]
        for thread in threads:
            thread.start()
        before = os.getloadavg()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        after = os.getloadavg()
        peak, cpu = _proc(hub.pid)
    finally:
        hub.terminate()
        try:
            hub.wait(30)
        except subprocess.TimeoutExpired:
            hub.kill()
            hub.wait()
    lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    return LoadRun(out, wall, before, after, lines, peak, cpu, hub.returncode)


# -- the checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    """A pair batch linking finds that the hub did not match, and why."""

    ref_low: str  # registered first
    ref_high: str  # registered later: its look-up should have found ref_low
    score: float
    reason: str


@dataclass
class Check:
    """What the database holds after a run, judged against the clients and batch linking."""

    ok: int  # registrations answered 2xx
    failed: Counter[str]  # the others, by status or transport error
    stored: int  # rows in hub_signals
    lost: list[str] = field(default_factory=list)  # 2xx, but not stored as answered
    stored_unacked: int = 0  # stored although the client saw no 2xx (in flight)
    double_refs: int = 0  # node references stored more than once
    matches: int = 0
    duplicate_pairs: int = 0  # hub_matches rows beyond the first of an unordered pair
    same_org_matches: int = 0
    answered_matches_missing: int = 0  # match ids in a 2xx answer not in hub_matches
    expected: int = 0  # pairs found by batch linking
    expected_bsn: int = 0  # of them with equal BSN hashes
    missing: list[Missing] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)  # hub matches linking lacks
    audit_ok: bool = False

    @property
    def unexplained(self) -> list[Missing]:
        return [m for m in self.missing if m.reason in (UNEXPLAINED, SCORED_BELOW)]

    @property
    def problems(self) -> list[str]:
        """Every violation of "nothing lost, no duplicate, complete" (empty when none)."""
        out = [f"{n} registration(s) answered {status}" for status, n in self.failed.items()]
        out += [f"lost: {ref}" for ref in self.lost]
        if self.stored != self.ok:
            out.append(f"{self.stored} signals stored for {self.ok} 2xx answers")
        if self.double_refs:
            out.append(f"{self.double_refs} registration(s) stored twice")
        if self.duplicate_pairs:
            out.append(f"{self.duplicate_pairs} duplicate match(es)")
        if self.same_org_matches:
            out.append(f"{self.same_org_matches} match(es) within one organisation")
        if self.answered_matches_missing:
            out.append(f"{self.answered_matches_missing} answered match id(s) not stored")
        out += [f"missing match {m.ref_low}-{m.ref_high}: {m.reason}" for m in self.missing]
        out += [f"match not found by batch linking: {a}-{b}" for a, b in self.extra]
        if not self.audit_ok:
            out.append("the audit chain does not verify")
        return out


def check_run(engine: Engine, workload: Workload, run: LoadRun) -> Check:
    """Judge the hub's tables after ``run`` (see the module docstring)."""
    from ketenbeeld.signals.hub.models import HubMatch, HubOrganisation, HubSignal
    from ketenbeeld.storage import verify_audit_log

    with engine.connect() as connection:
        org_ids = dict(connection.execute(select(HubOrganisation.code, HubOrganisation.id)).all())
        signals = connection.execute(
            select(
                HubSignal.id, HubSignal.public_id, HubSignal.org_id, HubSignal.node_ref
            ).order_by(HubSignal.id)
        ).all()
        matches = connection.execute(
            select(HubMatch.public_id, HubMatch.signal_low_id, HubMatch.signal_high_id)
        ).all()
    acked = [o for o in run.outcomes if o.ok]
    check = Check(len(acked), Counter(o.status for o in run.outcomes if not o.ok), len(signals))
    by_public = {row.public_id: row for row in signals}
    org_of = {item.ref: org_ids[workload.orgs[item.org][0]] for item in workload.items}
    for outcome in acked:
        row = by_public.get(outcome.signal_id or "")
        if row is None or row.node_ref != outcome.ref or row.org_id != org_of[outcome.ref]:
            check.lost.append(outcome.ref)
    acked_refs = {o.ref for o in acked}
    refs = Counter(row.node_ref for row in signals)
    check.double_refs = sum(n - 1 for n in refs.values() if n > 1)
    check.stored_unacked = sum(1 for ref in refs if ref not in acked_refs)
    stored_match_ids = {m.public_id for m in matches}
    check.answered_matches_missing = sum(
        1 for o in acked for m in o.new_matches if m not in stored_match_ids
    )
    pairs = Counter(frozenset((m.signal_low_id, m.signal_high_id)) for m in matches)
    check.matches = len(matches)
    check.duplicate_pairs = sum(n - 1 for n in pairs.values() if n > 1)
    org_by_id = {row.id: row.org_id for row in signals}
    check.same_org_matches = sum(1 for pair in pairs if len({org_by_id.get(s) for s in pair}) < 2)
    by_ref = {item.ref: item for item in workload.items}
    stored = [(row.id, by_ref[row.node_ref]) for row in signals if row.node_ref in by_ref]
    _completeness(check, workload, stored, set(pairs))
    check.audit_ok = verify_audit_log(engine).ok
    return check


def _completeness(
    check: Check, workload: Workload, stored: list[tuple[int, Item]], pairs: set[frozenset[int]]
) -> None:
    """Compare the hub's matches with batch linking of the stored encodings.

    ``stored``: (database id, item) of the stored signals, in id order, which is the
    order the hub registered them in (registrations are serialised).
    """
    from ketenbeeld.signals.encodings import EncodingSet
    from ketenbeeld.signals.hub.index import SignalIndex
    from ketenbeeld.signals.link import link_bruteforce
    from ketenbeeld.signals.schema import load_schema

    layout = load_schema("dutch-person").layout()
    id_of = {item.ref: signal_id for signal_id, item in stored}
    sets = []
    for org in range(len(workload.orgs)):
        mine = [item for _, item in stored if item.org == org]
        refs, bsn = tuple(i.ref for i in mine), tuple(i.bsn for i in mine)
        sets.append(EncodingSet(refs, _matrix([i.bits for i in mine]), workload.schema, bsn))
    expected: dict[frozenset[int], tuple[str, str, float]] = {}
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            for found in link_bruteforce(a, b, layout, threshold=THRESHOLD).links:
                low, high = sorted((found.id_a, found.id_b), key=id_of.__getitem__)
                expected[frozenset((id_of[low], id_of[high]))] = (low, high, found.score)
    check.expected = len(expected)
    bsn = {item.ref: item.bsn for _, item in stored}
    check.expected_bsn = sum(1 for low, high, _ in expected.values() if _same(bsn, low, high))
    ref_of = {signal_id: item.ref for signal_id, item in stored}
    for pair in pairs - expected.keys():
        low, high = sorted(pair)
        check.extra.append((ref_of.get(low, str(low)), ref_of.get(high, str(high))))
    check.extra.sort()
    # Each missing pair as the hub's look-up of the later signal saw it: the index
    # then held every signal stored before it.
    items = [item for _, item in stored]
    at = {item.ref: p for p, item in enumerate(items)}
    index = SignalIndex(layout, threshold=THRESHOLD)
    keys = index.section_keys(_matrix([item.bits for item in items]))
    for pair, (low, high, score) in sorted(expected.items(), key=lambda e: e[1]):
        if pair in pairs:
            continue
        reason = UNEXPLAINED
        if not _same(bsn, low, high):
            query = keys[at[high]]
            shared = [c for c, key in enumerate(keys[at[low]]) if key and key == query[c]]
            earlier = keys[: at[high]]
            if not shared:
                reason = NO_EXACT_FIELD
            elif all(int((earlier[:, c] == query[c]).sum()) > index.max_bucket for c in shared):
                reason = COMMON_KEYS
        if reason == UNEXPLAINED and not _index_finds(layout, items[at[low]], items[at[high]]):
            reason = SCORED_BELOW
        check.missing.append(Missing(low, high, score, reason))


def _same(bsn: dict[str, str | None], low: str, high: str) -> bool:
    return bool(bsn[low]) and bsn[low] == bsn[high]


def _index_finds(layout: Any, stored: Item, new: Item) -> bool:
    """Whether a hub index holding only ``stored`` matches ``new`` (its own scoring)."""
    from ketenbeeld.signals.hub.index import SignalIndex

    index = SignalIndex(layout, threshold=THRESHOLD)
    index.add([1], [1], _matrix([stored.bits]), [stored.bsn])
    return bool(index.query(_matrix([new.bits])[0], new.bsn, exclude_org=2))


def _matrix(bits: list[bytes]) -> np.ndarray[Any, np.dtype[np.uint64]]:
    flat = np.frombuffer(b"".join(bits), dtype=">u8").astype(np.uint64)
    return flat.reshape(len(bits), -1) if bits else flat.reshape(0, 0)


# -- database and report ----------------------------------------------------------------


class Database(Protocol):
    """What a run needs of a database (tests/conftest.py's ``Database`` fits)."""

    backend: str
    url: str
    engine: Engine


@dataclass(frozen=True)
class FreshDatabase:
    backend: str
    url: str
    engine: Engine
    server: str


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[FreshDatabase]:
    """A new, migrated database: a SQLite file, or a PostgreSQL schema dropped after."""
    from ketenbeeld.storage import make_engine

    if backend == "sqlite":
        url = f"sqlite:///{folder / 'hub.db'}"
        engine = make_engine(url)
        try:
            yield FreshDatabase(backend, url, engine, f"SQLite {sqlite3.sqlite_version}")
        finally:
            engine.dispose()
        return
    schema = f"load_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        server = connection.execute(text("SHOW server_version")).scalar()
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    try:
        engine = make_engine(url)
        try:
            yield FreshDatabase(backend, url, engine, f"PostgreSQL {server}")
        finally:
            engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def render(
    args: argparse.Namespace, workload: Workload, run: LoadRun, check: Check, server: str
) -> str:
    """The markdown section of one run."""
    ms = np.array([o.ms for o in run.outcomes])
    ok_ms = np.array([o.ms for o in run.outcomes if o.ok]) if check.ok else ms
    p50, p95, p99 = (float(np.percentile(ok_ms, q)) for q in (50, 95, 99))
    failed = ", ".join(f"{n} x {status}" for status, n in sorted(check.failed.items())) or "none"
    reasons = Counter(m.reason for m in check.missing)
    held = ", ".join(f"{k}: {n:,}" for k, n in workload.held_by.items())
    pg = f", psycopg {version('psycopg')}" if args.backend == "postgresql" else ""
    verdict = "**passed**" if not check.problems else "**failed**"
    lines = [
        f"### reliability: {args.clients} clients register {args.signals:,} signals of "
        f"{args.orgs} organisations at one hub ({BACKEND_NAMES[args.backend]})",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; 1-minute load average "
        f"{run.loadavg_before[0]:.2f} before the run, {run.loadavg_after[0]:.2f} after "
        f"(5-minute {run.loadavg_before[1]:.2f} -> {run.loadavg_after[1]:.2f}; other jobs "
        "were running on the machine)",
        f"- versions: ketenbeeld {version('ketenbeeld')}, FastAPI {version('fastapi')}, "
        f"uvicorn {version('uvicorn')}, SQLAlchemy {version('sqlalchemy')}{pg}, "
        f"httpx {version('httpx')}, numpy {version('numpy')}; {server}",
        f"- command: `python benchmarks/reliability_load.py --signals {args.signals} "
        f"--clients {args.clients} --orgs {args.orgs} --backend {args.backend} --seed {args.seed}`",
        f"- hub: `python -m ketenbeeld --database-url URL hub serve` on 127.0.0.1 (one "
        f"process, threshold {THRESHOLD}); clients: {args.clients} threads in one process, "
        f"client c for organisation c mod {args.orgs}, each its own keep-alive httpx connection, "
        "all started at once, each sending its queue one request after another",
        f"- workload: {len({i.person for i in workload.items}):,} synthetic "
        f"persons (seed {args.seed}), held by 1..{max(workload.held_by)} organisations "
        f"(persons by holders: {held}), each copy with its own errors (`make_linkage_files`, "
        f"overlap 1.0), encoded with `dutch-person` ({workload.schema}), "
        f"{sum(1 for i in workload.items if i.bsn):,} with a BSN hash",
        "",
        "| registrations | 2xx | other | wall (s) | registrations/s | p50 (ms) | p95 (ms) "
        "| p99 (ms) | max (ms) | hub CPU incl. start (s) | hub peak RSS (MiB) |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {len(run.outcomes):,} | {check.ok:,} | {failed} | {run.wall_s:.1f} | "
        f"{check.ok / run.wall_s:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} | {ms.max():.0f} | "
        f"{run.hub_cpu_s:.0f} | {run.hub_peak_rss_mib:.0f} |",
        "",
        "| check | result |",
        "|---|---|",
        f"| signals stored / 2xx answers | {check.stored:,} / {check.ok:,} |",
        f"| 2xx not stored as answered (lost) | {len(check.lost)} |",
        f"| stored without a 2xx / stored twice | {check.stored_unacked} / {check.double_refs} |",
        f"| matches stored | {check.matches:,} |",
        f"| duplicate matches (same unordered pair) | {check.duplicate_pairs} |",
        f"| matches within one organisation | {check.same_org_matches} |",
        f"| answered match ids not stored | {check.answered_matches_missing} |",
        f"| batch linking pairs (`link_bruteforce`, >= {THRESHOLD}, other organisation) | "
        f"{check.expected:,} ({check.expected_bsn:,} by equal BSN hash) |",
        f"| of them not matched by the hub | {len(check.missing)} |",
        *(f"| - {reason} | {n} |" for reason, n in sorted(reasons.items())),
        f"| hub matches batch linking does not find | {len(check.extra)} |",
        f"| audit chain verifies | {'yes' if check.audit_ok else '**no**'} |",
        f"| hub stderr lines / exit code after SIGTERM (uvicorn shuts down, then re-raises "
        f"the signal: -15) | {len(run.hub_errors)} / {run.exit_code} |",
        "",
        f"- verdict: {verdict}"
        + ("" if not check.problems else ": " + "; ".join(check.problems[:10])),
    ]
    if check.missing:
        lines.append(
            "- missing pairs (first 10; score of batch linking): "
            + "; ".join(
                f"{m.ref_low}-{m.ref_high} {m.score:.3f}: {m.reason}" for m in check.missing[:10]
            )
        )
    if run.hub_errors:
        lines.append("- hub stderr (last 5 lines): " + " | ".join(run.hub_errors[-5:]))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--orgs", type=int, default=5)
    parser.add_argument("--backend", choices=sorted(BACKEND_NAMES), default="postgresql")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/reliability-load.md"))
    args = parser.parse_args()
    started = time.perf_counter()
    workload = make_workload(args.signals, args.orgs, args.seed)
    print(f"workload ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.backend, Path(tmp)) as db:
        run = run_load(db.url, db.engine, workload, args.clients, Path(tmp), args.seed)
        print(f"run done in {run.wall_s:.0f} s; checking", file=sys.stderr)
        check = check_run(db.engine, workload, run)
        section = render(args, workload, run, check, db.server)
    args.out.write_text(section, encoding="utf-8")
    print(section)


if __name__ == "__main__":
    main()
