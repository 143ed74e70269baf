"""The resolution review API: the queue of uncertain pairs and analysts' decisions on them,
as on the `/resolution/review` pages, for analysts' own tools.

Who may see the queue or decide is policy's business, asked by `threadline.resolve.review`
(police analysts and supervisors; only pairs whose both records the caller may see). Any
one else is refused before a record is looked up, so the answer is the same whether the
records named exist or not. Viewing the queue is logged; a decision is s62 combination.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from threadline.resolve.review import DecisionMade, QueuedPair, RecordLabel, decide, review_queue
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS, PageOut, PagingDep
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["resolution"])

QUEUE_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    403: {**RECORD_ERRORS[403], "description": "The caller may not review resolution."},
}
DECIDE_ERRORS: dict[int | str, dict[str, object]] = {
    **RECORD_ERRORS,
    400: {**ERRORS[422], "description": "The body could not be read as JSON."},
}


class RecordOut(BaseModel):
    """A person record of a pair, as people name it."""

    entity_id: int = Field(description="The record's id, as on its profile.", examples=[1201])
    name: str = Field(examples=["John Smith"])
    born: str = Field(
        description='"7 March 1990", "March 1990", "1990", or empty where not recorded.',
        examples=["15 September 1972"],
    )
    force: str = Field(description="The organisation that holds it.", examples=["Kent Police"])

    @classmethod
    def of(cls, label: RecordLabel) -> RecordOut:
        return cls(entity_id=label.entity_id, name=label.name, born=label.born, force=label.force)


class PairOut(BaseModel):
    """A pair waiting for review."""

    pair: str = Field(description="The pair's two record ids, smaller first.", examples=["7-12"])
    first: RecordOut
    second: RecordOut
    match_probability: float = Field(description="How likely one person, 0-1.", examples=[0.62])
    model_version: int = Field(description="The model that scored the pair.", examples=[3])
    joined: bool = Field(description="Whether the last run made them one resolved person.")

    @classmethod
    def of(cls, queued: QueuedPair) -> PairOut:
        return cls(
            pair=queued.pair,
            first=RecordOut.of(queued.first),
            second=RecordOut.of(queued.second),
            match_probability=queued.match_probability,
            model_version=queued.model_version,
            joined=queued.joined,
        )


# A record by its id, or by `owner/source_system/source_id`.
RecordRef = Annotated[int, Field(ge=1, le=MAX_ID)] | Annotated[str, Field(max_length=400)]


class DecisionIn(BaseModel):
    """A decision on a pair of person records."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "first": 7,
                    "second": 12,
                    "decision": "different",
                    "reason": "Born 13 years apart; different addresses throughout.",
                }
            ]
        },
    )
    first: RecordRef = Field(
        description="A record id, or `owner/source_system/source_id`.",
        union_mode="left_to_right",
    )
    second: RecordRef = Field(
        description="The other record, given the same way.", union_mode="left_to_right"
    )
    decision: Literal["same", "different"] = Field(
        description="`same`: one person, join them; `different`: two people, keep them apart."
    )
    reason: str = Field(
        min_length=1, max_length=2000, description="Why; shown wherever the decision is."
    )


class DecisionOut(BaseModel):
    """What a decision did."""

    pair: str = Field(examples=["7-12"])
    decision: str = Field(examples=["different"])
    reason: str
    decided_by: str = Field(examples=["analyst@ersou"])
    previous: str | None = Field(description="The decision it replaced, if any.")
    ids_changed: list[int] = Field(description="Records whose resolved person changed.")

    @classmethod
    def of(cls, made: DecisionMade) -> DecisionOut:
        return cls(
            pair=made.pair,
            decision=made.decision,
            reason=made.reason,
            decided_by=made.decided_by,
            previous=made.previous,
            ids_changed=made.ids_changed,
        )


@router.get("/resolution/review", responses=QUEUE_ERRORS)
def get_queue(session: SessionDep, actor: ActorDep, paging: PagingDep) -> PageOut[PairOut]:
    """The pairs waiting for the caller's review, newest model and likeliest pairs first."""
    found = review_queue(session, actor=actor)
    page = found[paging.offset : paging.offset + paging.limit]
    more = len(found) > paging.offset + len(page)
    return PageOut[PairOut].of([PairOut.of(p) for p in page], paging, more=more)


@router.post("/resolution/review", responses=DECIDE_ERRORS)
def post_decision(session: SessionDep, actor: ActorDep, body: DecisionIn) -> DecisionOut:
    """Decide whether a pair is one person; kept, and applied to the resolved ids at once."""
    made = decide(
        session,
        actor=actor,
        first=str(body.first),
        second=str(body.second),
        decision=body.decision,
        reason=body.reason,
    )
    return DecisionOut.of(made)
