"""The MoRiLE API: the priority list, a group's assessments, and recording one.

As on the pages (`threadline.morile`): the list is for police analysts, supervisors and
LROs and holds only groups the caller may see; a group's assessments are read as a read
of the group; assessing is for analysts and supervisors of the owning force or the
regional unit. Every read is logged; an assessment is an alteration.

`/groups/priorities` must be mounted before any `/groups/{id}` route (web/app.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from threadline.morile import (
    Assessment,
    GroupSummary,
    PriorityEntry,
    assess,
    group_morile,
    priority_list,
)
from threadline.web.api_common import ERRORS, RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1/groups", tags=["groups"])

GroupId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The group's record id.")]
LIST_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    403: {**RECORD_ERRORS[403], "description": "The caller may not see the priority list."},
}


class RatingOut(BaseModel):
    """One rating of an assessment."""

    rated: str = Field(examples=["Physical harm"])
    value: int = Field(examples=[3])
    level: str = Field(description="The level's words.", examples=["Substantial"])


class AssessmentOut(BaseModel):
    """A MoRiLE assessment, in words, with what changed since the one before."""

    id: int
    priority: str = Field(examples=["Priority 1 (high)"])
    priority_key: str = Field(description="The band's key on its scales.", examples=["p1"])
    score: float = Field(examples=[93.5])
    scale_version: str = Field(examples=["2026.1"])
    ratings: list[RatingOut]
    rationale: str
    assessed_by: str = Field(description="The assessor's name.", examples=["Nora Field"])
    assessed_at: datetime
    review_due: date
    review_overdue: bool
    changed: str = Field(
        description="The priority's change since the last assessment.",
        examples=["Up from Priority 2 (medium)"],
    )
    score_change: float | None = Field(description="Score now minus score before, or null.")
    ratings_changed: list[str] = Field(examples=[["Physical harm: Moderate to Substantial"]])

    @classmethod
    def of(cls, a: Assessment) -> AssessmentOut:
        return cls(
            id=a.id,
            priority=a.priority_label,
            priority_key=a.priority,
            score=a.score,
            scale_version=a.scale_version,
            ratings=[RatingOut(rated=r.label, value=r.value, level=r.words) for r in a.ratings],
            rationale=a.rationale,
            assessed_by=a.assessor,
            assessed_at=a.assessed_at,
            review_due=a.review_due,
            review_overdue=a.overdue,
            changed=a.change.headline,
            score_change=a.change.score_delta,
            ratings_changed=a.change.details,
        )


class ListedGroupOut(BaseModel):
    """A group on the priority list: its latest assessment, in brief."""

    group_id: int
    name: str
    force: str = Field(examples=["Norfolk Constabulary"])
    priority: str = Field(examples=["Priority 1 (high)"])
    score: float
    assessed_at: datetime
    review_due: date
    review_overdue: bool
    changed: str = Field(examples=["Priority unchanged"])
    ratings_changed: list[str]

    @classmethod
    def of(cls, e: PriorityEntry) -> ListedGroupOut:
        a = e.latest
        return cls(
            group_id=e.group_id,
            name=e.name,
            force=e.force_name,
            priority=a.priority_label,
            score=a.score,
            assessed_at=a.assessed_at,
            review_due=a.review_due,
            review_overdue=a.overdue,
            changed=a.change.headline,
            ratings_changed=a.change.details,
        )


class UnassessedOut(BaseModel):
    """A mapped group never assessed."""

    group_id: int
    name: str
    force: str

    @classmethod
    def of(cls, g: GroupSummary) -> UnassessedOut:
        return cls(group_id=g.id, name=g.name, force=g.owner_name)


class PrioritiesOut(BaseModel):
    """The priority list for a force or the region, as the caller may see it."""

    scope: str = Field(examples=["Norfolk Constabulary", "The whole region"])
    groups: list[ListedGroupOut] = Field(description="Highest priority, then score, first.")
    not_assessed: list[UnassessedOut]
    reviews_overdue: int


class GroupMorileOut(BaseModel):
    """A group's assessments, newest first."""

    group_id: int
    name: str
    assessments: list[AssessmentOut]
    may_assess: bool = Field(description="Whether the caller may record an assessment.")


class AssessmentIn(BaseModel):
    """A MoRiLE assessment of a group."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ratings": {
                        "physical": 3,
                        "psychological": 2,
                        "financial": 2,
                        "community": 3,
                        "geographic": 1,
                        "vulnerability": 4,
                        "likelihood": 5,
                        "confidence": 3,
                        "position": 2,
                    },
                    "rationale": "Runs a county line into Norwich using local children.",
                    "review_due": "2027-03-01",
                }
            ]
        },
    )
    ratings: dict[str, int] = Field(
        description=(
            "A level for each harm dimension (physical, psychological, financial, community,"
            " geographic, vulnerability: 0-4), likelihood (1-5), confidence (1-3) and"
            " position (1-4), as on the current scales."
        )
    )
    rationale: str = Field(max_length=4000, description="Why the group merits the priority.")
    review_due: date = Field(description="When to review: after today, within a year.")


@router.get("/priorities", responses=LIST_ERRORS)
def get_priorities(
    session: SessionDep,
    actor: ActorDep,
    force: Annotated[
        str | None, Query(max_length=100, description="A force's code or name; none: region.")
    ] = None,
) -> PrioritiesOut:
    """The priority list of the crime groups the caller may see, for a force or the region."""
    found = priority_list(session, actor=actor, force=force)
    return PrioritiesOut(
        scope=found.force_name or "The whole region",
        groups=[ListedGroupOut.of(e) for e in found.entries],
        not_assessed=[UnassessedOut.of(g) for g in found.not_assessed],
        reviews_overdue=found.overdue,
    )


@router.get("/{group_id}/morile", responses=RECORD_ERRORS)
def get_group_morile(session: SessionDep, actor: ActorDep, group_id: GroupId) -> GroupMorileOut:
    """A group's MoRiLE assessments, newest first, each with what it changed."""
    page = group_morile(session, actor=actor, group_id=group_id)
    return GroupMorileOut(
        group_id=page.group.id,
        name=page.group.name,
        assessments=[AssessmentOut.of(a) for a in page.history],
        may_assess=page.may_assess,
    )


@router.post(
    "/{group_id}/morile",
    responses={**RECORD_ERRORS, 400: {"description": "The request body is not JSON."}},
    status_code=201,
)
def post_assessment(
    session: SessionDep, actor: ActorDep, group_id: GroupId, body: AssessmentIn
) -> AssessmentOut:
    """Record a MoRiLE assessment of the group; answers it with its priority."""
    made = assess(
        session,
        actor=actor,
        group_id=group_id,
        ratings=dict(body.ratings),
        rationale=body.rationale,
        review_due=body.review_due,
    )
    return AssessmentOut.of(made)
