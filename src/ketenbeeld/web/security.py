"""The one authorization layer of pages and JSON API: session, role, CSRF.

Every route that shows or changes data depends on :func:`require` with the module
it belongs to; the CSRF check runs for every request of the application (it is an
application-wide dependency), so a new form cannot forget it.

* The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure outside
  the demo); the database keeps only its digest.
* CSRF: every form carries the session's CSRF token in the field ``csrf_token``
  (htmx and API clients send the header ``X-CSRF-Token``). Before login, the login
  form is protected by a double-submit cookie.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from ketenbeeld.accounts import Account, may, session_account
from ketenbeeld.errors import AuthError, KetenbeeldError
from ketenbeeld.web.context import WebContext, web_context

__all__ = [
    "CSRF_COOKIE",
    "LANG_COOKIE",
    "SESSION_COOKIE",
    "CsrfFailed",
    "Forbidden",
    "NotLoggedIn",
    "csrf_protect",
    "current_account",
    "language",
    "require",
    "require_login",
    "session_of",
]

SESSION_COOKIE = "kb_session"
CSRF_COOKIE = "kb_csrf"
LANG_COOKIE = "kb_lang"
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class NotLoggedIn(AuthError):
    """The request needs a logged-in user (pages redirect to the login form)."""


class Forbidden(KetenbeeldError):
    """The user's role does not give access to this part of the application."""

    exit_code = 2


class CsrfFailed(KetenbeeldError):
    """The CSRF token is missing or wrong."""

    exit_code = 2


def language(request: Request) -> str:
    """The language of this request: the switch's cookie, else the installation's default."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in ("nl", "en"):
        return chosen
    context: WebContext = request.app.state.context
    return context.lang


def session_of(request: Request, context: WebContext) -> tuple[Account, str] | None:
    """The account and CSRF token of the request's session cookie (once per request)."""
    if "kb_account" in request.state._state:
        found: tuple[Account, str] | None = request.state.kb_account
        return found
    token = request.cookies.get(SESSION_COOKIE)
    found = None
    if token:
        try:
            found = session_account(context.engine, token)
        except AuthError:
            found = None
    request.state.kb_account = found
    return found


def current_account(
    request: Request, context: Annotated[WebContext, Depends(web_context)]
) -> Account | None:
    """The logged-in account, or ``None``."""
    found = session_of(request, context)
    return found[0] if found else None


def require_login(
    account: Annotated[Account | None, Depends(current_account)],
) -> Account:
    """A dependency: the logged-in account, whatever its role."""
    if account is None:
        raise NotLoggedIn("log in first")
    return account


def require(module: str) -> Callable[..., Account]:
    """A dependency: the logged-in account, which must have access to ``module``.

    Raises (as HTTP errors via the app's handlers):
        NotLoggedIn: no live session (pages redirect to the login form; API 401).
        Forbidden: the role does not include ``module``, or the module is one of
            :data:`~ketenbeeld.accounts.ORGANISATION_BOUND` and the account is of
            another organisation than the installation (403).
    """

    def dependency(
        account: Annotated[Account | None, Depends(current_account)],
        context: Annotated[WebContext, Depends(web_context)],
    ) -> Account:
        if account is None:
            raise NotLoggedIn("log in first")
        if not may(account, module, installation=context.organisation):
            if module in account.modules and not account.disabled:
                raise Forbidden(
                    f"{module} of this installation is for accounts of {context.organisation} only"
                )
            raise Forbidden(f"the role {account.role} has no access to {module}")
        return account

    dependency.__name__ = f"require_{module}"
    return dependency


async def csrf_protect(
    request: Request, context: Annotated[WebContext, Depends(web_context)]
) -> None:
    """Refuse an unsafe request (POST, ...) without the right CSRF token."""
    if request.method not in _UNSAFE:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    found = session_of(request, context)
    expected = found[1] if found else request.cookies.get(CSRF_COOKIE)
    if not sent or not expected or not secrets.compare_digest(sent, expected):
        raise CsrfFailed("the CSRF token is missing or wrong")
