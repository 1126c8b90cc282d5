"""Backup and restore of a Ketenbeeld database, SQLite or PostgreSQL.

Each backend is copied with the tool made for it: SQLite with its online backup
API (a consistent copy while the web app or the hub keeps running), PostgreSQL with
``pg_dump --format=custom`` and ``pg_restore --single-transaction``. A backup is
one file; its first bytes say which kind it is, so ``restore`` refuses a SQLite
backup for a PostgreSQL database and the other way round.

What restore guarantees:

- it is all or nothing: SQLite's backup API writes the destination in one
  transaction and ``pg_restore --single-transaction`` rolls back on any error, so
  a failed or killed restore leaves the database as it was;
- a database that holds data is only replaced with ``force``;
- a SQLite backup is checked before anything is replaced (``PRAGMA
  integrity_check``, a known migration revision and an audit chain that verifies),
  so a damaged or edited backup is refused; a PostgreSQL archive is read with
  ``pg_restore --list`` first and its audit chain is verified after the restore;
- after the restore the database is migrated to this version's newest revision,
  and the restore itself is written to the audit log.

The database password never appears on a command line: the PostgreSQL tools get
it through ``PGPASSWORD`` in their environment.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DatabaseError, OperationalError

from ketenbeeld.atomic import atomic_path
from ketenbeeld.errors import InputError, StorageError
from ketenbeeld.storage.audit import append_audit_event, verify_audit_log
from ketenbeeld.storage.engine import HEAD_REVISION, make_engine, session_scope
from ketenbeeld.storage.migrate import known_revisions

__all__ = ["BackupSummary", "backup_database", "restore_database"]

log = logging.getLogger(__name__)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_PG_MAGIC = b"PGDMP"
_KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, as checked when it was written or restored.

    Attributes:
        kind: ``"sqlite"`` or ``"postgresql"``.
        revision: the migration revision of the backed-up database.
        rows: the number of rows (all tables but the migration table).
        audit_events: events in the audit log.
        audit_ok: whether the audit chain verifies.
        sha256: the digest of the backup file.
    """

    kind: str
    revision: str | None
    rows: int
    audit_events: int
    audit_ok: bool
    sha256: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _backend(url: str) -> tuple[str, URL]:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in _KINDS:
        raise StorageError(f"backup supports SQLite and PostgreSQL databases, not {backend}")
    return backend, parsed


def _counts(engine: Engine) -> tuple[str | None, int, int, bool]:
    """Revision, row count, audit events and chain verdict of a database."""
    names = [name for name in inspect(engine).get_table_names() if name != "alembic_version"]
    with engine.connect() as connection:
        try:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DatabaseError:
            revision = None
        rows = 0
        for name in names:
            count = select(func.count()).select_from(table(name))
            rows += int(connection.execute(count).scalar() or 0)
    if "audit_log" not in names:
        return revision, rows, 0, True
    verification = verify_audit_log(engine)
    return revision, rows, verification.n_events, verification.ok


def _summary(kind: str, engine: Engine, file: Path) -> BackupSummary:
    revision, rows, events, ok = _counts(engine)
    return BackupSummary(kind, revision, rows, events, ok, _sha256(file))


def _kind_of(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError:
        raise InputError(f"the backup {path} cannot be read") from None
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PG_MAGIC):
        return "postgresql"
    raise InputError(
        f"{path} is not a Ketenbeeld backup",
        hint="give a file written by `ketenbeeld backup` (a SQLite database or a pg_dump archive)",
    )


def _check_revision(revision: str | None, path: Path) -> None:
    if revision is None:
        raise InputError(f"the backup {path} holds no Ketenbeeld database (no migration revision)")
    if revision not in known_revisions():
        raise InputError(
            f"the backup {path} is of database revision {revision}, which this version of "
            f"Ketenbeeld does not know (it knows up to {HEAD_REVISION})",
            hint="restore it with the Ketenbeeld version that wrote it, or a newer one",
        )


def _holds_data(engine: Engine) -> bool:
    _, rows, _, _ = _counts(engine)
    return rows > 0


def _refuse_overwrite(engine: Engine, where: str, force: bool) -> None:
    if not force and _holds_data(engine):
        raise StorageError(
            f"the database {where} holds data; restoring would replace all of it",
            hint="back it up first, then restore with --force",
        )


