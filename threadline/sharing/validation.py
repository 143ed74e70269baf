"""Checks on an information sharing agreement before it is recorded.

Each problem is a `FieldError` on the field it belongs to (`providers[0]`,
`data_items[2]`, `review_on`, ...), so every one can be reported at once.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import FieldError
from threadline.policy import Cohort
from threadline.policy.vocabulary import data_item_problem
from threadline.storage.tables import AgencyRow, AreaRow, IsaRow

_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{1,39}$")


def clean_list(values: Sequence[str]) -> list[str]:
    """Strip, drop empties and duplicates (keeping order); accepts comma-joined words."""
    words = [w.strip() for value in values for w in value.split(",")]
    return list(dict.fromkeys(w for w in words if w))


def text_errors(**texts: str) -> list[FieldError]:
    """One error for each text given that is empty."""
    return [
        FieldError(name, value, f"the agreement's {name.replace('_', ' ')}, in words")
        for name, value in texts.items()
        if not value.strip()
    ]


def ref_errors(session: Session, ref: str) -> list[FieldError]:
    """A well-formed reference no other agreement uses."""
    if _REF.match(ref.strip()) is None:
        return [
            FieldError(
                "ref", ref, "2-40 letters, digits and - _ . / starting with a letter or digit"
            )
        ]
    if session.scalar(select(IsaRow.id).where(IsaRow.ref == ref.strip())) is not None:
        return [FieldError("ref", ref, "a reference no other agreement uses")]
    return []


def agency_ids(session: Session, codes: Sequence[str]) -> dict[str, int]:
    """The id of each of `codes` that is a known organisation."""
    return {
        code: agency_id
        for code, agency_id in session.execute(
            select(AgencyRow.code, AgencyRow.id).where(AgencyRow.code.in_(codes))
        )
    }


def party_errors(
    provider_codes: Sequence[str], recipient_codes: Sequence[str], agency_ids: dict[str, int]
) -> list[FieldError]:
    """At least one provider and one recipient, each known, none both."""
    errors = []
    for name, codes in (("providers", provider_codes), ("recipients", recipient_codes)):
        if not codes:
            errors.append(FieldError(name, "", f"at least one organisation code among {name}"))
        for index, code in enumerate(codes):
            if code not in agency_ids:
                errors.append(FieldError(f"{name}[{index}]", code, "a known organisation code"))
    for code in sorted(set(provider_codes) & set(recipient_codes)):
        errors.append(FieldError("recipients", code, "organisations other than the providers"))
    return errors


def scope_errors(
    session: Session, items: Sequence[str], area_codes: Sequence[str], cohort_words: Sequence[str]
) -> list[FieldError]:
    """At least one known data item; known policing areas and cohorts (none: all)."""
    errors = []
    if not items:
        errors.append(FieldError("data_items", "", "at least one data item (kind or kind.field)"))
    for index, item in enumerate(items):
        if problem := data_item_problem(item):
            errors.append(FieldError(f"data_items[{index}]", item, problem))
    known_areas = set(session.scalars(select(AreaRow.code).where(AreaRow.code.in_(area_codes))))
    for index, code in enumerate(area_codes):
        if code not in known_areas:
            errors.append(FieldError(f"areas[{index}]", code, "a policing area code, e.g. norwich"))
    cohort_values = {c.value for c in Cohort}
    for index, word in enumerate(cohort_words):
        if word not in cohort_values:
            errors.append(
                FieldError(f"cohorts[{index}]", word, "one of " + ", ".join(sorted(cohort_values)))
            )
    return errors


def date_errors(starts_on: date, review_on: date, ends_on: date | None) -> list[FieldError]:
    """The review and the end (if any) come after the start."""
    errors = []
    if review_on <= starts_on:
        errors.append(
            FieldError("review_on", review_on.isoformat(), f"a date after {starts_on.isoformat()}")
        )
    if ends_on is not None and ends_on <= starts_on:
        errors.append(
            FieldError("ends_on", ends_on.isoformat(), f"a date after {starts_on.isoformat()}")
        )
    return errors
