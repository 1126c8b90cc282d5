"""The hub's tables: organisations, API tokens, signals, matches and inboxes.

A signal row holds what an organisation sends: the encoding (an opaque bit string),
an optional keyed BSN hash, a category, a legal basis and a reference to the
professional to contact. Nothing in these tables names or describes the person.
Times are naive UTC.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ketenbeeld.storage.models import Base

__all__ = ["HubInboxItem", "HubMatch", "HubOrganisation", "HubSignal", "HubToken"]


class HubOrganisation(Base):
    """A chain partner that may register signals (e.g. ``jeugdzorg-oost``)."""

    __tablename__ = "hub_organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime())


class HubToken(Base):
    """An API token of an organisation; only its SHA-256 is stored."""

    __tablename__ = "hub_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("hub_organisations.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class HubSignal(Base):
    """One registered concern: matched until ``active_until``, deleted at ``keep_until``."""

    __tablename__ = "hub_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("hub_organisations.id"), index=True)
    schema: Mapped[str] = mapped_column(String(60))
    clk: Mapped[bytes] = mapped_column(LargeBinary())
    bsn_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    category: Mapped[str] = mapped_column(String(40))
    legal_basis: Mapped[str] = mapped_column(String(40))
    contact_ref: Mapped[str] = mapped_column(String(200))
    node_ref: Mapped[str | None] = mapped_column(String(100), nullable=True)
    concern_since: Mapped[date | None] = mapped_column(Date(), nullable=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime())
    active_until: Mapped[datetime] = mapped_column(DateTime())
    keep_until: Mapped[datetime] = mapped_column(DateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)


class HubMatch(Base):
    """Two signals of different organisations judged to be about the same person.

    The pair is stored as (lower id, higher id) under a unique constraint, so two
    registrations racing each other cannot create the same match twice. No score is
    stored: organisations are told *that* there is a match, not how similar.
    """

    __tablename__ = "hub_matches"
    __table_args__ = (
        UniqueConstraint("signal_low_id", "signal_high_id", name="uq_hub_matches_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    signal_low_id: Mapped[int] = mapped_column(ForeignKey("hub_signals.id"))
    signal_high_id: Mapped[int] = mapped_column(ForeignKey("hub_signals.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime())
    lead_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("hub_organisations.id"), nullable=True
    )
    lead_since: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    contact_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    contact_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("hub_organisations.id"), nullable=True
    )
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
    closed_by_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("hub_organisations.id"), nullable=True
    )
    close_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)


class HubInboxItem(Base):
    """A notice to one organisation about a match (new, lead taken, contact, closed)."""

    __tablename__ = "hub_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("hub_organisations.id"), index=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("hub_matches.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(DateTime())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(), nullable=True)
