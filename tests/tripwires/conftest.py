"""Fixtures for tripwire tests: a copy of the small demo region per test (see region.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail.inbox import Inbox, running_inbox
from tests.templates import demo_region
from tests.tripwires.region import DEMO_PEOPLE, Region


@pytest.fixture(scope="session")
def demo_template() -> Path:
    return demo_region(DEMO_PEOPLE)


@pytest.fixture
def region(demo_template: Path, tmp_path: Path) -> Iterator[Region]:
    found = Region.copy_of(demo_template, tmp_path)
    found.tick()  # the first run starts at the end of the log and sets up the LROs' watches
    yield found
    found.engine.dispose()


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    with running_inbox() as server:
        yield server
