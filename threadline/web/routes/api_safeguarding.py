"""The safeguarding API: the same screening tool and concerns as the pages, for partners'
and forces' own systems. Answers hold only what the caller may see; reads are audited."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from threadline.policy import View
from threadline.safeguarding import (
    DEFAULT_CONFIG,
    Answer,
    IndicatorAnswer,
    Window,
    list_concerns,
    list_screenings,
    raise_concern,
    record_screening,
)
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["safeguarding"])

PersonId = Annotated[int, Path(ge=1, le=MAX_ID, description="The person's record id.")]
WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **RECORD_ERRORS,
    400: {**ERRORS[422], "description": "The body could not be read as JSON."},
}


class IndicatorOut(BaseModel):
    """One question of the screening tool."""

    code: str = Field(examples=["cce.deal_line"])
    category: str = Field(examples=["criminal_exploitation"])
    text: str = Field(examples=["Linked to a deal line or to a county line's members"])
    weight: int = Field(description="Multiplies the points the answer scores.", examples=[2])


class ToolOut(BaseModel):
    """The screening tool's configuration: indicators, points, thresholds, floor rules."""

    version: str = Field(examples=["tl-screening-1"])
    indicators: list[IndicatorOut]
    points: dict[str, int] = Field(examples=[{"yes_current": 2, "yes_earlier": 1}])
    thresholds: dict[str, int] = Field(examples=[{"low": 1, "medium": 4, "high": 8}])
    floors: list[str] = Field(
        examples=[["a child under 13 who shows indicators is never rated below medium"]]
    )


class AnswerIn(BaseModel):
    """An answer to one indicator; `window` is required for `yes`."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=64, examples=["cce.deal_line"])
    answer: Literal["yes", "no", "not_known"]
    window: Literal["current", "earlier"] | None = Field(
        default=None, description="current: now or in the last 6 months; earlier: before."
    )


class ScreeningIn(BaseModel):
    """A screening: the answers given (unanswered indicators count as not known)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"answers": [{"code": "cce.deal_line", "answer": "yes", "window": "current"}]}
            ]
        },
    )
    answers: list[AnswerIn] = Field(max_length=200)
    learning_disability: bool = Field(default=False, description="A floor rule applies.")


class ConcernIn(BaseModel):
    """A concern: what was seen or told, and any indicators of the screening tool."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=10_000, examples=["Missing from school twice."])
    indicators: list[str] = Field(default_factory=list, max_length=100, examples=[["cce.missing"]])
    case_ref: str = Field(
        default="", max_length=64, description="Your own case reference.", examples=["CADS-4411"]
    )


class RecordOut(BaseModel):
    """A safeguarding record (screening or concern) as the caller may see it."""

    record: dict[str, Any] = Field(
        description="The fields the caller may see: `record_type`, `risk` and `reasons` of a "
        "screening; `text`, `indicators` and the police `response` of a concern."
    )
    isa_ref: str | None = Field(default=None, description="The agreement it was shared under.")

    @classmethod
    def of(cls, view: View) -> RecordOut:
        return cls(record=view.to_dict(), isa_ref=view.isa_ref)


@router.get("/safeguarding/screening-tool", responses=ERRORS)
def screening_tool(actor: ActorDep) -> ToolOut:
    """The screening tool's indicators, point scale, thresholds and floor rules."""
    config = DEFAULT_CONFIG
    return ToolOut(
        version=config.version,
        indicators=[
            IndicatorOut(code=i.code, category=i.category.value, text=i.text, weight=i.weight)
            for i in config.indicators
        ],
        points=dict(config.points),
        thresholds={level.value: lowest for level, lowest in config.thresholds.items()},
        floors=[
            f"{rule.description} who shows indicators is never rated below {rule.minimum.value}"
            for rule in config.floors
        ],
    )


@router.post("/people/{person_id}/screenings", status_code=201, responses=WRITE_ERRORS)
def post_screening(
    session: SessionDep, actor: ActorDep, person_id: PersonId, body: ScreeningIn
) -> RecordOut:
    """Screen a person: the level and the reasons that produced it."""
    answers = [
        IndicatorAnswer(a.code, Answer(a.answer), Window(a.window) if a.window else None)
        for a in body.answers
    ]
    view = record_screening(
        session,
        actor=actor,
        person_id=person_id,
        answers=answers,
        learning_disability=body.learning_disability,
    )
    return RecordOut.of(view)


@router.get("/people/{person_id}/screenings", responses=RECORD_ERRORS)
def get_screenings(session: SessionDep, actor: ActorDep, person_id: PersonId) -> list[RecordOut]:
    """The person's screenings the caller may see, newest first."""
    return [RecordOut.of(v) for v in list_screenings(session, actor=actor, person_id=person_id)]


@router.post("/people/{person_id}/concerns", status_code=201, responses=WRITE_ERRORS)
def post_concern(
    session: SessionDep, actor: ActorDep, person_id: PersonId, body: ConcernIn
) -> RecordOut:
    """Raise a concern about a person; police see it on their checks."""
    view = raise_concern(
        session,
        actor=actor,
        person_id=person_id,
        text=body.text,
        indicators=body.indicators,
        case_ref=body.case_ref,
    )
    return RecordOut.of(view)


@router.get("/people/{person_id}/concerns", responses=RECORD_ERRORS)
def get_concerns(session: SessionDep, actor: ActorDep, person_id: PersonId) -> list[RecordOut]:
    """Concerns about the person the caller may see, with any police response it may see."""
    return [RecordOut.of(v) for v in list_concerns(session, actor=actor, person_id=person_id)]
