"""What the search functions return: small frozen records, best match first.

Each carries the record's id (to fetch it in full), what the officer needs to recognise
it, its owner and marking (for the policy layer that will wrap these functions), and,
for fuzzy matches, a 0-100 score with the reasons it matched.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.model.values import PartialDate


@dataclass(frozen=True, slots=True)
class NameEvidence:
    """How the query compares with one stored name: score, reasons, fields compared."""

    score: int
    reasons: tuple[str, ...]
    fields: frozenset[str]


@dataclass(frozen=True, slots=True)
class RankedPerson:
    """A person found by name, as `PersonMatch` but without the recorded details: for a
    caller that reads the person's record itself (the check's card), so the person row
    is not read twice. The fields mean what they mean on `PersonMatch`."""

    person_id: int
    score: int
    reasons: tuple[str, ...]
    matched_on: frozenset[str]
    on_primary: NameEvidence | None


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A person found by name, with the name that matched and why.

    `family_name`/`given_names`/`dob` are the person's recorded (primary) details;
    `matched_name` is the name that matched best, which may be an alias or nickname
    (`matched_kind`). `score` is 0-100: 100 is an exact name (and date of birth, when one
    was asked for). `reasons` explain the score in words an officer can read out.

    `matched_on` names the record's fields (policy's words: `family_name`, `aliases`,
    `date_of_birth`...) the match rests on, so a reader who may not see one of them is
    not shown the result; `on_primary` is the same query judged against the recorded
    name alone, when the best match was an alias or nickname.
    """

    person_id: int
    family_name: str
    given_names: str
    dob: PartialDate | None
    pnc_id: str | None
    score: int
    matched_name: str
    matched_kind: str
    reasons: tuple[str, ...]
    owner: str
    marking: str
    matched_on: frozenset[str] = frozenset()
    on_primary: NameEvidence | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    """A phone record holding the number searched for (E.164 in `number`)."""

    entity_id: int
    number: str
    valid: bool
    imei: str | None
    owner: str
    marking: str


@dataclass(frozen=True, slots=True)
class VehicleMatch:
    """A vehicle record; `exact` is False when it matched only with O/0, I/1... folded."""

    entity_id: int
    vrm: str
    display: str
    make: str
    model: str
    colour: str
    exact: bool
    owner: str
    marking: str


@dataclass(frozen=True, slots=True)
class LocationMatch:
    """An address or area whose postcode is, or falls within, the postcode searched for."""

    entity_id: int
    location_type: str
    line1: str
    line2: str
    town: str
    postcode: str | None
    area: str | None
    owner: str
    marking: str

    @property
    def label(self) -> str:
        parts = (self.line1, self.line2, self.town, self.postcode or "")
        return ", ".join(p for p in parts if p)
