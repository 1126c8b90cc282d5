"""Pausing Python's cyclic garbage collector while a step makes many objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused_gc"]


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector within the block (or the decorated function).

    Reading and clustering make millions of small objects (ads, their dicts, links)
    that form no reference cycles, so reference counting frees them anyway; but every
    few hundred allocations the collector walks the young objects, and now and then
    all live ones, which took a third of a large read. Memory is freed as before; a
    rare cycle waits for the collector, which is turned back on (if it was on) after.

    Example:
        >>> with paused_gc():
        ...     gc.isenabled()
        False
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
