"""Fixtures: a copy of the small demo region with published notices (see region.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.briefings.region import Region, region_copy
from threadline.settings import Settings


@pytest.fixture
def region(tmp_path: Path) -> Iterator[Region]:
    """Each test's own copy of the region (the template is built once per run)."""
    found = region_copy(tmp_path)
    yield found
    found.engine.dispose()


@pytest.fixture
def settings() -> Settings:
    return Settings(secret_key="briefing-tests-secret-key-long-enough-for-hmac")
