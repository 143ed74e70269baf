"""The demo region opens with routine sharing under way: notices published, LROs
watching their groups, this shift's briefings and today's digests made; adding it all
again changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from tests.templates import copy_database, demo_region
from threadline.clock import utcnow
from threadline.demo.capabilities import add_demo_capabilities
from threadline.settings import Settings
from threadline.storage.db import make_engine, session_scope
from threadline.storage.sharing_tables import (
    BriefingItemRow,
    BriefingRow,
    DigestRow,
    ThreatNoticeRow,
    WatchRow,
)
from threadline.storage.tables import AreaRow

NOW = utcnow()  # one moment for both runs: a shift could begin between them otherwise


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A copy of the demo region at 1,200 people, seed 11, with its users (built once per
    run and shared with tests/demo/test_security.py and tests/improvement)."""
    path: Path = tmp_path_factory.mktemp("demo-capabilities") / "demo.db"
    return make_engine(str(copy_database(demo_region(1200, seed=11), path)))


def _count(engine: Engine, table: type) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_the_demo_opens_with_notices_watches_briefings_and_digests(demo_engine: Engine) -> None:
    summary = add_demo_capabilities(engine=demo_engine, settings=Settings(), seed=11, now=NOW)
    assert summary.notices > 0 and summary.watches > 0
    assert _count(demo_engine, ThreatNoticeRow) == summary.notices
    assert _count(demo_engine, WatchRow) >= summary.watches
    # Every policing area has this shift's briefing, and some briefings carry a notice.
    assert _count(demo_engine, BriefingRow) == _count(demo_engine, AreaRow)
    with session_scope(demo_engine) as session:
        with_notices = session.scalar(
            select(func.count(func.distinct(BriefingItemRow.briefing_id))).where(
                BriefingItemRow.notice_id.is_not(None)
            )
        )
    assert with_notices
    assert _count(demo_engine, DigestRow) > 0
    # Again: nothing new is published, watched, briefed or digested.
    counts = [_count(demo_engine, t) for t in (ThreatNoticeRow, BriefingRow, DigestRow)]
    again = add_demo_capabilities(engine=demo_engine, settings=Settings(), seed=11, now=NOW)
    assert again.notices == 0 and again.watches == 0
    assert [_count(demo_engine, t) for t in (ThreatNoticeRow, BriefingRow, DigestRow)] == counts
    assert "threat notices" in summary.describe()
