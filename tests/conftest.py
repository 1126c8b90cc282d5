"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import copy
import importlib.util
import os
import subprocess
import sys
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

_deduce_build: subprocess.Popen[bytes] | None = None

# Builds deduce's lookup cache beside the live one and swaps it in whole, so a reader
# never sees half a file (deduce itself writes the cache in place).
_BUILD_DEDUCE_CACHE = """
import os, sys, tempfile
from pathlib import Path
from deduce import Deduce
target = Path(sys.argv[1])
with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
    Deduce(cache_path=Path(scratch))
    os.replace(Path(scratch) / "cache" / target.name, target)
"""


def pytest_sessionstart(session: pytest.Session) -> None:
    """Build deduce's lookup cache on the other core while the first tests run.

    The first ``Deduce()`` after an install builds it (about 100 s); every later one
    loads it. A new CI machine has no cache, so the build starts here, in a
    subprocess, instead of in the middle of the de-identification tests.
    """
    global _deduce_build
    spec = importlib.util.find_spec("deduce")
    if spec is None or spec.origin is None:
        return
    target = Path(spec.origin).parent / "data" / "lookup" / "cache" / "lookup_structs.pickle"
    if target.exists() or not os.access(target.parent, os.W_OK):
        return
    _deduce_build = subprocess.Popen(
        [sys.executable, "-c", _BUILD_DEDUCE_CACHE, str(target)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_deduce_cache() -> None:
    """Wait for the background build, if any (then ``Deduce()`` loads the cache)."""
    if _deduce_build is not None:
        _deduce_build.wait()


def pytest_sessionfinish(session: pytest.Session) -> None:
    wait_for_deduce_cache()  # leave a whole cache, and no process behind


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


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Passwords hashed at a tiny argon2 cost inside the test process.

    At the production cost (``PASSWORD_HASHING``, 0.25 s a hash or a check here) the
    logins of the web tests alone took minutes. What the tests check does not depend
    on the cost; tests/accounts/test_service.py checks the production parameters, and
    servers started as subprocesses keep them.
    """
    from argon2 import PasswordHasher

    from ketenbeeld.accounts import service

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "_hasher", cheap)
        patch.setattr(service, "_DUMMY_HASH", cheap.hash("not a password"))
        yield


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

    wait_for_deduce_cache()
    built = Deidentifier()
    built.warm_up()
    return built
