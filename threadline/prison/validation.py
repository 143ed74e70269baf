"""Rules for custody facts, shared by the custody service and the custody import."""

from __future__ import annotations

import re
from datetime import date

from threadline.errors import FieldError
from threadline.prison.types import Category, CustodyDetails

# HMPPS prison numbers: one letter, four digits, two letters (A1234BC).
_PRISON_NUMBER = re.compile(r"^[A-Z]\d{4}[A-Z]{2}$")
CATEGORIES = ", ".join(c.value for c in Category)


def prison_number(text: str) -> str | None:
    """The canonical prison number, or None if `text` is not one."""
    value = text.strip().upper().replace(" ", "")
    return value if _PRISON_NUMBER.match(value) else None


def category(text: str) -> str | None:
    """The canonical category ('' when not given), or None if unknown."""
    value = text.strip()
    if not value:
        return ""
    for known in Category:
        if value.lower() == known.value.lower():
            return known.value
    return None


def date_problems(details: CustodyDetails, where: str = "") -> list[FieldError]:
    """Dates that contradict each other (each problem names both dates)."""
    problems: list[FieldError] = []
    received = details.received_on

    def later(column: str, value: date | None, than: str, other: date | None) -> None:
        if value is not None and other is not None and value < other:
            problems.append(
                FieldError(
                    f"{where}{column}",
                    value.isoformat(),
                    f"a date on or after {than} ({other.isoformat()})",
                )
            )

    later("sentenced_on", details.sentenced_on, "received_on", received)
    later("release_date", details.release_date, "received_on", received)
    later("parole_eligible_on", details.parole_eligible_on, "received_on", received)
    later("licence_end", details.licence_end, "release_date", details.release_date)
    later("released_on", details.released_on, "received_on", received)
    later("recalled_on", details.recalled_on, "released_on", details.released_on)
    if details.recalled_on is not None and details.released_on is None:
        problems.append(
            FieldError(
                f"{where}recalled_on",
                details.recalled_on.isoformat(),
                "a recall only after a release (released_on is empty)",
            )
        )
    if details.sentence_months is not None and not 0 < details.sentence_months <= 1200:
        problems.append(
            FieldError(
                f"{where}sentence_months",
                str(details.sentence_months),
                "a whole number of months from 1 to 1200 (empty for remand or life)",
            )
        )
    return problems


def details_problems(details: CustodyDetails) -> list[FieldError]:
    problems = date_problems(details)
    if prison_number(details.prison_number) is None:
        problems.append(
            FieldError(
                "prison_number",
                details.prison_number,
                "a prison number: a letter, four digits, two letters (e.g. A1234BC)",
            )
        )
    if category(details.category) is None:
        problems.append(FieldError("category", details.category, f"one of {CATEGORIES}"))
    return problems
