"""Online: the analysts' priority queue with explanations, and one cluster's view."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ketenbeeld.accounts import Account
from ketenbeeld.errors import InputError
from ketenbeeld.web.context import WebContext, web_context
from ketenbeeld.web.render import page
from ketenbeeld.web.security import require

__all__ = ["router"]

router = APIRouter(prefix="/online", include_in_schema=False)

Analyst = Annotated[Account, Depends(require("online"))]
Context = Annotated[WebContext, Depends(web_context)]


@router.get("", response_class=HTMLResponse)
def queue(
    request: Request, account: Analyst, context: Context, top: int = 50, all: int = 0
) -> Response:
    from ketenbeeld.online.analyst import analyst_queue

    try:
        view = analyst_queue(context.engine, top=max(1, min(top, 500)), include_dismissed=bool(all))
    except InputError as exc:
        return page(request, "online_queue.html", title_key="online.title", problem=exc)
    return page(request, "online_queue.html", title_key="online.title", view=view)


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster(request: Request, cluster_id: str, account: Analyst, context: Context) -> Response:
    from ketenbeeld.online.analyst import cluster_view
    from ketenbeeld.online.workflow import STATUSES

    view = cluster_view(context.engine, cluster_id)
    return page(
        request, "online_cluster.html", title_key="online.title", view=view, statuses=STATUSES
    )


@router.post("/clusters/{cluster_id}/status")
def set_status(
    cluster_id: str,
    account: Analyst,
    context: Context,
    status: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    from ketenbeeld.online.workflow import set_status as record

    record(context.engine, cluster_id, status, actor=f"web:{account.username}", note=note or None)
    return RedirectResponse(f"/online/clusters/{quote(cluster_id)}", status_code=303)
