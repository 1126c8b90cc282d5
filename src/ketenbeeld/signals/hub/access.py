"""Who looked at a signal: the hub's part of a data subject's access request.

A person may ask an organisation who has looked at the signals about them (AVG/GDPR
article 15). The organisation's node knows which of its signals are about the
person; the hub answers, for one of the caller's own signals, every audit event
that names the signal or a match it is part of: who (the organisation), what
(read, lead, contact, close, withdraw...), the result (a refused attempt by another
organisation shows as ``not_found``) and when. The hub still learns nothing about
the person: it is asked about a signal id, as for any other read, and the question
itself is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select

from ketenbeeld.signals.hub.models import HubMatch
from ketenbeeld.signals.hub.service import Caller, Hub
from ketenbeeld.storage.audit import naive_utc
from ketenbeeld.storage.models import AuditEvent

__all__ = ["AccessEvent", "signal_access"]


@dataclass(frozen=True)
class AccessEvent:
    """One recorded access to a signal or to a match it is part of.

    Attributes:
        at: when (UTC).
        actor: who: ``org:CODE`` for an organisation, ``cli:...`` for the hub's operator.
        action: e.g. ``hub.match.read``, ``hub.signal.withdraw``.
        object_type: ``signal`` or ``match``.
        object_ref: the signal's or the match's id.
        result: ``ok`` or why it was refused (``not_found``, ``denied``, ...).
    """

    at: datetime
    actor: str
    action: str
    object_type: str
    object_ref: str
    result: str


def signal_access(hub: Hub, caller: Caller, public_id: str) -> list[AccessEvent]:
    """Every audit event naming one of the caller's signals or its matches, oldest first.

    Raises:
        NotFoundError: the signal is not the caller's (or does not exist), as for a read.
    """
    with hub.audited(caller, "hub.signal.access", "signal", public_id) as (session, details):
        signal = hub.own_signal(session, caller, public_id)
        matches = list(
            session.execute(
                select(HubMatch.public_id).where(
                    or_(HubMatch.signal_low_id == signal.id, HubMatch.signal_high_id == signal.id)
                )
            ).scalars()
        )
        named = and_(AuditEvent.object_type == "signal", AuditEvent.object_ref == public_id)
        if matches:
            named = or_(
                named,
                and_(AuditEvent.object_type == "match", AuditEvent.object_ref.in_(matches)),
            )
        rows = session.execute(select(AuditEvent).where(named).order_by(AuditEvent.id)).scalars()
        events = [
            AccessEvent(
                naive_utc(event.at),
                event.actor,
                event.action,
                event.object_type,
                event.object_ref,
                event.result or "ok",
            )
            for event in rows
        ]
        details["events"] = len(events)
        details["matches"] = len(matches)
    return events
