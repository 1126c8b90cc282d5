"""The hub's domain: registration and matching, the BSN rule, authorization, regie, audit."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from ketenbeeld.errors import ConflictError, NotFoundError, ValidationFailed
from ketenbeeld.signals.hub import matches as ops
from ketenbeeld.signals.hub.models import HubInboxItem, HubMatch, HubSignal
from ketenbeeld.storage import session_scope, verify_audit_log
from ketenbeeld.storage.models import AuditEvent


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def audit_events(engine) -> list[tuple[str, str, str, str | None, str | None]]:
    with session_scope(engine) as session:
        rows = session.execute(
            select(
                AuditEvent.actor,
                AuditEvent.action,
                AuditEvent.object_ref,
                AuditEvent.result,
                AuditEvent.origin,
            ).order_by(AuditEvent.id)
        ).all()
    return [tuple(row) for row in rows]


def test_a_second_organisation_registering_the_same_person_creates_one_match(
    world, linkage, signal_of, true_pair
):
    record_a, record_b = true_pair
    first = world.hub.register(world.jeugdzorg, signal_of(record_a))
    second = world.hub.register(
        world.politie,
        signal_of(
            record_b,
            category="possible_perpetrator",
            legal_basis="wpg",
            contact_ref="Team Mensenhandel, 088-1234567",
        ),
    )
    assert first.match_ids == ()
    assert len(second.match_ids) == 1

    view = ops.match(world.hub, world.jeugdzorg, second.match_ids[0])
    assert (view.own_signal, view.own_category) == (first.signal.public_id, "possible_victim")
    assert (view.other_org_code, view.other_org_name, view.other_org_kind) == (
        "politie-oost",
        "Politie Oost-Nederland",
        "politie",
    )
    assert (view.other_category, view.other_contact_ref) == (
        "possible_perpetrator",
        "Team Mensenhandel, 088-1234567",
    )
    assert view.status == "new"
    assert "score" not in view.__dataclass_fields__
    for caller in (world.jeugdzorg, world.politie):
        items = ops.inbox(world.hub, caller)
        assert [(i.kind, i.match_id) for i in items] == [("match.new", second.match_ids[0])]
    assert ops.inbox(world.hub, world.reclassering) == []


def test_signals_of_one_organisation_never_match_each_other(world, linkage, signal_of, true_pair):
    record_a, _ = true_pair
    world.hub.register(world.jeugdzorg, signal_of(record_a))
    again = world.hub.register(world.jeugdzorg, signal_of(record_a))
    assert again.match_ids == ()
    assert count(world.hub.engine, HubMatch) == 0


def test_the_bsn_hash_is_authoritative(world, linkage, signal_of):
    one, other = linkage.a[0], linkage.a[1]
    same_bsn, other_bsn = "ab" * 32, "cd" * 32
    # Unrelated encodings, equal BSN hashes: a match.
    world.hub.register(world.jeugdzorg, signal_of(one, bsn_hash=same_bsn))
    assert (
        len(world.hub.register(world.politie, signal_of(other, bsn_hash=same_bsn)).match_ids) == 1
    )
    # Identical encodings, different BSN hashes: no match.
    third = linkage.a[2]
    world.hub.register(world.jeugdzorg, signal_of(third, bsn_hash=other_bsn))
    assert world.hub.register(world.politie, signal_of(third, bsn_hash="ef" * 32)).match_ids == ()
    # Identical encodings, a BSN hash on one side only: the encodings decide.
    assert (
        len(world.hub.register(world.reclassering, signal_of(third, bsn_hash=None)).match_ids) == 2
    )


def test_an_invalid_signal_lists_every_problem_and_stores_nothing(world, linkage, signal_of):
    bad = signal_of(
        linkage.a[0],
        clk="AAAA",
        schema="febrl/1",
        category="suspect",
        legal_basis="",
        contact_ref=" ",
        bsn_hash="XYZ",
    )
    with pytest.raises(ValidationFailed) as caught:
        world.hub.register(world.jeugdzorg, bad)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("schema", "must be dutch-person/3, the linkage schema of this hub"),
        ("clk", "must be base64 of a 1024-bit encoding"),
        ("bsn_hash", "must be a 64-character lowercase hex keyed hash, or absent"),
        ("category", "must be one of at_risk, possible_perpetrator, possible_victim"),
        ("legal_basis", "must be one of avg_6_1_e, jeugdwet, wjsg, wmo, wpg"),
        ("contact_ref", "must be 1 to 200 printable characters (team, phone, mail)"),
    ]
    assert str(caught.value) == "6 problems found; the signal was not registered"
    assert count(world.hub.engine, HubSignal) == 0
    actor, action, _, result, origin = audit_events(world.hub.engine)[-1]
    assert (actor, action, result, origin) == (
        "org:jeugdzorg-oost",
        "hub.signal.register",
        "invalid",
        "127.0.0.1",
    )


def test_an_organisation_cannot_see_another_organisations_signal_or_match(
    world, linkage, signal_of, true_pair
):
    record_a, record_b = true_pair
    mine = world.hub.register(world.jeugdzorg, signal_of(record_a)).signal.public_id
    match_id = world.hub.register(world.politie, signal_of(record_b)).match_ids[0]
    outsider = world.reclassering
    for call, ref, noun in (
        (lambda ref: world.hub.signal(outsider, ref), mine, "signal"),
        (lambda ref: world.hub.withdraw(outsider, ref), mine, "signal"),
        (lambda ref: ops.match(world.hub, outsider, ref), match_id, "match"),
        (lambda ref: ops.take_lead(world.hub, outsider, ref), match_id, "match"),
        (lambda ref: ops.record_contact(world.hub, outsider, ref), match_id, "match"),
        (lambda ref: ops.close_match(world.hub, outsider, ref, "coordinated"), match_id, "match"),
    ):
        with pytest.raises(NotFoundError) as real:
            call(ref)
        with pytest.raises(NotFoundError) as guessed:
            call(ref[:-1] + ("A" if ref[-1] != "A" else "B"))
        # An existing object of others and a made-up id get the same answer.
        assert str(real.value) == f"no {noun} {ref} of your organisation"
        assert str(guessed.value).replace(guessed.value.message.split()[2], ref) == str(real.value)
    assert world.hub.signals(outsider) == []
    assert ops.list_matches(world.hub, outsider) == []
    # Inbox items are numbered; another organisation's number is refused too.
    item = ops.inbox(world.hub, world.jeugdzorg)[0]
    with pytest.raises(NotFoundError):
        ops.mark_read(world.hub, outsider, item.id)
    refused = [e for e in audit_events(world.hub.engine) if e[0] == "org:reclassering"]
    assert [e[3] for e in refused].count("not_found") == 13
    # Nothing of the others changed.
    view = ops.match(world.hub, world.jeugdzorg, match_id)
    assert (view.lead_org_code, view.contact_at, view.closed_at) == (None, None, None)


def test_regie_contact_and_close_notify_the_other_organisation(
    world, linkage, signal_of, true_pair
):
    record_a, record_b = true_pair
    world.hub.register(world.jeugdzorg, signal_of(record_a))
    match_id = world.hub.register(world.politie, signal_of(record_b)).match_ids[0]

    world.clock.now += timedelta(hours=1)
    led = ops.take_lead(world.hub, world.jeugdzorg, match_id)
    assert (led.status, led.lead_org_code, led.lead_since) == (
        "lead",
        "jeugdzorg-oost",
        world.clock.now,
    )
    with pytest.raises(ConflictError, match="another organisation has the lead"):
        ops.take_lead(world.hub, world.politie, match_id)
    contact = ops.record_contact(world.hub, world.politie, match_id)
    assert (contact.status, contact.contact_org_code) == ("contact", "politie-oost")
    with pytest.raises(ConflictError, match="another organisation has the lead"):
        ops.close_match(world.hub, world.politie, match_id, "coordinated")
    with pytest.raises(ValidationFailed):
        ops.close_match(world.hub, world.jeugdzorg, match_id, "done")
    closed = ops.close_match(world.hub, world.jeugdzorg, match_id, "coordinated")
    assert (closed.status, closed.close_reason, closed.closed_by_org_code) == (
        "closed",
        "coordinated",
        "jeugdzorg-oost",
    )
    with pytest.raises(ConflictError, match="is closed"):
        ops.record_contact(world.hub, world.politie, match_id)

    kinds = {
        caller.code: [i.kind for i in reversed(ops.inbox(world.hub, caller))]
        for caller in (world.jeugdzorg, world.politie)
    }
    assert kinds == {
        "jeugdzorg-oost": ["match.new", "match.contact"],
        "politie-oost": ["match.new", "match.lead", "match.close"],
    }
    unread = ops.inbox(world.hub, world.politie, unread_only=True)
    ops.mark_read(world.hub, world.politie, unread[0].id)
    assert len(ops.inbox(world.hub, world.politie, unread_only=True)) == 2


def test_a_withdrawn_signal_is_not_matched(world, linkage, signal_of, true_pair):
    record_a, record_b = true_pair
    signal = world.hub.register(world.jeugdzorg, signal_of(record_a)).signal
    assert world.hub.withdraw(world.jeugdzorg, signal.public_id).withdrawn_at == world.clock.now
    assert world.hub.register(world.politie, signal_of(record_b)).match_ids == ()


def test_every_read_and_write_is_audited_and_tampering_is_detected(
    world, linkage, signal_of, true_pair
):
    record_a, record_b = true_pair
    signal = world.hub.register(world.jeugdzorg, signal_of(record_a)).signal
    match_id = world.hub.register(world.politie, signal_of(record_b)).match_ids[0]
    world.hub.signal(world.jeugdzorg, signal.public_id)
    ops.inbox(world.hub, world.politie)
    ops.match(world.hub, world.politie, match_id)
    events = audit_events(world.hub.engine)
    hub_events = [e for e in events if e[1].startswith("hub.") and e[0].startswith("org:")]
    assert hub_events == [
        ("org:jeugdzorg-oost", "hub.signal.register", signal.public_id, "ok", "127.0.0.1"),
        ("org:politie-oost", "hub.match.create", match_id, "ok", "127.0.0.1"),
        ("org:politie-oost", "hub.signal.register", hub_events[2][2], "ok", "127.0.0.1"),
        ("org:jeugdzorg-oost", "hub.signal.read", signal.public_id, "ok", "127.0.0.1"),
        ("org:politie-oost", "hub.inbox.read", "politie-oost", "ok", "127.0.0.1"),
        ("org:politie-oost", "hub.match.read", match_id, "ok", "127.0.0.1"),
    ]
    assert verify_audit_log(world.hub.engine).ok
    with session_scope(world.hub.engine) as session:
        target = session.execute(
            select(AuditEvent.id).where(AuditEvent.action == "hub.inbox.read")
        ).scalar_one()
        session.execute(
            text("UPDATE audit_log SET result = 'denied' WHERE id = :id"), {"id": target}
        )
    broken = verify_audit_log(world.hub.engine)
    assert (broken.ok, broken.first_bad_id, broken.reason) == (False, target, "content was changed")


def test_concurrent_registrations_lose_no_signal_and_create_no_duplicate_match(
    db, linkage, signal_of, make_world, true_pair
):
    """Six registrations of one person by three organisations, on two hub processes at once."""
    world = make_world(db.engine)
    other_hub = type(world.hub)(db.engine, world.hub.config, clock=world.clock)
    record_a, record_b = true_pair
    jobs = []
    for number, caller in enumerate([world.jeugdzorg, world.politie, world.reclassering] * 2):
        hub = (world.hub, other_hub)[number % 2]
        record = (record_a, record_b)[number % 2]
        jobs.append((hub, caller, signal_of(record)))
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(hub, caller, signal) -> None:
        barrier.wait()
        try:
            hub.register(caller, signal)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert count(db.engine, HubSignal) == 6
    # 15 pairs of six signals, minus the three pairs of one organisation.
    assert count(db.engine, HubMatch) == 12
    assert count(db.engine, HubInboxItem) == 24
    assert verify_audit_log(db.engine).ok
