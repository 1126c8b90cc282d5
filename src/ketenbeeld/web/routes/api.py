"""The JSON API (OpenAPI at /openapi.json): the same accounts, roles and CSRF as the pages.

A browser session (cookie) authenticates; unsafe methods need the session's CSRF
token in the ``X-CSRF-Token`` header. Errors come in the one JSON shape
``{"error": {"code", "message", "problems", "hint"}}``, documented per operation
(ketenbeeld.signals.hub.http_errors.ErrorOut).
"""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from ketenbeeld import cases as domain
from ketenbeeld.accounts import Account
from ketenbeeld.errors import ConflictError, InputError
from ketenbeeld.signals.hub.http_errors import error_responses
from ketenbeeld.signals.node.api import (
    HubMatchId,
    LocalSignal,
    RegisterResponse,
    SignalRequest,
    local_signal,
    register_signal,
)
from ketenbeeld.web.cache import ViewCache
from ketenbeeld.web.context import WebContext, view_cache, web_context
from ketenbeeld.web.routes.online import ranked
from ketenbeeld.web.routes.signals import node_of
from ketenbeeld.web.security import require, require_login

__all__ = ["router"]

# Every operation needs a session (401) and, but for /me, a role that opens it (403).
router = APIRouter(prefix="/api/v1", responses=error_responses(401, 403))

Context = Annotated[WebContext, Depends(web_context)]
Researcher = Annotated[Account, Depends(require("onderzoek"))]
Professional = Annotated[Account, Depends(require("signalen"))]
Analyst = Annotated[Account, Depends(require("online"))]
Cache = Annotated[ViewCache, Depends(view_cache)]
# A case id of codebook 1 may hold '/', hence the path converter; no control
# characters (a NUL byte cannot even be compared in PostgreSQL).
CaseId = Annotated[
    str, Path(pattern=r"^[^\x00-\x1f\x7f]{1,100}$", description="the case's case_id")
]
# Without a node the signal operations answer 404; 503 when the hub cannot be reached.
_NODE = error_responses(404, 503)


class MeOut(BaseModel):
    username: str
    display_name: str
    organisation: str
    role: str
    modules: list[str]


class CaseRow(BaseModel):
    case_id: str
    year_start: int | None
    n_perpetrators: int
    n_victims: int
    synthetic: bool


@router.get("/me", response_model=MeOut, tags=["accounts"])
def me(account: Annotated[Account, Depends(require_login)]) -> MeOut:
    """Who is logged in, and which parts of the application the role opens."""
    return MeOut(
        username=account.username,
        display_name=account.display_name,
        organisation=account.organisation,
        role=account.role,
        modules=sorted(account.modules),
    )


@router.get("/cases", response_model=list[CaseRow], tags=["onderzoek"])
def cases(account: Researcher, context: Context) -> list[CaseRow]:
    """The coded cases in the workspace (ids and counts only)."""
    return [
        CaseRow(
            case_id=c.case_id,
            year_start=c.year_start,
            n_perpetrators=c.n_perpetrators,
            n_victims=c.n_victims,
            synthetic=c.synthetic,
        )
        for c in domain.list_cases(context.engine)
    ]


@router.get("/cases/{case_id:path}", tags=["onderzoek"], responses=error_responses(404, 422))
def case(case_id: CaseId, account: Researcher, context: Context) -> dict[str, Any]:
    """One coded case in the interchange format."""
    return domain.load_case(context.engine, case_id).to_document()


@router.get(
    "/signals", response_model=list[LocalSignal], tags=["signalen"], responses=error_responses(404)
)
def signals(account: Professional, context: Context) -> list[LocalSignal]:
    """The organisation's own signals, with who they are about (kept at the node)."""
    return [local_signal(signal) for signal in node_of(context).signals()]


@router.post(
    "/signals",
    response_model=RegisterResponse,
    status_code=201,
    tags=["signalen"],
    responses={**_NODE, **error_responses(422)},
)
def register(body: SignalRequest, account: Professional, context: Context) -> RegisterResponse:
    """Register a concern: encoded here, only the encoding goes to the hub."""
    return register_signal(node_of(context), body)


@router.get("/matches", tags=["signalen"], responses=_NODE)
def matches(account: Professional, context: Context) -> list[dict[str, Any]]:
    """The organisation's matches, each with the own client it is about."""
    return node_of(context).matches()


@router.get("/matches/{match_id}", tags=["signalen"], responses={**_NODE, **error_responses(422)})
def match(match_id: HubMatchId, account: Professional, context: Context) -> dict[str, Any]:
    """One of the organisation's matches (another organisation's: 404)."""
    return node_of(context).match(match_id)


@router.get("/online/queue", tags=["online"], responses=error_responses(409, 422))
def online_queue(account: Analyst, context: Context, cache: Cache, top: int = 50) -> dict[str, Any]:
    """The priority queue, each score with its terms and evidence.

    409 while the stored ads are not (all) clustered: the request is fine, the
    workspace is not ready (the message says what to run).
    """
    from ketenbeeld.online.analyst import analyst_queue

    try:
        view = analyst_queue(
            context.engine, top=max(1, min(top, 500)), ranked=ranked(context, cache)
        )
    except InputError as exc:
        raise ConflictError(exc.message, hint=exc.hint) from None
    return {
        "lexicon_version": view.lexicon_version,
        "clusters": [
            {
                "cluster_id": item.cluster_id,
                "status": view.statuses.get(item.cluster_id, "new"),
                "priority": round(item.priority, 3),
                "ads": item.n_ads,
                "cities": list(item.cities),
                "terms": [
                    {"name": t.name, "points": round(t.points, 3), "evidence": t.evidence}
                    for t in item.terms
                ],
            }
            for item in view.items
        ],
    }
