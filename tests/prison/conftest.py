"""Fixtures: the small prison world (see world.py) on the `engine` database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.prison.world import World, build_world


@pytest.fixture
def world(engine: Engine) -> World:
    return build_world(engine)
