"""Sample calls of the prison read paths, for tests/policy/test_read_paths.py.

They run on the small intelligence world (tests/intel/world.py); a custody episode of
its adult is written straight into the table where a call needs one, so the only audit
event is the read path's own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.world import World
from threadline.clock import utcnow
from threadline.prison import choosing, custody, dashboard, intel, orders, plans
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.tables import AgencyRow


def sample_episode(session: Session, person_id: int) -> int:
    norfolk = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk"))
    assert norfolk is not None
    now = utcnow()
    row = CustodyEpisodeRow(
        person_id=person_id,
        owner_id=norfolk,
        source_system="test",
        source_id="E1",
        establishment_id=norfolk,
        prison_number="A1234BC",
        received_on=date(2026, 1, 1),
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


SAMPLE_CALLS: dict[str, Callable[[Session, World], Any]] = {
    "threadline.prison.plans.plan_subject": lambda s, w: plans.plan_subject(
        s, actor=w.analyst, person_id=w.adult
    ),
    "threadline.prison.plans.open_plans": lambda s, w: plans.open_plans(
        s, actor=w.analyst, person_ids=[w.adult]
    ),
    "threadline.prison.custody.get_custody": lambda s, w: custody.get_custody(
        s, actor=w.officer, episode_id=sample_episode(s, w.adult)
    ),
    "threadline.prison.custody.list_custody": lambda s, w: custody.list_custody(s, actor=w.officer),
    "threadline.prison.intel.list_prison_intel": lambda s, w: intel.list_prison_intel(
        s, actor=w.officer
    ),
    "threadline.prison.plans.list_plans": lambda s, w: plans.list_plans(
        s, actor=w.officer, person_id=w.adult
    ),
    "threadline.prison.dashboard.list_unmonitored": lambda s, w: dashboard.list_unmonitored(
        s, actor=w.officer
    ),
    "threadline.prison.orders.list_orders": lambda s, w: orders.list_orders(
        s, actor=w.officer, person_id=w.adult
    ),
    "threadline.prison.dashboard.list_members_held": lambda s, w: dashboard.list_members_held(
        s, actor=w.officer
    ),
    "threadline.prison.dashboard.get_figures": lambda s, w: dashboard.get_figures(
        s, actor=w.officer
    ),
    "threadline.prison.choosing.search_people": lambda s, w: choosing.search_people(
        s, actor=w.officer, text="Smith"
    ),
}
