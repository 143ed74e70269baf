"""The OCG mapping score API: a group's score as the caller may see it, and adjustments.

A caller who may not see every record a score draws on gets `state: "hidden"` and a
message — no number, no band. Reads are audited (`ocg.viewed`), adjustments too.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from threadline.scoring import adjust_score, get_score
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, NOT_JSON, RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["crime groups"])

GroupId = Annotated[int, Path(ge=1, le=MAX_ID, description="The group's record id.")]


class GroupRef(BaseModel):
    id: int
    name: str = Field(examples=["Operation Kestrel"])
    owner: str = Field(description="Code of the owning force.", examples=["norfolk"])


class EvidenceOut(BaseModel):
    kind: str = Field(examples=["person"])
    id: int
    name: str = Field(examples=["John Smith"])


class ItemOut(BaseModel):
    item: str = Field(examples=["Firearms marker"])
    points: int = Field(examples=[10])
    evidence: list[EvidenceOut]


class DimensionOut(BaseModel):
    dimension: str = Field(examples=["criminality"])
    label: str = Field(examples=["Criminality of members"])
    points: int = Field(description="From the records, after the dimension's cap.")
    adjustment: int = Field(description="Analysts' adjustments in force on it.")
    items: list[ItemOut]


class AdjustmentOut(BaseModel):
    id: int
    dimension: str = Field(examples=["Criminality of members"])
    points: int = Field(examples=[10])
    reason: str
    made_by: str
    made_at: str = Field(description="ISO 8601, UTC.")
    withdrawn: bool


class HistoryOut(BaseModel):
    computed_at: str = Field(description="ISO 8601, UTC.")
    hidden: bool = Field(description="True: it draws on records the caller may not see.")
    band: str | None = Field(examples=["Band B (high harm)"])
    total: int | None
    changes: list[str] = Field(examples=[["Added: Principal (+12)"]])


class ScoreOut(BaseModel):
    """A group's mapping score; only `group`, `state` and `message` unless `scored`."""

    group: GroupRef
    state: Literal["scored", "hidden", "unscored"]
    message: str | None = Field(
        default=None, examples=["This group's score draws on records you cannot see"]
    )
    scale_version: str | None = Field(default=None, examples=["2026.1"])
    points: int | None = Field(default=None, description="From the records.")
    adjusted: int | None = Field(default=None, description="With adjustments: banded.")
    band: str | None = Field(default=None, examples=["B"])
    band_name: str | None = Field(default=None, examples=["Band B (high harm)"])
    computed_at: str | None = None
    dimensions: list[DimensionOut] = Field(default_factory=list)
    adjustments: list[AdjustmentOut] = Field(default_factory=list)
    history: list[HistoryOut] = Field(default_factory=list)


class AdjustmentIn(BaseModel):
    """An adjustment: points on one dimension, within the scale's range, with a reason."""

    model_config = ConfigDict(extra="forbid")
    dimension: str = Field(max_length=32, examples=["criminality"])
    points: int = Field(examples=[10], description="Within the scale's range; not 0.")
    reason: str = Field(max_length=4_000, examples=["Debrief: the group now holds handguns."])


def _out(found: dict[str, Any]) -> ScoreOut:
    return ScoreOut.model_validate(found)


@router.get("/groups/{group_id}/score", responses=RECORD_ERRORS)
def read_score(session: SessionDep, actor: ActorDep, group_id: GroupId) -> ScoreOut:
    """A group's OCG mapping score, inputs, adjustments and history (audited)."""
    return _out(get_score(session, actor=actor, group_id=group_id).as_json())


@router.post(
    "/groups/{group_id}/score/adjustments",
    status_code=201,
    responses={**RECORD_ERRORS, **{422: ERRORS[422]}, **NOT_JSON},
)
def add_adjustment(
    session: SessionDep, actor: ActorDep, group_id: GroupId, body: AdjustmentIn
) -> ScoreOut:
    """Adjust the group's score on one dimension, with a reason; answers the new score."""
    adjust_score(
        session,
        actor=actor,
        group_id=group_id,
        dimension=body.dimension,
        points=body.points,
        reason=body.reason,
    )
    return _out(get_score(session, actor=actor, group_id=group_id).as_json())
