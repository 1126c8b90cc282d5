"""Online: the analysts' priority queue with explanations, and one cluster's view."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ketenbeeld.accounts import Account
from ketenbeeld.errors import InputError
from ketenbeeld.web.cache import ViewCache
from ketenbeeld.web.context import WebContext, job_runner, view_cache, web_context
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.jobs import JobRunner, Progress
from ketenbeeld.web.render import page
from ketenbeeld.web.security import language, require

if TYPE_CHECKING:
    from ketenbeeld.online.analyst import RankedClusters

__all__ = ["ranked", "router"]

router = APIRouter(prefix="/online", include_in_schema=False)

Analyst = Annotated[Account, Depends(require("online"))]
Context = Annotated[WebContext, Depends(web_context)]
Runner = Annotated[JobRunner, Depends(job_runner)]
Cache = Annotated[ViewCache, Depends(view_cache)]
ADS_CHANGED = ("online.ingest", "online.cluster")
"""The audit actions after which the clusters are ranked again."""
STATUS_CHANGED = (*ADS_CHANGED, "online.cluster.status")


def ranked(context: WebContext, cache: ViewCache) -> "RankedClusters":
    """Every cluster by priority, computed once per change of the data."""
    from ketenbeeld.online.analyst import ranked_clusters

    return cache.get("online.ranked", lambda: ranked_clusters(context.engine), depends=ADS_CHANGED)


@router.get("", response_class=HTMLResponse)
def queue(
    request: Request,
    account: Analyst,
    context: Context,
    cache: Cache,
    top: int = 50,
    all: int = 0,
) -> Response:
    from ketenbeeld.online.analyst import analyst_queue

    shown = max(1, min(top, 500))
    try:
        view = cache.get(
            f"online.queue.{shown}.{bool(all)}",
            lambda: analyst_queue(
                context.engine,
                top=shown,
                include_dismissed=bool(all),
                ranked=ranked(context, cache),
            ),
            depends=STATUS_CHANGED,
        )
    except InputError as exc:
        return page(request, "online_queue.html", title_key="online.title", problem=exc)
    return page(request, "online_queue.html", title_key="online.title", view=view)


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster(
    request: Request, cluster_id: str, account: Analyst, context: Context, cache: Cache
) -> Response:
    from ketenbeeld.online.analyst import cluster_view
    from ketenbeeld.online.workflow import STATUSES

    view = cache.get(
        f"online.cluster.{cluster_id}",
        lambda: cluster_view(context.engine, cluster_id, ranked=ranked(context, cache)),
        depends=STATUS_CHANGED,
    )
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


@router.post("/clusteren")
def recluster(
    request: Request, account: Analyst, context: Context, runner: Runner, cache: Cache
) -> Response:
    from collections import Counter

    from ketenbeeld.online.analyst import cluster_stored

    lang = language(request)
    actor = f"web:{account.username}"

    def work(progress: Progress) -> dict[str, object]:
        steps = iter(range(1, 100))
        result, _ = cluster_stored(
            context.engine, actor=actor, on_step=lambda _step: progress(next(steps), None)
        )
        ranked(context, cache)  # rank now, not on the first analyst's request
        sizes = Counter(result.cluster_of.values())
        message = translate(
            "online.clustered", lang, ads=len(result.cluster_of), clusters=len(sizes),
            networks=sum(1 for size in sizes.values() if size > 1),
        )  # fmt: skip
        return {"message": message, "next": "/online"}

    job_id, _ = runner.submit(
        "online.cluster", work, organisation=account.organisation, by=account.username
    )
    return RedirectResponse(f"/taken/{job_id}", status_code=303)
