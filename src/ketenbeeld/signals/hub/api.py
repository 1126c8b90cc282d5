"""The hub's HTTP API (FastAPI; OpenAPI at ``/openapi.json``, docs at ``/docs``).

Organisations authenticate with ``Authorization: Bearer <token>``. Routes parse,
call one domain function and render; errors come back in one JSON shape::

    {"error": {"code": "invalid", "message": "...", "problems": [...], "hint": "..."}}

Validation messages name the field and what is allowed, never the value sent (it
could be personal data), and the API refuses fields it does not know, so an
identity sent by mistake is not stored.
"""

# No `from __future__ import annotations` here: FastAPI reads the route signatures at
# run time, and the Auth alias is local to create_app.
import logging
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ketenbeeld import __version__
from ketenbeeld.errors import (
    AuthError,
    ConflictError,
    KetenbeeldError,
    NotFoundError,
    StorageError,
    ValidationFailed,
)
from ketenbeeld.signals.hub import matches as match_ops
from ketenbeeld.signals.hub.admin import authenticate
from ketenbeeld.signals.hub.models import HubSignal
from ketenbeeld.signals.hub.service import Caller, Hub, SignalIn

__all__ = ["create_app", "install_error_handlers"]

logger = logging.getLogger(__name__)


class SignalCreate(BaseModel):
    """A new signal: the encoding and what the hub needs to route a match."""

    model_config = ConfigDict(extra="forbid")

    clk: str = Field(description="base64 of the Bloom-filter encoding (bits of the schema)")
    schema_id: str = Field(alias="schema", description="linkage schema, e.g. dutch-person/2")
    category: str = Field(description="possible_victim, possible_perpetrator or at_risk")
    legal_basis: str = Field(description="jeugdwet, wpg, wjsg, wmo or avg_6_1_e")
    contact_ref: str = Field(description="how to reach the professional (team, phone, mail)")
    bsn_hash: str | None = Field(None, description="hex keyed hash of the BSN, if lawful")
    node_ref: str | None = Field(None, description="the organisation's own opaque reference")
    concern_since: date | None = Field(None, description="since when the concern exists")


class SignalOut(BaseModel):
    id: str
    category: str
    legal_basis: str
    contact_ref: str
    node_ref: str | None
    concern_since: date | None
    registered_at: datetime
    active_until: datetime
    keep_until: datetime
    withdrawn_at: datetime | None
    status: str = Field(description="active, inactive (past its active period) or withdrawn")


class RegistrationOut(BaseModel):
    signal: SignalOut
    new_matches: list[str] = Field(description="ids of the matches this registration created")


class MatchOut(BaseModel):
    id: str
    status: str = Field(description="new, lead, contact or closed")
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


class InboxItemOut(BaseModel):
    id: int
    kind: str = Field(description="match.new, match.lead, match.contact or match.close")
    match_id: str
    created_at: datetime
    read_at: datetime | None


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(description="coordinated, not_same_person or no_longer_needed")


class MeOut(BaseModel):
    code: str
    name: str
    kind: str


_STATUS = {
    ValidationFailed: (422, "invalid"),
    AuthError: (401, "unauthorized"),
    NotFoundError: (404, "not_found"),
    ConflictError: (409, "conflict"),
    StorageError: (503, "storage"),
}


def _error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


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


