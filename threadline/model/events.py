"""The grading of intelligence: the College of Policing 3x5x2 model, as plain values.

A grade is a source evaluation (1-3), an intelligence assessment (A-E) and a handling
code (P, or C with mandatory conditions). Intelligence reports, their sanitised versions
and threat notices carry one; `threadline.intel.validation` parses and checks it. Legacy
5x5x5 grades are not modelled here: a report keeps its legacy grade as recorded, never
re-graded, and its handling is carried into code C (`threadline.intel.legacy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
