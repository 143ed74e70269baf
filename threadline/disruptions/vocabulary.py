"""The words of disruptions: subjects, themes, strands, grades, tactics, court outcomes.

Each list maps a stored code to the plain words pages, the CLI and returns show, in the
order forms offer them. Importers and the API accept the codes; `check_code` says what was
received and what was expected when a code is unknown.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "GRADES",
    "GRADE_MEANINGS",
    "SENTENCES",
    "STAGES",
    "STRANDS",
    "SUBJECT_KINDS",
    "TACTICS",
    "TACTICS_WITH_PERSON",
    "TACTICS_WITH_QUANTITY",
    "THEMES",
    "UNITS",
    "VALIDATION_STATES",
    "check_code",
    "word",
]

SUBJECT_KINDS: Mapping[str, str] = {
    "group": "Organised crime group",
    "county_line": "County line",
    "person": "Person",
    "theme": "Threat theme",
}

# The regional unit's range of threats, so county lines can be set beside the rest.
THEMES: Mapping[str, str] = {
    "drugs_county_lines": "Drugs and county lines",
    "cse": "Child sexual exploitation",
    "msht": "Modern slavery and human trafficking",
    "firearms": "Firearms",
    "fraud": "Fraud",
    "cyber": "Cybercrime",
    "money_laundering": "Money laundering",
}

STRANDS: Mapping[str, str] = {
    "pursue": "Pursue",
    "prevent": "Prevent",
    "protect": "Protect",
    "prepare": "Prepare",
}

# By impact on the group's capability.
GRADES: Mapping[str, str] = {
    "major": "Major",
    "moderate": "Moderate",
    "minor": "Minor",
}

GRADE_MEANINGS: Mapping[str, str] = {
    "major": "Dismantled, or its capability seriously damaged for a long time",
    "moderate": "Its capability damaged for a while: it must change how it works",
    "minor": "Some short-term impact on its capability",
}

VALIDATION_STATES: Mapping[str, str] = {
    "claimed": "Awaiting validation",
    "validated": "Validated",
    "regraded": "Regraded",
}

TACTICS: Mapping[str, str] = {
    "arrest": "Arrest",
    "charge": "Charge",
    "seizure_drugs": "Drugs seized",
    "seizure_cash": "Cash seized",
    "seizure_weapon": "Weapon seized",
    "warrant": "Warrant executed",
    "closure_order": "Closure order",
    "deal_line_disconnected": "Deal line disconnected",
    "cuckooed_address_recovered": "Cuckooed address recovered",
    "child_safeguarded": "Child safeguarded",
    "civil_order": "Civil order",
    "other": "Other",
}

# Tactics that name the person they concerned, and those that may carry a quantity.
TACTICS_WITH_PERSON = frozenset({"arrest", "charge", "child_safeguarded", "civil_order"})
TACTICS_WITH_QUANTITY = frozenset({"seizure_drugs", "seizure_cash", "seizure_weapon"})

UNITS: Mapping[str, str] = {
    "g": "grams",
    "kg": "kilograms",
    "£": "pounds",
    "items": "items",
}

STAGES: Mapping[str, str] = {
    "charged": "Charged",
    "convicted": "Convicted",
    "acquitted": "Acquitted",
    "discontinued": "Discontinued",
    "sentenced": "Sentenced",
}

SENTENCES: Mapping[str, str] = {
    "custodial": "Custodial",
    "suspended": "Suspended sentence",
    "community": "Community order",
    "fine": "Fine",
    "order": "Ancillary order only",
    "none": "No sentence",
}


def word(code: str | None, vocabulary: Mapping[str, str]) -> str:
    """The words for `code` (an unknown code shown as itself, spaced; none as "")."""
    if not code:
        return ""
    return vocabulary.get(code, code.replace("_", " "))


def check_code(value: str, vocabulary: Mapping[str, str], what: str) -> str | None:
    """None if `value` is a code of `vocabulary`, else a message naming what was expected."""
    if value in vocabulary:
        return None
    expected = ", ".join(vocabulary)
    return f"got {value!r}, expected one of the {what}: {expected}"
