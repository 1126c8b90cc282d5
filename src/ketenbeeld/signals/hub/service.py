"""The hub's domain logic: register signals, match them, inboxes, regie, expiry, audit.

One :class:`Hub` per process holds the in-memory :class:`SignalIndex`; the database
is the truth. Every call by an organisation, read or write, succeeded or refused,
appends one event to the hash-chained audit log (who, what, which object, result,
origin, when). A refused call writes its event in a transaction of its own, so the
refusal is recorded although the work is rolled back.

Concurrency: registrations are serialised (a process lock, and across processes a
PostgreSQL advisory lock or SQLite's write lock taken at the start of the
transaction) and each one first loads the signals other processes stored since, so
two registrations of the same person racing each other produce exactly one match,
and the unique pair constraint backs that up.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from ketenbeeld.errors import NotFoundError, Problem, ValidationFailed
from ketenbeeld.signals.hub.index import SignalIndex
from ketenbeeld.signals.hub.models import HubOrganisation, HubSignal
from ketenbeeld.signals.hub.retention import add_months
from ketenbeeld.signals.hub.vocabulary import CATEGORIES, LEGAL_BASES, allowed
from ketenbeeld.signals.layout import Layout
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = ["Caller", "Hub", "HubConfig", "Registration", "SignalIn", "hub_config", "utcnow"]

logger = logging.getLogger(__name__)
T = TypeVar("T")
_REGISTER_LOCK_KEY = 0x6B62_6875_6200  # pg_advisory_xact_lock key of registrations
_LOAD_CHUNK = 50_000
_HEX64 = re.compile(r"[0-9a-f]{64}")
_PRINTABLE = re.compile(r"[^\x00-\x1f\x7f]+")


def utcnow() -> datetime:
    """The current time as naive UTC, as the hub stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_public_id(prefix: str) -> str:
    """A random, unguessable public id such as ``s-3kJ8...`` (never the database id)."""
    return f"{prefix}-{secrets.token_urlsafe(12)}"


@dataclass(frozen=True)
class HubConfig:
    """What the hub accepts and how long it keeps it.

    Attributes:
        layout: the public layout (sections, weights) of the accepted linkage schema.
        threshold: the least score at which two signals match.
        active_months: a signal is matched this long after registration.
        keep_months: a signal is deleted this long after registration.
    """

    layout: Layout
    threshold: float
    active_months: int = 24
    keep_months: int = 60


def hub_config(
    schema: str, threshold: float, active_months: int = 24, keep_months: int = 60
) -> HubConfig:
    """The configuration for a linkage schema (a built-in name or a YAML file).

    Raises:
        ConfigError: the schema cannot be loaded, or the keep period is shorter than
            the active period.
    """
    from ketenbeeld.errors import ConfigError
    from ketenbeeld.signals.schema import load_schema

    if keep_months < active_months:
        raise ConfigError(
            "hub_keep_months must be at least hub_active_months",
            hint="a signal cannot be deleted while it is still matched",
        )
    layout = load_schema(schema).layout()
    return HubConfig(layout, threshold, active_months, keep_months)


@dataclass(frozen=True)
class Caller:
    """An authenticated organisation and where its request came from."""

    org_id: int
    code: str
    origin: str

    @property
    def actor(self) -> str:
        return f"org:{self.code}"


@dataclass(frozen=True)
class SignalIn:
    """A signal as an organisation sends it (see the API for the field meanings)."""

    clk: str
    schema: str
    category: str
    legal_basis: str
    contact_ref: str
    bsn_hash: str | None = None
    node_ref: str | None = None
    concern_since: date | None = None


@dataclass(frozen=True)
class Registration:
    """The stored signal and the ids of the matches its registration created."""

    signal: HubSignal
    match_ids: tuple[str, ...]


