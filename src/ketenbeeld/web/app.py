"""The web application: one FastAPI app, server-rendered pages and a JSON API.

Build it with :func:`create_app` around a :class:`WebContext` (the workspace
database, the organisation and, for an organisation that registers signals, its
node). Pages and API share one authorization layer (ketenbeeld.web.security).
"""

# No `from __future__ import annotations`: FastAPI reads the handler signatures.
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ketenbeeld import __version__
from ketenbeeld.errors import (
    AuthError,
    ConflictError,
    InputError,
    KetenbeeldError,
    NotFoundError,
    StorageError,
)
from ketenbeeld.signals.hub.http_errors import json_error, unreadable_body, validation_problems
from ketenbeeld.web.cache import ViewCache
from ketenbeeld.web.context import WebContext
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.jobs import JobRunner
from ketenbeeld.web.render import page
from ketenbeeld.web.routes import admin, api, auth, cases, drafts, jobs, online, signals
from ketenbeeld.web.security import CsrfFailed, Forbidden, NotLoggedIn, csrf_protect, language

__all__ = ["ROUTERS", "create_app"]

log = logging.getLogger(__name__)

ROUTERS = tuple(
    module.router for module in (auth, jobs, cases, drafts, signals, online, admin, api)
)
"""Every router of the application, in order (the access-matrix test walks them)."""

_STATUS: tuple[tuple[type[KetenbeeldError], int, str], ...] = (
    (CsrfFailed, 403, "csrf"),
    (Forbidden, 403, "forbidden"),
    (AuthError, 401, "unauthorized"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (InputError, 422, "invalid"),
    (StorageError, 503, "storage"),
)

_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Plots are inline SVG with <style> elements, hence 'unsafe-inline' for styles
    # only; scripts come from this site alone (htmx is served from /static).
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Cache-Control": "no-store",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KetenbeeldError)
    async def domain_error(request: Request, exc: KetenbeeldError) -> Response:
        status, code = next(
            ((s, c) for kind, s, c in _STATUS if isinstance(exc, kind)), (400, "invalid")
        )
        problems = list(getattr(exc, "problems", []))
        if _wants_json(request):
            shaped = [{"field": p.field, "message": p.message} for p in problems]
            return json_error(status, code, exc.message, problems=shaped, hint=exc.hint)
        if isinstance(exc, NotLoggedIn) or (isinstance(exc, AuthError) and status == 401):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        lang = language(request)
        message = {
            "csrf": translate("error.csrf", lang),
            "forbidden": translate("error.forbidden", lang),
        }.get(code, exc.message)
        return page(
            request, "error.html", status_code=status, title_key="error.title",
            message=message, problems=problems, hint=exc.hint,
        )  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def request_error(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's default answer echoes the input; this one names fields only.
        problems = validation_problems(exc)
        message = f"{len(problems)} problem(s) in the request"
        if _wants_json(request):
            return json_error(422, "invalid", message, problems=problems)
        shown = [f"{p['field']}: {p['message']}" for p in problems]
        return page(
            request, "error.html", status_code=422, title_key="error.title",
            message=message, problems=shown,
        )  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = translate("error.not_found", language(request)) if exc.status_code == 404 else ""
        if _wants_json(request):
            if exc.status_code == 400:
                return unreadable_body()
            code = _HTTP_CODES.get(exc.status_code, "http")
            return json_error(
                exc.status_code, code, message or str(exc.detail), headers=exc.headers
            )
        return page(
            request, "error.html", status_code=exc.status_code, title_key="error.title",
            message=message or str(exc.detail),
        )  # fmt: skip

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> Response:
        # The type and the route template only: an exception's text can hold values.
        route = getattr(request.scope.get("route"), "path", "an unknown path")
        log.error("unexpected %s in %s %s", type(exc).__name__, request.method, route)
        message = "an unexpected error occurred; it has been logged"
        if _wants_json(request):
            response: Response = json_error(500, "internal", message)
        else:
            response = page(
                request, "error.html", status_code=500, title_key="error.title", message=message
            )
        # Answered outside the middleware that adds these to every other response.
        response.headers.update(_HEADERS)
        return response


def _warm_up(app: FastAPI) -> None:
    """Compute the statistics and the analysts' ranking before the first user asks."""
    context, cache = app.state.context, app.state.cache
    for name, view in (
        ("statistics", lambda: cases.statistics_of(context, cache)),
        ("ranking", lambda: online.ranked(context, cache)),
    ):
        try:
            view()
        except KetenbeeldError:
            pass  # nothing to compute yet (no cases, no clustered ads)
        except Exception as exc:  # the pages will show the error; the server goes on
            log.warning("warming up the %s failed: %s", name, type(exc).__name__)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.warm_up:
        threading.Thread(target=_warm_up, args=(app,), daemon=True, name="kb-warm-up").start()
    yield
    app.state.jobs.shutdown()


def create_app(context: WebContext, *, warm_up: bool = True) -> FastAPI:
    """The web application for ``context``.

    Example:
        >>> from ketenbeeld.storage import make_engine
        >>> app = create_app(WebContext(make_engine("sqlite://"), "demo-org"))
    """
    app = FastAPI(
        title="Ketenbeeld",
        version=__version__,
        description=(
            "Research on coded case files, chain signals and online monitoring. The JSON "
            "API uses the pages' session and roles; unsafe methods need X-CSRF-Token."
        ),
        dependencies=[Depends(csrf_protect)],
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.context = context
    app.state.warm_up = warm_up
    app.state.jobs = JobRunner(context.engine)
    app.state.cache = ViewCache(context.engine)
    _install_error_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: object) -> Response:
        response: Response = await call_next(request)  # type: ignore[operator]
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    static = files("ketenbeeld.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
