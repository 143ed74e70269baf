"""Sample calls of the 4P plan read paths, for tests/policy/test_read_paths.py.

They run on the small intelligence world (tests/intel/world.py) with a Norfolk group
made for the call; its plan is empty, which is still a plan to read (and to count).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from tests.factories import make_organisation
from tests.intel.world import World
from tests.policy.factories import make_actor
from threadline.model.security import Role
from threadline.plans import figures, owners, reading

SUPERVISOR = make_actor(roles=Role.SUPERVISOR, agency="force-own", username="supervisor@norfolk")

SAMPLE_CALLS: dict[str, Callable[[Session, World], Any]] = {
    "threadline.plans.reading.get_plan": lambda s, w: reading.get_plan(
        s, actor=w.officer, group_id=make_organisation(s).entity_id
    ),
    "threadline.plans.owners.search_owners": lambda s, w: owners.search_owners(
        s, actor=SUPERVISOR, group_id=make_organisation(s).entity_id, text="norfolk"
    ),
    "threadline.plans.figures.plan_figures": lambda s, w: figures.plan_figures(s, actor=w.officer),
}
