"""The words a group's profile is indexed by: commodities, crime types, counter-measures.

Each list is (code, words) in the order the profile form shows it. Codes are stored
("|"-joined, `storage.ocg_groups.join_codes`); words are what pages and the CLI show.
Plan states and bands are named here too, so every page names them alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

__all__ = [
    "COMMODITIES",
    "COUNTER_MEASURES",
    "CRIME_TYPES",
    "PLAN_STATE_WORDS",
    "PlanState",
    "check_codes",
    "words_for",
]

COMMODITIES: Mapping[str, str] = {
    "heroin": "Heroin",
    "crack_cocaine": "Crack cocaine",
    "cocaine": "Cocaine",
    "cannabis": "Cannabis",
    "ketamine": "Ketamine",
    "mdma": "MDMA (ecstasy)",
    "firearms": "Firearms",
    "cash": "Cash",
    "counterfeit_goods": "Counterfeit goods",
    "people": "People (trafficking)",
}

CRIME_TYPES: Mapping[str, str] = {
    "drug_supply": "Drug supply",
    "county_lines": "County lines",
    "firearms_supply": "Firearms supply",
    "modern_slavery": "Modern slavery",
    "money_laundering": "Money laundering",
    "burglary": "Burglary",
    "vehicle_crime": "Vehicle crime",
    "fraud": "Fraud",
    "violence": "Violence",
}

COUNTER_MEASURES: Mapping[str, str] = {
    "encrypted_phones": "Encrypted phones",
    "burner_phones": "Burner phones",
    "frequent_phone_changes": "Frequent phone changes",
    "use_of_children": "Use of children",
    "front_businesses": "Front businesses",
    "counter_surveillance": "Counter-surveillance",
}


class PlanState(StrEnum):
    """The state of a group's 4P plan, as the index filters and shows it."""

    CURRENT = "current"  # actions, a review not yet due, none late
    REVIEW_OVERDUE = "review_overdue"  # the next review is past, or never reviewed
    ACTIONS_LATE = "actions_late"  # an open action is past its due date
    NO_PLAN = "no_plan"  # no actions at all


PLAN_STATE_WORDS: Mapping[str, str] = {
    PlanState.CURRENT: "Current",
    PlanState.REVIEW_OVERDUE: "Review overdue",
    PlanState.ACTIONS_LATE: "Actions late",
    PlanState.NO_PLAN: "No plan",
}


def words_for(codes: Iterable[str], vocabulary: Mapping[str, str]) -> list[str]:
    """The words for each code (an unknown code shown as itself, spaced)."""
    return [vocabulary.get(code, code.replace("_", " ")) for code in codes]


def check_codes(codes: Iterable[str], vocabulary: Mapping[str, str]) -> list[str]:
    """The codes of `codes` not in `vocabulary` (empty when all are known)."""
    return [code for code in codes if code not in vocabulary]
