"""Background jobs: their page with a progress bar, and the fragment htmx refreshes."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from ketenbeeld.accounts import Account
from ketenbeeld.storage.jobs import get_job
from ketenbeeld.web.context import WebContext, web_context
from ketenbeeld.web.render import page
from ketenbeeld.web.security import require_login

__all__ = ["router"]

router = APIRouter(prefix="/taken", include_in_schema=False)

Context = Annotated[WebContext, Depends(web_context)]
BACK = {
    "cases.import": "/onderzoek/import",
    "cases.extract": "/onderzoek/extractie",
    "online.cluster": "/online",
}
"""Where a failed job's page sends the user back to, per kind of job."""
LoggedIn = Annotated[Account, Depends(require_login)]


@router.get("/{job_id}", response_class=HTMLResponse)
def job_page(request: Request, job_id: str, account: LoggedIn, context: Context) -> Response:
    job = get_job(context.engine, job_id, organisation=account.organisation)
    return page(request, "job.html", title_key=f"job.{job.kind}", job=job, back=BACK.get(job.kind))


@router.get("/{job_id}/voortgang", response_class=HTMLResponse)
def job_fragment(request: Request, job_id: str, account: LoggedIn, context: Context) -> Response:
    job = get_job(context.engine, job_id, organisation=account.organisation)
    return page(request, "job_progress.html", job=job, back=BACK.get(job.kind))
