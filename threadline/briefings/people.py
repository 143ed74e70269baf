"""Nominals of note as the frontline needs them: name, date of birth, warning markers."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.enums import WarningMarker
from threadline.policy.context import split_words
from threadline.storage.tables import EntityRow, PersonRow

CHUNK = 2000  # ids per query (well under every database's limit on bound parameters)


@dataclass(frozen=True, slots=True)
class Nominal:
    name: str
    dob: str
    markers: str  # warning markers in words, officer safety first
    marking: str


def markers_text(codes: str) -> str:
    """Warning marker codes ("FI,VI") in words: "Firearms (FI), Violent (VI)"."""
    words = []
    for code in sorted(split_words(codes)):
        try:
            words.append(f"{WarningMarker(code).label} ({code})")
        except ValueError:
            words.append(code)
    return ", ".join(words)


def dob_text(year: int | None, month: int | None, day: int | None) -> str:
    """A partial date of birth as written: 07/03/2001, 03/2001 or 2001 (empty if none)."""
    if year is None:
        return ""
    if month is None:
        return str(year)
    if day is None:
        return f"{month:02d}/{year}"
    return f"{day:02d}/{month:02d}/{year}"


def load_nominals(session: Session, person_ids: Collection[int]) -> dict[int, Nominal]:
    ids = sorted(set(person_ids))
    found: dict[int, Nominal] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(
                PersonRow.entity_id,
                PersonRow.given_names,
                PersonRow.family_name,
                PersonRow.dob_year,
                PersonRow.dob_month,
                PersonRow.dob_day,
                PersonRow.warning_markers,
                EntityRow.marking,
            )
            .join(EntityRow, EntityRow.id == PersonRow.entity_id)
            .where(PersonRow.entity_id.in_(ids[start : start + CHUNK]))
        )
        for pid, given, family, year, month, day, markers, marking in session.execute(query):
            found[pid] = Nominal(
                name=f"{given} {family.upper()}".strip(),
                dob=dob_text(year, month, day),
                markers=markers_text(markers or ""),
                marking=marking,
            )
    return found
