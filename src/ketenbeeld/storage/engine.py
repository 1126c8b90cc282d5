"""Engine and session factories, and the schema upgrade run on open.

SQLite (a file in the workspace) is the default; PostgreSQL is used when the URL
says so. ``schema`` places all tables in one PostgreSQL schema, which the tests use
to give every test its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from ketenbeeld.errors import StorageError

__all__ = ["HEAD_REVISION", "make_engine", "session_scope"]

log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL keeps readers (the web app) going while an import writes; FULL sync makes
    # a committed import survive a power cut, not only a killed process.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_autobegin_off(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _begin_immediate).
    dbapi_connection.isolation_level = None


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(
    url: str, *, schema: str | None = None, migrate: bool = True, sqlite_immediate: bool = False
) -> Engine:
    """Create an engine for ``url`` and bring its schema to the newest revision.

    Args:
        url: SQLAlchemy URL, e.g. ``sqlite:///ketenbeeld.db`` or
            ``postgresql+psycopg://user@127.0.0.1:5432/ketenbeeld``.
        schema: PostgreSQL only: the schema (search path) that holds the tables.
        migrate: run the Alembic migrations up to ``head`` (default).
        sqlite_immediate: SQLite only: start every transaction with ``BEGIN IMMEDIATE``
            (the write lock), for services whose every request writes (the hub audits
            reads too): a transaction that reads and then writes cannot then fail
            with "database is locked" when another one wrote in between.

    Returns:
        A ready engine.

    Raises:
        StorageError: the URL is malformed or the database cannot be reached.

    Example:
        >>> engine = make_engine("sqlite://")
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageError(
            "the database URL cannot be parsed",
            hint="use sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB",
        ) from None
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    elif schema is not None:
        connect_args["options"] = f"-csearch_path={schema}"
    engine = create_engine(parsed, connect_args=connect_args)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if sqlite_immediate:
            event.listen(engine, "connect", _sqlite_autobegin_off)
            event.listen(engine, "begin", _begin_immediate)
    if migrate:
        where = f"{parsed.get_backend_name()} at {parsed.render_as_string(hide_password=True)}"
        try:
            current = _current_revision(engine)
        except (OperationalError, ProgrammingError) as exc:
            log.error("database unreachable: %s", type(exc.orig).__name__)
            raise StorageError(
                f"cannot open the database ({where})",
                hint="check KETENBEELD_DATABASE_URL and that the server is running",
            ) from None
        if current != HEAD_REVISION:
            _upgrade(engine, current, where)
    return engine


# The newest migration revision. tests/storage/test_migrations.py checks that it is
# the head of the migration scripts, so a new migration cannot forget to move it.
HEAD_REVISION = "0010"


def _current_revision(engine: Engine) -> str | None:
    """The database's revision, read directly (``None``: a new database).

    Reading the version table directly spares every command the import of Alembic
    (about half a second) when there is nothing to migrate.

    Raises:
        OperationalError, ProgrammingError: the database cannot be reached or read.
    """
    with engine.connect() as connection:
        try:
            found = connection.execute(text("SELECT version_num FROM alembic_version"))
            return cast("str | None", found.scalar())
        except (OperationalError, ProgrammingError) as exc:
            if _is_missing_table(exc):
                return None  # no version table yet: a new database
            raise


def _is_missing_table(exc: OperationalError | ProgrammingError) -> bool:
    text_of = str(exc.orig).lower()
    return "no such table" in text_of or "does not exist" in text_of


def _upgrade(engine: Engine, current: str | None, where: str) -> None:
    """Migrate from ``current`` to :data:`HEAD_REVISION`, all or nothing.

    Raises:
        StorageError: the database is at a revision this version does not know (a
            newer Ketenbeeld wrote it), or the upgrade failed (nothing changed).
    """
    from ketenbeeld.storage.migrate import known_revisions

    if current is not None and current not in known_revisions():
        raise StorageError(
            f"the database ({where}) is at revision {current}, which this version of "
            f"Ketenbeeld does not know (it knows up to {HEAD_REVISION})",
            hint="use the version of Ketenbeeld that wrote it, or restore a backup made "
            "with this version (ketenbeeld restore)",
        )
    try:
        _upgrade_if_needed(engine)
    except (OperationalError, ProgrammingError) as exc:
        log.error("database upgrade failed: %s", type(exc.orig).__name__)
        raise StorageError(
            f"the database ({where}) could not be upgraded from revision "
            f"{current or 'none'} to {HEAD_REVISION}; nothing was changed",
            hint="check that the database user may create and alter tables, and that "
            "no other program holds a lock on it",
        ) from None


def _upgrade_if_needed(engine: Engine) -> None:
    """Run the migrations up to :data:`HEAD_REVISION`."""
    from ketenbeeld.storage.migrate import upgrade

    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        # PostgreSQL runs the whole upgrade in one transaction (transactional DDL);
        # an in-memory SQLite database does not outlive a crash.
        upgrade(engine)
        return
    # pysqlite runs DDL outside any transaction unless told otherwise, so a process
    # killed while creating the schema left half the tables and no version row, and
    # every later start failed on "table ... already exists". Migrate on connections
    # that open a real transaction (BEGIN IMMEDIATE, which also makes a second process
    # wait instead of migrating at the same time): all revisions land, or none.
    migrator = create_engine(engine.url, poolclass=NullPool)
    event.listen(migrator, "connect", _sqlite_pragmas)
    event.listen(migrator, "connect", _sqlite_autobegin_off)
    event.listen(migrator, "begin", _begin_immediate)
    try:
        upgrade(migrator)
    finally:
        migrator.dispose()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session
