"""Signalen: register a concern (encoded here, at the node), my signals, the matches."""

# No `from __future__ import annotations`: FastAPI reads the signatures at run time.
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ketenbeeld.accounts import Account
from ketenbeeld.errors import NotFoundError, ValidationFailed
from ketenbeeld.signals.hub.vocabulary import CATEGORIES, CLOSE_REASONS, LEGAL_BASES
from ketenbeeld.signals.node import Node
from ketenbeeld.signals.node.service import IDENTITY_FIELDS
from ketenbeeld.web.context import WebContext, web_context
from ketenbeeld.web.i18n import translate
from ketenbeeld.web.render import page
from ketenbeeld.web.security import language, require

__all__ = ["router"]

router = APIRouter(prefix="/signalen", include_in_schema=False)

Professional = Annotated[Account, Depends(require("signalen"))]
Context = Annotated[WebContext, Depends(web_context)]
_ACTIONS = ("lead", "contact", "close")


def node_of(context: WebContext) -> Node:
    """The installation's node, or a clear error when it has none."""
    if context.node is None:
        raise NotFoundError(
            "this installation is not set up as a node of the chain",
            hint="start it with `ketenbeeld serve --hub URL --key FILE --token-file FILE`",
        )
    return context.node


def _vocabularies(lang: str) -> dict[str, list[tuple[str, str]]]:
    pick = 0 if lang == "nl" else 1
    return {
        "categories": [(code, labels[pick]) for code, labels in CATEGORIES.items()],
        "legal_bases": [(code, labels[pick]) for code, labels in LEGAL_BASES.items()],
        "close_reasons": [(code, labels[pick]) for code, labels in CLOSE_REASONS.items()],
    }


def _who(account: Account) -> str:
    """How the node's audit log names a user of the application."""
    return f"web:{account.username}"


def _signals_page(
    request: Request, node: Node, viewer: str, *, status_code: int = 200, **values: object
) -> Response:
    return page(
        request,
        "signals.html",
        status_code=status_code,
        title_key="signals.title",
        signals=node.signals(viewer=viewer),
        fields=IDENTITY_FIELDS,
        **_vocabularies(language(request)),
        **values,
    )


@router.get("", response_class=HTMLResponse)
def signals(
    request: Request, account: Professional, context: Context, registered: int = -1
) -> Response:
    lang = language(request)
    message = None
    if registered >= 0:
        key = "signals.new_matches" if registered else "signals.registered"
        message = translate(key, lang)
    return _signals_page(request, node_of(context), _who(account), message=message)


@router.post("", response_class=HTMLResponse)
def register(
    request: Request,
    account: Professional,
    context: Context,
    category: Annotated[str, Form()],
    legal_basis: Annotated[str, Form()],
    contact_ref: Annotated[str, Form()],
    first_name: Annotated[str, Form()] = "",
    name_prefix: Annotated[str, Form()] = "",
    last_name: Annotated[str, Form()] = "",
    date_of_birth: Annotated[str, Form()] = "",
    gender: Annotated[str, Form()] = "",
    postcode: Annotated[str, Form()] = "",
    house_number: Annotated[str, Form()] = "",
    city: Annotated[str, Form()] = "",
    bsn: Annotated[str, Form()] = "",
) -> Response:
    node = node_of(context)
    person = {
        "first_name": first_name,
        "name_prefix": name_prefix,
        "last_name": last_name,
        "date_of_birth": date_of_birth,
        "gender": gender,
        "postcode": postcode,
        "house_number": house_number,
        "city": city,
        "bsn": bsn,
    }
    try:
        registration = node.register(
            person,
            category=category,
            legal_basis=legal_basis,
            contact_ref=contact_ref,
            actor=_who(account),
        )
    except ValidationFailed as exc:
        # Show the form again with what was typed (to this user only) and the problems.
        return _signals_page(
            request, node, _who(account), status_code=422, problems=exc.problems, entered=person,
            chosen={"category": category, "legal_basis": legal_basis, "contact_ref": contact_ref},
        )  # fmt: skip
    return RedirectResponse(
        f"/signalen?registered={len(registration.new_matches)}", status_code=303
    )


@router.get("/matches", response_class=HTMLResponse)
def matches(request: Request, account: Professional, context: Context) -> Response:
    found = node_of(context).matches(viewer=_who(account))
    return page(request, "matches.html", title_key="matches.title", matches=found)


@router.get("/matches/{match_id}", response_class=HTMLResponse)
def match(request: Request, match_id: str, account: Professional, context: Context) -> Response:
    found = node_of(context).match(match_id, viewer=_who(account))
    return page(
        request,
        "match_detail.html",
        title_key="matches.title",
        match=found,
        close_reasons=_vocabularies(language(request))["close_reasons"],
    )


@router.post("/matches/{match_id}/{action}")
def act(
    match_id: str,
    action: str,
    account: Professional,
    context: Context,
    reason: Annotated[str | None, Form()] = None,
) -> Response:
    if action not in _ACTIONS:
        raise NotFoundError("the action must be lead, contact or close")
    node_of(context).act(
        match_id, action, reason if action == "close" else None, actor=_who(account)
    )
    return RedirectResponse(f"/signalen/matches/{quote(match_id)}", status_code=303)
