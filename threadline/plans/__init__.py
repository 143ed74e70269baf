"""4P plans of organised crime groups: actions, reviews, currency and figures.

- `actions`: add and change actions (Pursue, Prevent, Protect, Prepare), with owners;
- `owners`: who may own an action, found by searching;
- `review`: a review of the whole plan, and when the next is due;
- `currency`: `plan_states` (is a plan current, its review overdue, actions late);
- `reading`: `get_plan`, the plan as its reader sees it;
- `figures`: `plan_figures`, plan currency by force over the groups a reader may see.

Who may do what is `threadline.policy.ocg` (`OcgTask.VIEW`, `OcgTask.PLAN`).
"""

from threadline.plans.actions import add_action, update_action
from threadline.plans.currency import plan_states
from threadline.plans.figures import ForcePlanFigures, PlanFigures, plan_figures
from threadline.plans.owners import OwnerChoices, search_owners
from threadline.plans.reading import get_plan
from threadline.plans.review import record_review
from threadline.plans.types import (
    PLAN_STATE_FILTERS,
    ActionStatus,
    Owner,
    Plan,
    PlanAction,
    PlanReview,
    PlanState,
    Strand,
)

__all__ = [
    "PLAN_STATE_FILTERS",
    "ActionStatus",
    "ForcePlanFigures",
    "Owner",
    "OwnerChoices",
    "Plan",
    "PlanAction",
    "PlanFigures",
    "PlanReview",
    "PlanState",
    "Strand",
    "add_action",
    "get_plan",
    "plan_figures",
    "plan_states",
    "record_review",
    "search_owners",
    "update_action",
]
