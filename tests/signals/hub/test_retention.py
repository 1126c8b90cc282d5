"""Retention: matched for 24 months, deleted at 60, exactly at the boundaries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from ketenbeeld.signals.hub import add_months, expire
from ketenbeeld.signals.hub import matches as ops
from ketenbeeld.signals.hub.models import HubInboxItem, HubMatch, HubSignal
from ketenbeeld.storage import session_scope, verify_audit_log
from ketenbeeld.storage.models import AuditEvent

SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 10), 24, datetime(2028, 3, 31, 10)),
        (datetime(2024, 2, 29, 8), 24, datetime(2026, 2, 28, 8)),
        (datetime(2025, 8, 31), 6, datetime(2026, 2, 28)),
        (datetime(2025, 12, 15), 1, datetime(2026, 1, 15)),
        (datetime(2026, 1, 31), 60, datetime(2031, 1, 31)),
    ],
)
def test_add_months_clamps_the_day(moment, months, expected):
    assert add_months(moment, months) == expected


def test_a_signal_is_matched_until_the_end_of_its_active_period(
    world, linkage, signal_of, true_pair
):
    record_a, record_b = true_pair
    t0 = world.clock.now
    signal = world.hub.register(world.jeugdzorg, signal_of(record_a)).signal
    assert (signal.active_until, signal.keep_until) == (add_months(t0, 24), add_months(t0, 60))

    world.clock.now = add_months(t0, 24) - SECOND
    assert len(world.hub.register(world.politie, signal_of(record_b)).match_ids) == 1
    world.clock.now = add_months(t0, 24)
    late = world.hub.register(world.reclassering, signal_of(record_b)).match_ids
    # Only the police signal of a second ago is still active, not the youth-care one.
    assert [ops.match(world.hub, world.reclassering, m).other_org_code for m in late] == [
        "politie-oost"
    ]


def test_expire_deletes_at_the_keep_date_and_leaves_a_tombstone(
    world, linkage, signal_of, true_pair
):
    record_a, record_b = true_pair
    t0 = world.clock.now
    first = world.hub.register(world.jeugdzorg, signal_of(record_a)).signal
    world.clock.now = t0 + timedelta(days=10)
    second = world.hub.register(world.politie, signal_of(record_b))
    engine = world.hub.engine

    result = expire(engine, add_months(t0, 60) - SECOND)
    assert (result.deleted_signals, result.deleted_matches, result.inactive_signals) == (0, 0, 2)

    result = expire(engine, add_months(t0, 60))
    assert (result.deleted_signals, result.deleted_matches, result.inactive_signals) == (1, 1, 1)
    with session_scope(engine) as session:
        left = session.execute(select(HubSignal.public_id)).scalars().all()
        assert left == [second.signal.public_id]
        assert session.execute(select(func.count()).select_from(HubMatch)).scalar_one() == 0
        assert session.execute(select(func.count()).select_from(HubInboxItem)).scalar_one() == 0
        tombstones = session.execute(
            select(AuditEvent.action, AuditEvent.object_ref, AuditEvent.details)
            .where(AuditEvent.action.in_(["hub.signal.delete", "hub.match.delete"]))
            .order_by(AuditEvent.id)
        ).all()
    assert [tuple(t) for t in tombstones] == [
        ("hub.match.delete", second.match_ids[0], {"reason": "retention"}),
        (
            "hub.signal.delete",
            first.public_id,
            {
                "reason": "retention",
                "organisation": "jeugdzorg-oost",
                "registered_on": "2026-03-31",
            },
        ),
    ]
    assert ops.list_matches(world.hub, world.politie) == []
    assert verify_audit_log(engine).ok

    world.clock.now = add_months(t0 + timedelta(days=10), 60)
    assert expire(engine, world.clock.now).deleted_signals == 1
