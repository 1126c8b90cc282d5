"""Matches as the organisations see them: inbox notices, the match record, regie, contact, close.

A match is visible only to the two organisations whose signals it joins. Each sees
its own signal, the other organisation (name, kind), the other's category and
professional contact reference, who has the lead (regie), whether contact was made
and whether it is closed. Never a similarity score, never the other's encoding.
Every call goes through :meth:`Hub.audited`, so reads are logged like writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from ketenbeeld.errors import ConflictError, NotFoundError, Problem, ValidationFailed
from ketenbeeld.signals.hub.models import HubInboxItem, HubMatch, HubOrganisation, HubSignal
from ketenbeeld.signals.hub.service import Caller, Hub, new_public_id
from ketenbeeld.signals.hub.vocabulary import CLOSE_REASONS, allowed
from ketenbeeld.storage import append_audit_event

__all__ = [
    "InboxView",
    "MatchView",
    "close_match",
    "create_match",
    "inbox",
    "list_matches",
    "mark_read",
    "match",
    "record_contact",
    "take_lead",
]


@dataclass(frozen=True)
class MatchView:
    """One match from the point of view of one of its organisations."""

    id: str
    created_at: datetime
    own_signal: str
    own_category: str
    other_org_code: str
    other_org_name: str
    other_org_kind: str
    other_category: str
    other_contact_ref: str
    lead_org_code: str | None
    lead_since: datetime | None
    contact_at: datetime | None
    contact_org_code: str | None
    closed_at: datetime | None
    closed_by_org_code: str | None
    close_reason: str | None

    @property
    def status(self) -> str:
        """``closed``, ``contact`` (contact made), ``lead`` (regie taken) or ``new``."""
        if self.closed_at:
            return "closed"
        if self.contact_at:
            return "contact"
        return "lead" if self.lead_org_code else "new"


@dataclass(frozen=True)
class InboxView:
    """A notice in an organisation's inbox."""

    id: int
    kind: str
    match_id: str
    created_at: datetime
    read_at: datetime | None


def create_match(
    session: Session, new: HubSignal, other: HubSignal, now: datetime, caller: Caller
) -> str:
    """Store the match of two signals and a notice for each organisation; return its id."""
    low, high = sorted((new.id, other.id))
    record = HubMatch(
        public_id=new_public_id("m"), signal_low_id=low, signal_high_id=high, created_at=now
    )
    session.add(record)
    session.flush()
    for org_id in (new.org_id, other.org_id):
        session.add(
            HubInboxItem(org_id=org_id, match_id=record.id, kind="match.new", created_at=now)
        )
    append_audit_event(
        session,
        actor=caller.actor,
        action="hub.match.create",
        object_type="match",
        object_ref=record.public_id,
        details={"signals": [new.public_id, other.public_id]},
        origin=caller.origin,
    )
    return record.public_id


def _party(session: Session, caller: Caller, public_id: str) -> tuple[HubMatch, int]:
    """The match and the caller's side of it; a match of others looks like no match."""
    record = session.execute(select(HubMatch).where(HubMatch.public_id == public_id)).scalar()
    if record is not None:
        orgs = session.execute(
            select(HubSignal.id, HubSignal.org_id).where(
                HubSignal.id.in_((record.signal_low_id, record.signal_high_id))
            )
        ).all()
        own = [row.id for row in orgs if row.org_id == caller.org_id]
        if own:
            return record, own[0]
    raise NotFoundError(f"no match {public_id} of your organisation")


def _view(session: Session, record: HubMatch, own_signal_id: int) -> MatchView:
    other_id = (
        record.signal_high_id if own_signal_id == record.signal_low_id else record.signal_low_id
    )
    own, other = session.get_one(HubSignal, own_signal_id), session.get_one(HubSignal, other_id)
    other_org = session.get_one(HubOrganisation, other.org_id)

    def code(org_id: int | None) -> str | None:
        return session.get_one(HubOrganisation, org_id).code if org_id is not None else None

    return MatchView(
        id=record.public_id,
        created_at=record.created_at,
        own_signal=own.public_id,
        own_category=own.category,
        other_org_code=other_org.code,
        other_org_name=other_org.name,
        other_org_kind=other_org.kind,
        other_category=other.category,
        other_contact_ref=other.contact_ref,
        lead_org_code=code(record.lead_org_id),
        lead_since=record.lead_since,
        contact_at=record.contact_at,
        contact_org_code=code(record.contact_org_id),
        closed_at=record.closed_at,
        closed_by_org_code=code(record.closed_by_org_id),
        close_reason=record.close_reason,
    )


