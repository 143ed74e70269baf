"""The 4P plan API: a group's plan, adding an action, changing one.

The same services as the plan tab: readers are police who may see the group (partners
are told there is no such group); the LRO and supervisors of the owning force or of the
regional unit change it. Owners are named by a reference from the plan page's search
("user:<id>", "agency:<id>"), a username ("lro@norfolk") or an organisation's code
("norfolk-cads"). Dates are YYYY-MM-DD.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from threadline.plans import add_action, get_plan, update_action
from threadline.plans.types import action_dict, plan_dict
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["crime groups"])

GroupId = Annotated[int, Path(ge=1, le=MAX_ID, description="The group's record id.")]
ActionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The plan action's id.")]
WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **RECORD_ERRORS,
    400: {**ERRORS[422], "description": "The body could not be read as JSON."},
    409: {**ERRORS[422], "description": "The group is archived: its plan is kept as it was."},
}


class OwnerOut(BaseModel):
    """Who owns an action: an officer or a partner organisation."""

    kind: str = Field(examples=["officer"], description="`officer` or `organisation`.")
    ref: str = Field(examples=["user:12"], description="How to name this owner when writing.")
    name: str = Field(examples=["Jo Lead"])
    organisation: str = Field(examples=["norfolk"], description="The organisation's code.")


class ActionOut(BaseModel):
    """One action of a plan."""

    id: int
    strand: str = Field(examples=["pursue"], description="pursue, prevent, protect, prepare.")
    description: str = Field(examples=["Warrant at the group's base address"])
    owner: OwnerOut | None
    due: str | None = Field(examples=["2027-01-15"])
    review_due: str | None = Field(examples=["2027-01-01"])
    status: str = Field(
        examples=["in_progress"], description="planned, in_progress, done, stopped."
    )
    evidence: str
    late: bool = Field(description="Open and past its due date.")
    review_passed: bool = Field(description="Open and past its own review date.")


class StateOut(BaseModel):
    """The plan's currency today."""

    key: str = Field(examples=["actions_late"])
    label: str = Field(examples=["2 actions late"])
    states: list[str] = Field(examples=[["review_overdue", "actions_late"]])
    review_overdue: bool
    next_review: str | None
    last_review: str | None
    actions_late: int
    actions_to_review: int
    actions_open: int
    actions_total: int


class ReviewOut(BaseModel):
    """A review of the whole plan."""

    reviewed_on: str
    reviewer: str
    next_review: str
    note: str


class PlanOut(BaseModel):
    """A group's 4P plan as the caller may see it."""

    group_id: int
    group_name: str
    lro: str | None
    archived: bool
    may_change: bool = Field(description="Whether the caller may add and change actions.")
    on: str = Field(description="The day the plan's currency is worked out for.")
    state: StateOut
    actions: list[ActionOut]
    reviews: list[ReviewOut]


class ActionIn(BaseModel):
    """A new action."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "strand": "prevent",
                    "description": "Schools input on county lines in Norwich",
                    "owner": "norfolk-cads",
                    "due": "2027-02-01",
                }
            ]
        },
    )
    strand: str = Field(max_length=20)
    description: str = Field(max_length=4000)
    owner: str = Field(max_length=200, description="user:<id>, agency:<id>, a username or a code.")
    due: str = Field(max_length=20, description="YYYY-MM-DD, from today.")
    review_due: str | None = Field(default=None, max_length=20)
    status: str = Field(default="planned", max_length=20)
    evidence: str = Field(default="", max_length=8000)


class ActionChange(BaseModel):
    """Changes to an action: only the fields sent change."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"status": "done", "evidence": "Warrant executed on 3 December"}]
        },
    )
    status: str | None = Field(default=None, max_length=20)
    evidence: str | None = Field(default=None, max_length=8000)
    due: str | None = Field(default=None, max_length=20)
    review_due: str | None = Field(default=None, max_length=20)
    owner: str | None = Field(default=None, max_length=200)


def _action(data: dict[str, Any]) -> ActionOut:
    return ActionOut.model_validate(data)


@router.get("/groups/{group_id}/plan", responses=RECORD_ERRORS)
def read_plan(session: SessionDep, actor: ActorDep, group_id: GroupId) -> PlanOut:
    """The group's 4P plan: its currency, actions and recent reviews."""
    return PlanOut.model_validate(plan_dict(get_plan(session, actor=actor, group_id=group_id)))


@router.post("/groups/{group_id}/plan/actions", status_code=201, responses=WRITE_ERRORS)
def post_action(
    session: SessionDep, actor: ActorDep, group_id: GroupId, body: ActionIn
) -> ActionOut:
    """Add an action to the group's plan (its LRO, or a supervisor)."""
    action = add_action(session, actor=actor, group_id=group_id, **body.model_dump())
    return _action(action_dict(action))


@router.patch("/groups/{group_id}/plan/actions/{action_id}", responses=WRITE_ERRORS)
def patch_action(
    session: SessionDep,
    actor: ActorDep,
    group_id: GroupId,
    action_id: ActionId,
    body: ActionChange,
) -> ActionOut:
    """Change an action's status, evidence, dates or owner; only the fields sent change."""
    action = update_action(
        session, actor=actor, group_id=group_id, action_id=action_id, **body.model_dump()
    )
    return _action(action_dict(action))
