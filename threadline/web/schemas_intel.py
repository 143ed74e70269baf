"""Pydantic schemas of the intelligence API, with examples, and converters from views.

What the API returns is what the services return: `ReportView`s and `SanitisedView`s
already reduced by policy to the fields the caller may see. A field left out of an
answer is withheld by policy (for example the source, outside the originating unit, or a
field a partner's agreement does not cover); `conditions` always travels with code C.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from threadline.intel import ReportView, SanitisedView
from threadline.intel.types import Priority, SourceType
from threadline.model.enums import Marking
from threadline.model.events import HandlingCode, IntelligenceAssessment, SourceEvaluation
from threadline.storage.ids import MAX_ID

# No NUL or other C0 control characters but tab and line breaks: PostgreSQL refuses NUL
# in text, and nothing a person types needs the others.
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
Short = Annotated[str, Field(max_length=200, pattern=TEXT)]
Word = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")]
EntityId = Annotated[int, Field(ge=1, le=MAX_ID)]

CONDITIONS_EXAMPLE = "May be shared with safeguarding partners for safeguarding purposes only."


class GradingIn(BaseModel):
    """A 3x5x2 grade; `conditions` are required with handling code C and refused with P."""

    model_config = ConfigDict(extra="forbid")

    source: SourceEvaluation = Field(
        description="Source evaluation: 1 reliable, 2 untested, 3 not reliable.", examples=["2"]
    )
    intelligence: IntelligenceAssessment = Field(
        description="Intelligence assessment: A known directly to the source, B known "
        "indirectly but corroborated, C known indirectly, D not known, E suspected false.",
        examples=["B"],
    )
    handling: HandlingCode = Field(
        description="Handling code: P lawful sharing permitted; C permitted subject to "
        "the conditions stated.",
        examples=["C"],
    )
    conditions: str | None = Field(
        default=None,
        max_length=2000,
        pattern=TEXT,
        description="The conditions of code C, in full; they travel with every dissemination.",
        examples=[CONDITIONS_EXAMPLE],
    )


class SourceIn(BaseModel):
    """Who or what the source is: kept by the originating unit, never disseminated."""

    model_config = ConfigDict(extra="forbid")

    source_ref: str = Field(
        max_length=100,
        pattern=TEXT,
        description="The unit's own reference for the source (at least 3 characters).",
        examples=["CHIS-NFK-0042"],
    )
    source_type: SourceType = Field(examples=["chis"])
    description: str = Field(default="", max_length=500, pattern=TEXT, examples=[""])
    handler: str = Field(default="", max_length=200, pattern=TEXT, examples=["DC Alex Handler"])


class ReportIn(BaseModel):
    """A new intelligence report, graded 3x5x2."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "subjects": [1042],
                    "fact": "Seen handing small packages to people near Norwich station.",
                    "assessment": "Likely to be running drugs for a county line.",
                    "grading": {
                        "source": "2",
                        "intelligence": "B",
                        "handling": "C",
                        "conditions": CONDITIONS_EXAMPLE,
                    },
                    "marking": "OFFICIAL-SENSITIVE",
                    "priority": "routine",
                    "area_code": "norwich",
                    "source": {"source_ref": "PC 1234", "source_type": "officer"},
                }
            ]
        },
    )

    subjects: list[EntityId] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of the people, groups, places, phones or vehicles it is about.",
    )
    fact: str = Field(max_length=10_000, pattern=TEXT, description="What was seen, as fact.")
    assessment: str = Field(
        default="", max_length=10_000, pattern=TEXT, description="The submitter's assessment."
    )
    grading: GradingIn
    marking: Marking = Field(
        default=Marking.OFFICIAL, description="At or below the caller's clearance."
    )
    priority: Priority = Priority.ROUTINE
    area_code: Short | None = Field(default=None, description="A policing area, e.g. norwich.")
    scope: str = Field(
        default="region",
        pattern="^(region|agency)$",
        description="region: every force of the region may read it; agency: yours only.",
    )
    restricted_to: list[Word] = Field(
        default_factory=list,
        max_length=20,
        description="Code C only: organisation codes or kinds (or `police`) it is limited to.",
    )
    source: SourceIn
    unit: Short | None = Field(
        default=None, description="The intelligence unit to own the source (default: yours)."
    )
    reported_on: date | None = Field(default=None, description="Default: today.")


