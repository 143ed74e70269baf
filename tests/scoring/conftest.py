"""Fixtures of the scoring tests: a session with a few users (`groups.USERS`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.scoring.groups import add_users
from threadline.accounts import passwords
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the seeded region, with the users of `groups.USERS`."""
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    with session_factory(engine)() as session:
        add_users(session)
        session.commit()
        yield session
    passwords.configure()
