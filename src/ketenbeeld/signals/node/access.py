"""A data subject's access history: who looked at the signals about a person.

A person may ask the organisation (AVG/GDPR article 15) which of its signals are
about them and who has looked at them. The node finds its own signals about the
person the way the hub matches (the identities it holds, encoded with the chain key
and compared with the hub's similarity, or an equal BSN), then lists for each:

- the node's own audit events: who registered it, which user was shown the identity
  (the signals page, a match's detail) and who acted on its matches;
- the hub's audit events for the signal and its matches (asked per signal id): which
  organisation read a match about the person, took the lead, recorded contact,
  closed it, and refused attempts by organisations that are not party to it.

The request itself is recorded at the node (and at the hub, per signal), so a later
history shows it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import and_, or_, select

from ketenbeeld.errors import Problem, ValidationFailed
from ketenbeeld.signals.encodings import EncodedRecord, EncodingSet
from ketenbeeld.signals.link import link_bruteforce
from ketenbeeld.signals.node.models import NodeSignal
from ketenbeeld.signals.node.service import IDENTITY_FIELDS, Node
from ketenbeeld.storage import AuditEvent, append_audit_event, session_scope
from ketenbeeld.storage.audit import naive_utc

__all__ = ["AccessRecord", "SubjectSignal", "access_history"]


@dataclass(frozen=True)
class AccessRecord:
    """One access to a signal about the person.

    Attributes:
        at: when (UTC, naive).
        where: ``node`` (this organisation) or ``hub``.
        actor: who: ``web:USER`` or ``node:ORG`` at the node, ``org:CODE`` at the hub.
        action: what, e.g. ``node.signal.view``, ``hub.match.read``.
        object_ref: the signal's or match's id.
        result: ``ok`` or why it was refused.
    """

    at: datetime
    where: str
    actor: str
    action: str
    object_ref: str
    result: str


@dataclass(frozen=True)
class SubjectSignal:
    """One of the organisation's signals about the person, with its access history."""

    hub_signal_id: str
    category: str
    registered_at: datetime
    keep_until: datetime
    records: list[AccessRecord] = field(default_factory=list)


def _encodings(records: list[EncodedRecord]) -> EncodingSet:
    width = len(records[0].bits) // 8 if records else 0
    data = b"".join(record.bits for record in records)
    matrix = np.frombuffer(data, dtype=">u8").reshape(len(records), width).astype(np.uint64)
    schema = records[0].schema if records else ""
    return EncodingSet(tuple(r.id for r in records), matrix, schema, tuple(r.bsn for r in records))


def _about(node: Node, person: Mapping[str, str], threshold: float) -> list[NodeSignal]:
    """The node's signals about the person: similarity at least ``threshold``, or equal BSN."""
    unknown = sorted(set(person) - set(IDENTITY_FIELDS))
    if unknown:
        problems = [Problem("person", "", name, "is not an identity field") for name in unknown]
        raise ValidationFailed(problems, what="the access history was not made")
    query = node.encoder.encode([{"id": "subject", **person}], source="person")
    if query.problems:
        problems = [Problem("person", "", p.field, p.message) for p in query.problems]
        raise ValidationFailed(problems, what="the access history was not made")
    with session_scope(node.engine) as session:
        own = list(session.execute(select(NodeSignal).order_by(NodeSignal.id)).scalars())
    rows = [{"id": s.hub_signal_id, **dict(s.identity)} for s in own]
    held = node.encoder.encode(rows, source="node signals")
    if not held.records:
        return []
    found = link_bruteforce(
        _encodings(query.records),
        _encodings(held.records),
        node.encoder.schema.layout(),
        threshold=threshold,
    )
    ids = {item.id_b for item in found.links}
    return [signal for signal in own if signal.hub_signal_id in ids]


def access_history(
    node: Node, person: Mapping[str, str], *, actor: str, threshold: float = 0.8
) -> list[SubjectSignal]:
    """Which of the node's signals are about ``person``, and who accessed each.

    Args:
        node: the organisation's node (its database, chain key and hub client).
        person: the identity the person gave (the ``dutch-person`` fields).
        actor: who asks (recorded), e.g. ``cli:privacy-officer``.
        threshold: the least similarity of a signal about the person (the hub's
            matching threshold by default).

    Returns:
        The signals, oldest first, each with its node and hub records, oldest first.

    Raises:
        ValidationFailed: the identity cannot be encoded (which field, never the value).
        HubUnavailable: the hub cannot be reached (nothing is returned then).
    """
    signals = _about(node, person, threshold)
    hub_records: dict[str, list[AccessRecord]] = {}
    for signal in signals:
        answer = node.client.request("GET", f"/api/v1/signals/{signal.hub_signal_id}/access")
        hub_records[signal.hub_signal_id] = [
            AccessRecord(
                naive_utc(datetime.fromisoformat(item["at"])),
                "hub",
                item["actor"],
                item["action"],
                item["object_ref"],
                item["result"],
            )
            for item in answer["events"]
        ]
    out: list[SubjectSignal] = []
    with session_scope(node.engine) as session:
        for signal in signals:
            matches = {
                r.object_ref for r in hub_records[signal.hub_signal_id] if ".match." in r.action
            }
            named = and_(
                AuditEvent.object_type == "signal", AuditEvent.object_ref == signal.hub_signal_id
            )
            if matches:
                named = or_(
                    named,
                    and_(AuditEvent.object_type == "match", AuditEvent.object_ref.in_(matches)),
                )
            events = session.execute(select(AuditEvent).where(named).order_by(AuditEvent.id))
            local = [
                AccessRecord(
                    naive_utc(e.at), "node", e.actor, e.action, e.object_ref, e.result or "ok"
                )
                for e in events.scalars()
            ]
            records = sorted(local + hub_records[signal.hub_signal_id], key=lambda r: r.at)
            out.append(
                SubjectSignal(
                    signal.hub_signal_id,
                    signal.category,
                    signal.registered_at,
                    signal.keep_until,
                    records,
                )
            )
        for signal in signals:
            append_audit_event(
                session,
                actor=actor,
                action="node.subject.access",
                object_type="signal",
                object_ref=signal.hub_signal_id,
                details={"signals_found": len(signals)},
                origin="node",
            )
        if not signals:
            append_audit_event(
                session,
                actor=actor,
                action="node.subject.access",
                object_type="signal",
                object_ref="",
                details={"signals_found": 0},
                origin="node",
            )
    return out
