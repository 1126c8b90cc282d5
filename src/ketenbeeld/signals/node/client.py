"""The node's HTTP client of the hub: sends encodings and metadata, never identities."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from ketenbeeld.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    Problem,
    StorageError,
    ValidationFailed,
)

__all__ = ["HubClient", "HubTokenRefused", "HubUnavailable"]

logger = logging.getLogger(__name__)


class HubUnavailable(StorageError):
    """The hub cannot be reached or answered with a server error."""

    exit_code = 1


class HubTokenRefused(HubUnavailable):
    """The hub refused the organisation's token (wrong, revoked or another's).

    Not a login problem of whoever uses the node: the organisation's connection to
    the hub needs a new token (pages answer 503, not a login form).
    """

    exit_code = 2


class HubClient:
    """Calls the hub's API with the organisation's token.

    Args:
        base_url: the hub, e.g. ``http://127.0.0.1:8700``.
        token: the organisation's API token.
        timeout: seconds per request.
        transport: an httpx transport (tests pass the hub's ASGI app).
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=timeout,
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def request(self, method: str, path: str, json: Any = None) -> Any:
        """One API call; hub errors become the package's errors (the same messages)."""
        try:
            response = self._client.request(method, path, json=json)
        except httpx.HTTPError as exc:
            logger.warning("hub request failed: %s", type(exc).__name__)
            raise HubUnavailable(
                f"the hub at {self.base_url} cannot be reached",
                hint="check --hub and that the hub is running",
            ) from None
        if response.status_code < 400:
            return response.json() if response.content else None
        try:
            error = response.json()["error"]
            message, hint = str(error["message"]), error.get("hint")
        except (ValueError, KeyError, TypeError):
            raise HubUnavailable(f"the hub answered {response.status_code}") from None
        if response.status_code == 401:
            raise HubTokenRefused(
                f"the hub refused this organisation's token: {message}",
                hint="the token in --token-file is wrong or revoked; the hub's operator "
                "issues a new one (ketenbeeld hub token issue CODE)",
            )
        if response.status_code == 404:
            raise NotFoundError(message)
        if response.status_code == 409:
            raise ConflictError(message, hint=hint)
        if response.status_code == 422:
            problems = [
                Problem("hub", "", p.get("field", ""), p.get("message", ""))
                for p in error.get("problems", [])
            ]
            raise ValidationFailed(problems, what="the hub refused the signal", hint=hint)
        if response.status_code >= 500:
            raise HubUnavailable(f"the hub answered {response.status_code}: {message}")
        raise InputError(message, hint=hint)
