"""The one JSON error shape of the Ketenbeeld APIs (hub, node and web application).

Every error answers ``{"error": {"code", "message", "problems", "hint"}}``
(:class:`ErrorOut`): package errors, request validation errors, unknown paths and
methods, a body that cannot be parsed, and unexpected failures. Messages name the
field and what is allowed, never the value sent (it could be personal data).
Operations declare the statuses they answer with :func:`error_responses`.
"""

# No `from __future__ import annotations`: FastAPI and pydantic read the annotations.
import logging
from collections.abc import Mapping
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from ketenbeeld.errors import (
    AuthError,
    ConflictError,
    InputError,
    KetenbeeldError,
    NotFoundError,
    StorageError,
)

__all__ = [
    "ErrorOut",
    "error_responses",
    "install_error_handlers",
    "json_error",
    "unreadable_body",
    "validation_problems",
]

logger = logging.getLogger(__name__)

ErrorCode = Literal[
    "invalid",
    "unauthorized",
    "forbidden",
    "csrf",
    "not_found",
    "method_not_allowed",
    "conflict",
    "storage",
    "http",
    "internal",
]


class ProblemOut(BaseModel):
    """One thing wrong with the request: where, and what is allowed (never the value)."""

    model_config = ConfigDict(extra="forbid")

    field: str = Field(description="the field's path, e.g. person.date_of_birth; may be empty")
    message: str = Field(description="what is wrong and what is allowed")


class ErrorBody(BaseModel):
    """What went wrong: a code for programs, a message and problems for people."""

    model_config = ConfigDict(extra="forbid")

    code: ErrorCode
    message: str = Field(description="what went wrong, without the values sent")
    problems: list[ProblemOut] = Field(description="every problem found; empty if not about fields")
    hint: str | None = Field(description="a next step, if there is one")


class ErrorOut(BaseModel):
    """The one error shape of the Ketenbeeld APIs (hub, node and web application)."""

    model_config = ConfigDict(extra="forbid")

    error: ErrorBody


_ERROR_DESCRIPTIONS = {
    401: "No valid credentials (no, an unknown or a revoked token; or no session).",
    403: "The role has no access to this part, or the CSRF token is missing or wrong.",
    404: "No such object *for the caller*: another organisation's looks the same.",
    409: "Valid, but not in the object's present state (e.g. a closed match).",
    422: "The request is invalid; `problems` names each field and what is allowed.",
    503: "A service this one depends on (database, hub) is unavailable; retry later.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the error statuses an operation can answer.

    Example:
        >>> sorted(error_responses(401, 422))
        [401, 422]
    """
    return {
        status: {"model": ErrorOut, "description": _ERROR_DESCRIPTIONS[status]}
        for status in statuses
    }


def json_error(
    status: int,
    code: str,
    message: str,
    *,
    problems: list[dict[str, str]] | None = None,
    hint: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A response in the one error shape (:class:`ErrorOut`)."""
    body = {"error": {"code": code, "message": message, "problems": problems or [], "hint": hint}}
    return JSONResponse(body, status_code=status, headers=headers)


def unreadable_body() -> JSONResponse:
    """The answer to a body FastAPI cannot parse (its 400), as any other bad input: 422."""
    problem = {"field": "body", "message": "cannot be parsed: send JSON in UTF-8"}
    return json_error(422, "invalid", "1 problem(s) in the request", problems=[problem])


def validation_problems(exc: RequestValidationError) -> list[dict[str, str]]:
    """The problems of a request FastAPI refused, naming fields only.

    FastAPI's default answer echoes the input (it may be personal data); this names
    the field (without the ``body``/``query``/``path`` prefix) and what is allowed.
    """
    problems = []
    for error in exc.errors():
        where = [str(part) for part in error["loc"]]
        field = (".".join(where[1:]) or where[0]) if where else ""
        if error["type"] == "json_invalid":  # located by a character offset
            field = "body"
        problems.append({"field": field, "message": _MESSAGES.get(error["type"], error["msg"])})
    return problems


_MESSAGES = {"extra_forbidden": "is not allowed here", "json_invalid": "is not valid JSON"}


_STATUS = {
    InputError: (422, "invalid"),
    AuthError: (401, "unauthorized"),
    NotFoundError: (404, "not_found"),
    ConflictError: (409, "conflict"),
    StorageError: (503, "storage"),
}

_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
_HTTP_MESSAGES = {404: "there is no such path", 405: "the path does not accept this method"}


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error in the one JSON error shape (:class:`ErrorOut`).

    Package errors, request validation errors, unknown paths and methods, and
    unexpected failures (500, nothing of the request or the exception in the body).
    """

    @app.exception_handler(KetenbeeldError)
    async def domain_error(_: Request, exc: KetenbeeldError) -> JSONResponse:
        status, code = next(
            (value for kind, value in _STATUS.items() if isinstance(exc, kind)), (400, "invalid")
        )
        problems = [{"field": p.field, "message": p.message} for p in getattr(exc, "problems", [])]
        return json_error(status, code, exc.message, problems=problems, hint=exc.hint)

    @app.exception_handler(RequestValidationError)
    async def request_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = validation_problems(exc)
        message = f"{len(problems)} problem(s) in the request"
        return json_error(422, "invalid", message, problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            return unreadable_body()
        code = _HTTP_CODES.get(exc.status_code, "http")
        message = _HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return json_error(exc.status_code, code, message, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        # The type only: an exception's text can hold a request's values.
        logger.error("unexpected %s in %s %s", type(exc).__name__, request.method, _route(request))
        return json_error(500, "internal", "an unexpected error occurred; it has been logged")


def _route(request: Request) -> str:
    """The route template of a request (``/api/v1/signals/{signal_id}``), never its values."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "an unknown path"))