def list_matches(hub: Hub, caller: Caller) -> list[MatchView]:
    """Every match the caller is party to, newest first."""
    with hub.audited(caller, "hub.match.list", "match", "*") as (session, details):
        own = aliased(HubSignal)
        rows = session.execute(
            select(HubMatch, own.id)
            .join(own, or_(own.id == HubMatch.signal_low_id, own.id == HubMatch.signal_high_id))
            .where(own.org_id == caller.org_id)
            .order_by(HubMatch.id.desc())
        ).all()
        views = [_view(session, record, own_id) for record, own_id in rows]
        details["count"] = len(views)
        return views


def match(hub: Hub, caller: Caller, public_id: str) -> MatchView:
    """One match the caller is party to."""
    with hub.audited(caller, "hub.match.read", "match", public_id) as (session, _):
        record, own_id = _party(session, caller, public_id)
        return _view(session, record, own_id)


def _act(hub: Hub, caller: Caller, public_id: str, action: str, reason: str | None) -> MatchView:
    with hub.audited(caller, f"hub.match.{action}", "match", public_id) as (session, details):
        record, own_id = _party(session, caller, public_id)
        if record.closed_at is not None:
            raise ConflictError(f"match {public_id} is closed", hint="a closed match cannot change")
        now = hub.clock()
        if record.lead_org_id not in (None, caller.org_id) and action in ("lead", "close"):
            raise ConflictError(
                f"another organisation has the lead on match {public_id}",
                hint="agree with the lead organisation; it can close the match",
            )
        if action == "lead":
            if record.lead_org_id is None:
                record.lead_org_id, record.lead_since = caller.org_id, now
        elif action == "contact":
            record.contact_at, record.contact_org_id = now, caller.org_id
        else:
            record.closed_at, record.closed_by_org_id = now, caller.org_id
            record.close_reason = reason
            details["reason"] = reason
        other_id = record.signal_high_id if own_id == record.signal_low_id else record.signal_low_id
        other_org = session.get_one(HubSignal, other_id).org_id
        session.add(
            HubInboxItem(
                org_id=other_org, match_id=record.id, kind=f"match.{action}", created_at=now
            )
        )
        session.flush()
        return _view(session, record, own_id)


def take_lead(hub: Hub, caller: Caller, public_id: str) -> MatchView:
    """Take the lead (regie) on a match; the other organisation is notified."""
    return _act(hub, caller, public_id, "lead", None)


def record_contact(hub: Hub, caller: Caller, public_id: str) -> MatchView:
    """Record that the professionals have been in contact about the match."""
    return _act(hub, caller, public_id, "contact", None)


def close_match(hub: Hub, caller: Caller, public_id: str, reason: str) -> MatchView:
    """Close a match (the lead organisation, or either while nobody has the lead)."""
    if reason not in CLOSE_REASONS:
        problem = Problem("request", "", "reason", f"must be {allowed(CLOSE_REASONS)}")
        raise ValidationFailed([problem], what="the match was not closed")
    return _act(hub, caller, public_id, "close", reason)


def inbox(hub: Hub, caller: Caller, *, unread_only: bool = False) -> list[InboxView]:
    """The caller's notices, newest first."""
    with hub.audited(caller, "hub.inbox.read", "inbox", caller.code) as (session, details):
        query = (
            select(HubInboxItem, HubMatch.public_id)
            .join(HubMatch, HubMatch.id == HubInboxItem.match_id)
            .where(HubInboxItem.org_id == caller.org_id)
            .order_by(HubInboxItem.id.desc())
        )
        if unread_only:
            query = query.where(HubInboxItem.read_at.is_(None))
        views = [
            InboxView(item.id, item.kind, match_id, item.created_at, item.read_at)
            for item, match_id in session.execute(query).all()
        ]
        details["count"] = len(views)
        return views


def mark_read(hub: Hub, caller: Caller, item_id: int) -> None:
    """Mark one of the caller's notices as read."""
    with hub.audited(caller, "hub.inbox.mark_read", "inbox_item", str(item_id)) as (session, _):
        item = session.get(HubInboxItem, item_id)
        if item is None or item.org_id != caller.org_id:
            raise NotFoundError(f"no inbox item {item_id} of your organisation")
        if item.read_at is None:
            item.read_at = hub.clock()
