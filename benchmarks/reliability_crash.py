"""Benchmark: SIGKILL the CLI and the hub at random points; is every write all or nothing?

Three scenarios, each on SQLite and on PostgreSQL:

* ``import``: ``ketenbeeld cases import`` of a synthetic cohort, killed while it writes;
* ``ingest``: ``ketenbeeld online ingest`` of synthetic advertisements, killed while it
  writes;
* ``hub``: ``ketenbeeld hub serve`` killed while client threads register signals
  (encodings made with ``ketenbeeld signals encode``).

A kill comes after a random (seeded) delay within the write: for ``import`` after the
"Writing" line, for ``ingest`` after the start of the process; up to a little after the
commit, as the uninterrupted reference run (then the last run that wrote) timed it.
After every kill the interrupted write must be wholly there or wholly
absent (its import or ingest record, its rows and its audit event agree), the audit
chain must verify, and the next run of the same command must complete with the state
of the uninterrupted run. For the hub, every registration a client got a 2xx for must
be stored, no signal or match may lack its audit event or inbox notices, no pair may
be matched twice, and the restarted hub must take new registrations and match them
against the signals stored before the kill.

    python benchmarks/reliability_crash.py [--kills 20] [--backend sqlite postgresql]
        [--scenario import ingest hub] [--seed 1] [--out /tmp/reliability-crash.md]

tests/reliability/test_crash.py runs the same functions with a few kills each.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
from sqlalchemy import Engine, create_engine, func, select, text

from ketenbeeld import __version__
from ketenbeeld.storage import AuditEvent, CaseRecord, ImportBatch, make_engine, verify_audit_log

POSTGRES_URL = os.environ.get(
    "KETENBEELD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")
SCENARIOS = ("import", "ingest", "hub")
ACTOR = "cli:crash-benchmark"


class Database(Protocol):
    """What the runs need of a database (tests/conftest.py's ``Database`` fits)."""

    backend: str
    url: str
    engine: Engine


@dataclass
class _FreshDatabase:
    backend: str
    url: str
    engine: Engine


NewDatabase = Callable[[], AbstractContextManager[Database]]


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[Database]:
    """A new, migrated database (a SQLite file, or a PostgreSQL schema dropped after)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'crash-{uuid.uuid4().hex[:8]}.db'}"
        engine = make_engine(url)
        try:
            yield _FreshDatabase(backend, url, engine)
        finally:
            engine.dispose()
        return
    schema = f"crash_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        yield _FreshDatabase(backend, url, engine)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class Tally:
    """What the kills of one scenario on one backend showed.

    For the hub, ``present`` and ``absent`` count the registrations that were in flight
    (sent, no answer) when the hub was killed.
    """

    scenario: str
    backend: str
    kills: int = 0
    present: int = 0
    absent: int = 0
    ended_early: int = 0  # runs that had finished before the kill came (not kills)
    audit_checks: int = 0
    audit_ok: int = 0
    violations: list[str] = field(default_factory=list)

    def audited(self, ok: bool) -> None:
        self.audit_checks += 1
        self.audit_ok += ok
        if not ok:
            self.violations.append("the audit chain does not verify")


# -- processes ------------------------------------------------------------------------


def _spawn(url: str, folder: Path, *args: str, log: Path | None = None) -> subprocess.Popen[str]:
    """Start ``ketenbeeld ARGS``; stderr is piped, or appended to ``log`` (a server that
    runs a while must not block on a full pipe)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "KETENBEELD_DATA_DIR": str(folder / "ws")}
    env.pop("KETENBEELD_DATABASE_URL", None)
    command = [sys.executable, "-m", "ketenbeeld", "--database-url", url, *args]
    if log is None:
        return subprocess.Popen(
            command,
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    with log.open("a") as stream:
        return subprocess.Popen(
            command, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=stream, text=True
        )


def _finish(process: subprocess.Popen[str]) -> str:
    """Wait for the process; its last line on stderr (or its exit code)."""
    rest = process.communicate()[1] or ""
    lines = [line for line in rest.splitlines() if line.strip()]
    return lines[-1] if lines else f"exit code {process.returncode}"


def _wait_for(process: subprocess.Popen[str], anchor: str) -> None:
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith(anchor):
            return


# -- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Synthetic input files: a small one written before the runs, the big one killed."""

    cases_prior: Path
    cases: Path
    ads_prior: Path
    ads: Path


def write_inputs(folder: Path, *, cases: int, ads: int, seed: int) -> Inputs:
    """Write seeded synthetic coded cases and advertisements into ``folder``."""
    from ketenbeeld.online.synth import generate_ads, write_ads_jsonl
    from ketenbeeld.synth import generate_cohort, write_cohort_jsonl

    inputs = Inputs(*(folder / name for name in ("c0.jsonl", "c1.jsonl", "a0.jsonl", "a1.jsonl")))
    # The prior files share ids with the big ones (other content): replaced and updated rows.
    write_cohort_jsonl(generate_cohort(40, seed + 1), inputs.cases_prior)
    write_cohort_jsonl(generate_cohort(cases, seed), inputs.cases)
    write_ads_jsonl(generate_ads(max(ads // 10, 20), seed + 1).ads, inputs.ads_prior)
    write_ads_jsonl(generate_ads(ads, seed).ads, inputs.ads)
    return inputs


# -- import and ingest --------------------------------------------------------------


@dataclass(frozen=True)
class WriteState:
    """The rows one kind of write leaves, their batches and the audit log, at one moment.

    ``rows`` maps a case or ad id to (its import or ingest id, its content digest).
    """

    rows: dict[str, tuple[int, str]]
    batches: dict[int, dict[str, int]]
    audit: list[tuple[int, str, str, str]]
    audit_ok: bool


@dataclass(frozen=True)
class WriteScenario:
    """How to run, observe and judge one all-or-nothing CLI write."""

    name: str
    command: tuple[str, ...]
    action: str
    anchor: str | None  # stderr line printed when the write starts, if any
    reset_after_present: bool  # a repeat run would write nothing: start again from prior
    prior: Callable[[Engine, Inputs], None]
    source: Callable[[Inputs], Path]
    keys: Callable[[Path], list[str]]
    snapshot: Callable[[Engine], WriteState]
    started: Callable[[Engine], datetime] | None  # when the newest batch began to write
    expect: Callable[[dict[str, str], WriteState], tuple[dict[str, int], set[str]]]


def _audit(engine: Engine) -> tuple[list[tuple[int, str, str, str]], bool]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                AuditEvent.id, AuditEvent.action, AuditEvent.object_ref, AuditEvent.details
            ).order_by(AuditEvent.id)
        ).all()
    events = [(r[0], r[1], r[2], json.dumps(r[3], sort_keys=True)) for r in rows]
    return events, verify_audit_log(engine).ok


def _cases_state(engine: Engine) -> WriteState:
    with engine.connect() as connection:
        rows = connection.execute(
            select(CaseRecord.case_id, CaseRecord.import_id, CaseRecord.content_sha256)
        ).all()
        batches = connection.execute(
            select(ImportBatch.id, ImportBatch.n_cases, ImportBatch.n_replaced)
        ).all()
    audit, ok = _audit(engine)
    return WriteState(
        {r[0]: (r[1], r[2]) for r in rows},
        {b[0]: {"n_cases": b[1], "n_replaced": b[2]} for b in batches},
        audit,
        ok,
    )


def _ads_state(engine: Engine) -> WriteState:
    from ketenbeeld.online.models import AdRecord, IngestBatch

    with engine.connect() as connection:
        rows = connection.execute(
            select(AdRecord.ad_id, AdRecord.ingest_id, AdRecord.content_sha256)
        ).all()
        batches = connection.execute(
            select(
                IngestBatch.id, IngestBatch.n_new, IngestBatch.n_updated, IngestBatch.n_unchanged
            )
        ).all()
    audit, ok = _audit(engine)
    return WriteState(
        {r[0]: (r[1], r[2]) for r in rows},
        {b[0]: {"n_new": b[1], "n_updated": b[2], "n_unchanged": b[3]} for b in batches},
        audit,
        ok,
    )


def _newest_ingest(engine: Engine) -> datetime:
    from ketenbeeld.online.models import IngestBatch

    with engine.connect() as connection:
        newest: datetime = connection.execute(select(func.max(IngestBatch.at))).scalar_one()
    return newest


def _import_prior(engine: Engine, inputs: Inputs) -> None:
    from ketenbeeld.cases import import_cases, load_codebook, read_case_files

    import_cases(engine, read_case_files([inputs.cases_prior], load_codebook("1")), actor=ACTOR)


def _ingest_prior(engine: Engine, inputs: Inputs) -> None:
    from ketenbeeld.online.ingest import ingest_ads

    ingest_ads(engine, [inputs.ads_prior], actor=ACTOR)


def _import_expect(file: dict[str, str], before: WriteState) -> tuple[dict[str, int], set[str]]:
    replaced = len(file.keys() & before.rows.keys())
    return {"n_cases": len(file), "n_replaced": replaced}, set(file)


def _ingest_expect(file: dict[str, str], before: WriteState) -> tuple[dict[str, int], set[str]]:
    new = file.keys() - before.rows.keys()
    updated = {k for k in file.keys() & before.rows.keys() if before.rows[k][1] != file[k]}
    counts = {"n_new": len(new), "n_updated": len(updated)}
    return {**counts, "n_unchanged": len(file) - len(new) - len(updated)}, new | updated


def _jsonl_keys(*path_in_record: str) -> Callable[[Path], list[str]]:
    def keys(path: Path) -> list[str]:
        found = []
        for line in path.read_text(encoding="utf-8").splitlines():
            value: Any = json.loads(line)
            for part in path_in_record:
                value = value[part]
            found.append(str(value))
        return found

    return keys


IMPORT = WriteScenario(
    name="import",
    command=("cases", "import"),
    action="cases.import",
    anchor="Writing ",
    reset_after_present=False,
    prior=_import_prior,
    source=lambda inputs: inputs.cases,
    keys=_jsonl_keys("case", "case_id"),
    snapshot=_cases_state,
    started=None,
    expect=_import_expect,
)
INGEST = WriteScenario(
    name="ingest",
    command=("online", "ingest"),
    action="online.ingest",
    anchor=None,
    reset_after_present=True,
    prior=_ingest_prior,
    source=lambda inputs: inputs.ads,
    keys=_jsonl_keys("ad_id"),
    snapshot=_ads_state,
    started=_newest_ingest,
    expect=_ingest_expect,
)


def judge_write(
    scenario: WriteScenario, before: WriteState, after: WriteState, file: dict[str, str]
) -> tuple[str, list[str]]:
    """Whether the interrupted write is wholly ``present`` or wholly ``absent``, and what
    is wrong with the database (an empty list when nothing is).

    Args:
        file: the rows an uninterrupted run stores for the killed run's file (id -> digest).
    """
    problems: list[str] = []
    if after.audit[: len(before.audit)] != before.audit:
        problems.append("audit events written before the run changed")
    if before.batches.keys() - after.batches.keys():
        problems.append("an earlier batch record disappeared")
    new_batches = sorted(after.batches.keys() - before.batches.keys())
    new_events = after.audit[len(before.audit) :]
    if not new_batches:
        if after.rows != before.rows:
            problems.append("rows changed without a batch record (partial write)")
        if new_events:
            problems.append(f"{len(new_events)} audit event(s) without a batch record")
        return "absent", problems
    if len(new_batches) > 1:
        problems.append(f"{len(new_batches)} batch records for one run")
    batch = new_batches[-1]
    counts, written = scenario.expect(file, before)
    if after.batches[batch] != counts:
        problems.append(f"batch {batch} records {after.batches[batch]}, expected {counts}")
    holds = {key for key, (owner, _) in after.rows.items() if owner == batch}
    if holds != written:
        problems.append(f"batch {batch} holds {len(holds)} rows, expected {len(written)}")
    if after.rows.keys() != before.rows.keys() | file.keys():
        problems.append("rows are missing or extra after the write")
    for key, (owner, digest) in after.rows.items():
        if key in written and digest != file[key]:
            problems.append(f"row {key} has other content than the file")
            break
        if key not in written and (owner, digest) != before.rows.get(key):
            problems.append(f"row {key} changed although the run does not write it")
            break
    expected_event = (scenario.action, str(batch))
    if [event[1:3] for event in new_events] != [expected_event]:
        problems.append(f"audit events {[e[1:3] for e in new_events]}, expected {expected_event}")
    return "present", problems


def consistent(scenario: WriteScenario, state: WriteState) -> list[str]:
    """Every batch has its one audit event and no more rows than it wrote."""
    problems = []
    events = Counter(ref for _, action, ref, _ in state.audit if action == scenario.action)
    if events != Counter(str(batch) for batch in state.batches):
        problems.append("batch records and their audit events disagree")
    held = Counter(owner for owner, _ in state.rows.values())
    for batch, counts in state.batches.items():
        wrote = counts.get("n_cases", counts.get("n_new", 0) + counts.get("n_updated", 0))
        if held[batch] > wrote:
            problems.append(f"batch {batch} holds {held[batch]} rows but wrote {wrote}")
    if set(held) - set(state.batches):
        problems.append("rows point to a batch record that does not exist")
    return problems


@dataclass(frozen=True)
class Run:
    """One run of a command: killed or not, its exit code and last stderr line, and
    the wall-clock time its kill delay counts from (the anchor line, or the start)."""

    killed: bool
    code: int
    last: str
    since: float


def _run(
    scenario: WriteScenario, db: Database, inputs: Inputs, folder: Path, delay: float | None
) -> Run:
    """Run the command; with a ``delay``, SIGKILL it that many seconds after ``since``."""
    process = _spawn(db.url, folder, *scenario.command, str(scenario.source(inputs)))
    since = time.time()
    if scenario.anchor:
        _wait_for(process, scenario.anchor)
        since = time.time()
    running = False
    if delay is not None:
        time.sleep(max(since + delay - time.time(), 0.0))
        running = process.poll() is None
        if running:
            os.kill(process.pid, signal.SIGKILL)
    last = _finish(process)
    return Run(running, process.returncode, last, since)


def _window(scenario: WriteScenario, engine: Engine, since: float) -> tuple[float, float]:
    """When the newest write began and committed, in seconds after ``since``; the end
    is stretched a little, so that some kills come between the commit and the exit."""
    begun = _seconds(scenario.started(engine), since) if scenario.started else 0.0
    with engine.connect() as connection:
        audited = connection.execute(
            select(func.max(AuditEvent.at)).where(AuditEvent.action == scenario.action)
        ).scalar_one()
    # The audit event is the last row written before the commit.
    committed = max(_seconds(audited, since), begun)
    return begun, committed + 0.1 * (committed - begun) + 0.02


def _seconds(at: Any, since: float) -> float:
    moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    if moment.tzinfo is None:  # naive times are UTC
        moment = moment.replace(tzinfo=UTC)
    return max(moment.timestamp() - since, 0.0)


def run_write_scenario(
    scenario: WriteScenario,
    backend: str,
    inputs: Inputs,
    folder: Path,
    *,
    kills: int,
    rng: random.Random,
    new_database: NewDatabase,
) -> Tally:
    """Kill ``scenario``'s command ``kills`` times and judge the database after each.

    An uninterrupted run on a fresh database gives the state every series must end in
    and the first kill window; each killed or early-ended run that wrote moves the
    window (the machine's load changes). A series ends with a run that must complete.
    """
    tally = Tally(scenario.name, backend)
    with new_database() as reference_db:
        scenario.prior(reference_db.engine, inputs)
        run = _run(scenario, reference_db, inputs, folder, None)
        if run.code != 0:
            raise RuntimeError(f"the uninterrupted {scenario.name} failed: {run.last}")
        window = _window(scenario, reference_db.engine, run.since)
        state = scenario.snapshot(reference_db.engine)
    reference = {key: digest for key, (_, digest) in state.rows.items()}
    file = {key: reference[key] for key in scenario.keys(scenario.source(inputs))}
    attempts = 0
    while tally.kills < kills and attempts < 3 * kills:
        with new_database() as db:
            scenario.prior(db.engine, inputs)
            while tally.kills < kills and attempts < 3 * kills:
                attempts += 1
                before = scenario.snapshot(db.engine)
                run = _run(scenario, db, inputs, folder, rng.uniform(*window))
                after = scenario.snapshot(db.engine)
                tally.audited(after.audit_ok)
                outcome, problems = judge_write(scenario, before, after, file)
                tally.violations += problems
                if run.killed:
                    tally.kills += 1
                    tally.present += outcome == "present"
                    tally.absent += outcome == "absent"
                else:
                    tally.ended_early += 1
                    if run.code != 0:
                        tally.violations.append(f"the run failed: {run.last}")
                    elif outcome != "present":
                        tally.violations.append("a run that completed left no trace")
                if outcome == "present":
                    window = _window(scenario, db.engine, run.since)
                    if scenario.reset_after_present:
                        break
            # The next run of the same command completes with the uninterrupted state.
            run = _run(scenario, db, inputs, folder, None)
            if run.code != 0:
                tally.violations.append(f"the run after a kill failed: {run.last}")
            final = scenario.snapshot(db.engine)
            tally.audited(final.audit_ok)
            if {key: digest for key, (_, digest) in final.rows.items()} != reference:
                tally.violations.append("the run after a kill ends in another state")
            tally.violations += consistent(scenario, final)
    return tally


# -- hub --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Encodings:
    """Encodings of two organisations' person files and the pairs with one BSN hash."""

    a: list[dict[str, str]]
    b: list[dict[str, str]]
    same_bsn: list[tuple[str, str]]  # (id in a, id in b): certain matches


def encode_with_cli(folder: Path, *, persons: int, seed: int) -> Encodings:
    """Write synthetic person files and encode them with ``ketenbeeld signals encode``."""
    from ketenbeeld.signals.keys import generate_chain_key, write_key_file
    from ketenbeeld.synth import generate_population, make_linkage_files, write_person_csv

    case = make_linkage_files(generate_population(persons, seed=seed), seed=seed + 1)
    base = [sys.executable, "-m", "ketenbeeld"]
    key = folder / "chain.key"
    write_key_file(key, generate_chain_key())
    jobs = []
    for side, rows in (("a", case.file_a), ("b", case.file_b)):
        write_person_csv(rows, folder / f"{side}.csv")
        command = [*base, "signals", "encode", str(folder / f"{side}.csv"), "--key", str(key)]
        command += ["--out", str(folder / f"{side}.jsonl"), "--skip-unusable"]
        jobs.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    if any(job.wait() != 0 for job in jobs):
        raise RuntimeError("signals encode failed")
    a, b = (
        [json.loads(line) for line in (folder / f"{side}.jsonl").read_text().splitlines()]
        for side in ("a", "b")
    )
    bsn_a = {r["id"]: r.get("bsn") for r in a}
    bsn_b = {r["id"]: r.get("bsn") for r in b}
    same = [(x, y) for x, y in sorted(case.true_links) if bsn_a.get(x) and bsn_a[x] == bsn_b.get(y)]
    return Encodings(a, b, same)


@dataclass
class Lane:
    """One client thread's organisation and the records it registers, in order."""

    name: str
    token: str
    records: list[dict[str, str]]
    position: int = 0
    acked: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    in_flight: list[str] = field(default_factory=list)  # sent, no answer: judged after a kill
    not_sent: list[str] = field(default_factory=list)  # the connection was refused
    refused: list[str] = field(default_factory=list)  # answered, but not with a 2xx

    def send(self, client: httpx.Client, record: dict[str, str]) -> str:
        """Register one record; ``ok``, ``in_flight``, ``not_sent`` or ``refused``."""
        node_ref = f"{self.name}:{record['id']}"
        body = {
            "clk": record["clk"],
            "schema": record["schema"],
            "category": "possible_victim",
            "legal_basis": "jeugdwet",
            "contact_ref": f"Team {self.name}, 030-0000000",
            "node_ref": node_ref,
        }
        if record.get("bsn"):
            body["bsn_hash"] = record["bsn"]
        try:
            response = client.post("/api/v1/signals", json=body)
        except httpx.ConnectError:
            self.not_sent.append(node_ref)
            return "not_sent"
        except httpx.TransportError:
            self.in_flight.append(node_ref)
            return "in_flight"
        if response.status_code == 201:
            answer = response.json()
            self.acked[node_ref] = (answer["signal"]["id"], tuple(answer["new_matches"]))
            return "ok"
        self.refused.append(f"{node_ref}: HTTP {response.status_code}")
        return "refused"

    def done(self) -> bool:
        """Out of records, or stopped by a failed registration."""
        failed = self.in_flight or self.not_sent or self.refused
        return self.position >= len(self.records) or bool(failed)

    def run(self, base_url: str, stop: threading.Event) -> None:
        """Register records until stopped, out of records, or the hub is gone."""
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
            while not stop.is_set() and self.position < len(self.records):
                self.position += 1
                if self.send(client, self.records[self.position - 1]) != "ok":
                    return


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_hub(url: str, folder: Path, port: int) -> subprocess.Popen[str]:
    log = folder / "hub.log"
    process = _spawn(url, folder, "hub", "serve", "--port", str(port), log=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.05)
    if process.poll() is None:
        process.kill()
    process.wait()
    lines = [line for line in log.read_text().splitlines() if line.strip()] or ["no output"]
    raise RuntimeError(f"the hub did not start: {lines[-1]}")


@dataclass(frozen=True)
class HubState:
    """Signals (public id -> id, org, node_ref), matches (public id -> id, low, high),
    ``match.new`` notices per match id, audit events and whether the chain verifies."""

    signals: dict[str, tuple[int, int, str | None]]
    matches: dict[str, tuple[int, int, int]]
    notices: dict[int, list[int]]
    events: Counter[tuple[str, str, str | None]]
    audit_ok: bool


def hub_state(engine: Engine) -> HubState:
    """Read the hub's tables as they are now."""
    from ketenbeeld.signals.hub.models import HubInboxItem, HubMatch, HubSignal

    with engine.connect() as connection:
        signals = connection.execute(
            select(HubSignal.public_id, HubSignal.id, HubSignal.org_id, HubSignal.node_ref)
        ).all()
        matches = connection.execute(
            select(HubMatch.public_id, HubMatch.id, HubMatch.signal_low_id, HubMatch.signal_high_id)
        ).all()
        notices = connection.execute(
            select(HubInboxItem.match_id, HubInboxItem.org_id).where(
                HubInboxItem.kind == "match.new"
            )
        ).all()
        events = connection.execute(
            select(AuditEvent.action, AuditEvent.object_ref, AuditEvent.result)
        ).all()
    by_match: dict[int, list[int]] = {}
    for match_id, org_id in notices:
        by_match.setdefault(match_id, []).append(org_id)
    return HubState(
        {s[0]: (s[1], s[2], s[3]) for s in signals},
        {m[0]: (m[1], m[2], m[3]) for m in matches},
        {key: sorted(value) for key, value in by_match.items()},
        Counter((e[0], e[1], e[2]) for e in events),
        verify_audit_log(engine).ok,
    )


def judge_hub(state: HubState, lanes: list[Lane]) -> tuple[int, int, list[str]]:
    """Check the hub's tables against what the clients saw; settle the in-flight ones.

    Returns:
        In-flight registrations found stored, found absent, and the problems.
    """
    problems: list[str] = []
    by_ref = Counter(node_ref for _, _, node_ref in state.signals.values())
    if any(count > 1 for count in by_ref.values()):
        problems.append("a registration is stored twice")
    public = {node_ref: pid for pid, (_, _, node_ref) in state.signals.items()}
    present = absent = 0
    for lane in lanes:
        for node_ref, (pid, match_ids) in lane.acked.items():
            if public.get(node_ref) != pid:
                problems.append(f"acknowledged signal {node_ref} is not stored")
            if any(match_id not in state.matches for match_id in match_ids):
                problems.append(f"a match acknowledged to {node_ref} is not stored")
        if any(node_ref in public for node_ref in lane.not_sent):
            problems.append("a registration that never reached the hub is stored")
        problems += [f"refused: {item}" for item in lane.refused]
        found = sum(node_ref in public for node_ref in lane.in_flight)
        present, absent = present + found, absent + len(lane.in_flight) - found
        lane.in_flight, lane.not_sent, lane.refused = [], [], []
    stored = {
        ref
        for (action, ref, result), n in state.events.items()
        if action == "hub.signal.register" and result == "ok" and n == 1
    }
    if stored != set(state.signals):
        problems.append("signals and their registration audit events disagree")
    org_of = {signal_id: org for signal_id, org, _ in state.signals.values()}
    created = {
        ref
        for (action, ref, _), n in state.events.items()
        if action == "hub.match.create" and n == 1
    }
    if created != set(state.matches):
        problems.append("matches and their audit events disagree")
    pairs = Counter((low, high) for _, low, high in state.matches.values())
    if any(count > 1 for count in pairs.values()):
        problems.append("a pair of signals is matched twice")
    for pid, (match_id, low, high) in state.matches.items():
        if not low < high or low not in org_of or high not in org_of:
            problems.append(f"match {pid} does not join two stored signals")
        elif state.notices.get(match_id) != sorted((org_of[low], org_of[high])):
            problems.append(f"match {pid} lacks the notices of its two organisations")
    return present, absent, problems


def _lanes(
    tokens: dict[str, str], pairs: list[tuple[str, str]], encodings: Encodings
) -> list[Lane]:
    first_a = {a for a, _ in pairs}
    kept_b = {b for _, b in pairs}
    # The A side of the certain matches goes first; their B side is kept for the restarts.
    a = sorted(encodings.a, key=lambda r: r["id"] not in first_a)
    b = [r for r in encodings.b if r["id"] not in kept_b]
    return [
        Lane("jeugdzorg-oost", tokens["jeugdzorg-oost"], a[0::2]),
        Lane("jeugdzorg-oost-2", tokens["jeugdzorg-oost"], a[1::2]),
        Lane("politie-oost", tokens["politie-oost"], b[0::2]),
        Lane("reclassering", tokens["reclassering"], b[1::2]),
        Lane("politie-oost-known", tokens["politie-oost"], []),
    ]


def _known_person_matches(
    engine: Engine, known: Lane, pairs: list[tuple[str, str]], encodings: Encodings, url: str
) -> list[str]:
    """After a restart, a person stored before the kill (by jeugdzorg) and now registered
    by politie must match: the restarted hub loaded the signals it had."""
    stored = {ref.split(":", 1)[1] for _, _, ref in hub_state(engine).signals.values() if ref}
    sent = {record["id"] for record in known.records}
    partner = next((b for a, b in pairs if a in stored and b not in sent), None)
    if partner is None:
        return ["no person registered before the kill is left to match after the restart"]
    known.records.append(next(r for r in encodings.b if r["id"] == partner))
    known.run(url, threading.Event())
    if not known.acked.get(f"{known.name}:{partner}", ("", ()))[1]:
        return ["a person stored before the kill did not match after the restart"]
    return []


def run_hub_scenario(
    backend: str,
    encodings: Encodings,
    folder: Path,
    *,
    kills: int,
    rng: random.Random,
    new_database: NewDatabase,
    spread: float = 1.0,
    last_restart: bool = True,
) -> Tally:
    """Kill the hub ``kills`` times while four clients register.

    Every restart must take registrations (each client gets one through before the
    next kill) and match a person stored before the kill. With ``last_restart`` the
    hub is started once more after the last kill: every client registers three more,
    then it is stopped gracefully.
    """
    from ketenbeeld.signals.hub.admin import create_organisation

    tally = Tally("hub", backend)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    # One certain match per restart; a kill can lose the in-flight A sides: keep plenty.
    pairs = encodings.same_bsn[: 3 * kills + 5]
    with new_database() as db:
        tokens = {
            code: create_organisation(db.engine, code, name, kind, actor=ACTOR)
            for code, name, kind in (
                ("jeugdzorg-oost", "Jeugdzorg Oost", "jeugdzorg"),
                ("politie-oost", "Politie Oost-Nederland", "politie"),
                ("reclassering", "Reclassering Nederland", "reclassering"),
            )
        }
        *lanes, known = _lanes(tokens, pairs, encodings)
        for cycle in range(kills + last_restart):
            try:
                hub = _start_hub(db.url, folder, port)
            except RuntimeError as error:  # it must start again after a kill
                tally.violations.append(str(error))
                return tally
            if cycle:
                tally.violations += _known_person_matches(db.engine, known, pairs, encodings, url)
            if cycle == kills:
                tally.violations += _last_round(hub, lanes, url)
            else:
                _register_then_kill(hub, lanes, url, rng.uniform(0.0, spread), tally)
            state = hub_state(db.engine)
            tally.audited(state.audit_ok)
            present, absent, problems = judge_hub(state, [*lanes, known])
            tally.present, tally.absent = tally.present + present, tally.absent + absent
            tally.violations += problems
    return tally


def _register_then_kill(
    hub: subprocess.Popen[str], lanes: list[Lane], url: str, delay: float, tally: Tally
) -> None:
    stop = threading.Event()
    counts = [len(lane.acked) for lane in lanes]
    threads = [threading.Thread(target=lane.run, args=(url, stop)) for lane in lanes]
    for thread in threads:
        thread.start()
    # Kill only once every client got an answer: the (re)started hub takes work.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not all(
        len(lane.acked) > count or lane.done() for lane, count in zip(lanes, counts, strict=True)
    ):
        time.sleep(0.005)
    if any(
        len(lane.acked) == count and lane.position < len(lane.records)
        for lane, count in zip(lanes, counts, strict=True)
    ):
        tally.violations.append("a client got nothing registered by the (re)started hub")
    time.sleep(delay)
    os.kill(hub.pid, signal.SIGKILL)
    _finish(hub)
    stop.set()
    for thread in threads:
        thread.join(60)
    tally.kills += 1


def _last_round(hub: subprocess.Popen[str], lanes: list[Lane], url: str) -> list[str]:
    """Every client registers three more; then the hub is stopped gracefully."""
    problems: list[str] = []
    try:
        for lane in lanes:
            lane.records = lane.records[: lane.position + 3]
            lane.run(url, threading.Event())
            if lane.in_flight or lane.not_sent or lane.refused:
                problems.append(f"the restarted hub refused {lane.name}'s registrations")
    finally:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(30)
        except subprocess.TimeoutExpired:
            hub.kill()
        _finish(hub)
    return problems


# -- the benchmark ---------------------------------------------------------------------------


def table(tallies: list[Tally]) -> str:
    """The results as a markdown table."""
    lines = [
        "| scenario | backend | kills | wholly present | wholly absent | violations "
        "| audit verified |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for t in tallies:
        lines.append(
            f"| {t.scenario} | {t.backend} | {t.kills} | {t.present} | {t.absent} "
            f"| {len(t.violations)} | {t.audit_ok}/{t.audit_checks} |"
        )
    return "\n".join(lines)


def _postgres_version() -> str:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as connection:
            version = str(connection.execute(text("SHOW server_version")).scalar())
        engine.dispose()
        return version
    except Exception:  # only for the report header
        return "unreachable"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="kills per scenario and backend")
    parser.add_argument("--backend", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--scenario", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cases", type=int, default=2000, help="cases in the imported file")
    parser.add_argument("--ads", type=int, default=2000, help="ads in the ingested file")
    parser.add_argument("--persons", type=int, default=4000, help="persons behind the signals")
    parser.add_argument("--out", type=Path, default=Path("/tmp/reliability-crash.md"))
    args = parser.parse_args()
    started = time.monotonic()
    tallies: list[Tally] = []
    with tempfile.TemporaryDirectory(prefix="ketenbeeld-crash-") as work:
        folder = Path(work)
        inputs = write_inputs(folder, cases=args.cases, ads=args.ads, seed=args.seed)
        encodings = None
        for name in args.scenario:
            for backend in args.backend:
                print(f"{name} on {backend}: {args.kills} kills…", file=sys.stderr, flush=True)
                rng = random.Random(f"{args.seed}-{name}-{backend}")

                def new_database(backend: str = backend) -> AbstractContextManager[Database]:
                    return fresh_database(backend, folder)

                if name == "hub":
                    encodings = encodings or encode_with_cli(
                        folder, persons=args.persons, seed=args.seed
                    )
                    tally = run_hub_scenario(
                        backend,
                        encodings,
                        folder,
                        kills=args.kills,
                        rng=rng,
                        new_database=new_database,
                    )
                else:
                    scenario = IMPORT if name == "import" else INGEST
                    tally = run_write_scenario(
                        scenario,
                        backend,
                        inputs,
                        folder,
                        kills=args.kills,
                        rng=rng,
                        new_database=new_database,
                    )
                tallies.append(tally)
    notes = [
        "",
        "Kills come after a seeded random delay within the write, up to a little after its "
        "commit as the last run that wrote timed it (import: counted from the "
        '"Writing" line; ingest: from the start of the process; hub: 0-1 s after every '
        "client got its first answer). For the hub, wholly "
        "present/absent count the registrations in flight (sent, no answer) at the kills. "
        "Audit verified: checks after each kill and after each completing run.",
    ]
    for t in tallies:
        if t.ended_early:
            notes.append(
                f"- {t.scenario}/{t.backend}: {t.ended_early} run(s) ended before "
                "the kill (judged, not counted as kills)."
            )
        notes += [f"- {t.scenario}/{t.backend}: {problem}" for problem in t.violations]
    header = [
        "## Crash consistency (SIGKILL at random points)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d}, ketenbeeld {__version__}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL "
        f"{_postgres_version()}, {os.cpu_count()} CPUs ({platform.machine()}); "
        f"{time.monotonic() - started:.0f} s, load average {os.getloadavg()[0]:.1f} at the end.",
        "",
        "`python benchmarks/reliability_crash.py " + " ".join(sys.argv[1:]) + "`",
        "",
    ]
    report = "\n".join([*header, table(tallies), *notes]) + "\n"
    print(report)
    args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
