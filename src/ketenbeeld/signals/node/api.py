"""The node's HTTP API, for the organisation's own professionals and systems.

It listens on this machine only (``node serve`` refuses other addresses): it holds
identities and has no accounts (the web application has accounts and roles). The identity sent here
is encoded here; only the encoding goes to the hub.
"""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from datetime import date
from typing import Annotated, Any

from fastapi import FastAPI, Path
from pydantic import BaseModel, ConfigDict, Field

from ketenbeeld import __version__
from ketenbeeld.signals.hub.api import UtcDateTime, codes_of
from ketenbeeld.signals.hub.http_errors import error_responses, install_error_handlers
from ketenbeeld.signals.hub.vocabulary import CATEGORIES, CLOSE_REASONS, LEGAL_BASES
from ketenbeeld.signals.node.service import Node

__all__ = [
    "HubMatchId",
    "LocalSignal",
    "RegisterResponse",
    "SignalRequest",
    "create_app",
    "local_signal",
    "register_signal",
]


HubMatchId = Annotated[
    str, Path(pattern=r"^m-[A-Za-z0-9_-]{1,38}$", description="the hub's id of the match")
]
"""A match id in a path; the pattern keeps text that would change the hub's URL out."""


class Person(BaseModel):
    """Who the concern is about; stays at the node."""

    model_config = ConfigDict(extra="forbid")

    first_name: str = ""
    name_prefix: str = ""
    last_name: str = ""
    date_of_birth: str = Field("", description="YYYY-MM-DD or DD-MM-YYYY")
    gender: str = ""
    postcode: str = ""
    house_number: str = ""
    city: str = ""
    bsn: str = Field("", description="only where the organisation may lawfully use it")


class SignalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person: Person
    # Documented here, checked by the hub (its message lists what is allowed).
    category: str = Field(json_schema_extra=codes_of(CATEGORIES))
    legal_basis: str = Field(json_schema_extra=codes_of(LEGAL_BASES))
    contact_ref: str = Field(description="how to reach the professional (team, phone, mail)")
    concern_since: date | None = None


class LocalSignal(BaseModel):
    hub_signal_id: str
    person: dict[str, str]
    category: str
    legal_basis: str
    contact_ref: str
    registered_at: UtcDateTime
    active_until: UtcDateTime
    keep_until: UtcDateTime


class RegisterResponse(BaseModel):
    signal: LocalSignal
    new_matches: list[str]


class CloseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(json_schema_extra=codes_of(CLOSE_REASONS))


def local_signal(signal: Any) -> LocalSignal:
    """The API view of a :class:`NodeSignal`."""
    return LocalSignal(
        hub_signal_id=signal.hub_signal_id,
        person=signal.identity,
        category=signal.category,
        legal_basis=signal.legal_basis,
        contact_ref=signal.contact_ref,
        registered_at=signal.registered_at,
        active_until=signal.active_until,
        keep_until=signal.keep_until,
    )


def register_signal(node: Node, body: SignalRequest) -> RegisterResponse:
    """Register the request's concern through ``node`` (encoded there) and answer."""
    registration = node.register(
        body.person.model_dump(),
        category=body.category,
        legal_basis=body.legal_basis,
        contact_ref=body.contact_ref,
        concern_since=body.concern_since,
    )
    return RegisterResponse(
        signal=local_signal(registration.signal), new_matches=list(registration.new_matches)
    )


def create_app(node: Node, org: str) -> FastAPI:
    """The node's FastAPI application."""
    app = FastAPI(title=f"Ketenbeeld node ({org})", version=__version__)
    install_error_handlers(app)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, str]:
        return {"status": "ok", "organisation": org, "hub": node.client.base_url}

    # The hub's answers come back as the same errors; 503 when it cannot be reached.
    hub_errors = error_responses(503)
    act_errors = error_responses(404, 409, 422, 503)

    @app.post(
        "/api/v1/signals",
        response_model=RegisterResponse,
        status_code=201,
        responses=error_responses(422, 503),
    )
    def register(body: SignalRequest) -> RegisterResponse:
        """Register a concern: encoded here, only the encoding goes to the hub."""
        return register_signal(node, body)

    @app.get("/api/v1/signals", response_model=list[LocalSignal])
    def signals() -> list[LocalSignal]:
        """This organisation's signals, with who they are about."""
        return [local_signal(signal) for signal in node.signals()]

    @app.get("/api/v1/matches", responses=hub_errors)
    def matches() -> list[dict[str, Any]]:
        """Matches from the hub, each with the own client it is about (looked up here)."""
        return node.matches()

    @app.get("/api/v1/inbox", responses=error_responses(422, 503))
    def inbox(unread: bool = False) -> list[dict[str, Any]]:
        """Notices from the hub."""
        return node.inbox(unread_only=unread)

    @app.post("/api/v1/matches/{match_id}/lead", responses=act_errors)
    def lead(match_id: HubMatchId) -> dict[str, Any]:
        """Take the lead (regie) at the hub."""
        return node.act(match_id, "lead")

    @app.post("/api/v1/matches/{match_id}/contact", responses=act_errors)
    def contact(match_id: HubMatchId) -> dict[str, Any]:
        """Record at the hub that the professionals have been in contact."""
        return node.act(match_id, "contact")

    @app.post("/api/v1/matches/{match_id}/close", responses=act_errors)
    def close(match_id: HubMatchId, body: CloseRequest) -> dict[str, Any]:
        """Close the match at the hub with a reason."""
        return node.act(match_id, "close", body.reason)

    return app
