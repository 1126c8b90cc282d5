"""The view cache: computed once per change of the data, and once under concurrency."""

from __future__ import annotations

import threading
import time

from ketenbeeld.storage import append_audit_event, session_scope
from ketenbeeld.web.cache import ViewCache


def write(db) -> None:
    with session_scope(db.engine) as session:
        append_audit_event(
            session, actor="t", action="test", object_type="x", object_ref="1", details={}
        )


def test_a_view_is_recomputed_only_after_a_write(db):
    cache = ViewCache(db.engine)
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert [cache.get("v", compute), cache.get("v", compute)] == [1, 1]
    write(db)
    assert [cache.get("v", compute), cache.get("v", compute)] == [2, 2]
    assert cache.get("other", compute) == 3  # each view on its own


def test_many_requests_at_once_compute_once(db):
    cache = ViewCache(db.engine)
    calls = []

    def slow() -> str:
        calls.append(1)
        time.sleep(0.3)
        return "stats"

    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get("v", slow))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["stats"] * 8
    assert len(calls) == 1


def test_a_view_ignores_writes_it_does_not_depend_on(db):
    cache = ViewCache(db.engine)
    calls = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    depends = ("cases.import",)
    assert cache.get("stats", compute, depends=depends) == 1
    write(db)  # action "test": a login or a cluster status is not a new case either
    assert cache.get("stats", compute, depends=depends) == 1
    with session_scope(db.engine) as session:
        append_audit_event(
            session, actor="t", action="cases.import", object_type="x", object_ref="2", details={}
        )
    assert cache.get("stats", compute, depends=depends) == 2
