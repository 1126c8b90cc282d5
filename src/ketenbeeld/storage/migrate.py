"""Alembic migrations, run from code (no alembic.ini needed by users)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["current_revision", "downgrade", "head_revision", "known_revisions", "upgrade"]

_SCRIPT_LOCATION = str(Path(__file__).parent / "migrations")


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", _SCRIPT_LOCATION)
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database behind ``engine`` up to ``revision``."""
    command.upgrade(_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database behind ``engine`` down to ``revision`` (``base`` = empty)."""
    command.downgrade(_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest revision this version of Ketenbeeld knows."""
    head = ScriptDirectory(_SCRIPT_LOCATION).get_current_head()
    assert head is not None
    return head


def known_revisions() -> list[str]:
    """Every revision this version of Ketenbeeld knows, oldest first."""
    script = ScriptDirectory(_SCRIPT_LOCATION)
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]
