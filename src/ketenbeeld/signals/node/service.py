"""The node: an organisation's own service that encodes locally and talks to the hub.

The node holds the chain key and the organisation's signals *with* the identity of
the person they are about, in the organisation's own database. To register a
signal it encodes the identity with the chain key and sends the hub only the
encoding, the keyed BSN hash (if given), the category, the legal basis, the
professional's contact reference and a random reference of its own. When the hub
reports a match, the node shows which of its own clients it is about by looking up
its own signal; the other organisation's client stays at the other organisation.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ketenbeeld.errors import Problem, ValidationFailed
from ketenbeeld.signals.encode import Encoder
from ketenbeeld.signals.node.client import HubClient
from ketenbeeld.signals.node.models import NodeSignal
from ketenbeeld.storage import append_audit_event, session_scope

__all__ = ["IDENTITY_FIELDS", "Node", "NodeRegistration"]

IDENTITY_FIELDS = (
    "first_name",
    "name_prefix",
    "last_name",
    "date_of_birth",
    "gender",
    "postcode",
    "house_number",
    "city",
    "bsn",
)
"""What a professional may enter about the person (the ``dutch-person`` columns)."""


@dataclass(frozen=True)
class NodeRegistration:
    """The local signal and the hub's answer."""

    signal: NodeSignal
    new_matches: tuple[str, ...]


def _hub_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


