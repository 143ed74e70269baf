"""The demo opens with county lines in each status and Norfolk's three areas for
improvement, their actions linked to the figures that measure them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests.templates import copy_database, demo_region
from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.countylines import LineStatus, list_lines
from threadline.demo.capabilities import add_demo_capabilities
from threadline.improvement import get_finding, list_findings
from threadline.settings import Settings
from threadline.storage.db import make_engine, session_scope
from threadline.storage.tables import CountyLineStatusRow


@pytest.fixture(scope="module")
def demo_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A copy of the demo region at 1,200 people, seed 11, with its users (built once per
    run and shared with tests/demo), and the demo's capabilities added."""
    path: Path = tmp_path_factory.mktemp("demo-improvement") / "demo.db"
    engine = make_engine(str(copy_database(demo_region(1200, seed=11), path)))
    add_demo_capabilities(engine=engine, settings=Settings(), seed=11, now=utcnow())
    return engine


def test_the_demo_has_county_lines_in_each_status(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as session:
        analyst = actor_for(session, "analyst@ersou")
        index = list_lines(session, actor=analyst)
        automatic = session.scalars(
            select(CountyLineStatusRow.id).where(CountyLineStatusRow.automatic)
        ).all()
    assert all(index.counts[status] for status in LineStatus), index.counts
    assert automatic, "the job marks lines disrupted from the disruptions recorded"


def test_the_demo_has_norfolks_three_findings_with_figures(demo_engine: Engine) -> None:
    with session_scope(demo_engine) as session:
        supervisor = actor_for(session, "supervisor@norfolk")
        findings = list_findings(session, actor=supervisor)
        assert findings[0].reference == "AFI 3"  # its response is overdue
        assert sorted(f.reference for f in findings) == ["AFI 1", "AFI 2", "AFI 3"]
        figures = {
            action.figure.key
            for finding in findings
            for action in get_finding(session, actor=supervisor, finding_id=finding.id).actions
            if action.figure
        }
    assert {"sharing_frontline", "prison_under_plan", "screened_before_charge"} <= figures
