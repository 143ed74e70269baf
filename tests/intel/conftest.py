"""Fixtures of the intelligence tests: a session on the small world of `world.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.intel.world import World, build_world
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


# The web app over the same small world, for tests through the API and the pages.
from tests.web.conftest import client, settings, site  # noqa: E402, F401
