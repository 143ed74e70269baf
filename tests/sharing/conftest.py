"""Fixtures of the sharing tests: a session on a region with its partner organisations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.policy.factories import seed_partners
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        seed_partners(session)
        session.commit()
        yield session
