"""Backup and restore round trips on SQLite and PostgreSQL, and every refusal."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from ketenbeeld.cases.codebook import load_codebook
from ketenbeeld.cases.importer import read_case_files
from ketenbeeld.cases.store import delete_cases, import_cases
from ketenbeeld.cli import app
from ketenbeeld.errors import InputError, StorageError
from ketenbeeld.signals.hub.admin import create_organisation
from ketenbeeld.storage import downgrade, make_engine, verify_audit_log
from ketenbeeld.storage.backup import _pg_backup, backup_database, restore_database
from ketenbeeld.storage.engine import HEAD_REVISION


@pytest.fixture
def cases_file(tmp_path: Path, example_case: dict[str, Any]) -> Path:
    path = tmp_path / "cases.jsonl"
    lines = []
    for case_id in ("A-1", "A-2", "A-3"):
        document = json.loads(json.dumps(example_case))
        document["case"]["case_id"] = case_id
        lines.append(json.dumps(document))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _fill(engine: Engine, path: Path) -> None:
    import_cases(engine, read_case_files([path], load_codebook()), actor="cli:test")
    create_organisation(engine, "jz", "Jeugdzorg Oost", "jeugdzorg", actor="cli:test")


def _tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, as a user's data would be compared."""
    out = {}
    with engine.connect() as connection:
        for name in sorted(inspect(engine).get_table_names()):
            rows = connection.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def _without_backup_events(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    return {
        name: [row for row in rows if "storage.backup" not in row and "storage.restore" not in row]
        for name, rows in tables.items()
    }


def _actions(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars())


def test_round_trip_restores_exactly_what_was_backed_up(db, tmp_path, cases_file):
    _fill(db.engine, cases_file)
    before = _tables(db.engine)
    backup = tmp_path / "k.backup"

    summary = backup_database(db.url, backup, actor="cli:test")
    assert (summary.kind, summary.revision, summary.audit_ok) == (db.backend, HEAD_REVISION, True)
    assert summary.audit_events == 3  # the import, the organisation and its token
    assert summary.rows == sum(len(rows) for n, rows in before.items() if n != "alembic_version")
    assert _actions(db.engine)[-1] == "storage.backup"

    # Work goes on after the backup: a case is deleted, another organisation added.
    delete_cases(db.engine, ["A-2"], actor="cli:test")
    create_organisation(db.engine, "pol", "Politie", "politie", actor="cli:test")

    restored = restore_database(db.url, backup, force=True, actor="cli:test")
    assert restored.sha256 == summary.sha256
    assert (restored.rows, restored.audit_events, restored.audit_ok) == (summary.rows, 3, True)
    after = _tables(db.engine)
    assert _without_backup_events(after) == _without_backup_events(before)
    assert _actions(db.engine) == [
        "cases.import",
        "hub.organisation.create",
        "hub.token.issue",
        "storage.restore",
    ]
    assert verify_audit_log(db.engine).ok


def test_restore_refuses_to_replace_data_without_force(db, tmp_path, cases_file):
    _fill(db.engine, cases_file)
    backup = tmp_path / "k.backup"
    backup_database(db.url, backup)
    delete_cases(db.engine, ["A-1"], actor="cli:test")
    before = _tables(db.engine)

    with pytest.raises(StorageError) as raised:
        restore_database(db.url, backup)
    assert "holds data; restoring would replace all of it" in raised.value.message
    assert raised.value.hint == "back it up first, then restore with --force"
    assert _tables(db.engine) == before


def test_restore_into_an_empty_database_needs_no_force(db, tmp_path, cases_file):
    _fill(db.engine, cases_file)
    backup = tmp_path / "k.backup"
    backup_database(db.url, backup)
    before = _without_backup_events(_tables(db.engine))
    downgrade(db.engine, "base")  # as good as a new, empty database
    make_engine(db.url).dispose()

    restore_database(db.url, backup)
    assert _without_backup_events(_tables(db.engine)) == before


def test_a_backup_of_an_older_revision_is_migrated_on_restore(db, tmp_path):
    downgrade(db.engine, "0004")
    backup = tmp_path / "old.backup"
    # Back up the old database as it is (backup_database would migrate it to record
    # its audit event, so the old database is copied with its own tool).
    if db.backend == "sqlite":
        source = sqlite3.connect(db.url.removeprefix("sqlite:///"))
        target = sqlite3.connect(backup)
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        target.close()
        source.close()
    else:
        _pg_backup(db.url, make_url(db.url), backup)  # the tool call alone
    summary = restore_database(db.url, backup, force=True)
    assert summary.revision == HEAD_REVISION
    assert "users" in inspect(db.engine).get_table_names()


def test_files_that_are_not_backups_are_refused(db, tmp_path):
    not_backup = tmp_path / "cases.jsonl"
    not_backup.write_text('{"case": 1}\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        restore_database(db.url, not_backup)
    assert raised.value.message == f"{not_backup} is not a Ketenbeeld backup"

    with pytest.raises(InputError) as raised:
        restore_database(db.url, tmp_path / "missing.backup")
    assert raised.value.message == f"the backup {tmp_path / 'missing.backup'} cannot be read"


def test_a_backup_of_the_other_kind_is_refused(db, tmp_path):
    other = tmp_path / "other.backup"
    if db.backend == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
        expected = f"{other} is a PostgreSQL backup; it cannot be restored into a SQLite database"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        expected = f"{other} is a SQLite backup; it cannot be restored into a PostgreSQL database"
    with pytest.raises(InputError) as raised:
        restore_database(db.url, other)
    assert raised.value.message == expected


def _sqlite_db(tmp_path: Path, name: str) -> tuple[str, Engine]:
    url = f"sqlite:///{tmp_path / name}"
    return url, make_engine(url)


def test_an_edited_sqlite_backup_is_refused_and_nothing_is_replaced(tmp_path, cases_file):
    url, engine = _sqlite_db(tmp_path, "live.db")
    _fill(engine, cases_file)
    backup = tmp_path / "k.backup"
    backup_database(url, backup)
    with sqlite3.connect(backup) as edit:
        edit.execute("UPDATE audit_log SET details = '{\"n_cases\": 1}' WHERE id = 1")
    delete_cases(engine, ["A-1"], actor="cli:test")
    before = _tables(engine)

    with pytest.raises(InputError) as raised:
        restore_database(url, backup, force=True)
    assert raised.value.message == (
        f"the audit log in the backup {backup} does not verify: it was changed after it "
        "was written; nothing was restored"
    )
    assert _tables(engine) == before


def test_a_damaged_sqlite_backup_is_refused(tmp_path, cases_file):
    url, engine = _sqlite_db(tmp_path, "live.db")
    _fill(engine, cases_file)
    backup = tmp_path / "k.backup"
    backup_database(url, backup)
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])  # a copy cut short

    with pytest.raises(InputError) as raised:
        restore_database(url, backup, force=True)
    assert raised.value.message == (
        f"the backup {backup} is damaged (SQLite integrity check failed)"
    )
    assert len(_tables(engine)["cases"]) == 3


