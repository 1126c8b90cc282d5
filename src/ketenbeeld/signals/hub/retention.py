"""Retention: signals are matched for ``active_months`` and deleted after ``keep_months``.

``ketenbeeld hub expire`` runs :func:`expire` (daily, from cron or a timer): every
signal past its deletion date is hard-deleted with the matches and inbox notices
that involve it; only an audit tombstone remains (which signal, of which
organisation, registered when; nothing about the person). A signal past its active
period needs no run: matching already ignores it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, or_, select

from ketenbeeld.signals.hub.models import HubInboxItem, HubMatch, HubOrganisation, HubSignal
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = ["ExpireResult", "add_months", "expire"]


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months; the day is clamped (31 Jan + 1 -> 28/29 Feb).

    Example:
        >>> add_months(datetime(2024, 1, 31, 12), 1)
        datetime.datetime(2024, 2, 29, 12, 0)
    """
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class ExpireResult:
    """What one :func:`expire` run did.

    Attributes:
        deleted_signals: signals past their deletion date, now deleted.
        deleted_matches: matches deleted with them.
        inactive_signals: signals kept but past their active period (not matched).
    """

    deleted_signals: int
    deleted_matches: int
    inactive_signals: int


def expire(engine: Engine, now: datetime, *, actor: str = "cli:hub-expire") -> ExpireResult:
    """Delete signals whose ``keep_until`` is at or before ``now``, in one transaction."""
    with session_scope(engine) as session:
        doomed = session.execute(
            select(HubSignal.id, HubSignal.public_id, HubSignal.registered_at, HubOrganisation.code)
            .join(HubOrganisation, HubOrganisation.id == HubSignal.org_id)
            .where(HubSignal.keep_until <= now)
            .order_by(HubSignal.id)
        ).all()
        # Subqueries rather than id lists: a run may delete more ids than SQLite binds.
        doomed_ids = select(HubSignal.id).where(HubSignal.keep_until <= now)
        involved = or_(
            HubMatch.signal_low_id.in_(doomed_ids), HubMatch.signal_high_id.in_(doomed_ids)
        )
        matches = session.execute(select(HubMatch.id, HubMatch.public_id).where(involved)).all()
        match_ids = select(HubMatch.id).where(involved)
        session.execute(delete(HubInboxItem).where(HubInboxItem.match_id.in_(match_ids)))
        session.execute(delete(HubMatch).where(involved))
        session.execute(delete(HubSignal).where(HubSignal.keep_until <= now))
        for match in matches:
            append_audit_event(
                session,
                actor=actor,
                action="hub.match.delete",
                object_type="match",
                object_ref=match.public_id,
                details={"reason": "retention"},
            )
        for row in doomed:
            append_audit_event(
                session,
                actor=actor,
                action="hub.signal.delete",
                object_type="signal",
                object_ref=row.public_id,
                details={
                    "reason": "retention",
                    "organisation": row.code,
                    "registered_on": row.registered_at.date().isoformat(),
                },
            )
        inactive = session.execute(
            select(func.count(HubSignal.id)).where(
                HubSignal.active_until <= now, HubSignal.keep_until > now
            )
        ).scalar_one()
        append_audit_event(
            session,
            actor=actor,
            action="hub.expire",
            object_type="hub",
            object_ref="retention",
            details={"deleted_signals": len(doomed), "deleted_matches": len(matches)},
        )
    return ExpireResult(len(doomed), len(matches), int(inactive))