class Node:
    """An organisation's node.

    Args:
        engine: the organisation's own database.
        client: the hub client with the organisation's token.
        encoder: the encoder with the chain key and the hub's linkage schema.
        actor: who the node's own audit events name, e.g. ``node:jeugdzorg-oost``.
    """

    def __init__(self, engine: Engine, client: HubClient, encoder: Encoder, actor: str) -> None:
        self.engine = engine
        self.client = client
        self.encoder = encoder
        self.actor = actor

    def register(
        self,
        person: Mapping[str, str],
        *,
        category: str,
        legal_basis: str,
        contact_ref: str,
        concern_since: date | None = None,
        actor: str | None = None,
    ) -> NodeRegistration:
        """Encode the person here, register the signal at the hub, keep the identity here.

        ``actor`` names who registers (e.g. ``web:anna``) in the node's audit log; by
        default the node itself.

        Raises:
            ValidationFailed: the identity cannot be encoded (which field, never the
                value) or the hub refused the signal (its problems).
            HubUnavailable: the hub cannot be reached; nothing is stored.
        """
        unknown = sorted(set(person) - set(IDENTITY_FIELDS))
        if unknown:
            problems = [Problem("person", "", name, "is not an identity field") for name in unknown]
            raise ValidationFailed(problems, what="the signal was not registered")
        identity = {name: str(person.get(name, "") or "").strip() for name in IDENTITY_FIELDS}
        node_ref = f"n-{secrets.token_urlsafe(12)}"
        result = self.encoder.encode([{"id": node_ref, **identity}], source="person")
        if result.problems:
            problems = [Problem("person", "", p.field, p.message) for p in result.problems]
            raise ValidationFailed(problems, what="the signal was not registered")
        record = result.records[0]
        payload: dict[str, Any] = {
            **{key: value for key, value in record.to_json().items() if key != "id"},
            "category": category,
            "legal_basis": legal_basis,
            "contact_ref": contact_ref,
            "node_ref": node_ref,
        }
        if "bsn" in payload:
            payload["bsn_hash"] = payload.pop("bsn")
        if concern_since is not None:
            payload["concern_since"] = concern_since.isoformat()
        answer = self.client.request("POST", "/api/v1/signals", json=payload)
        hub_signal = answer["signal"]
        with session_scope(self.engine) as session:
            signal = NodeSignal(
                node_ref=node_ref,
                hub_signal_id=hub_signal["id"],
                identity={k: v for k, v in identity.items() if v},
                category=category,
                legal_basis=legal_basis,
                contact_ref=contact_ref,
                registered_at=_hub_time(hub_signal["registered_at"]),
                active_until=_hub_time(hub_signal["active_until"]),
                keep_until=_hub_time(hub_signal["keep_until"]),
            )
            session.add(signal)
            session.flush()
            append_audit_event(
                session,
                actor=actor or self.actor,
                action="node.signal.register",
                object_type="signal",
                object_ref=hub_signal["id"],
                details={"new_matches": len(answer["new_matches"])},
            )
        return NodeRegistration(signal, tuple(answer["new_matches"]))

    def signals(self, *, viewer: str | None = None) -> list[NodeSignal]:
        """The organisation's own signals, newest first, with who they are about.

        Showing an identity is recorded: one audit event per signal shown, naming the
        ``viewer`` (default: the node), so a person's access history lists it.
        """
        with session_scope(self.engine) as session:
            found = list(
                session.execute(select(NodeSignal).order_by(NodeSignal.id.desc())).scalars()
            )
            self._viewed(session, viewer, "node.signal.view", [s.hub_signal_id for s in found])
            return found

    def _viewed(self, session: Session, viewer: str | None, action: str, ids: list[str]) -> None:
        for hub_signal_id in ids:
            append_audit_event(
                session,
                actor=viewer or self.actor,
                action=action,
                object_type="signal",
                object_ref=hub_signal_id,
                origin="node",
            )

    def _own(self, hub_signal_ids: list[str], viewer: str | None) -> dict[str, NodeSignal]:
        """The own signals among ``hub_signal_ids``; their identities are shown."""
        with session_scope(self.engine) as session:
            found = session.execute(
                select(NodeSignal).where(NodeSignal.hub_signal_id.in_(hub_signal_ids))
            ).scalars()
            own = {signal.hub_signal_id: signal for signal in found}
            self._viewed(session, viewer, "node.signal.view", list(own))
            return own

    def matches(self, *, viewer: str | None = None) -> list[dict[str, Any]]:
        """The hub's matches of this organisation, each with the own client it is about
        (each client shown is recorded, as in :meth:`signals`)."""
        found: list[dict[str, Any]] = self.client.request("GET", "/api/v1/matches")
        own = self._own([m["own_signal"] for m in found], viewer)
        for item in found:
            signal = own.get(item["own_signal"])
            item["client"] = dict(signal.identity) if signal else None
        return found

    def match(self, match_id: str, *, viewer: str | None = None) -> dict[str, Any]:
        """One of this organisation's matches, with the own client it is about.

        Raises:
            NotFoundError: no such match *for this organisation* (the hub answers the
                same for another organisation's match as for none).
        """
        found: dict[str, Any] = self.client.request(
            "GET", f"/api/v1/matches/{quote(match_id, safe='')}"
        )
        signal = self._own([found["own_signal"]], viewer).get(found["own_signal"])
        found["client"] = dict(signal.identity) if signal else None
        return found

    def inbox(self, *, unread_only: bool = False) -> list[dict[str, Any]]:
        """The hub's notices for this organisation."""
        path = "/api/v1/inbox?unread=true" if unread_only else "/api/v1/inbox"
        items: list[dict[str, Any]] = self.client.request("GET", path)
        return items

    def act(
        self, match_id: str, action: str, reason: str | None = None, *, actor: str | None = None
    ) -> dict[str, Any]:
        """Take the lead, record contact or close a match at the hub."""
        if action not in ("lead", "contact", "close"):
            problem = Problem("request", "", "action", "must be lead, contact or close")
            raise ValidationFailed([problem])
        body = {"reason": reason} if action == "close" else None
        answer: dict[str, Any] = self.client.request(
            "POST", f"/api/v1/matches/{quote(match_id, safe='')}/{action}", json=body
        )
        with session_scope(self.engine) as session:
            append_audit_event(
                session,
                actor=actor or self.actor,
                action=f"node.match.{action}",
                object_type="match",
                object_ref=match_id,
                origin="node",
            )
        return answer
