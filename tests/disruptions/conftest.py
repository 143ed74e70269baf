"""A session over the disruption world (tests/disruptions/world.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.disruptions.world import World, build_world
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def world(session: Session) -> World:
    built = build_world(session)
    session.commit()
    return built
