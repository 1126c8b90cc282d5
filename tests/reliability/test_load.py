"""Load: ten clients register 400 signals of three organisations at once at a real hub.

A ``hub serve`` process on each backend; the clients are threads with their
organisation's token. Afterwards nothing is lost (every 2xx is stored as answered),
no pair is matched twice, and every pair that batch linking of the same encodings
finds is a match (and nothing else is). benchmarks/reliability_load.py is the long
version (20,000 signals, 50 clients, five organisations, a table); these tests run
its functions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from ketenbeeld.signals.hub.models import HubInboxItem, HubMatch, HubSignal
from ketenbeeld.storage import session_scope

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import reliability_load as load

pytestmark = pytest.mark.slow

SIGNALS, CLIENTS, ORGS, SEED = 400, 10, 3, 7


@pytest.fixture(scope="module")
def workload() -> load.Workload:
    return load.make_workload(SIGNALS, ORGS, SEED)


def test_the_workload_holds_persons_at_several_organisations(workload: load.Workload) -> None:
    assert len(workload.items) == SIGNALS
    assert len({item.ref for item in workload.items}) == SIGNALS
    assert sorted(workload.held_by) == [1, 2, 3]
    # Most signals are about a person another organisation holds as well.
    assert sum(k * n for k, n in workload.held_by.items() if k > 1) > SIGNALS / 2
    for item in workload.items:
        assert set(item.body) <= {
            "clk", "schema", "category", "legal_basis", "contact_ref", "node_ref",
            "bsn_hash", "concern_since",
        }  # fmt: skip
        assert item.body["node_ref"] == item.ref
        assert item.body.get("bsn_hash") == item.bsn
    queues = load.deal(workload, CLIENTS, SEED)
    assert sorted(i.ref for _, q in queues for i in q) == sorted(i.ref for i in workload.items)
    assert all(item.org == org for org, queue in queues for item in queue)


def test_concurrent_registrations_lose_nothing_duplicate_nothing_and_miss_no_match(
    db: load.Database, workload: load.Workload, tmp_path: Path
) -> None:
    run = load.run_load(db.url, db.engine, workload, CLIENTS, tmp_path, SEED)
    check = load.check_run(db.engine, workload, run)

    assert len(run.outcomes) == SIGNALS
    assert [o.status for o in run.outcomes if not o.ok] == []
    assert check.ok == check.stored == SIGNALS
    assert check.lost == []
    assert (check.stored_unacked, check.double_refs) == (0, 0)
    assert check.duplicate_pairs == 0
    assert check.same_org_matches == 0
    assert check.answered_matches_missing == 0
    # Hundreds of pairs to find, some only by their BSN hash.
    assert check.expected > 150
    assert check.expected_bsn > 20
    assert check.missing == []
    assert check.extra == []
    assert check.matches == check.expected
    assert check.audit_ok
    assert run.hub_errors == []
    assert check.problems == []

    # The completeness check would notice a match the hub failed to store.
    with session_scope(db.engine) as session:
        gone = session.execute(select(HubMatch).order_by(HubMatch.id).limit(1)).scalar_one()
        low, high = gone.signal_low_id, gone.signal_high_id
        refs = dict(
            session.execute(
                select(HubSignal.id, HubSignal.node_ref).where(HubSignal.id.in_((low, high)))
            ).all()
        )
        session.execute(delete(HubInboxItem).where(HubInboxItem.match_id == gone.id))
        session.execute(delete(HubMatch).where(HubMatch.id == gone.id))
    again = load.check_run(db.engine, workload, run)
    assert [(m.ref_low, m.ref_high, m.reason) for m in again.missing] == [
        (refs[low], refs[high], load.UNEXPLAINED)
    ]
    assert again.answered_matches_missing == 1
    assert again.unexplained == again.missing
