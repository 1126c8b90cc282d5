"""The hub's HTTP API (FastAPI; OpenAPI at ``/openapi.json``, docs at ``/docs``).

Organisations authenticate with ``Authorization: Bearer <token>``. Routes parse,
call one domain function and render; errors come back in one JSON shape
(:mod:`ketenbeeld.signals.hub.http_errors`, documented for every status an
operation can answer)::

    {"error": {"code": "invalid", "message": "...", "problems": [...], "hint": "..."}}

Validation messages name the field and what is allowed, never the value sent (it
could be personal data), and the API refuses fields it does not know, so an
identity sent by mistake is not stored.
"""

# No `from __future__ import annotations` here: FastAPI reads the route signatures at
# run time, and the Auth alias is local to create_app.
import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, JsonValue, WithJsonSchema

from ketenbeeld import __version__
from ketenbeeld.signals.hub import access
from ketenbeeld.signals.hub import matches as match_ops
from ketenbeeld.signals.hub.admin import authenticate
from ketenbeeld.signals.hub.http_errors import error_responses, install_error_handlers
from ketenbeeld.signals.hub.models import HubSignal
from ketenbeeld.signals.hub.service import Caller, Hub, SignalIn
from ketenbeeld.signals.hub.vocabulary import CATEGORIES, CLOSE_REASONS, LEGAL_BASES

__all__ = ["UtcDateTime", "codes_of", "create_app", "install_error_handlers"]

logger = logging.getLogger(__name__)


def codes_of(vocabulary: Mapping[str, object]) -> dict[str, JsonValue]:
    """JSON Schema naming a vocabulary's codes, for a field the domain checks.

    The domain's message lists what is allowed, so the model documents the codes
    without enforcing them itself.
    """
    codes: list[JsonValue] = list(sorted(vocabulary))
    return {"enum": codes}


_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
# Public ids are a prefix and a random URL-safe token (service.new_public_id); the
# patterns keep any other text (a name typed by mistake, a NUL byte, 10 kB) out of
# the database and the audit log.
SignalId = Annotated[str, Path(pattern=r"^s-[A-Za-z0-9_-]{1,38}$", description="a signal's id")]
MatchId = Annotated[str, Path(pattern=r"^m-[A-Za-z0-9_-]{1,38}$", description="a match's id")]
InboxItemId = Annotated[int, Path(ge=1, le=2**31 - 1, description="an inbox notice's id")]


UtcDateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$",
            "description": "UTC, ISO 8601 without an offset (e.g. 2026-03-31T10:00:00)",
        }
    ),
]
"""A time as the hub keeps it: naive UTC, sent without an offset (not RFC 3339
``date-time``, which requires one; the nodes read it as it is)."""


class SignalCreate(BaseModel):
    """A new signal: the encoding and what the hub needs to route a match."""

    model_config = ConfigDict(extra="forbid")

    clk: str = Field(description="base64 of the Bloom-filter encoding (bits of the schema)")
    schema_id: str = Field(alias="schema", description="linkage schema, e.g. dutch-person/3")
    # The vocabularies are documented here and checked by the hub, whose message
    # lists what is allowed.
    category: str = Field(
        description="possible_victim, possible_perpetrator or at_risk",
        json_schema_extra=codes_of(CATEGORIES),
    )
    legal_basis: str = Field(
        description="jeugdwet, wpg, wjsg, wmo or avg_6_1_e",
        json_schema_extra=codes_of(LEGAL_BASES),
    )
    contact_ref: str = Field(description="how to reach the professional (team, phone, mail)")
    bsn_hash: str | None = Field(
        None,
        description="hex keyed hash of the BSN, if lawful",
        json_schema_extra={"pattern": "^[0-9a-f]{64}$"},
    )
    node_ref: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        pattern=_PRINTABLE,
        description="the organisation's own opaque reference",
    )
    concern_since: date | None = Field(None, description="since when the concern exists")


class SignalOut(BaseModel):
    id: str
    category: str
    legal_basis: str
    contact_ref: str
    node_ref: str | None
    concern_since: date | None
    registered_at: UtcDateTime
    active_until: UtcDateTime
    keep_until: UtcDateTime
    withdrawn_at: UtcDateTime | None
    status: str = Field(description="active, inactive (past its active period) or withdrawn")


class RegistrationOut(BaseModel):
    signal: SignalOut
    new_matches: list[str] = Field(description="ids of the matches this registration created")


