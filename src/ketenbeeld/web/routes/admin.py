"""Beheer: users of the organisation and the audit log with its verification."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ketenbeeld.accounts import ROLES, Account, create_user, list_users, set_disabled
from ketenbeeld.errors import ConflictError, InputError
from ketenbeeld.storage import recent_audit_events, verify_audit_log
from ketenbeeld.web.context import WebContext, web_context
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.render import page
from ketenbeeld.web.security import language, require

__all__ = ["router"]

router = APIRouter(prefix="/beheer", include_in_schema=False)

Admin = Annotated[Account, Depends(require("beheer"))]
Context = Annotated[WebContext, Depends(web_context)]


def _users_page(
    request: Request, context: WebContext, *, status_code: int = 200, **values: object
) -> Response:
    return page(
        request,
        "admin_users.html",
        status_code=status_code,
        title_key="admin.users",
        users=list_users(context.engine),
        roles=ROLES,
        **values,
    )


@router.get("", response_class=HTMLResponse)
def users(request: Request, account: Admin, context: Context, created: str = "") -> Response:
    message = translate("admin.created_ok", language(request), name=created) if created else None
    return _users_page(request, context, message=message, message_kind="ok")


@router.post("/gebruikers", response_class=HTMLResponse)
def new_user(
    request: Request,
    account: Admin,
    context: Context,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()],
    display_name: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
) -> Response:
    try:
        created = create_user(
            context.engine,
            username=username,
            password=password,
            role=role,
            organisation=organisation or account.organisation,
            display_name=display_name,
            actor=f"web:{account.username}",
        )
    except (InputError, ConflictError) as exc:
        return _users_page(
            request, context, status_code=422, message=exc.message, message_kind="error"
        )
    return RedirectResponse(f"/beheer?created={created.username}", status_code=303)


@router.post("/gebruikers/{username}/{action}")
def disable(username: str, action: str, account: Admin, context: Context) -> Response:
    if action not in ("blokkeren", "deblokkeren"):
        raise InputError("the action must be blokkeren or deblokkeren")
    if username == account.username:
        raise InputError("you cannot disable your own account")
    set_disabled(context.engine, username, action == "blokkeren", actor=f"web:{account.username}")
    return RedirectResponse("/beheer", status_code=303)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, account: Admin, context: Context) -> Response:
    return page(
        request,
        "admin_audit.html",
        title_key="admin.audit",
        verification=verify_audit_log(context.engine),
        events=recent_audit_events(context.engine, 200),
    )
