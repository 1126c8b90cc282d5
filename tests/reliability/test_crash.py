"""Crash consistency: SIGKILL ``cases import``, ``online ingest`` and the hub mid-write.

Real subprocesses are killed (``os.kill(pid, SIGKILL)``) after a seeded random delay
within their write. After each kill the write is wholly there or wholly absent, the
audit chain verifies, and the next run completes with the state of an uninterrupted
run; the hub keeps every registration it acknowledged and takes new ones after a
restart. benchmarks/reliability_crash.py is the long version (20 kills each, a
table); these tests run its functions with two kills per scenario and backend.
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from ketenbeeld.storage import current_revision, head_revision, make_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import reliability_crash as crash

KILLS = 2  # per scenario and backend: the file stays near a minute on two cores


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> crash.Inputs:
    return crash.write_inputs(tmp_path_factory.mktemp("inputs"), cases=600, ads=800, seed=7)


@pytest.fixture(scope="module")
def encodings(tmp_path_factory: pytest.TempPathFactory) -> crash.Encodings:
    return crash.encode_with_cli(tmp_path_factory.mktemp("encodings"), persons=600, seed=7)


def databases(db: crash.Database, folder: Path) -> crash.NewDatabase:
    """The test's database first, then fresh ones of the same backend."""
    unused = [db]

    @contextmanager
    def new() -> Iterator[crash.Database]:
        if unused:
            yield unused.pop()
            return
        with crash.fresh_database(db.backend, folder) as fresh:
            yield fresh

    return new


@pytest.mark.slow
@pytest.mark.parametrize("scenario", [crash.IMPORT, crash.INGEST], ids=["import", "ingest"])
def test_a_killed_write_is_whole_or_absent_and_the_next_run_completes(
    db: crash.Database, scenario: crash.WriteScenario, inputs: crash.Inputs, tmp_path: Path
) -> None:
    tally = crash.run_write_scenario(
        scenario,
        db.backend,
        inputs,
        tmp_path,
        kills=KILLS,
        rng=random.Random(f"{scenario.name}-{db.backend}"),
        new_database=databases(db, tmp_path),
    )
    assert tally.violations == []
    assert tally.kills == KILLS  # each kill hit a running process
    # One check after each kill or early end, one after each completing run.
    assert tally.audit_checks >= KILLS + 1
    assert tally.audit_ok == tally.audit_checks


@pytest.mark.slow
def test_a_killed_hub_keeps_what_it_acknowledged_and_takes_new_registrations(
    db: crash.Database, encodings: crash.Encodings, tmp_path: Path
) -> None:
    # The restart after the first kill must register for every client and match a
    # person stored before that kill; the state is judged after each kill.
    tally = crash.run_hub_scenario(
        db.backend,
        encodings,
        tmp_path,
        kills=KILLS,
        rng=random.Random(f"hub-{db.backend}"),
        new_database=databases(db, tmp_path),
        spread=0.5,
        last_restart=False,
    )
    assert tally.violations == []
    assert tally.kills == KILLS
    assert (tally.audit_ok, tally.audit_checks) == (KILLS, KILLS)


class _Interrupted(Exception):
    pass


def test_an_interrupted_schema_creation_leaves_no_half_schema(tmp_path: Path) -> None:
    # The first command on a new workspace creates the schema; a process killed there
    # used to leave the first revision's tables without a version row, and every later
    # start failed on "table imports already exists".
    url = f"sqlite:///{tmp_path / 'new.db'}"

    def interrupt(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("CREATE TABLE HUB_ORGANISATIONS"):
            raise _Interrupted  # revision 0002, after all tables of 0001

    event.listen(Engine, "before_cursor_execute", interrupt)
    try:
        with pytest.raises(_Interrupted):
            make_engine(url)
    finally:
        event.remove(Engine, "before_cursor_execute", interrupt)
    with sqlite3.connect(tmp_path / "new.db") as connection:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert tables.fetchall() == []
    engine = make_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def _state(
    rows: dict[str, tuple[int, str]],
    batches: dict[int, dict[str, int]],
    audit: list[tuple[int, str, str, str]],
) -> crash.WriteState:
    return crash.WriteState(rows, batches, audit, True)


def test_the_write_judge_names_a_partial_import() -> None:
    before = _state({"C1": (1, "a")}, {1: {"n_cases": 1, "n_replaced": 0}}, [(1, "x", "1", "")])
    file = {"C1": "b", "C2": "c"}
    whole = _state(
        {"C1": (2, "b"), "C2": (2, "c")},
        {1: before.batches[1], 2: {"n_cases": 2, "n_replaced": 1}},
        [*before.audit, (2, "cases.import", "2", "")],
    )
    assert crash.judge_write(crash.IMPORT, before, whole, file) == ("present", [])
    assert crash.judge_write(crash.IMPORT, before, before, file) == ("absent", [])
    rows_only = _state({"C1": (1, "a"), "C2": (2, "c")}, before.batches, before.audit)
    assert crash.judge_write(crash.IMPORT, before, rows_only, file) == (
        "absent",
        ["rows changed without a batch record (partial write)"],
    )
    half = _state({"C1": (1, "a"), "C2": (2, "c")}, whole.batches, whole.audit)
    outcome, problems = crash.judge_write(crash.IMPORT, before, half, file)
    assert outcome == "present"
    assert problems == [
        "batch 2 holds 1 rows, expected 2",
        "row C1 has other content than the file",
    ]
    unaudited = _state(whole.rows, whole.batches, before.audit)
    assert crash.judge_write(crash.IMPORT, before, unaudited, file)[1] == [
        "audit events [], expected ('cases.import', '2')"
    ]


def test_the_hub_judge_names_half_written_signals_and_matches() -> None:
    lane = crash.Lane("politie-oost", "token", [])
    lane.acked = {"politie-oost:B1": ("s-1", ("m-1",)), "politie-oost:B9": ("s-9", ())}
    lane.in_flight = ["politie-oost:B2", "politie-oost:B3"]
    state = crash.HubState(
        signals={"s-1": (1, 10, "politie-oost:B1"), "s-2": (2, 11, "politie-oost:B2")},
        matches={"m-1": (5, 1, 2), "m-2": (6, 1, 2)},
        notices={5: [10, 11], 6: [10]},
        events=Counter(
            {
                ("hub.signal.register", "s-1", "ok"): 1,
                ("hub.match.create", "m-1", "ok"): 1,
                ("hub.match.create", "m-2", "ok"): 1,
            }
        ),
        audit_ok=True,
    )
    present, absent, problems = crash.judge_hub(state, [lane])
    assert (present, absent) == (1, 1)
    assert problems == [
        "acknowledged signal politie-oost:B9 is not stored",
        "signals and their registration audit events disagree",
        "a pair of signals is matched twice",
        "match m-2 lacks the notices of its two organisations",
    ]
    assert lane.in_flight == []
