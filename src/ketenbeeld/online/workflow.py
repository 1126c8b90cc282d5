"""The analysts' workflow on clusters: a status (new, in review, escalated, dismissed)
with a note, who and when, kept as a history and audited.

Notes are the analyst's words about a network; they must not repeat personal data
from the ads beyond what the work needs, and they are never written to logs (the
audit event holds the status and the note's length only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select

from ketenbeeld.errors import InputError, NotFoundError
from ketenbeeld.online.models import ClusterMember, ClusterStatus
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = ["STATUSES", "StatusEntry", "cluster_history", "current_statuses", "set_status"]

STATUSES = ("new", "in_review", "escalated", "dismissed")
_MAX_NOTE = 2000


@dataclass(frozen=True)
class StatusEntry:
    """One status change."""

    cluster_id: str
    status: str
    note: str | None
    actor: str
    at: datetime


def set_status(
    engine: Engine, cluster_id: str, status: str, *, actor: str, note: str | None = None
) -> StatusEntry:
    """Record a cluster's new status (and note) in one audited transaction.

    Raises:
        InputError: the status is not one of :data:`STATUSES`, or the note is too long.
        NotFoundError: no stored cluster has this id.
    """
    if status not in STATUSES:
        raise InputError(f"the status must be one of {', '.join(STATUSES)}")
    if note is not None and len(note) > _MAX_NOTE:
        raise InputError(f"the note is longer than {_MAX_NOTE} characters")
    at = datetime.now(UTC).replace(tzinfo=None)
    with session_scope(engine) as session:
        known = session.execute(
            select(ClusterMember.ad_id).where(ClusterMember.cluster_id == cluster_id).limit(1)
        ).first()
        if known is None:
            raise NotFoundError(
                f"there is no cluster {cluster_id}",
                hint="cluster ids are in the queue and in clusters.csv",
            )
        session.add(
            ClusterStatus(cluster_id=cluster_id, status=status, note=note, actor=actor, at=at)
        )
        append_audit_event(
            session,
            actor=actor,
            action="online.cluster.status",
            object_type="online_cluster",
            object_ref=cluster_id,
            details={"status": status, "note_chars": len(note or "")},
        )
    return StatusEntry(cluster_id, status, note, actor, at)


def cluster_history(engine: Engine, cluster_id: str) -> list[StatusEntry]:
    """Every status change of a cluster, oldest first."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(ClusterStatus)
            .where(ClusterStatus.cluster_id == cluster_id)
            .order_by(ClusterStatus.id)
        ).scalars()
        return [StatusEntry(r.cluster_id, r.status, r.note, r.actor, r.at) for r in rows]


def current_statuses(engine: Engine) -> dict[str, str]:
    """cluster id -> its newest status (clusters never set are ``new``, not listed)."""
    with session_scope(engine) as session:
        rows = session.execute(
            select(ClusterStatus.cluster_id, ClusterStatus.status).order_by(ClusterStatus.id)
        ).all()
    return {row.cluster_id: row.status for row in rows}
