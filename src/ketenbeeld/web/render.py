"""Rendering pages: the Jinja2 environment and what every template receives."""

from __future__ import annotations

import secrets
from datetime import datetime
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from ketenbeeld import __version__
from ketenbeeld.accounts import Account, may
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.security import CSRF_COOKIE, language, session_of

__all__ = ["page"]

_NAV = ("onderzoek", "signalen", "online", "beheer")


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("ketenbeeld.web", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    return env


def _when(value: datetime | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M") if value.hour or value.minute else f"{value:%Y-%m-%d}"


def page(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    title_key: str = "app.title",
    **values: Any,
) -> HTMLResponse:
    """Render ``template`` with the account, language, CSRF token and ``values``.

    Before login the form's CSRF token is a fresh double-submit cookie.
    """
    context = request.app.state.context
    lang = language(request)
    found = session_of(request, context)
    account: Account | None = found[0] if found else None
    new_cookie = None
    if found:
        csrf = found[1]
    else:
        csrf = request.cookies.get(CSRF_COOKIE) or ""
        if not csrf:
            csrf = new_cookie = secrets.token_urlsafe(32)

    def t(key: str, **fill: object) -> str:
        return translate(key, lang, **fill)

    nav = [
        m
        for m in _NAV
        if account is not None and may(account, m, installation=context.organisation)
    ]
    html = (
        _environment()
        .get_template(template)
        .render(
            request=request,
            t=t,
            lang=lang,
            account=account,
            csrf_token=csrf,
            nav=nav,
            title=t(title_key),
            organisation=context.organisation,
            version=__version__,
            path=request.url.path,
            **values,
        )
    )
    response = HTMLResponse(html, status_code=status_code)
    if new_cookie:
        response.set_cookie(
            CSRF_COOKIE,
            new_cookie,
            httponly=True,
            samesite="lax",
            secure=context.secure_cookies,
        )
    return response
