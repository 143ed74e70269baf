"""Sample calls of the front door's read paths, for tests/policy/test_read_paths.py.

They run on the small intelligence world: a CADS concern about Jo Smith (Norwich) is
written for the call, and a Norfolk analyst works the front door.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.intel.world import World
from threadline.clock import utcnow
from threadline.safeguarding import front_door
from threadline.storage.safeguarding_tables import ConcernRow
from threadline.storage.tables import AgencyRow


def make_concern(session: Session, world: World) -> int:
    """A CADS concern about the world's child, waiting for a police response."""
    cads = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk-cads"))
    assert cads is not None
    row = ConcernRow(
        person_id=world.child,
        owner_id=cads,
        raised_by="partner@norfolk-cads",
        raised_at=utcnow(),
        text="Jo is missing from school.",
        case_ref="CADS-1",
    )
    session.add(row)
    session.flush()
    return row.id


SAMPLE_CALLS: dict[str, Callable[[Session, World], Any]] = {
    "threadline.safeguarding.front_door.front_door": lambda s, w: front_door.front_door(
        s, actor=w.analyst
    ),
    "threadline.safeguarding.front_door.front_door_concern": lambda s, w: (
        front_door.front_door_concern(s, actor=w.analyst, concern_id=make_concern(s, w))
    ),
    "threadline.safeguarding.front_door.raised_concerns": lambda s, w: front_door.raised_concerns(
        s, actor=w.partner
    ),
}
