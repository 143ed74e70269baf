"""Finding what a check asks for, and which match reasons a restricted viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData
from threadline.model.values import PartialDate
from threadline.policy import ResourceKind
from threadline.search import (
    find_location_by_uprn,
    find_locations,
    find_person_by_pnc,
    find_phone,
    find_vehicle,
    rank_people,
)
from threadline.search.query import family_only
from threadline.search.results import NameEvidence

# Which fields each kind of match reason speaks about (see threadline.search.scoring).
_REASON_FIELDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("date of birth", frozenset({"date_of_birth"})),
    ("year of birth", frozenset({"date_of_birth"})),
    ("given name", frozenset({"given_names"})),
    ("middle name", frozenset({"given_names"})),
    ("initial", frozenset({"given_names"})),
    ("family name", frozenset({"family_name"})),
    ("whole name", frozenset({"family_name", "given_names"})),
    ("name parts", frozenset({"family_name", "given_names"})),
    ("alias", frozenset({"aliases"})),
    ("nickname", frozenset({"aliases"})),
    ("number", frozenset({"number"})),
    ("registration", frozenset({"vrm"})),
    ("postcode", frozenset({"postcode"})),
    ("uprn", frozenset({"uprn"})),
    ("pnc", frozenset({"pnc_id"})),
)


def reasons_about(reasons: tuple[str, ...], shown: set[str]) -> tuple[str, ...]:
    """The reasons that speak only of fields the actor is shown; unknown reasons go."""
    kept = []
    for reason in reasons:
        text = reason.lower()
        needs = [fields for phrase, fields in _REASON_FIELDS if phrase in text]
        if needs and all(fields <= shown for fields in needs):
            kept.append(reason)
    return tuple(kept)


@dataclass(frozen=True, slots=True)
class Hit:
    """One record a check found: how well and why, and the fields the match rests on.

    `fallback` is the same record matched another way that rests on fewer fields (a
    person found by an alias, judged on their recorded name alone), for a reader who
    may not see what the best match rests on.
    """

    kind: ResourceKind
    id: int
    score: int
    reasons: tuple[str, ...]
    matched_on: frozenset[str]
    fallback: Hit | None = None

    def for_fields(self, fields: frozenset[str] | None) -> Hit | None:
        """This match as a reader shown `fields` (None: all) may be given it, or None.

        A match resting on a field the reader may not see would tell them that field's
        value (an alias, a date of birth): such a result is not theirs to have.
        """
        if fields is None or self.matched_on <= fields:
            return self
        return self.fallback.for_fields(fields) if self.fallback is not None else None


@dataclass(frozen=True, slots=True)
class Found:
    """What one run of the look-ups found, and whether asking for more could add some."""

    hits: list[Hit]
    full: bool  # a look-up stopped at the limit: there may be more


def search(
    session: Session,
    name: str | None,
    dob: str | None,
    age_range: tuple[int, int] | None,
    phone: str | None,
    vrm: str | None,
    postcode: str | None,
    pnc: str | None,
    limit: int,
    uprn: str | None = None,
) -> Found:
    found: list[Hit] = []
    full = False
    if name:
        birth = _parse_dob(dob)
        # The card reads each person's record (`threadline.profiles.records`): the
        # search does not read their recorded details first.
        people = rank_people(
            session=session, name=name, dob=birth, age_range=age_range, limit=limit
        )
        full = len(people) >= limit
        for match in people:
            primary = match.on_primary
            fallback = (
                Hit(ResourceKind.PERSON, match.person_id, *_evidence(primary))
                if primary is not None
                else None
            )
            found.append(
                Hit(
                    ResourceKind.PERSON,
                    match.person_id,
                    match.score,
                    match.reasons,
                    match.matched_on,
                    fallback,
                )
            )
    if pnc:
        for by_pnc in find_person_by_pnc(session=session, pnc_id=pnc):
            found.append(Hit(ResourceKind.PERSON, by_pnc.person_id, 100, ("PNC id matches",), _PNC))
    if phone:
        for p in find_phone(session=session, number=phone):
            found.append(Hit(ResourceKind.PHONE, p.entity_id, 100, ("number matches",), _NUMBER))
    if vrm:
        for v in find_vehicle(session=session, vrm=vrm):
            why = (
                "registration matches" if v.exact else "registration matches (O/0, I/1 read alike)"
            )
            found.append(
                Hit(ResourceKind.VEHICLE, v.entity_id, 100 if v.exact else 90, (why,), _VRM)
            )
    if postcode:
        locations = find_locations(session=session, postcode=postcode, limit=limit)
        full = full or len(locations) >= limit
        for loc in locations:
            found.append(
                Hit(ResourceKind.LOCATION, loc.entity_id, 100, ("postcode matches",), _POSTCODE)
            )
    if uprn:
        for loc in find_location_by_uprn(session=session, uprn=uprn):
            found.append(Hit(ResourceKind.LOCATION, loc.entity_id, 100, ("UPRN matches",), _UPRN))
    seen: set[int] = set()
    unique = []
    for item in found:
        if item.id not in seen:
            seen.add(item.id)
            unique.append(item)
    return Found(unique, full)


__all__ = ["Found", "Hit", "family_only", "reasons_about", "search"]

_PNC = frozenset({"pnc_id"})
_NUMBER = frozenset({"number"})
_VRM = frozenset({"vrm"})
_POSTCODE = frozenset({"postcode"})
_UPRN = frozenset({"uprn"})


def _evidence(found: NameEvidence) -> tuple[int, tuple[str, ...], frozenset[str]]:
    return found.score, found.reasons, found.fields


def _parse_dob(raw: str | None) -> PartialDate | None:
    if not raw:
        return None
    try:
        return PartialDate.parse(raw, not_after=date.today())
    except ValueError as exc:
        expected = getattr(exc, "expected", "a date of birth as YYYY-MM-DD, YYYY-MM or YYYY")
        raise InvalidData([FieldError("dob", raw, expected)]) from exc


OLDEST = 120
EXPECTED_AGE = f"an age or an age range such as 15-17 (0 to {OLDEST}, youngest first)"


def parse_age_range(raw: str | None, *, location: str = "age") -> tuple[int, int] | None:
    """Read "15-17" (or "16", or "15 to 17") as an inclusive age range; InvalidData if not."""
    text = (raw or "").strip()
    if not text:
        return None
    low, _, high = text.replace(" to ", "-").partition("-")
    try:
        youngest, oldest = int(low), int(high or low)
    except ValueError:
        raise InvalidData([FieldError(location, text, EXPECTED_AGE)]) from None
    if not 0 <= youngest <= oldest <= OLDEST:
        raise InvalidData([FieldError(location, text, EXPECTED_AGE)])
    return youngest, oldest