class Hub:
    """The hub's domain API. Thread-safe; one instance per process.

    Args:
        engine: the hub's database (migrated).
        config: accepted schema, threshold and retention.
        clock: returns "now" as naive UTC; tests pass a fixed clock.
    """

    def __init__(
        self, engine: Engine, config: HubConfig, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.engine = engine
        self.config = config
        self.clock = clock
        self.index = SignalIndex(config.layout, threshold=config.threshold)
        self._lock = threading.Lock()

    # -- audit -------------------------------------------------------------------------

    @contextmanager
    def audited(
        self, caller: Caller, action: str, object_type: str, object_ref: str
    ) -> Iterator[tuple[Session, dict[str, Any]]]:
        """A transaction that ends with an audit event; a refusal is audited on its own.

        The body may put counts into the yielded details dict. A
        :class:`~ketenbeeld.errors.KetenbeeldError` raised inside rolls the work back,
        is recorded with its result (``not_found``, ``conflict``, ``invalid``), and
        propagates.
        """
        details: dict[str, Any] = {}
        try:
            with session_scope(self.engine) as session:
                yield session, details
                append_audit_event(
                    session,
                    actor=caller.actor,
                    action=action,
                    object_type=object_type,
                    object_ref=object_ref,
                    details=details,
                    origin=caller.origin,
                )
        except Exception as exc:
            from ketenbeeld.errors import KetenbeeldError

            if not isinstance(exc, KetenbeeldError):
                raise
            self.audit_refusal(caller.actor, caller.origin, action, object_type, object_ref, exc)
            raise

    def audit_refusal(
        self,
        actor: str,
        origin: str,
        action: str,
        object_type: str,
        object_ref: str,
        error: Exception,
    ) -> None:
        """Record a refused request (its own transaction)."""
        result = {
            "NotFoundError": "not_found",
            "ConflictError": "conflict",
            "AuthError": "denied",
        }.get(type(error).__name__, "invalid")
        with session_scope(self.engine) as session:
            append_audit_event(
                session,
                actor=actor,
                action=action,
                object_type=object_type,
                object_ref=object_ref,
                result=result,
                origin=origin,
            )

    # -- registration --------------------------------------------------------------------

    def register(self, caller: Caller, signal_in: SignalIn) -> Registration:
        """Store a signal and match it at once against other organisations' active signals.

        Returns:
            The stored signal and the public ids of the matches created.

        Raises:
            ValidationFailed: a field is missing or not allowed (all problems at once).
        """
        public_id = new_public_id("s")
        with self._lock:
            with self.audited(caller, "hub.signal.register", "signal", public_id) as (
                session,
                details,
            ):
                bits = self._validate(signal_in)
                self._serialise(session)
                now = self.clock()
                self._refresh(session, now)
                signal = HubSignal(
                    public_id=public_id,
                    org_id=caller.org_id,
                    schema=signal_in.schema,
                    clk=base64.b64decode(signal_in.clk),
                    bsn_hash=signal_in.bsn_hash,
                    category=signal_in.category,
                    legal_basis=signal_in.legal_basis,
                    contact_ref=signal_in.contact_ref.strip(),
                    node_ref=signal_in.node_ref,
                    concern_since=signal_in.concern_since,
                    registered_at=now,
                    active_until=add_months(now, self.config.active_months),
                    keep_until=add_months(now, self.config.keep_months),
                )
                session.add(signal)
                session.flush()
                found = self.index.query(bits, signal_in.bsn_hash, exclude_org=caller.org_id)
                active = self._still_active(session, [c.signal_id for c in found], now)
                from ketenbeeld.signals.hub.matches import create_match

                match_ids = tuple(
                    create_match(session, signal, other, now, caller) for other in active
                )
                details["matches"] = len(match_ids)
            # Inside the lock, after the commit: the index never holds an uncommitted
            # signal, and no other registration of this process changes it meanwhile.
            self.index.add([signal.id], [caller.org_id], bits.reshape(1, -1), [signal.bsn_hash])
        logger.info("signal registered with %d new matches", len(match_ids))
        return Registration(signal, match_ids)

    def _validate(self, signal_in: SignalIn) -> np.ndarray[Any, np.dtype[np.uint64]]:
        problems: list[Problem] = []

        def problem(field: str, message: str) -> None:
            problems.append(Problem("signal", "", field, message))

        layout = self.config.layout
        if signal_in.schema != layout.schema:
            problem("schema", f"must be {layout.schema}, the linkage schema of this hub")
        try:
            raw = base64.b64decode(signal_in.clk, validate=True)
        except (binascii.Error, ValueError):
            raw = b""
        if len(raw) * 8 != layout.n_bits:
            problem("clk", f"must be base64 of a {layout.n_bits}-bit encoding")
        if signal_in.bsn_hash is not None and not _HEX64.fullmatch(signal_in.bsn_hash):
            problem("bsn_hash", "must be a 64-character lowercase hex keyed hash, or absent")
        if signal_in.category not in CATEGORIES:
            problem("category", f"must be {allowed(CATEGORIES)}")
        if signal_in.legal_basis not in LEGAL_BASES:
            problem("legal_basis", f"must be {allowed(LEGAL_BASES)}")
        contact = signal_in.contact_ref.strip()
        if not contact or len(contact) > 200 or not _PRINTABLE.fullmatch(contact):
            problem("contact_ref", "must be 1 to 200 printable characters (team, phone, mail)")
        if signal_in.node_ref is not None and not (0 < len(signal_in.node_ref) <= 100):
            problem("node_ref", "must be 1 to 100 characters, or absent")
        if signal_in.concern_since is not None and signal_in.concern_since > self.clock().date():
            problem("concern_since", "cannot be in the future")
        if problems:
            raise ValidationFailed(problems, what="the signal was not registered")
        words = np.frombuffer(raw, dtype=">u8").astype(np.uint64)
        return words

    def _serialise(self, session: Session) -> None:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _REGISTER_LOCK_KEY})
        else:
            # SQLite: take the write lock now, so the read below sees every committed signal.
            session.execute(text("DELETE FROM hub_signals WHERE 0"))

    def _refresh(self, session: Session, now: datetime) -> None:
        """Load the signals other processes stored since this index last looked.

        Rows are streamed in chunks straight into the index, so loading a million
        signals at start-up does not hold a million row objects at once.
        """
        newest = session.execute(select(func.max(HubSignal.id))).scalar() or 0
        if newest <= self.index.last_signal_id:
            return
        result = session.execute(
            select(HubSignal.id, HubSignal.org_id, HubSignal.clk, HubSignal.bsn_hash)
            .where(HubSignal.id > self.index.last_signal_id, HubSignal.id <= newest)
            .where(HubSignal.withdrawn_at.is_(None), HubSignal.active_until > now)
            .order_by(HubSignal.id)
            .execution_options(yield_per=_LOAD_CHUNK)
        )
        for rows in result.partitions():
            matrix = np.frombuffer(b"".join(row.clk for row in rows), dtype=">u8")
            self.index.add(
                [row.id for row in rows],
                [row.org_id for row in rows],
                matrix.reshape(len(rows), -1).astype(np.uint64),
                [row.bsn_hash for row in rows],
            )
        self.index.last_signal_id = max(self.index.last_signal_id, newest)

    def _still_active(self, session: Session, ids: list[int], now: datetime) -> list[HubSignal]:
        if not ids:
            return []
        found = session.execute(
            select(HubSignal)
            .where(HubSignal.id.in_(ids))
            .where(HubSignal.withdrawn_at.is_(None), HubSignal.active_until > now)
        ).scalars()
        by_id = {signal.id: signal for signal in found}
        return [by_id[i] for i in ids if i in by_id]

    def load(self) -> int:
        """Fill the index from the database (at start-up); return the number of signals."""
        with self._lock, session_scope(self.engine) as session:
            self._refresh(session, self.clock())
        return self.index.size

    # -- own signals -------------------------------------------------------------------

    def own_signal(self, session: Session, caller: Caller, public_id: str) -> HubSignal:
        """The caller's signal with this id; another organisation's looks like no signal."""
        signal = session.execute(
            select(HubSignal).where(
                HubSignal.public_id == public_id, HubSignal.org_id == caller.org_id
            )
        ).scalar_one_or_none()
        if signal is None:
            raise NotFoundError(f"no signal {public_id} of your organisation")
        return signal

    def signals(self, caller: Caller, *, limit: int = 100, offset: int = 0) -> list[HubSignal]:
        """The caller's own signals, newest first."""
        with self.audited(caller, "hub.signal.list", "signal", "*") as (session, details):
            found = list(
                session.execute(
                    select(HubSignal)
                    .where(HubSignal.org_id == caller.org_id)
                    .order_by(HubSignal.id.desc())
                    .limit(limit)
                    .offset(offset)
                ).scalars()
            )
            details["count"] = len(found)
        return found

    def signal(self, caller: Caller, public_id: str) -> HubSignal:
        """One of the caller's signals."""
        with self.audited(caller, "hub.signal.read", "signal", public_id) as (session, _):
            return self.own_signal(session, caller, public_id)

    def withdraw(self, caller: Caller, public_id: str) -> HubSignal:
        """Withdraw one of the caller's signals: no new matches; kept until its deletion date."""
        with self.audited(caller, "hub.signal.withdraw", "signal", public_id) as (session, _):
            signal = self.own_signal(session, caller, public_id)
            if signal.withdrawn_at is None:
                signal.withdrawn_at = self.clock()
            return signal

    def organisation(self, org_id: int) -> HubOrganisation:
        with session_scope(self.engine) as session:
            org = session.get(HubOrganisation, org_id)
            if org is None:
                raise NotFoundError("no such organisation")
            return org
