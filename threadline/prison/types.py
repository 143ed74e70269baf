"""What prison services take and return, apart from policy views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Category(StrEnum):
    """Security category of a prisoner (remand: not yet sentenced)."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"
    YOI = "YOI"  # young offender institution
    REMAND = "remand"


class IntelKind(StrEnum):
    """The kinds of prison intelligence item."""

    CALL = "call"  # a PIN-phone call: the number dialled, when, how long
    VISIT = "visit"  # a social visit: who came, when
    ASSOCIATION = "association"  # a cell mate or wing mate
    FIND = "find"  # something found: a phone, a SIM, drugs, a weapon


class FindType(StrEnum):
    PHONE = "phone"
    SIM = "sim"
    DRUGS = "drugs"
    WEAPON = "weapon"
    OTHER = "other"


class PlanType(StrEnum):
    """Why a prisoner is monitored, which sets how soon the plan must be reviewed."""

    INTELLIGENCE_LED = "intelligence_led"  # reviewed within 1 month (a setting)
    OFFENCE_RELATED = "offence_related"  # reviewed within 3 months (a setting)


@dataclass(frozen=True, slots=True)
class CustodyDetails:
    """The facts of a custody episode as a prison intelligence officer records them.

    The prisoner is either a person record the recorder may see (`person_id`) or, when
    `person_id` is None, their identifiers (family and given names, date of birth, and
    the PNC id if known), which police matching later links to a person record.
    """

    person_id: int | None
    prison_number: str
    received_on: date
    sentenced_on: date | None = None
    sentence_months: int | None = None
    category: str = ""
    release_date: date | None = None  # conditional or automatic release date
    parole_eligible_on: date | None = None
    licence_end: date | None = None
    released_on: date | None = None
    recalled_on: date | None = None
    marking: str = "OFFICIAL"
    family_name: str = ""
    given_names: str = ""
    date_of_birth: date | None = None
    pnc_id: str = ""


@dataclass(frozen=True, slots=True)
class IntelItem:
    """One prison intelligence item to record; which fields matter depends on `kind`."""

    kind: str
    prisoner_id: int
    occurred_at: datetime
    grading: str  # 3x5x2, e.g. "2BP"
    conditions: str | None = None
    number: str | None = None  # calls
    duration_seconds: int | None = None  # calls
    visitor_name: str = ""  # visits
    visitor_postcode: str | None = None  # visits
    other_id: int | None = None  # visits and associations: the other person's record
    association: str = ""  # associations: cell or wing
    find_type: str = ""  # finds
    notes: str = ""
    marking: str = "OFFICIAL"
