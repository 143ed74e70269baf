"""The disruptions API: the list (filtered, paged), one disruption, recording one,
a supervisor's validation or regrade, and court outcomes.

The same services as the disruption pages (`threadline.disruptions`): policy decides who
may read, record, validate and add outcomes; a disruption (or a subject, or a person)
the caller may not see is answered as missing (404). Dates are YYYY-MM-DD; codes are
those of `threadline.disruptions.vocabulary`, each answered with its words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from threadline.disruptions import vocabulary as v
from threadline.disruptions.reading import get_disruption, list_disruptions
from threadline.disruptions.record import add_outcome, record_disruption, validate
from threadline.disruptions.types import (
    CourtOutcome,
    Disruption,
    DisruptionDraft,
    DisruptionFilters,
    OutcomeDraft,
    Tactic,
    TacticDraft,
)
from threadline.storage.ids import MAX_ID
from threadline.web.api_common import ERRORS, RECORD_ERRORS, PageOut, PagingDep, term
from threadline.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["disruptions"])

DisruptionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The disruption's id.")]
WRITE_ERRORS: dict[int | str, dict[str, object]] = {
    **RECORD_ERRORS,
    400: {**ERRORS[422], "description": "The body could not be read as JSON."},
    409: {
        **ERRORS[422],
        "description": "The grade was already decided, or the source reference already used.",
    },
}
LIST_ERRORS: dict[int | str, dict[str, object]] = {
    **ERRORS,
    403: {**RECORD_ERRORS[403], "description": "The caller may not read disruptions (a partner)."},
}
Code = Annotated[str, Field(max_length=40)]


class Coded(BaseModel):
    """A code and its words."""

    code: str = Field(examples=["county_line"])
    words: str = Field(examples=["County line"])


def _coded(code: str | None, vocabulary: Mapping[str, str]) -> Coded | None:
    return Coded(code=code, words=v.word(code, vocabulary)) if code else None


class SubjectOut(BaseModel):
    """What the disruption was against: a record (by id) or a threat theme alone."""

    kind: Coded
    id: int | None = Field(description="The record's id; null for a threat theme.")
    name: str | None = Field(examples=["ACE"])


class TacticOut(BaseModel):
    """A tactic used, with its quantity (seizures) and the person it concerned."""

    tactic: Coded
    quantity: float | None = Field(examples=[250])
    unit: str | None = Field(examples=["g"], description="g, kg, £ or items.")
    amount: str = Field(examples=["250 g"], description="The quantity in words.")
    person_id: int | None = Field(description="Null when none, or one the caller may not see.")
    person_name: str | None
    detail: str

    @classmethod
    def of(cls, t: Tactic) -> TacticOut:
        return cls(
            tactic=Coded(code=t.tactic, words=t.label), quantity=t.quantity, unit=t.unit,
            amount=t.amount, person_id=t.person_id, person_name=t.person_name, detail=t.detail,
        )  # fmt: skip


class OutcomeOut(BaseModel):
    """A step in a person's court journey after the disruption."""

    id: int
    person_id: int | None = Field(description="Null when the caller may not see the person.")
    person_name: str | None
    stage: Coded
    on_date: date
    offence: str
    sentence: Coded | None
    custodial_months: int | None = Field(examples=[54])
    custodial: str = Field(examples=["4 years 6 months"], description="The term in words.")
    orders: str | None
    recorded_by: str | None

    @classmethod
    def of(cls, o: CourtOutcome) -> OutcomeOut:
        return cls(
            id=o.id, person_id=o.person_id, person_name=o.person_name,
            stage=Coded(code=o.stage, words=o.stage_label), on_date=o.on_date, offence=o.offence,
            sentence=_coded(o.sentence, v.SENTENCES), custodial_months=o.custodial_months,
            custodial=o.custodial_text, orders=o.orders, recorded_by=o.recorded_by,
        )  # fmt: skip


