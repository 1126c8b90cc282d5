"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import copy
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from ketenbeeld.storage import make_engine

POSTGRES_URL = os.environ.get(
    "KETENBEELD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("KETENBEELD_REQUIRE_POSTGRES") == "1"

_postgres_ok: bool | None = None


def _postgres_available() -> bool:
    global _postgres_ok
    if _postgres_ok is None:
        try:
            admin = create_engine(POSTGRES_URL)
            with admin.connect() as connection:
                connection.execute(text("select 1"))
            admin.dispose()
            _postgres_ok = True
        except OperationalError:
            _postgres_ok = False
    return _postgres_ok


def _need_postgres() -> None:
    if _postgres_available():
        return
    message = f"PostgreSQL is not reachable at {POSTGRES_URL}"
    if REQUIRE_POSTGRES:
        pytest.fail(message + " (KETENBEELD_REQUIRE_POSTGRES=1)")
    pytest.skip(message)


class Database:
    """A throw-away database: its URL (usable by subprocesses) and a migrated engine."""

    def __init__(self, backend: str, url: str, engine: Engine) -> None:
        self.backend = backend
        self.url = url
        self.engine = engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of each backend, dropped after the test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ketenbeeld.db'}"
        engine = make_engine(url)
        yield Database("sqlite", url, engine)
        engine.dispose()
        return
    _need_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        yield Database("postgresql", url, engine)
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db: Database) -> Engine:
    """The migrated engine of :func:`db`."""
    return db.engine


_EXAMPLE_CASE: dict[str, Any] = {
    "codebook_version": "1",
    "case": {"case_id": "2019-OOST-03", "year_start": 2019},
    "perpetrators": [
        {
            "pid": "P1",
            "label": "Dader A1",
            "age_at_start": 22,
            "gender": "male",
            "has_diploma": False,
            "has_debts": True,
            "has_addiction": True,
            "addiction_types": ["cannabis"],
            "known_to_police_before": True,
            "known_to_care_before": None,
        }
    ],
    "victims": [
        {
            "vid": "V1",
            "age_at_start": 16,
            "gender": "female",
            "living_situation": "care_institution",
            "knew_perpetrator_before": False,
            "first_contact_channel": "online",
            "first_contact_platform": "snapchat",
            "first_contact_date": "2019-03-03",
            "first_forced_date": "2019-03-08",
            "recruitment_days": 5,
            "contact_after_exploitation": True,
        }
    ],
    "evidence": [
        {"path": "victims.V1.first_contact_date", "text": "3 maart 2019", "start": 412, "end": 424}
    ],
}


@pytest.fixture
def example_case() -> dict[str, Any]:
    """The coded-case example of DESIGN.md (a fresh copy per test)."""
    return copy.deepcopy(_EXAMPLE_CASE)


@pytest.fixture(scope="session")
def deidentifier() -> Any:
    """One deduce pipeline for the session (each xdist worker builds its own)."""
    from ketenbeeld.cases.deidentify import Deidentifier

    built = Deidentifier()
    built.warm_up()
    return built
