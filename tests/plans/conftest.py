"""A session over the plan world (tests/plans/world.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.plans.world import PlanWorld, build_plan_world
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def world(session: Session) -> PlanWorld:
    built = build_plan_world(session)
    session.commit()
    return built
