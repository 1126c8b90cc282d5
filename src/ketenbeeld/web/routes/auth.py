"""Login, logout, the language switch and the start page."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ketenbeeld.accounts import Account, TooManyAttempts, end_session, log_in
from ketenbeeld.errors import AuthError
from ketenbeeld.web.context import WebContext, web_context
from ketenbeeld.web.i18n import LANGUAGES, translate
from ketenbeeld.web.render import page
from ketenbeeld.web.security import (
    LANG_COOKIE,
    SESSION_COOKIE,
    NotLoggedIn,
    current_account,
    language,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Context = Annotated[WebContext, Depends(web_context)]


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/`` (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request, account: Annotated[Account | None, Depends(current_account)]
) -> Response:
    if account is None:
        return RedirectResponse("/login", status_code=303)
    return page(request, "home.html", title_key="nav.home")


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", out: int = 0) -> Response:
    message = translate("login.logged_out", language(request)) if out else None
    return page(
        request,
        "login.html",
        title_key="login.title",
        next=local_path(next),
        message=message,
        message_kind="ok",
    )


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    context: Context,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    lang = language(request)
    try:
        logged_in = log_in(context.engine, username, password, client=client_of(request))
    except TooManyAttempts as exc:
        message = translate("login.locked", lang, minutes=exc.minutes)
        return page(
            request, "login.html", status_code=429, title_key="login.title",
            next=local_path(next), message=message, username=username,
        )  # fmt: skip
    except AuthError:
        message = translate("login.failed", lang)
        return page(
            request, "login.html", status_code=401, title_key="login.title",
            next=local_path(next), message=message, username=username,
        )  # fmt: skip
    response = RedirectResponse(local_path(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        logged_in.token,  # a browser-session cookie; the server ends it after 8 hours
        httponly=True,
        samesite="lax",
        secure=context.secure_cookies,
    )
    return response


@router.post("/logout")
def logout(
    request: Request,
    context: Context,
    account: Annotated[Account | None, Depends(current_account)],
) -> Response:
    if account is None:
        raise NotLoggedIn("log in first")
    token = request.cookies.get(SESSION_COOKIE, "")
    end_session(context.engine, token, actor=f"web:{account.username}")
    response = RedirectResponse("/login?out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/taal/{lang}")
def switch_language(lang: str, next: str = "/") -> Response:
    response = RedirectResponse(local_path(next), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response
