"""Sample calls of the county line status read paths, for tests/policy/test_read_paths.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tests.factories import make_county_line
from tests.intel.world import World
from threadline.countylines import service

SAMPLE_CALLS: dict[str, Callable[[Session, World], Any]] = {
    "threadline.countylines.service.line_status": lambda s, w: service.line_status(
        s, actor=w.officer, line_id=make_county_line(s).entity_id
    ),
    "threadline.countylines.service.list_lines": lambda s, w: service.list_lines(
        s, actor=w.officer
    ),
}
