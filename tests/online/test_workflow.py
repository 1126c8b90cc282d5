"""Cluster status: allowed values, history with who and when, audited, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ketenbeeld.errors import InputError, NotFoundError
from ketenbeeld.online.ingest import store_clusters, stored_clusters
from ketenbeeld.online.workflow import cluster_history, current_statuses, set_status
from ketenbeeld.storage import session_scope
from ketenbeeld.storage.models import AuditEvent


def test_status_history_and_audit(db):
    store_clusters(db.engine, {"a1": "a1", "a2": "a1", "b1": "b1"})
    set_status(db.engine, "a1", "in_review", actor="cli:analist", note="zelfde nummer")
    set_status(db.engine, "a1", "escalated", actor="cli:teamleider")
    history = cluster_history(db.engine, "a1")
    assert [(e.status, e.note, e.actor) for e in history] == [
        ("in_review", "zelfde nummer", "cli:analist"),
        ("escalated", None, "cli:teamleider"),
    ]
    assert history[0].at <= history[1].at
    assert current_statuses(db.engine) == {"a1": "escalated"}
    with session_scope(db.engine) as session:
        details = (
            session.execute(
                select(AuditEvent.details).where(AuditEvent.action == "online.cluster.status")
            )
            .scalars()
            .all()
        )
    assert details == [
        {"status": "in_review", "note_chars": 13},
        {"status": "escalated", "note_chars": 0},
    ]


def test_bad_status_or_unknown_cluster_changes_nothing(db):
    store_clusters(db.engine, {"a1": "a1"})
    with pytest.raises(InputError) as caught:
        set_status(db.engine, "a1", "done", actor="x")
    assert str(caught.value) == "the status must be one of new, in_review, escalated, dismissed"
    with pytest.raises(NotFoundError) as missing:
        set_status(db.engine, "zz", "dismissed", actor="x")
    assert str(missing.value) == "there is no cluster zz"
    assert cluster_history(db.engine, "a1") == []
    assert current_statuses(db.engine) == {}


def test_a_new_clustering_replaces_the_stored_one_row_for_row(db):
    store_clusters(db.engine, {"a1": "a1", "a2": "a1", "b1": "b1", "c1": "c1"})
    # a2 moves, c1 is gone, d1 is new, a1 and b1 stay.
    written = store_clusters(db.engine, {"a1": "a1", "a2": "a2", "b1": "b1", "d1": "b1"})
    assert written == 4
    assert stored_clusters(db.engine) == {"a1": "a1", "a2": "a2", "b1": "b1", "d1": "b1"}
    with session_scope(db.engine) as session:
        details = (
            session.execute(
                select(AuditEvent.details)
                .where(AuditEvent.action == "online.cluster")
                .order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )
    assert details == [{"ads": 4, "clusters": 3}, {"ads": 4, "clusters": 3}]
