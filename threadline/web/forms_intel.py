"""The intelligence forms: their choices (with the meaning of each grade), parsing, messages.

Pages send what a person typed to the intel services, which validate everything; this
module only turns form fields into service arguments (radios left unanswered pass through
as empty values so the service reports every problem at once) and each service
`FieldError` into a GOV.UK error message fixed on the field it belongs to.
"""

from __future__ import annotations

import re
from typing import cast

from threadline.errors import FieldError
from threadline.intel.types import Priority, SourceType
from threadline.model.enums import Marking
from threadline.model.events import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SourceEvaluation,
)
from threadline.model.security import Actor
from threadline.policy import gate
from threadline.reference.geography import FORCES
from threadline.storage.ids import is_stored_id, typed_id

# (value, label, hint) of each choice; the hints are the College of Policing meanings.
SOURCE_EVALS = (
    ("1", "1 – Reliable", "The source has proved reliable, or its information is verified."),
    ("2", "2 – Untested", "Reliability is not yet known."),
    ("3", "3 – Not reliable", "There are doubts about the source's reliability."),
)
INTEL_EVALS = (
    ("A", "A – Known directly to the source", "The source saw or heard it themselves."),
    ("B", "B – Known indirectly to the source but corroborated", ""),
    ("C", "C – Known indirectly to the source", "Second hand, not corroborated."),
    ("D", "D – Not known", "How the source came to know it is not known."),
    ("E", "E – Suspected to be false or malicious", ""),
)
HANDLING_CODES = (
    ("P", "P – Lawful sharing permitted", "It may be shared under the usual rules."),
    ("C", "C – Lawful sharing permitted subject to conditions", "State the conditions."),
)
PRIORITIES = (
    (Priority.ROUTINE.value, "Routine", ""),
    (Priority.PRIORITY.value, "Priority", "Needs action within the shift or the day."),
    (Priority.IMMEDIATE.value, "Immediate", "A threat to life or of serious harm: act now."),
)
SCOPES = (
    ("region", "Police across the region", "Every force of the region and the regional unit."),
    ("agency", "My organisation only", "Other forces must ask for it to be disseminated."),
)
SOURCE_TYPES = (
    (SourceType.OFFICER.value, "My own observation (officer or staff)", ""),
    (SourceType.PUBLIC.value, "A member of the public", ""),
    (SourceType.CHIS.value, "A covert human intelligence source (CHIS)", ""),
    (SourceType.PARTNER.value, "A partner agency", ""),
    (SourceType.TECHNICAL.value, "A technical or digital source", ""),
    (SourceType.PRISON.value, "Prison intelligence", ""),
    (SourceType.OTHER.value, "Other", ""),
)
# The policing areas of the region by force, as (force, [(area code, area name)]).
AREAS = tuple(
    (force.name, tuple((area.code, area.name) for area in force.areas)) for force in FORCES
)
# Each grading field's values and what they mean ("C" is both an assessment and a code).
MEANINGS = {
    "source_eval": {value: label for value, label, _ in SOURCE_EVALS},
    "intel_eval": {value: label for value, label, _ in INTEL_EVALS},
    "handling": {value: label for value, label, _ in HANDLING_CODES},
}

