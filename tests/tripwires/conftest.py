"""Fixtures for tripwire tests: a copy of the small demo region per test (see region.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail.inbox import Inbox, running_inbox
from tests.tripwires.region import Region, build_template


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("tripwires-demo"))


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