class MatchOut(BaseModel):
    id: str
    status: str = Field(description="new, lead, contact or closed")
    created_at: UtcDateTime
    own_signal: str
    own_category: str
    other_org_code: str
    other_org_name: str
    other_org_kind: str
    other_category: str
    other_contact_ref: str
    lead_org_code: str | None
    lead_since: UtcDateTime | None
    contact_at: UtcDateTime | None
    contact_org_code: str | None
    closed_at: UtcDateTime | None
    closed_by_org_code: str | None
    close_reason: str | None


class InboxItemOut(BaseModel):
    id: int
    kind: str = Field(description="match.new, match.lead, match.contact or match.close")
    match_id: str
    created_at: UtcDateTime
    read_at: UtcDateTime | None


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(
        description="coordinated, not_same_person or no_longer_needed",
        json_schema_extra=codes_of(CLOSE_REASONS),
    )


class AccessEventOut(BaseModel):
    at: UtcDateTime
    actor: str = Field(description="org:CODE for an organisation, cli:... for the operator")
    action: str = Field(description="e.g. hub.match.read, hub.signal.withdraw")
    object_type: str = Field(description="signal or match")
    object_ref: str
    result: str = Field(description="ok, or why it was refused (not_found, denied, ...)")


class AccessOut(BaseModel):
    signal: str
    events: list[AccessEventOut]


class MeOut(BaseModel):
    code: str
    name: str
    kind: str


def _signal_out(signal: HubSignal, now: datetime) -> SignalOut:
    status = "active"
    if signal.withdrawn_at is not None:
        status = "withdrawn"
    elif signal.active_until <= now:
        status = "inactive"
    return SignalOut(
        id=signal.public_id,
        category=signal.category,
        legal_basis=signal.legal_basis,
        contact_ref=signal.contact_ref,
        node_ref=signal.node_ref,
        concern_since=signal.concern_since,
        registered_at=signal.registered_at,
        active_until=signal.active_until,
        keep_until=signal.keep_until,
        withdrawn_at=signal.withdrawn_at,
        status=status,
    )


def _match_out(view: match_ops.MatchView) -> MatchOut:
    return MatchOut(status=view.status, **view.__dict__)