def install_error_handlers(app: FastAPI) -> None:
    """Answer package errors and request validation errors in the one JSON error shape."""

    @app.exception_handler(KetenbeeldError)
    async def domain_error(_: Request, exc: KetenbeeldError) -> JSONResponse:
        status, code = next(
            (value for kind, value in _STATUS.items() if isinstance(exc, kind)), (400, "invalid")
        )
        problems = [{"field": p.field, "message": p.message} for p in getattr(exc, "problems", [])]
        return _error(status, code, exc.message, problems=problems, hint=exc.hint)

    @app.exception_handler(RequestValidationError)
    async def request_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's default answer echoes the input; this one names fields only.
        problems = [
            {
                "field": ".".join(str(part) for part in error["loc"][1:]),
                "message": "is not allowed here"
                if error["type"] == "extra_forbidden"
                else str(error["msg"]),
            }
            for error in exc.errors()
        ]
        message = f"{len(problems)} problem(s) in the request"
        return _error(422, "invalid", message, problems=problems)


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

    @app.get("/api/v1/me", response_model=MeOut, tags=["service"])
    def me(who: Auth) -> MeOut:
        """The organisation the token belongs to."""
        org = hub.organisation(who.org_id)
        return MeOut(code=org.code, name=org.name, kind=org.kind)

    @app.post("/api/v1/signals", response_model=RegistrationOut, status_code=201, tags=["signals"])
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

    @app.get("/api/v1/signals", response_model=list[SignalOut], tags=["signals"])
    def my_signals(
        who: Auth,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[SignalOut]:
        """The organisation's own signals, newest first."""
        now = hub.clock()
        return [_signal_out(s, now) for s in hub.signals(who, limit=limit, offset=offset)]

    @app.get("/api/v1/signals/{signal_id}", response_model=SignalOut, tags=["signals"])
    def my_signal(signal_id: str, who: Auth) -> SignalOut:
        """One of the organisation's signals (another's answers 404, as a missing one)."""
        return _signal_out(hub.signal(who, signal_id), hub.clock())

    @app.delete("/api/v1/signals/{signal_id}", response_model=SignalOut, tags=["signals"])
    def withdraw(signal_id: str, who: Auth) -> SignalOut:
        """Withdraw a signal: no new matches; it is kept until its deletion date."""
        return _signal_out(hub.withdraw(who, signal_id), hub.clock())

    @app.get("/api/v1/inbox", response_model=list[InboxItemOut], tags=["matches"])
    def inbox(who: Auth, unread: bool = False) -> list[InboxItemOut]:
        """Notices about matches: new, lead taken, contact made, closed."""
        return [
            InboxItemOut(**item.__dict__) for item in match_ops.inbox(hub, who, unread_only=unread)
        ]

    @app.post("/api/v1/inbox/{item_id}/read", status_code=204, tags=["matches"])
    def mark_read(item_id: int, who: Auth) -> None:
        """Mark a notice as read."""
        match_ops.mark_read(hub, who, item_id)

    @app.get("/api/v1/matches", response_model=list[MatchOut], tags=["matches"])
    def my_matches(who: Auth) -> list[MatchOut]:
        """Matches the organisation is party to."""
        return [_match_out(view) for view in match_ops.list_matches(hub, who)]

    @app.get("/api/v1/matches/{match_id}", response_model=MatchOut, tags=["matches"])
    def one_match(match_id: str, who: Auth) -> MatchOut:
        """One match the organisation is party to (another's answers 404)."""
        return _match_out(match_ops.match(hub, who, match_id))

    @app.post("/api/v1/matches/{match_id}/lead", response_model=MatchOut, tags=["matches"])
    def lead(match_id: str, who: Auth) -> MatchOut:
        """Take the lead (regie); the other organisation is notified."""
        return _match_out(match_ops.take_lead(hub, who, match_id))

    @app.post("/api/v1/matches/{match_id}/contact", response_model=MatchOut, tags=["matches"])
    def contact(match_id: str, who: Auth) -> MatchOut:
        """Record that the professionals have been in contact."""
        return _match_out(match_ops.record_contact(hub, who, match_id))

    @app.post("/api/v1/matches/{match_id}/close", response_model=MatchOut, tags=["matches"])
    def close(match_id: str, body: CloseIn, who: Auth) -> MatchOut:
        """Close the match with a reason (the lead organisation, or either without a lead)."""
        return _match_out(match_ops.close_match(hub, who, match_id, body.reason))

    return app
