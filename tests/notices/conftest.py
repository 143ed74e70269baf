"""Fixtures of the notices tests: a session on the world of tests/notices/world.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.notices.world import NoticeWorld, build_notice_world
from tests.web.conftest import client, settings, site  # noqa: F401  (web pages)
from tests.web.test_notices import notices_site  # noqa: F401  (web pages)
from threadline.storage.db import session_factory


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def world(session: Session) -> NoticeWorld:
    built = build_notice_world(session)
    session.commit()
    return built
