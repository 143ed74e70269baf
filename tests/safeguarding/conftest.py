"""Fixtures of the safeguarding tests: a session on the small world of `world.py`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.safeguarding.region import Region, region_copy
from tests.safeguarding.world import World, build_world
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """One session for the whole test; tests commit or roll back as they need."""
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def world(session: Session) -> World:
    built = build_world(session)
    session.commit()
    return built


@pytest.fixture
def region(tmp_path: Path) -> Iterator[Region]:
    """Each test's own copy of the demo region (the template is built once per run)."""
    found = region_copy(tmp_path)
    yield found
    found.engine.dispose()
