"""Alembic migrations run up and down on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from ketenbeeld.errors import StorageError
from ketenbeeld.storage import current_revision, downgrade, head_revision, make_engine, upgrade
from ketenbeeld.storage.engine import HEAD_REVISION
from ketenbeeld.storage.migrate import known_revisions

TABLES = {
    "imports",
    "cases",
    "audit_log",
    "hub_organisations",
    "hub_tokens",
    "hub_signals",
    "hub_matches",
    "hub_inbox",
    "node_signals",
    "online_ads",
    "online_ingests",
    "online_clusters",
    "online_cluster_status",
    "online_sketches",
    "users",
    "web_sessions",
    "login_attempts",
    "jobs",
    "case_drafts",
}


def test_upgrade_creates_tables_and_downgrade_removes_them(db):
    engine = db.engine
    assert current_revision(engine) == head_revision() == "0010"
    assert set(inspect(engine).get_table_names()) >= TABLES

    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not TABLES & set(inspect(engine).get_table_names())

    upgrade(engine)
    assert current_revision(engine) == "0010"
    assert set(inspect(engine).get_table_names()) >= TABLES


def test_every_revision_upgrades_and_downgrades_one_step_at_a_time(db):
    """Each migration's downgrade undoes exactly its upgrade: up, down, up again."""
    engine = db.engine
    downgrade(engine, "base")
    revisions = known_revisions()
    assert revisions == [f"{n:04d}" for n in range(1, len(revisions) + 1)]
    assert revisions[-1] == HEAD_REVISION
    previous: str | None = None
    before = _columns(engine)
    for revision in revisions:
        upgrade(engine, revision)
        assert current_revision(engine) == revision
        tables = _columns(engine)
        downgrade(engine, previous or "base")
        assert current_revision(engine) == previous
        assert _columns(engine) == before, revision
        upgrade(engine, revision)
        assert _columns(engine) == tables, revision
        before = tables
        previous = revision


def _columns(engine):
    inspector = inspect(engine)
    return {
        name: sorted(column["name"] for column in inspector.get_columns(name))
        for name in inspector.get_table_names()
    }


def test_upgrade_twice_changes_nothing(db):
    upgrade(db.engine)
    assert current_revision(db.engine) == "0010"


def test_head_revision_constant_is_the_newest_migration():
    assert head_revision() == HEAD_REVISION


def test_opening_an_old_database_migrates_it(db):
    downgrade(db.engine, "base")
    engine = make_engine(db.url)
    try:
        assert current_revision(engine) == HEAD_REVISION
        assert {"imports", "cases", "audit_log"} <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_an_audit_log_written_before_0002_still_verifies_after_the_upgrade(db):
    from sqlalchemy import text

    from ketenbeeld.storage import session_scope, verify_audit_log
    from ketenbeeld.storage.audit import GENESIS_HASH, _event_hash

    downgrade(db.engine, "0001")
    at = __import__("datetime").datetime(2026, 1, 2, 3, 4, 5)
    digest = _event_hash(GENESIS_HASH, at, "cli:x", "cases.import", "import", "1", {"n": 1})
    with session_scope(db.engine) as session:
        session.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, object_type, object_ref, details,"
                " prev_hash, hash) VALUES (:at, 'cli:x', 'cases.import', 'import', '1',"
                " :details, :prev, :hash)"
            ),
            {"at": at, "details": '{"n": 1}', "prev": GENESIS_HASH, "hash": digest},
        )
    upgrade(db.engine)
    with session_scope(db.engine) as session:
        from ketenbeeld.storage import append_audit_event

        append_audit_event(
            session,
            actor="org:a",
            action="hub.inbox.read",
            object_type="inbox",
            object_ref="a",
            result="ok",
            origin="127.0.0.1",
        )
    verification = verify_audit_log(db.engine)
    assert (verification.ok, verification.n_events) == (True, 2)


def _where(db) -> str:
    """How the error names the database: backend and URL without a password."""
    return f"{db.backend} at {make_url(db.url).render_as_string(hide_password=True)}"


def test_a_database_of_a_newer_version_is_refused_by_name(db):
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(StorageError) as caught:
        make_engine(db.url)
    where = _where(db)
    assert caught.value.message == (
        f"the database ({where}) is at revision 0099, which this version of Ketenbeeld "
        f"does not know (it knows up to {HEAD_REVISION})"
    )
    assert caught.value.hint == (
        "use the version of Ketenbeeld that wrote it, or restore a backup made with this "
        "version (ketenbeeld restore)"
    )


def test_a_failed_upgrade_says_so_and_changes_nothing(db):
    downgrade(db.engine, "0008")
    # Revision 0009 creates jobs, then case_drafts; a table of that name already there
    # (as a hand-made change would leave it) makes it fail after jobs was created.
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE case_drafts (id INTEGER PRIMARY KEY)"))
    tables = set(inspect(db.engine).get_table_names())
    assert "jobs" not in tables
    with pytest.raises(StorageError) as caught:
        make_engine(db.url)
    where = _where(db)
    assert caught.value.message == (
        f"the database ({where}) could not be upgraded from revision 0008 to "
        f"{HEAD_REVISION}; nothing was changed"
    )
    assert current_revision(db.engine) == "0008"
    assert set(inspect(db.engine).get_table_names()) == tables
