"""POLE events. Later capabilities fill these out; the shapes here are their contracts.

Grading follows the College of Policing 3x5x2 model; legacy 5x5x5 grades are kept
read-only and never re-graded silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from threadline.model.entities import Provenance
from threadline.model.enums import Marking


class SourceEvaluation(StrEnum):
    """3x5x2 source evaluation."""

    RELIABLE = "1"
    UNTESTED = "2"
    NOT_RELIABLE = "3"


class IntelligenceAssessment(StrEnum):
    """3x5x2 intelligence assessment."""

    KNOWN_DIRECTLY = "A"
    KNOWN_INDIRECTLY_CORROBORATED = "B"
    KNOWN_INDIRECTLY = "C"
    NOT_KNOWN = "D"
    SUSPECTED_FALSE = "E"


class HandlingCode(StrEnum):
    """3x5x2 handling code: P may be shared lawfully; C only under stated conditions."""

    PERMITTED = "P"
    CONDITIONS = "C"


@dataclass(frozen=True, slots=True)
class Grading:
    """A 3x5x2 grade; `conditions` is mandatory when the handling code is C."""

    source: SourceEvaluation
    intelligence: IntelligenceAssessment
    handling: HandlingCode
    conditions: str | None = None

    def __str__(self) -> str:
        return f"{self.source.value}{self.intelligence.value}{self.handling.value}"


@dataclass(slots=True)
class IntelligenceReport:
    """An intelligence report: fact and assessment kept apart, graded, marked."""

    provenance: Provenance
    fact: str
    assessment: str
    grading: Grading | None
    marking: Marking = Marking.OFFICIAL
    legacy_grade: str | None = None  # a 5x5x5 grade as recorded; read-only
    subject_ids: list[int] = field(default_factory=list)
    id: int | None = None


@dataclass(slots=True)
class CustodyEpisode:
    """A period in prison: establishment, prison number, dates, expected release."""

    provenance: Provenance
    person_id: int
    establishment: str
    prison_number: str
    received_on: date
    expected_release: date | None = None
    released_on: date | None = None
    id: int | None = None


@dataclass(slots=True)
class Disruption:
    """A disruption of an OCG, threat or county line (4P strand, grade, tactic)."""

    provenance: Provenance
    target_id: int
    strand: str  # pursue | prevent | protect | prepare
    grade: str  # major | moderate | minor
    tactic: str
    rationale: str
    occurred_on: date
    id: int | None = None


@dataclass(slots=True)
class VulnerabilityScreening:
    """An exploitation screening of a person: indicators, window, resulting risk."""

    provenance: Provenance
    person_id: int
    answers: dict[str, str]
    risk: str
    reasons: list[str]
    screened_at: datetime
    id: int | None = None
