"""The front door API: the police queue of partner concerns and the response to one; a
partner's own concerns; a concern about a child a check did not find. The same services
as the pages (`threadline.safeguarding.front_door`, `.new_child`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from threadline.safeguarding.front_door import (
    QueueItem,
    front_door,
    raised_concerns,
    respond_at_front_door,
)
from threadline.safeguarding.new_child import ChildGiven, raise_about_child
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep
from threadline.web.routes.api_safeguarding import WRITE_ERRORS, RecordOut
from threadline.web.routes.front_door import targets_of

router = APIRouter(prefix="/api/v1/safeguarding", tags=["safeguarding"])
ConcernId = Annotated[int, Path(ge=1, le=MAX_ID, description="The concern's id.")]
QUEUE_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    403: {
        **RECORD_ERRORS[403],
        "description": "The caller does not work a police front door (the reason is given).",
    },
}


class QueueItemOut(BaseModel):
    """One concern at the front door: its rating, its clock, and the concern itself."""

    concern: dict[str, Any] = Field(description="The concern as the caller may see it.")
    person_id: int
    name: str = Field(examples=["SCOTT, Riley (09/03/2011)"])
    age: int | None = Field(description="The youngest the child can be today, if known.")
    raised_by: str = Field(description="Code of the organisation that raised it.")
    raised_at: datetime
    rag: str = Field(examples=["red"])
    rag_reason: str = Field(examples=["the child is 12"])
    due_at: datetime
    overdue: bool
    clock: str = Field(examples=["Due in 3 hours"])
    answered: bool

    @classmethod
    def of(cls, item: QueueItem) -> QueueItemOut:
        return cls(
            concern=item.concern.to_dict(),
            person_id=item.person_id,
            name=item.name,
            age=item.age,
            raised_by=item.raised_by,
            raised_at=item.raised_at,
            rag=item.rag.value,
            rag_reason=item.rag_reason,
            due_at=item.due_at,
            overdue=item.overdue,
            clock=item.clock,
            answered=item.answered,
        )


class FrontDoorOut(BaseModel):
    """The caller's front door: waiting (most urgent first), recently answered, counts."""

    waiting: list[QueueItemOut]
    answered: list[QueueItemOut]
    counts: dict[str, int] = Field(examples=[{"red": 1, "amber": 2, "overdue": 1, "total": 3}])
    targets_hours: dict[str, int] = Field(examples=[{"red": 4, "amber": 24, "green": 72}])


class ResponseIn(BaseModel):
    """The police outcome of a concern and the feedback to the partner."""

    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(
        max_length=32,
        description="strategy, police_action, information_shared, referred or no_further_action",
        examples=["strategy"],
    )
    feedback: str = Field(max_length=10_000, examples=["Joint visit with CADS on Thursday."])


class ChildConcernIn(BaseModel):
    """A concern about a child a check did not find, with what is known of the child."""

    model_config = ConfigDict(extra="forbid")
    family_name: str = Field(max_length=200, examples=["Scot"])
    given_names: str = Field(max_length=200, examples=["Riley"])
    date_of_birth: str = Field(max_length=20, examples=["2011-03-09"])
    postcode: str = Field(max_length=10, description="Full, or its first part.", examples=["NR3"])
    address: str = Field(default="", max_length=200)
    school: str = Field(default="", max_length=200)
    text: str = Field(max_length=10_000, examples=["Seen getting into cars after school."])
    indicators: list[str] = Field(default_factory=list, max_length=100)
    case_ref: str = Field(default="", max_length=64)


@router.get("/front-door", responses=QUEUE_ERRORS)
def get_front_door(request: Request, session: SessionDep, actor: ActorDep) -> FrontDoorOut:
    """Partner concerns awaiting a police response in the caller's force area (police)."""
    door = front_door(session, actor=actor, targets=targets_of(request))
    return FrontDoorOut(
        waiting=[QueueItemOut.of(i) for i in door.waiting],
        answered=[QueueItemOut.of(i) for i in door.answered],
        counts=door.counts,
        targets_hours={
            "red": door.targets.red,
            "amber": door.targets.amber,
            "green": door.targets.green,
        },
    )


@router.post("/front-door/{concern_id}/response", responses=WRITE_ERRORS)
def post_response(
    session: SessionDep, actor: ActorDep, concern_id: ConcernId, body: ResponseIn
) -> RecordOut:
    """Record the outcome and the feedback the partner reads as its agreement allows."""
    view = respond_at_front_door(
        session, actor=actor, concern_id=concern_id, outcome=body.outcome, feedback=body.feedback
    )
    return RecordOut.of(view)


@router.get("/concerns/raised", responses=RECORD_ERRORS)
def get_raised(session: SessionDep, actor: ActorDep) -> list[RecordOut]:
    """Concerns the caller's organisation raised, with police responses as agreed."""
    return [RecordOut.of(view) for view, _ in raised_concerns(session, actor=actor)]


@router.post("/children/concerns", status_code=201, responses=WRITE_ERRORS)
def post_child_concern(session: SessionDep, actor: ActorDep, body: ChildConcernIn) -> RecordOut:
    """Raise a concern about a child a check did not find; police see it at their front
    door. The answer is the same whether or not police hold the child."""
    view = raise_about_child(
        session,
        actor=actor,
        child=ChildGiven(
            family_name=body.family_name,
            given_names=body.given_names,
            date_of_birth=body.date_of_birth,
            postcode=body.postcode,
            address=body.address,
            school=body.school,
        ),
        text=body.text,
        indicators=body.indicators,
        case_ref=body.case_ref,
    )
    return RecordOut.of(view)