class SanitisedIn(BaseModel):
    """A sanitised version of a report; grading, marking and restriction default to its own."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "A child in Norwich is believed to be running cash for a county line.",
                    "grading": {
                        "source": "2",
                        "intelligence": "B",
                        "handling": "C",
                        "conditions": CONDITIONS_EXAMPLE,
                    },
                    "restricted_to": ["childrens_services", "police"],
                }
            ]
        },
    )

    text: str = Field(
        max_length=10_000, pattern=TEXT, description="Text that does not reveal the source."
    )
    grading: GradingIn | None = None
    marking: Marking | None = None
    restricted_to: list[Word] | None = Field(default=None, max_length=20)


class SourceOut(BaseModel):
    """The source, shown only to the originating intelligence unit."""

    source_ref: str | None = Field(default=None, examples=["CHIS-NFK-0042"])
    source_type: str | None = Field(default=None, examples=["chis"])
    description: str | None = None
    handler: str | None = None
    submitted_by: str | None = Field(default=None, examples=["analyst@norfolk"])


class ReportOut(BaseModel):
    """An intelligence report as the caller may see it; absent fields are withheld."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 5120,
                    "ref": "NFK-IR-2026-000017",
                    "owner": "norfolk",
                    "unit": "norfolk-fib",
                    "marking": "OFFICIAL-SENSITIVE",
                    "scope": "region",
                    "reported_on": "2026-11-20",
                    "fact": "Seen handing small packages to people near Norwich station.",
                    "assessment": "Likely to be running drugs for a county line.",
                    "grading": "2BC",
                    "handling": "C",
                    "conditions": CONDITIONS_EXAMPLE,
                    "restricted_to": [],
                    "read_only": False,
                    "priority": "routine",
                    "area": "norwich",
                    "subjects": [1042],
                }
            ]
        }
    )

    id: int
    ref: str
    owner: str | None = None
    unit: str | None = None
    marking: str | None = None
    scope: str | None = None
    reported_on: str | None = None
    fact: str | None = None
    assessment: str | None = None
    grading: str | None = Field(default=None, description="3x5x2, e.g. 2BC; null for legacy.")
    source_eval: str | None = None
    intel_eval: str | None = None
    handling: str | None = None
    conditions: str | None = Field(default=None, description="Code C conditions to follow.")
    restricted_to: list[str] | None = None
    legacy_grade: str | None = Field(default=None, description="5x5x5 grade of older material.")
    read_only: bool | None = None
    priority: str | None = None
    area: str | None = None
    subjects: list[int] | None = None
    source: SourceOut | None = Field(
        default=None, description="Present only for the originating intelligence unit."
    )

    @classmethod
    def from_view(cls, view: ReportView) -> ReportOut:
        record = view.to_dict()
        source = {
            name: record.pop(key)
            for key, name in (
                ("source_ref", "source_ref"),
                ("source_type", "source_type"),
                ("source_description", "description"),
                ("source_handler", "handler"),
                ("submitted_by", "submitted_by"),
            )
            if key in record
        }
        data: dict[str, Any] = {k: v for k, v in record.items() if k in cls.model_fields}
        if source:
            data["source"] = source
        return cls.model_validate(data)


class SanitisedOut(BaseModel):
    """A sanitised report as the caller may see it; absent fields are withheld."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 311,
                    "ref": "NFK-IR-2026-000017-S1",
                    "report_ref": "NFK-IR-2026-000017",
                    "owner": "norfolk",
                    "marking": "OFFICIAL-SENSITIVE",
                    "text": "A child in Norwich is believed to be running cash for a county line.",
                    "grading": "2BC",
                    "handling": "C",
                    "conditions": CONDITIONS_EXAMPLE,
                    "restricted_to": [],
                    "area": "norwich",
                    "created_at": "2026-11-20T10:15:00",
                    "shared_under": "ISA-NOR-CADS",
                }
            ]
        }
    )

    id: int
    ref: str
    report_ref: str | None = None
    owner: str | None = None
    marking: str | None = None
    text: str | None = None
    grading: str | None = None
    source_eval: str | None = None
    intel_eval: str | None = None
    handling: str | None = None
    conditions: str | None = Field(default=None, description="Code C conditions to follow.")
    restricted_to: list[str] | None = None
    area: str | None = None
    created_at: str | None = None
    shared_under: str | None = Field(
        default=None, description="The information sharing agreement it reaches you under."
    )

    @classmethod
    def from_view(cls, view: SanitisedView) -> SanitisedOut:
        data: dict[str, Any] = {k: v for k, v in view.items() if k in cls.model_fields}
        data["conditions"] = view.conditions or data.get("conditions")
        if view.isa_ref:
            data["shared_under"] = view.isa_ref
        return cls.model_validate(data)