def create_app(hub: Hub) -> FastAPI:
    """The hub's FastAPI application around a ready :class:`Hub` (index loaded)."""
    app = FastAPI(
        title="Ketenbeeld hub",
        version=__version__,
        description=(
            "Chain signal index. Organisations register only *that* they are concerned "
            "about a person, as an encoding made with a key the hub does not hold; the "
            "hub tells both organisations when two signals match. No identities, no "
            "similarity scores."
        ),
    )
    bearer = HTTPBearer(auto_error=False)

    install_error_handlers(app)

    def caller(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Caller:
        origin = request.client.host if request.client else "unknown"
        return authenticate(hub, credentials.credentials if credentials else None, origin)

    Auth = Annotated[Caller, Depends(caller)]

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness: no authentication, no data."""
        return {"status": "ok", "schema": hub.config.layout.schema}

    # Every operation needs the token (401) and may find its input invalid (422).
    base = (401, 422)

    @app.get("/api/v1/me", response_model=MeOut, tags=["service"], responses=error_responses(401))
    def me(who: Auth) -> MeOut:
        """The organisation the token belongs to."""
        org = hub.organisation(who.org_id)
        return MeOut(code=org.code, name=org.name, kind=org.kind)

    @app.post(
        "/api/v1/signals",
        response_model=RegistrationOut,
        status_code=201,
        tags=["signals"],
        responses=error_responses(*base),
    )
    def register(body: SignalCreate, who: Auth) -> RegistrationOut:
        """Register a signal; it is matched at once against other organisations' signals."""
        registration = hub.register(
            who,
            SignalIn(
                clk=body.clk,
                schema=body.schema_id,
                category=body.category,
                legal_basis=body.legal_basis,
                contact_ref=body.contact_ref,
                bsn_hash=body.bsn_hash,
                node_ref=body.node_ref,
                concern_since=body.concern_since,
            ),
        )
        return RegistrationOut(
            signal=_signal_out(registration.signal, hub.clock()),
            new_matches=list(registration.match_ids),
        )

    @app.get(
        "/api/v1/signals",
        response_model=list[SignalOut],
        tags=["signals"],
        responses=error_responses(*base),
    )
    def my_signals(
        who: Auth,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
    ) -> list[SignalOut]:
        """The organisation's own signals, newest first."""
        now = hub.clock()
        return [_signal_out(s, now) for s in hub.signals(who, limit=limit, offset=offset)]

    @app.get(
        "/api/v1/signals/{signal_id}",
        response_model=SignalOut,
        tags=["signals"],
        responses=error_responses(*base, 404),
    )
    def my_signal(signal_id: SignalId, who: Auth) -> SignalOut:
        """One of the organisation's signals (another's answers 404, as a missing one)."""
        return _signal_out(hub.signal(who, signal_id), hub.clock())

    @app.get(
        "/api/v1/signals/{signal_id}/access",
        response_model=AccessOut,
        tags=["signals"],
        responses=error_responses(*base, 404),
    )
    def signal_access(signal_id: SignalId, who: Auth) -> AccessOut:
        """Who accessed one of the organisation's signals or its matches, oldest first:
        for a data subject's access request (another organisation's signal answers 404)."""
        events = access.signal_access(hub, who, signal_id)
        return AccessOut(
            signal=signal_id,
            events=[
                AccessEventOut(
                    at=e.at,
                    actor=e.actor,
                    action=e.action,
                    object_type=e.object_type,
                    object_ref=e.object_ref,
                    result=e.result,
                )
                for e in events
            ],
        )

    @app.delete(
        "/api/v1/signals/{signal_id}",
        response_model=SignalOut,
        tags=["signals"],
        responses=error_responses(*base, 404),
    )
    def withdraw(signal_id: SignalId, who: Auth) -> SignalOut:
        """Withdraw a signal: no new matches; it is kept until its deletion date."""
        return _signal_out(hub.withdraw(who, signal_id), hub.clock())

    @app.get(
        "/api/v1/inbox",
        response_model=list[InboxItemOut],
        tags=["matches"],
        responses=error_responses(*base),
    )
    def inbox(who: Auth, unread: bool = False) -> list[InboxItemOut]:
        """Notices about matches: new, lead taken, contact made, closed."""
        return [
            InboxItemOut(**item.__dict__) for item in match_ops.inbox(hub, who, unread_only=unread)
        ]

    @app.post(
        "/api/v1/inbox/{item_id}/read",
        status_code=204,
        tags=["matches"],
        responses=error_responses(*base, 404),
    )
    def mark_read(item_id: InboxItemId, who: Auth) -> None:
        """Mark a notice as read."""
        match_ops.mark_read(hub, who, item_id)

    @app.get(
        "/api/v1/matches",
        response_model=list[MatchOut],
        tags=["matches"],
        responses=error_responses(401),
    )
    def my_matches(who: Auth) -> list[MatchOut]:
        """Matches the organisation is party to."""
        return [_match_out(view) for view in match_ops.list_matches(hub, who)]

    @app.get(
        "/api/v1/matches/{match_id}",
        response_model=MatchOut,
        tags=["matches"],
        responses=error_responses(*base, 404),
    )
    def one_match(match_id: MatchId, who: Auth) -> MatchOut:
        """One match the organisation is party to (another's answers 404)."""
        return _match_out(match_ops.match(hub, who, match_id))

    @app.post(
        "/api/v1/matches/{match_id}/lead",
        response_model=MatchOut,
        tags=["matches"],
        responses=error_responses(*base, 404, 409),
    )
    def lead(match_id: MatchId, who: Auth) -> MatchOut:
        """Take the lead (regie); the other organisation is notified."""
        return _match_out(match_ops.take_lead(hub, who, match_id))

    @app.post(
        "/api/v1/matches/{match_id}/contact",
        response_model=MatchOut,
        tags=["matches"],
        responses=error_responses(*base, 404, 409),
    )
    def contact(match_id: MatchId, who: Auth) -> MatchOut:
        """Record that the professionals have been in contact."""
        return _match_out(match_ops.record_contact(hub, who, match_id))

    @app.post(
        "/api/v1/matches/{match_id}/close",
        response_model=MatchOut,
        tags=["matches"],
        responses=error_responses(*base, 404, 409),
    )
    def close(match_id: MatchId, body: CloseIn, who: Auth) -> MatchOut:
        """Close the match with a reason (the lead organisation, or either without a lead)."""
        return _match_out(match_ops.close_match(hub, who, match_id, body.reason))

    return app