def _record(engine: Engine, action: str, summary: BackupSummary, actor: str) -> None:
    with session_scope(engine) as session:
        append_audit_event(
            session,
            actor=actor,
            action=action,
            object_type="database",
            object_ref=summary.sha256[:16],
            details={"kind": summary.kind, "revision": summary.revision, "rows": summary.rows},
        )


# ---------------------------------------------------------------- SQLite


def _sqlite_path(parsed: URL) -> Path:
    if not parsed.database or parsed.database == ":memory:":
        raise StorageError("an in-memory SQLite database cannot be backed up or restored")
    return Path(parsed.database)


def _sqlite_engine(path: Path) -> Engine:
    # A plain engine: make_engine would switch the file to WAL mode and migrate it.
    return create_engine(f"sqlite:///{path}")


def _sqlite_backup(parsed: URL, out: Path) -> BackupSummary:
    source_path = _sqlite_path(parsed)
    if not source_path.is_file():
        raise StorageError(f"there is no database at {source_path}")
    with atomic_path(out) as temporary:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        target = sqlite3.connect(temporary)
        try:
            source.backup(target)
            # One self-contained file: no -wal file beside it.
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
            source.close()
        engine = _sqlite_engine(temporary)
        try:
            summary = _summary("sqlite", engine, temporary)
        finally:
            engine.dispose()
    return summary


def _check_sqlite_backup(path: Path) -> BackupSummary:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError:
        verdict = None
    finally:
        connection.close()
    if verdict is None or verdict[0] != "ok":
        raise InputError(f"the backup {path} is damaged (SQLite integrity check failed)")
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        summary = _summary("sqlite", engine, path)
    finally:
        engine.dispose()
    _check_revision(summary.revision, path)
    if not summary.audit_ok:
        raise InputError(
            f"the audit log in the backup {path} does not verify: it was changed after it "
            "was written; nothing was restored"
        )
    return summary


def _sqlite_restore(parsed: URL, backup: Path, force: bool) -> None:
    target_path = _sqlite_path(parsed)
    if target_path.exists():
        engine = _sqlite_engine(target_path)
        try:
            _refuse_overwrite(engine, str(target_path), force)
        finally:
            engine.dispose()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        # The backup API replaces the destination in one write transaction: a
        # failure or a killed process leaves the old database in place.
        source.backup(target)
    finally:
        target.close()
        source.close()


# ---------------------------------------------------------------- PostgreSQL


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StorageError(
            f"{name} is not installed; it is needed to back up or restore PostgreSQL",
            hint="install the PostgreSQL client tools of the server's version",
        )
    return found


def _pg_connection(parsed: URL) -> tuple[list[str], dict[str, str], str | None]:
    """Command-line options, environment and schema of a PostgreSQL URL."""
    args = ["--dbname", parsed.database or "postgres"]
    if parsed.host:
        args += ["--host", parsed.host]
    if parsed.port:
        args += ["--port", str(parsed.port)]
    if parsed.username:
        args += ["--username", parsed.username]
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    schema = None
    options = parsed.query.get("options")
    if isinstance(options, tuple):
        options = " ".join(options)
    if options:
        match = re.search(r"-csearch_path=([A-Za-z0-9_]+)", unquote(options))
        schema = match.group(1) if match else None
    return args, env, schema


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    try:
        # A list of arguments for a tool found on PATH, no shell: nothing is interpreted.
        done = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise StorageError(f"{what} could not be started: {exc.strerror}") from None
    if done.returncode != 0:
        # pg tools name objects and servers, never row values; keep the last line.
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        log.error("%s failed with exit code %d", what, done.returncode)
        raise StorageError(f"{what} failed: {detail}")
    return done.stdout


def _pg_archive_revision(backup: Path, env: dict[str, str]) -> str | None:
    sql = _run(
        [
            _pg_tool("pg_restore"),
            "--data-only",
            "--table=alembic_version",
            "--file=-",
            str(backup),
        ],
        env,
        "reading the backup",
    )
    lines = sql.splitlines()
    for number, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line and number + 1 < len(lines):
            value = lines[number + 1].strip()
            return None if value == "\\." else value
    return None


