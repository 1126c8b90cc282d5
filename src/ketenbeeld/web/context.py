"""What the web application works with: the workspace database and, optionally, a node."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy import Engine

from ketenbeeld.signals.node import Node

if TYPE_CHECKING:
    from ketenbeeld.cases.deidentify import Deidentifier
    from ketenbeeld.web.cache import ViewCache
    from ketenbeeld.web.jobs import JobRunner

__all__ = ["WebContext", "job_runner", "view_cache", "web_context"]


@dataclass
class WebContext:
    """The application's collaborators, made by the caller of :func:`create_app`.

    Attributes:
        engine: the workspace database (cases, online, accounts, the node's signals).
        organisation: the organisation this installation belongs to (its hub code
            when it runs a node); professionals see only its signals and matches.
        node: the organisation's node (chain key, hub client) or ``None`` when this
            installation registers no signals.
        lang: the default language, ``nl`` or ``en``.
        min_cell: small-cell suppression threshold of the statistics pages.
        secure_cookies: send cookies only over HTTPS (on for any deployment; off
            for the demo on 127.0.0.1).
    """

    engine: Engine
    organisation: str
    node: Node | None = None
    lang: str = "nl"
    min_cell: int = 0
    secure_cookies: bool = True
    _deidentifier: Deidentifier | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def deidentifier(self) -> Deidentifier:
        """The one de-identifier of the process (its word lists are built on first use)."""
        with self._lock:
            if self._deidentifier is None:
                from ketenbeeld.cases.deidentify import Deidentifier

                self._deidentifier = Deidentifier()
            return self._deidentifier


def web_context(request: Request) -> WebContext:
    """FastAPI dependency: the :class:`WebContext` of the running application."""
    context: WebContext = request.app.state.context
    return context


def job_runner(request: Request) -> JobRunner:
    """FastAPI dependency: the application's background job runner."""
    runner: JobRunner = request.app.state.jobs
    return runner


def view_cache(request: Request) -> ViewCache:
    """FastAPI dependency: the application's cache of expensive views."""
    cache: ViewCache = request.app.state.cache
    return cache
