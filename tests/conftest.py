"""Shared fixtures.

Fixture policy: use the smallest dataset that has what the test needs. Most tests take
`engine` (a migrated database with the region's reference data and nothing else) and
build the few records they need with the factories in `tests/factories.py`. Only tests
of the demo itself build a demo region, and they use a small `--people`.

`engine` runs every test twice when THREADLINE_TEST_DATABASE_URL points at a PostgreSQL
server: once on a temporary SQLite file and once on a fresh PostgreSQL database made for
that test. Without the variable the PostgreSQL runs are skipped, and the skip says why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from threadline.storage.db import make_engine, migrate, normalise_url, session_scope
from threadline.storage.reference import seed_region

PG_URL = os.environ.get("THREADLINE_TEST_DATABASE_URL")
PG_SKIP = (
    "PostgreSQL tests skipped: set THREADLINE_TEST_DATABASE_URL to a server URL "
    "(CI does: postgresql://root@127.0.0.1:5432/<fresh db>)"
)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; dropped afterwards."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    admin = create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"tl_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = normalise_url(PG_URL).rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a temporary SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "threadline.db")
    return str(request.getfixturevalue("pg_database"))


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty, unmigrated database."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A migrated database holding the region's forces, areas and postcode districts."""
    migrate(empty_engine)
    with session_scope(empty_engine) as session:
        seed_region(session)
    return empty_engine


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    """SQLite only, for tests of SQLite-specific behaviour."""
    engine = make_engine(str(tmp_path / "threadline.db"))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    yield engine
    engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once, plainly, whether the PostgreSQL half of the suite ran."""
    if PG_URL:
        terminalreporter.write_line(f"PostgreSQL tests ran against {PG_URL}")
    else:
        terminalreporter.write_line(PG_SKIP, yellow=True)