def _pg_backup(url: str, parsed: URL, out: Path) -> BackupSummary:
    args, env, schema = _pg_connection(parsed)
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args]
    if schema:
        command.append(f"--schema={schema}")
    engine = make_engine(url, migrate=False)
    try:
        with atomic_path(out) as temporary:
            _run([*command, f"--file={temporary}"], env, "pg_dump")
            summary = _summary("postgresql", engine, temporary)
    finally:
        engine.dispose()
    return summary


def _pg_restore(url: str, parsed: URL, backup: Path, force: bool) -> None:
    args, env, schema = _pg_connection(parsed)
    _run([_pg_tool("pg_restore"), "--list", str(backup)], env, "reading the backup")
    _check_revision(_pg_archive_revision(backup, env), backup)
    engine = make_engine(url, migrate=False)
    try:
        _refuse_overwrite(engine, parsed.render_as_string(hide_password=True), force)
    finally:
        engine.dispose()
    command = [
        _pg_tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        *args,
    ]
    if schema:
        command.append(f"--schema={schema}")
    _run([*command, str(backup)], env, "pg_restore")


# ---------------------------------------------------------------- public


def backup_database(url: str, out: Path, *, actor: str = "cli") -> BackupSummary:
    """Write a consistent backup of the database at ``url`` to ``out``.

    The file appears only when it is complete (written next to ``out`` and renamed).
    The backup is recorded in the database's audit log (after the copy, so the copy
    does not hold its own record).

    Args:
        url: the database URL (SQLite or PostgreSQL).
        out: the backup file to write.
        actor: who makes the backup, for the audit log.

    Returns:
        What the backup holds, with its digest.

    Raises:
        StorageError: the database cannot be read or the backup tool failed.

    Example:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = make_engine(f"sqlite:///{folder / 'k.db'}")
        >>> backup_database(f"sqlite:///{folder / 'k.db'}", folder / "k.backup").revision
        '0010'
    """
    backend, parsed = _backend(url)
    if not out.parent.is_dir():
        raise InputError(f"the folder {out.parent} does not exist")
    sqlite = backend == "sqlite"
    summary = _sqlite_backup(parsed, out) if sqlite else _pg_backup(url, parsed, out)
    log.info("backup written: %s, %d rows", summary.kind, summary.rows)
    engine = make_engine(url)
    try:
        _record(engine, "storage.backup", summary, actor)
    finally:
        engine.dispose()
    return summary


def restore_database(
    url: str, backup: Path, *, force: bool = False, actor: str = "cli"
) -> BackupSummary:
    """Replace the database at ``url`` with the backup in ``backup``, all or nothing.

    Args:
        url: the database URL (SQLite or PostgreSQL) to restore into.
        backup: a file written by :func:`backup_database` for the same kind of database.
        force: replace a database that holds data.
        actor: who restores, for the audit log.

    Returns:
        What the restored database holds (before the restore's own audit event).

    Raises:
        InputError: the file is not a backup, is damaged, was edited, is of another
            kind of database or of a revision this version does not know.
        StorageError: the database holds data and ``force`` is not set, or the
            restore tool failed (the database is then as it was).
    """
    backend, parsed = _backend(url)
    kind = _kind_of(backup)
    if kind != backend:
        raise InputError(
            f"{backup} is a {_KINDS[kind]} backup; it cannot be restored into a "
            f"{_KINDS[backend]} database",
            hint=f"restore it with --database-url pointing at a {_KINDS[kind]} database",
        )
    if backend == "sqlite":
        _check_sqlite_backup(backup)
        _sqlite_restore(parsed, backup, force)
    else:
        _pg_restore(url, parsed, backup, force)
    try:
        engine = make_engine(url)  # migrates a backup of an older version
    except OperationalError:
        raise StorageError("the restored database cannot be opened") from None
    try:
        revision, rows, events, ok = _counts(engine)
        summary = BackupSummary(backend, revision, rows, events, ok, _sha256(backup))
        _record(engine, "storage.restore", summary, actor)
    finally:
        engine.dispose()
    log.info("backup restored: %s, %d rows", summary.kind, summary.rows)
    return summary