class DisruptionOut(BaseModel):
    """A disruption as the caller may see it."""

    id: int
    force: Coded = Field(description="The recording force: its code and name.")
    subject: SubjectOut
    theme: Coded | None
    strand: Coded
    grade: Coded = Field(description="The validated grade, or the claimed one until then.")
    claimed_grade: Coded
    validation: Coded = Field(description="claimed (awaiting validation), validated, regraded.")
    validation_reason: str | None
    validated_by: str | None
    validated_at: datetime | None
    rationale: str
    occurred_on: date
    lead_officer: str | None
    lead_agency: Coded | None = Field(description="The partner leading a partner-led one.")
    team: str | None
    summary: str
    marking: str = Field(examples=["OFFICIAL"])
    source_system: str
    source_id: str | None
    tactics: list[TacticOut]
    outcomes: list[OutcomeOut]
    custodial_months: int = Field(description="Custodial months of its court outcomes.")
    may_validate: bool = Field(description="Whether the caller may validate or regrade it.")
    may_add_outcome: bool = Field(description="Whether the caller may add court outcomes.")

    @classmethod
    def of(cls, d: Disruption) -> DisruptionOut:
        return cls(
            id=d.id,
            force=Coded(code=d.agency_code, words=d.agency_name),
            subject=SubjectOut(
                kind=Coded(code=d.subject_kind, words=d.subject_kind_label),
                id=d.subject_id,
                name=d.subject_name,
            ),
            theme=_coded(d.theme, v.THEMES),
            strand=Coded(code=d.strand, words=d.strand_label),
            grade=Coded(code=d.effective_grade, words=d.grade_label),
            claimed_grade=Coded(code=d.claimed_grade, words=d.claimed_grade_label),
            validation=Coded(code=d.validation, words=d.validation_label),
            validation_reason=d.validation_reason,
            validated_by=d.validated_by,
            validated_at=d.validated_at,
            rationale=d.rationale,
            occurred_on=d.occurred_on,
            lead_officer=d.lead_officer,
            lead_agency=(
                Coded(code=d.lead_agency_code, words=d.lead_agency_name or d.lead_agency_code)
                if d.lead_agency_code
                else None
            ),
            team=d.team,
            summary=d.summary,
            marking=d.marking,
            source_system=d.source_system,
            source_id=d.source_id,
            tactics=[TacticOut.of(t) for t in d.tactics],
            outcomes=[OutcomeOut.of(o) for o in d.outcomes],
            custodial_months=d.custodial_months,
            may_validate=d.may_validate,
            may_add_outcome=d.may_add_outcome,
        )


class TacticIn(BaseModel):
    """A tactic to record."""

    model_config = ConfigDict(extra="forbid")
    tactic: Code = Field(description="A tactic code, e.g. arrest or seizure_drugs.")
    quantity: float | None = Field(default=None, ge=0, le=1e9)
    unit: str | None = Field(default=None, max_length=8, description="g, kg, £ or items.")
    person_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The person it concerned (arrest, charge…)."
    )
    detail: str = Field(default="", max_length=4000)


class DisruptionIn(BaseModel):
    """A disruption to record (claimed: a supervisor validates its grade)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subject_kind": "county_line",
                    "subject_id": 4021,
                    "strand": "pursue",
                    "grade": "major",
                    "rationale": "Controller charged; the line went quiet for six weeks.",
                    "occurred_on": "2026-05-14",
                    "tactics": [
                        {"tactic": "arrest", "person_id": 1201},
                        {"tactic": "seizure_drugs", "quantity": 250, "unit": "g"},
                    ],
                    "team": "Operation Kestrel team",
                }
            ]
        },
    )
    subject_kind: Code = Field(description="group, county_line, person or theme.")
    subject_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The record's id; none for a theme."
    )
    theme: Code | None = Field(default=None, description="A threat theme code.")
    strand: Code = Field(description="pursue, prevent, protect or prepare.")
    grade: Code = Field(description="The claimed grade: major, moderate or minor.")
    rationale: str = Field(max_length=4000, description="Why: the impact on its capability.")
    occurred_on: date
    tactics: list[TacticIn] = Field(max_length=50)
    lead_officer_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    lead_agency: str | None = Field(
        default=None, max_length=64, description="A partner's code, for a partner-led one."
    )
    team: str | None = Field(default=None, max_length=120)
    summary: str = Field(default="", max_length=4000)
    marking: str = Field(default="OFFICIAL", max_length=32)
    force: str | None = Field(
        default=None, max_length=64, description="The recording force (the caller's own)."
    )
    source_system: str = Field(default="threadline", max_length=64)
    source_id: str | None = Field(default=None, max_length=128)

    def draft(self) -> DisruptionDraft:
        return DisruptionDraft(
            subject_kind=self.subject_kind,
            strand=self.strand,
            claimed_grade=self.grade,
            rationale=self.rationale,
            occurred_on=self.occurred_on,
            entity_id=self.subject_id,
            theme=self.theme,
            tactics=tuple(TacticDraft(**t.model_dump()) for t in self.tactics),
            lead_officer_id=self.lead_officer_id,
            lead_agency_code=self.lead_agency,
            team=self.team,
            summary=self.summary,
            marking=self.marking,
            agency_code=self.force,
            source_system=self.source_system,
            source_id=self.source_id,
        )


class ValidationIn(BaseModel):
    """A supervisor's decision on the claimed grade."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"grade": "moderate", "reason": "The line re-emerged within a week."}]
        },
    )
    grade: Code = Field(description="The claimed grade to validate it, another to regrade it.")
    reason: str = Field(default="", max_length=4000, description="Required to regrade.")


