"""Views that are expensive to compute, kept until the data changes.

The statistics of 10,000 cases or the ranking of 100,000 ads take seconds; pages
show them to many users. A view is recomputed only when the audit log has an event
of the kinds it depends on (every write that changes cases, ads, clusters or
statuses appends one; logins do not change a view), and only once when many
requests ask at the same moment.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine

from ketenbeeld.storage import latest_audit_id

__all__ = ["ViewCache"]

T = TypeVar("T")


class ViewCache:
    """Named views, each with the audit version it was computed at."""

    def __init__(self, engine: Engine, *, max_views: int = 2000) -> None:
        self.engine = engine
        self.max_views = max_views
        self._lock = threading.Lock()
        self._values: dict[str, tuple[int, Any]] = {}
        self._locks: dict[str, threading.Lock] = {}

    def __contains__(self, name: object) -> bool:
        """Whether the view ``name`` has been computed (at some version)."""
        with self._lock:
            return name in self._values

    def get(self, name: str, compute: Callable[[], T], *, depends: tuple[str, ...] = ()) -> T:
        """The view ``name``, computed by ``compute`` if the data changed since.

        Args:
            depends: the audit actions that change this view, e.g.
                ``("online.ingest", "online.cluster")``; any audited write when empty.
        """
        version = latest_audit_id(self.engine, actions=depends)
        with self._lock:
            entry = self._values.get(name)
            lock = self._locks.setdefault(name, threading.Lock())
        if entry is not None and entry[0] == version:
            value: T = entry[1]
            return value
        with lock:  # one computation per view; the others wait for it
            with self._lock:
                entry = self._values.get(name)
            if entry is not None and entry[0] == version:
                return entry[1]  # type: ignore[no-any-return]
            # The version read *before* computing: a write during the computation
            # makes the next request compute again.
            value = compute()
            with self._lock:
                self._values.pop(name, None)
                self._values[name] = (version, value)
                while len(self._values) > self.max_views:  # the oldest computed goes first
                    oldest = next(iter(self._values))
                    del self._values[oldest]
                    self._locks.pop(oldest, None)
            return value
