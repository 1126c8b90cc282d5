"""Append-only, hash-chained audit log.

Every write that matters (an import, later a signal or a match) appends one event
in the same transaction as the write itself, so the log and the data cannot
disagree. Each event's hash covers the previous hash and the event's canonical
content; :func:`verify_audit_log` recomputes the chain and names the first entry
that was changed, deleted or moved.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from ketenbeeld.storage.models import AuditEvent

__all__ = [
    "GENESIS_HASH",
    "AuditVerification",
    "append_audit_event",
    "latest_audit_id",
    "naive_utc",
    "recent_audit_events",
    "verify_audit_log",
]

GENESIS_HASH = "0" * 64


def naive_utc(at: datetime) -> datetime:
    """An event time as naive UTC, whichever backend it was read from.

    PostgreSQL returns the stored instant with its zone, SQLite the UTC wall-clock
    time without one; readers and the chain hash use the latter.
    """
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo is not None else at


def _timestamp(at: datetime) -> str:
    return naive_utc(at).isoformat(timespec="microseconds")


def _event_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_ref: str,
    details: dict[str, Any],
    result: str | None = None,
    origin: str | None = None,
) -> str:
    content: list[Any] = [prev_hash, _timestamp(at), actor, action, object_type, object_ref]
    content.append(details)
    if result is not None or origin is not None:
        # Events from before revision 0002 have neither and keep their original hash.
        content += [result, origin]
    canonical = json.dumps(
        content,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append_audit_event(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_ref: str,
    details: dict[str, Any] | None = None,
    result: str = "ok",
    origin: str = "cli",
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction.

    Args:
        session: an open session; the event commits or rolls back with the caller's work.
        actor: who did it (user name or ``cli:<os user>``).
        action: a dotted verb, e.g. ``cases.import``.
        object_type: what kind of thing was touched, e.g. ``import``.
        object_ref: which one (an id, never a person's identity).
        details: counts, digests and versions; never personal data.
        result: how it ended: ``ok``, ``denied``, ``not_found`` or ``invalid``.
        origin: where the request came from: ``cli`` or an API client's address.

    Returns:
        The new event (flushed, with its id).
    """
    if session.get_bind().dialect.name == "postgresql":
        # Serialise appenders so two transactions cannot both extend the same tail.
        session.execute(text("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"))
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    prev_hash = last or GENESIS_HASH
    # An aware time: PostgreSQL (timestamptz) stores the instant itself. A naive one
    # was read as the server's local time, so on a server outside UTC every event
    # came back shifted and failed verification. SQLite keeps the UTC wall-clock time.
    at = datetime.now(UTC)
    payload = details or {}
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        details=payload,
        prev_hash=prev_hash,
        hash=_event_hash(
            prev_hash, at, actor, action, object_type, object_ref, payload, result, origin
        ),
        result=result,
        origin=origin,
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class AuditVerification:
    """Outcome of :func:`verify_audit_log`.

    Attributes:
        ok: the whole chain verifies.
        n_events: number of events read.
        first_bad_id: id of the first event that does not verify, if any.
        reason: why that event fails, in words.
    """

    ok: bool
    n_events: int
    first_bad_id: int | None = None
    reason: str = ""


def verify_audit_log(engine: Engine) -> AuditVerification:
    """Recompute the hash chain in id order and report the first broken link."""
    prev_hash = GENESIS_HASH
    count = 0
    with Session(engine) as session:
        events = session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        for event in events:
            count += 1
            if event.prev_hash != prev_hash:
                return AuditVerification(
                    False,
                    count,
                    event.id,
                    "does not follow the event before it (an event was deleted, inserted or moved)",
                )
            expected = _event_hash(
                event.prev_hash,
                event.at,
                event.actor,
                event.action,
                event.object_type,
                event.object_ref,
                event.details,
                event.result,
                event.origin,
            )
            if expected != event.hash:
                return AuditVerification(False, count, event.id, "content was changed")
            prev_hash = event.hash
    return AuditVerification(True, count)


def recent_audit_events(engine: Engine, limit: int = 100) -> list[AuditEvent]:
    """The newest ``limit`` audit events, newest first (details hold no personal data)."""
    with Session(engine) as session:
        return list(
            session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
            .scalars()
            .all()
        )


def latest_audit_id(engine: Engine, *, actions: tuple[str, ...] = ()) -> int:
    """The newest audit event's id (0 for none): changes with every audited write.

    Caches of views over the data (statistics, the analysts' queue) use it as their
    version: every write that changes them appends an audit event.

    Args:
        actions: only events with one of these actions (e.g. ``("cases.import",
            "cases.delete")``), so that a login does not count as a change of the
            cases; all events when empty.
    """
    query = select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    with Session(engine) as session:
        return int(session.execute(query).scalar() or 0)
