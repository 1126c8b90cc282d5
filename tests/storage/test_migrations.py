"""Alembic migrations run up and down on both backends."""

from __future__ import annotations

from sqlalchemy import inspect

from ketenbeeld.storage import current_revision, downgrade, head_revision, make_engine, upgrade
from ketenbeeld.storage.engine import HEAD_REVISION


def test_upgrade_creates_tables_and_downgrade_removes_them(db):
    engine = db.engine
    assert current_revision(engine) == head_revision() == "0001"
    assert {"imports", "cases", "audit_log"} <= set(inspect(engine).get_table_names())

    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert not {"imports", "cases", "audit_log"} & set(inspect(engine).get_table_names())

    upgrade(engine)
    assert current_revision(engine) == "0001"
    assert {"imports", "cases", "audit_log"} <= set(inspect(engine).get_table_names())


def test_upgrade_twice_changes_nothing(db):
    upgrade(db.engine)
    assert current_revision(db.engine) == "0001"


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
