"""Checks on intelligence before anything is written; each problem is a `FieldError`.

The source-identity check is the heart of sanitisation: text that leaves the originating
unit (a report's fact, assessment and conditions, and every sanitised text) must not
contain the source's reference, description or handler. Matching ignores case, spacing,
punctuation, accents, invisible characters, ranks and initials, and references are
matched in any format (see `threadline.intel.identity`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import FieldError
from threadline.intel.identity import Revealed, find
from threadline.intel.types import Priority, SourceDetails, SourceType
from threadline.model.enums import AgencyKind, Marking
from threadline.model.events import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SourceEvaluation,
)
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, decide, entity_facts
from threadline.policy.vocabulary import POLE_KINDS, POLICE_WORD
from threadline.storage.reference import get_agency
from threadline.storage.tables import AgencyRow, AreaRow, UserRow

MIN_IDENTITY_LENGTH = 3  # shorter identity strings would match almost any text
_SPACE = re.compile(r"\s+")
_LEGACY = re.compile(r"^([A-E])([1-5])([1-5])$")
_GRADE = re.compile(r"^([1-3])([A-E])([PC])$")


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


Protected = dict[str, tuple[str, str]]  # how it is spoken of -> (kind, value)


def identity_strings(source: SourceDetails) -> Protected:
    """The parts of a source's identity that must never leave the unit.

    Keyed by how each is spoken of to the analyst ("the handler's name"), with the kind
    of value it is (see `threadline.intel.identity.needles`) and the value.
    """
    parts = {
        "the source reference": ("reference", source.source_ref),
        "the source description": ("phrase", source.description),
        "the handler's name": ("name", source.handler),
    }
    return {name: (kind, value) for name, (kind, value) in parts.items() if _fold(value)}


def revealed(text: str | None, identity: Protected) -> list[Revealed]:
    """Each part of `text` that spells a protected value, however written (see
    `threadline.intel.identity`)."""
    return find(text, identity)


def reveal_errors(location: str, text: str | None, identity: Protected) -> list[FieldError]:
    """A FieldError if `text` reveals the source, saying which words of the text match
    which protected value ("the handler's name"), so the analyst can rewrite them."""
    found = revealed(text, identity)
    if not found:
        return []
    matches = "; ".join(f'"{hit.found}" matches {hit.what}' for hit in found)
    return [
        FieldError(
            location,
            f"text in which {matches}",
            "text that does not reveal the source: leave out these words and any other way "
            "of writing them (initials, spacing, accents); the source's identity stays in the "
            "source record, which only the originating unit sees",
        )
    ]


def source_errors(source: SourceDetails) -> list[FieldError]:
    errors = []
    if len(source.source_ref.strip()) < MIN_IDENTITY_LENGTH:
        errors.append(
            FieldError(
                "source.source_ref",
                source.source_ref,
                f"the unit's reference for the source, at least {MIN_IDENTITY_LENGTH} characters",
            )
        )
    if source.source_type not in {t.value for t in SourceType}:
        errors.append(
            FieldError(
                "source.source_type",
                str(source.source_type),
                "one of " + ", ".join(t.value for t in SourceType),
            )
        )
    for name, value in (("description", source.description), ("handler", source.handler)):
        if value.strip() and len(value.strip()) < MIN_IDENTITY_LENGTH:
            errors.append(
                FieldError(
                    f"source.{name}",
                    value,
                    f"empty, or at least {MIN_IDENTITY_LENGTH} characters",
                )
            )
    return errors


def parse_grading(text: str, conditions: str | None = None) -> Grading | FieldError:
    """Read a 3x5x2 grade written as "1AP" or "2BC" (with conditions for C)."""
    match = _GRADE.match(text.strip().upper())
    if match is None:
        return FieldError(
            "grading",
            text,
            "a 3x5x2 grade: source 1-3, intelligence A-E, handling P or C (e.g. 1AP, 2BC)",
        )
    source, intel, handling = match.groups()
    return Grading(
        SourceEvaluation(source), IntelligenceAssessment(intel), HandlingCode(handling), conditions
    )


def grading_errors(grading: Grading, restricted_to: Sequence[str]) -> list[FieldError]:
    """3x5x2 values, conditions mandatory for C and absent for P."""
    errors = []
    checks: list[tuple[str, object, type[SourceEvaluation | IntelligenceAssessment | HandlingCode]]]
    checks = [
        ("grading.source", grading.source, SourceEvaluation),
        ("grading.intelligence", grading.intelligence, IntelligenceAssessment),
        ("grading.handling", grading.handling, HandlingCode),
    ]
    for location, value, enum in checks:
        if value not in {member.value for member in enum}:
            allowed = ", ".join(member.value for member in enum)
            errors.append(FieldError(location, str(value), f"one of {allowed}"))
    conditions = (grading.conditions or "").strip()
    if grading.handling == HandlingCode.CONDITIONS and not conditions:
        errors.append(
            FieldError(
                "conditions",
                "",
                "the conditions of handling code C, stated in full (they travel with every "
                "dissemination)",
            )
        )
    if grading.handling == HandlingCode.PERMITTED:
        if conditions:
            errors.append(
                FieldError(
                    "conditions",
                    conditions,
                    "no conditions with handling code P; use handling code C to attach conditions",
                )
            )
        if restricted_to:
            errors.append(
                FieldError(
                    "restricted_to",
                    ",".join(restricted_to),
                    "no restriction with handling code P; use handling code C to restrict sharing",
                )
            )
    return errors


def parse_legacy_grade(text: str) -> tuple[str, int] | FieldError:
    """A 5x5x5 grade ("B24") normalised, and its handling code (1-5)."""
    grade = text.strip().upper()
    match = _LEGACY.match(grade)
    if match is None:
        return FieldError(
            "legacy_grade",
            text,
            "a 5x5x5 grade: source A-E, intelligence 1-5, handling 1-5 (e.g. B24)",
        )
    return grade, int(match.group(3))


def marking_value(marking: Marking | str) -> Marking | FieldError:
    try:
        value = Marking(marking)
    except ValueError:
        allowed = ", ".join(m.value for m in Marking if m is not Marking.TOP_SECRET)
        return FieldError("marking", str(marking), f"one of {allowed}")
    if value is Marking.TOP_SECRET:
        return FieldError(
            "marking",
            value.value,
            "OFFICIAL, OFFICIAL-SENSITIVE or SECRET: Threadline does not hold TOP SECRET material",
        )
    return value


def priority_value(priority: Priority | str) -> Priority | FieldError:
    try:
        return Priority(priority)
    except ValueError:
        return FieldError(
            "priority", str(priority), "one of " + ", ".join(p.value for p in Priority)
        )


def restriction_errors(session: Session, restricted_to: Sequence[str]) -> list[FieldError]:
    """Each word must be an agency code, an agency kind, or "police"."""
    words = {w.strip() for w in restricted_to if w.strip()}
    kinds = {k.value for k in AgencyKind} | {POLICE_WORD}
    codes = set(session.scalars(select(AgencyRow.code).where(AgencyRow.code.in_(words - kinds))))
    return [
        FieldError(
            "restricted_to",
            word,
            f"an organisation code or kind ({', '.join(sorted(kinds))})",
        )
        for word in sorted(words - kinds - codes)
    ]


def area_id(session: Session, area_code: str | None) -> int | FieldError | None:
    if area_code is None or not area_code.strip():
        return None
    found = session.scalar(select(AreaRow.id).where(AreaRow.code == area_code.strip()))
    if found is None:
        return FieldError("area_code", area_code, "the code of a policing area, e.g. norwich")
    return found


def unit_value(session: Session, actor: Actor, unit: str | None) -> str | FieldError:
    """The unit that will own the source: given, the actor's, or the organisation's only one."""
    if unit is not None and unit.strip():
        chosen = unit.strip()
        if not chosen.startswith(f"{actor.agency_code}-"):
            return FieldError(
                "unit",
                chosen,
                f"an intelligence unit of {actor.agency_code} ({actor.agency_code}-…)",
            )
        return chosen
    if actor.unit:
        return actor.unit
    agency = get_agency(session, actor.agency_code)
    units = sorted(
        {
            unit
            for unit in session.scalars(
                select(UserRow.unit).where(
                    UserRow.agency_id == agency.id, UserRow.unit.is_not(None)
                )
            )
            if unit
        }
    )
    if len(units) == 1:
        return units[0]
    known = ", ".join(units) or "none yet"
    return FieldError(
        "unit",
        "",
        f"the intelligence unit to send this to (units of {actor.agency_code}: {known})",
    )


def subject_errors(
    session: Session, actor: Actor, ctx: PolicyContext, subjects: Sequence[int]
) -> list[FieldError]:
    """Subjects must be POLE records the actor can see (unseen ones read as missing)."""
    facts = entity_facts(session, subjects, on=ctx.on)
    errors = []
    for index, subject in enumerate(subjects):
        found = facts.get(subject)
        visible = (
            found is not None
            and found.kind in {k.value for k in POLE_KINDS}
            and decide(actor=actor, action=Action.READ, resource=found.resource(), ctx=ctx).allowed
        )
        if not visible:
            errors.append(
                FieldError(
                    f"subjects[{index}]",
                    str(subject),
                    "the id of a person, organisation, location, phone, vehicle or county "
                    "line that you can see",
                )
            )
    return errors