class OutcomeIn(BaseModel):
    """A court outcome for one person after the disruption."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "person_id": 1201,
                    "stage": "sentenced",
                    "on_date": "2026-11-20",
                    "offence": "Possession with intent to supply class A",
                    "sentence": "custodial",
                    "custodial_months": 54,
                }
            ]
        },
    )
    person_id: int = Field(ge=1, le=MAX_ID)
    stage: Code = Field(description="charged, convicted, acquitted, discontinued, sentenced.")
    on_date: date
    offence: str = Field(default="", max_length=4000)
    sentence: Code | None = Field(
        default=None, description="At sentence: custodial, suspended, community, fine, order."
    )
    custodial_months: int | None = Field(default=None, ge=1, le=1200)
    orders: str | None = Field(default=None, max_length=4000)


@router.get("/disruptions", responses=LIST_ERRORS)
def get_disruptions(
    session: SessionDep,
    actor: ActorDep,
    paging: PagingDep,
    force: Annotated[str, term("A recording force's code, e.g. norfolk.")] = "",
    theme: Annotated[str, term("A threat theme code, e.g. drugs_county_lines.")] = "",
    strand: Annotated[str, term("A 4P strand: pursue, prevent, protect, prepare.")] = "",
    grade: Annotated[str, term("The grade that counts: major, moderate, minor.")] = "",
    tactic: Annotated[str, term("A tactic code, e.g. seizure_drugs.")] = "",
    validation: Annotated[
        Literal["", "claimed", "validated", "regraded"],
        Query(description="Awaiting validation, validated or regraded."),
    ] = "",
    subject_kind: Annotated[
        Literal["", "group", "county_line", "person", "theme"],
        Query(description="What the disruptions were against."),
    ] = "",
    subject_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Those against this record only.")
    ] = None,
    team: Annotated[str, term("The team that led them.")] = "",
    month: Annotated[str, term("A month, YYYY-MM (e.g. 2026-09).")] = "",
    date_from: Annotated[date | None, Query(description="From this day (YYYY-MM-DD).")] = None,
    date_to: Annotated[date | None, Query(description="Up to this day (YYYY-MM-DD).")] = None,
) -> PageOut[DisruptionOut]:
    """The disruptions the caller may see, newest first, filtered."""
    filters = DisruptionFilters(
        force=force or None, theme=theme or None, strand=strand or None, grade=grade or None,
        tactic=tactic or None, validation=validation or None, subject_kind=subject_kind or None,
        entity_id=subject_id, team=team or None, month=month or None, date_from=date_from,
        date_to=date_to,
    )  # fmt: skip
    page = list_disruptions(
        session, actor=actor, filters=filters, offset=paging.offset, limit=paging.limit
    )
    more = paging.offset + len(page.items) < page.total
    return PageOut[DisruptionOut].of([DisruptionOut.of(d) for d in page.items], paging, more=more)


@router.get("/disruptions/{disruption_id}", responses=RECORD_ERRORS)
def get_one(session: SessionDep, actor: ActorDep, disruption_id: DisruptionId) -> DisruptionOut:
    """One disruption: subject, grade and its validation, tactics and court outcomes."""
    found = get_disruption(session, actor=actor, disruption_id=disruption_id)
    return DisruptionOut.of(found)


@router.post("/disruptions", status_code=201, responses=WRITE_ERRORS)
def post_disruption(session: SessionDep, actor: ActorDep, body: DisruptionIn) -> DisruptionOut:
    """Record a disruption against a group, county line, person or threat theme."""
    new_id = record_disruption(session, actor=actor, draft=body.draft())
    return DisruptionOut.of(get_disruption(session, actor=actor, disruption_id=new_id))


@router.post("/disruptions/{disruption_id}/validation", responses=WRITE_ERRORS)
def post_validation(
    session: SessionDep, actor: ActorDep, disruption_id: DisruptionId, body: ValidationIn
) -> DisruptionOut:
    """Validate the claimed grade (the same grade) or regrade it (another, with a reason)."""
    validate(
        session, actor=actor, disruption_id=disruption_id, grade=body.grade, reason=body.reason
    )
    return DisruptionOut.of(get_disruption(session, actor=actor, disruption_id=disruption_id))


@router.post("/disruptions/{disruption_id}/outcomes", status_code=201, responses=WRITE_ERRORS)
def post_outcome(
    session: SessionDep, actor: ActorDep, disruption_id: DisruptionId, body: OutcomeIn
) -> OutcomeOut:
    """Record a court outcome (charge to sentence) for a person after the disruption."""
    draft = OutcomeDraft(**body.model_dump())
    outcome_id = add_outcome(session, actor=actor, disruption_id=disruption_id, draft=draft)
    found = get_disruption(session, actor=actor, disruption_id=disruption_id)
    return OutcomeOut.of(next(o for o in found.outcomes if o.id == outcome_id))