def test_a_backup_of_a_newer_version_is_refused(tmp_path):
    url, _ = _sqlite_db(tmp_path, "live.db")
    backup = tmp_path / "k.backup"
    backup_database(url, backup)
    with sqlite3.connect(backup) as edit:
        edit.execute("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(InputError) as raised:
        restore_database(url, backup, force=True)
    assert raised.value.message == (
        f"the backup {backup} is of database revision 0099, which this version of "
        f"Ketenbeeld does not know (it knows up to {HEAD_REVISION})"
    )


@pytest.mark.parametrize(
    "db", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
def test_a_failing_postgres_restore_leaves_the_database_as_it_was(db, tmp_path, cases_file):
    _fill(db.engine, cases_file)
    backup = tmp_path / "k.backup"
    backup_database(db.url, backup)
    delete_cases(db.engine, ["A-3"], actor="cli:test")
    before = _tables(db.engine)
    data = backup.read_bytes()
    backup.write_bytes(data[: int(len(data) * 0.8)])  # an archive cut short

    with pytest.raises(StorageError) as raised:
        restore_database(db.url, backup, force=True)
    assert raised.value.message.startswith(("pg_restore failed: ", "reading the backup failed: "))
    assert _tables(db.engine) == before


def test_a_failed_backup_leaves_no_file(tmp_path):
    backup = tmp_path / "k.backup"
    with pytest.raises(StorageError) as raised:
        backup_database(f"sqlite:///{tmp_path / 'none.db'}", backup)
    assert raised.value.message == f"there is no database at {tmp_path / 'none.db'}"
    assert list(tmp_path.iterdir()) == []


def test_cli_backup_and_restore(db, tmp_path, cases_file):
    _fill(db.engine, cases_file)
    backup = tmp_path / "k.backup"
    runner = CliRunner()
    written = runner.invoke(app, ["--database-url", db.url, "backup", "--out", str(backup)])
    assert written.exit_code == 0, written.output
    kind = "SQLite" if db.backend == "sqlite" else "PostgreSQL"
    assert f"Backup written to {backup}: {kind}, revision {HEAD_REVISION}," in written.output
    assert "3 audit events (chain verified)" in written.output

    refused = runner.invoke(app, ["--database-url", db.url, "restore", str(backup)])
    assert refused.exit_code == 1
    assert "holds data; restoring would replace all of it" in refused.output

    restored = runner.invoke(app, ["--database-url", db.url, "restore", str(backup), "--force"])
    assert restored.exit_code == 0, restored.output
    assert f"Restored {backup}: {kind}, revision {HEAD_REVISION}," in restored.output