MAX_TEXT = 10_000  # characters of a fact, assessment or sanitised text
MAX_SHORT = 500  # characters of every other field
MAX_SUBJECTS = 50
_SPLIT = re.compile(r"[\s,;]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

# Where each service error location is shown on the form, and its label in messages.
FIELD_OF = {
    "grading.source": "source_eval",
    "grading.intelligence": "intel_eval",
    "grading.handling": "handling",
    "source.source_ref": "source_ref",
    "source.source_type": "source_type",
    "source.description": "source_description",
    "source.handler": "source_handler",
    "grading": "source_eval",
}
LABELS = {
    "fact": "What you saw, heard or found",
    "assessment": "Your assessment",
    "text": "The sanitised text",
    "conditions": "The conditions",
    "restricted_to": "The restriction",
    "marking": "The marking",
    "priority": "The priority",
    "area_code": "The policing area",
    "scope": "Who may see it",
    "unit": "The intelligence unit",
    "subjects": "Each subject",
    "source_ref": "The source reference",
    "source_description": "The source description",
    "source_handler": "The handler",
    "grading": "The grading",
}
# Messages for a required answer left empty (GOV.UK: "Enter ..." / "Select ...").
EMPTY = {
    "fact": "Enter what you saw, heard or found",
    "text": "Enter the sanitised text",
    "conditions": "Enter the conditions of handling code C: they travel with every dissemination",
    "source_eval": "Select the source evaluation (1, 2 or 3)",
    "intel_eval": "Select the intelligence assessment (A to E)",
    "handling": "Select the handling code (P or C)",
    "source_type": "Select the type of source",
    "source_ref": "Enter the reference for the source, at least 3 characters",
}


def record_key(key: str) -> int | str:
    """A path segment as an id (digits) or a reference."""
    return int(key) if key.isdigit() and len(key) <= 18 else key


def clean(value: str | None, limit: int = MAX_SHORT) -> str:
    """A form value without control characters (PostgreSQL refuses NUL), cut to `limit`."""
    return _CONTROL.sub("", value or "")[:limit]


def markings_for(actor: Actor) -> list[str]:
    """The markings the actor may give: up to their clearance, never TOP SECRET."""
    return [m.value for m in gate.cleared_markings(actor) if m is not Marking.TOP_SECRET]


def default_marking(actor: Actor) -> str:
    allowed = markings_for(actor)
    return (
        Marking.OFFICIAL_SENSITIVE.value
        if Marking.OFFICIAL_SENSITIVE.value in allowed
        else allowed[0]
    )


def parse_subjects(text: str) -> tuple[list[int], list[tuple[str, str]]]:
    """Record ids from "1042, 1043"; errors name each word that is not an id."""
    ids: list[int] = []
    errors: list[tuple[str, str]] = []
    for word in (w for w in _SPLIT.split(text.strip()) if w):
        if (number := typed_id(word)) is not None and is_stored_id(number):
            ids.append(int(word))
        else:
            errors.append(("subjects", f"Subjects must be record ids, like 1042 (got “{word}”)"))
    if len(ids) > MAX_SUBJECTS:
        errors.append(("subjects", f"Give at most {MAX_SUBJECTS} subjects (got {len(ids)})"))
    return ids, errors


def parse_words(text: str) -> list[str]:
    """Organisation codes or kinds from "police, childrens_services"."""
    return [w for w in _SPLIT.split(text.strip()) if w][:20]


def grading_of(form: dict[str, str]) -> Grading:
    """The grading as given; unanswered or unknown radios reach the service as typed.

    The service checks each value against its scale and reports every problem at once.
    """
    return Grading(
        cast(SourceEvaluation, form.get("source_eval", "")),
        cast(IntelligenceAssessment, form.get("intel_eval", "")),
        cast(HandlingCode, form.get("handling", "")),
        form.get("conditions", "").strip() or None,
    )


REVEALS = "text in which "  # how the service says what of a text reveals the source


def message(error: FieldError, *, fallback: str) -> tuple[str, str]:
    """(field id, GOV.UK message) for a service error; `fallback` is the form's first field."""
    location = error.location
    if location.startswith("subjects["):
        return "subjects", f"Subject {error.received} must be {error.expected}"
    field = FIELD_OF.get(location, location)
    if field not in LABELS and field not in EMPTY:
        field = fallback  # an error the form has no field for is shown at its first field
    if not error.received.strip() and field in EMPTY:
        return field, EMPTY[field]
    if field in EMPTY and field not in LABELS:
        return field, f"{EMPTY[field]} (got “{error.received}”)"
    if error.expected.startswith("no "):  # e.g. conditions given with handling code P
        return field, error.expected[:1].upper() + error.expected[1:]
    label = LABELS.get(field, field)
    if error.received.startswith(REVEALS):  # which words match which protected value
        matches = error.received[len(REVEALS) :]
        return field, f"{label} reveals the source ({matches}): it must be {error.expected}"
    return field, f"{label} must be {error.expected}"
