"""Finding people: fuzzy search by name (and date of birth), and exact look-up by PNC ID.

`find_people` widens its search in tiers, and stops once widening could no longer change
what the officer sees (see `_Search._settled`):
1. the exact folded name, the phonetic keys of the name and of its nickname equivalents,
   and, given a full date of birth, everyone born on that day (or with day and month
   swapped) whatever their name;
2. the phonetic keys of every spelling one typing slip away, one name part at a time;
3. the trigram index: whole words first, then word chunks.
Every tier is index seeks with a row cap (see `candidates`), so the cost stays bounded at
millions of people. Candidates are re-ranked by `scoring`, one result per person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData, InvalidValue
from threadline.model.names import phonetic_key
from threadline.model.values import PartialDate, PncId
from threadline.search.candidates import PROBE_CAP, Candidate, Prober
from threadline.search.keys import name_keys
from threadline.search.known_keys import known_keys
from threadline.search.nicknames import equivalents
from threadline.search.query import (
    NameQuery,
    check_age_range,
    check_dob,
    check_limit,
    parse_name,
)
from threadline.search.results import NameEvidence, PersonMatch, RankedPerson
from threadline.search.scoring import (
    Judgement,
    NameScorer,
    StoredName,
    dob_agreement,
    fits_age_range,
    with_dob,
)
from threadline.search.variants import one_edit_keys
from threadline.storage.db import read_rows
from threadline.storage.tables import AgencyRow, EntityRow, PersonRow

MIN_SCORE = 70  # below this a name is not shown: "Jane Smith" for "John Smith" scores 66
STRONG_SCORE = 90  # a sound-alike of both parts or better: enough to stop widening
SINGLE_WORD_CAP = 100  # rows per probe for a one-word query
KIND_REASONS = {"alias": "matched an alias", "nickname": "matched a nickname"}
ALIASES_FIELD = "aliases"  # the person field that holds aliases and nicknames
DOB_FIELD = "date_of_birth"


def find_people(
    *,
    session: Session,
    name: str,
    dob: PartialDate | None = None,
    age_range: tuple[int, int] | None = None,
    limit: int = 20,
    min_score: int = MIN_SCORE,
) -> list[PersonMatch]:
    """People whose names (recorded, alias or nickname) are like `name`, best first.

    `dob` may be partial; a recorded date with day and month swapped, or the year one
    out, still counts, as weaker evidence. `age_range` (youngest, oldest, in years today)
    drops people whose recorded date of birth puts them outside it; people with no date
    of birth are kept. Scores are 0-100; results below `min_score` are left out.
    Raises InvalidData naming the field for a name of fewer than 2 letters, a future date
    of birth, a reversed age range or a limit outside 1-200.
    """
    return _searched(session, name, dob, age_range, limit, min_score).results()


def rank_people(
    *,
    session: Session,
    name: str,
    dob: PartialDate | None = None,
    age_range: tuple[int, int] | None = None,
    limit: int = 20,
    min_score: int = MIN_SCORE,
) -> list[RankedPerson]:
    """The people `find_people` finds, in its order, with its scores, reasons and
    evidence, but without their recorded details (`RankedPerson`): for a caller that
    reads each person's record itself. Only a person matched by an alias or nickname has
    their recorded name read, to judge the query against it (`on_primary`).
    Raises InvalidData as `find_people` does.
    """
    return _searched(session, name, dob, age_range, limit, min_score).ranked()


def _searched(
    session: Session,
    name: str,
    dob: PartialDate | None,
    age_range: tuple[int, int] | None,
    limit: int,
    min_score: int,
) -> _Search:
    """The search for `name`, run; InvalidData naming the field for a bad argument."""
    query = parse_name(name)
    check_dob(dob)
    check_age_range(age_range)
    check_limit(limit)
    if not 0 <= min_score <= 100:
        raise InvalidData([FieldError("min_score", str(min_score), "a score from 0 to 100")])
    search = _Search(session, query, dob, age_range, limit, min_score)
    search.run()
    return search


@dataclass
class _Best:
    score: float
    judgement: Judgement
    candidate: Candidate
    dob_reason: str | None


@dataclass
class _Search:
    session: Session
    query: NameQuery
    dob: PartialDate | None
    age_range: tuple[int, int] | None
    limit: int
    min_score: int
    today: date = field(default_factory=date.today)
    seen: set[int] = field(default_factory=set)
    best: dict[int, _Best] = field(default_factory=dict)
    # How each recorded date of birth agrees with the one asked for: candidates share
    # dates (the probes share their PartialDates), so each is judged once.
    agreements: dict[PartialDate | None, tuple[float, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.scorer = NameScorer(self.query)
        dated = self.dob is not None or self.age_range is not None
        # One word matches thousands at scale, in no useful order: fetch fewer of them.
        cap = SINGLE_WORD_CAP if self.query.single_word else PROBE_CAP
        self.probe = Prober(self.session, dated=dated, cap=cap)
        self.full_dob = self.dob is not None and self.dob.day is not None

    # ---------------------------------------------------------------- tiers

    def run(self) -> None:
        self._exact_and_phonetic()
        if self.dob is not None and self.full_dob:
            swapped = self.dob.swapped()
            self._add(self.probe.born_on([self.dob] + ([swapped] if swapped else [])))
        if self._settled():
            return
        self._one_edit_variants()
        if self._settled():
            return
        for loose in (False, True):
            self._add(self.probe.trigram(self.query.words, loose=loose, skip=self.seen))
            if self._settled():
                return

    def _exact_and_phonetic(self) -> None:
        for reading in self.query.readings:
            given = reading.first_given
            given_keys = _keys(equivalents(given)) | {""} if given else None
            if reading.family:
                found = self.probe.exact(family=reading.family, given_prefix=given)
                self._add(found)
                if given and len(found) >= self.probe.cap and self.dob is not None:
                    # Hundreds share this exact name: make sure those of about the right
                    # age are among the candidates (a short walk of one name's entries).
                    years = (self.dob.year - 1, self.dob.year + 1)
                    self._add(
                        self.probe.exact(family=reading.family, given_prefix=given, years=years)
                    )
                self._add(
                    self.probe.keys(
                        family_keys={phonetic_key(reading.family)}, given_keys=given_keys
                    )
                )
            elif given_keys is not None:
                # A given name or a nickname alone: nicknames are stored without a family
                # name, so they sit at the front of both indexes.
                self._add(self.probe.exact(family="", given_prefix=given))
                self._add(self.probe.keys(family_keys={""}, given_keys=given_keys))

    def _one_edit_variants(self) -> None:
        """One part at a time, the other part as typed; up to a page of people per key.

        Only for the natural reading(s) of the query: a slip in a name typed in the wrong
        order as well is left to the trigram tier.
        """
        known = known_keys(self.session)
        for reading in self.query.readings:
            if reading.weight < 1.0:
                continue
            given = reading.first_given
            family_key = phonetic_key(reading.family)
            given_key = phonetic_key(given)
            if reading.family:
                family_variants = one_edit_keys(reading.family) - {family_key}
                self._add(
                    self.probe.each_key(
                        family_keys=family_variants & known.family if known else family_variants,
                        given_keys={given_key} if given else {""},
                        vary="family",
                        per_key=self.limit,
                    )
                )
            if given:
                given_variants = one_edit_keys(given) - {given_key}
                self._add(
                    self.probe.each_key(
                        family_keys={family_key},
                        given_keys=given_variants & known.given if known else given_variants,
                        vary="given",
                        per_key=self.limit,
                    )
                )

    def _settled(self) -> bool:
        """Whether widening the search could still change what the officer sees.

        Settled only once a full page of strong matches (phonetic-level or better) is in
        hand. One strong match on name and full date of birth is not enough: another
        force's record of the same person may carry a typo in the name *and* a partial or
        missing date of birth, which only the typo and trigram tiers find, and giving
        more information must never find less than giving less.
        """
        strong = sum(1 for b in self.best.values() if b.score >= STRONG_SCORE)
        return strong >= self.limit

    # ---------------------------------------------------------------- scoring

    def _add(self, found: Iterable[Candidate]) -> None:
        for candidate in found:
            if candidate.name_id in self.seen:
                continue
            self.seen.add(candidate.name_id)
            if self.age_range is not None and not fits_age_range(
                candidate.dob, self.age_range, self.today
            ):
                continue
            judgement = self.scorer.score(candidate.stored)
            score, dob_reason = judgement.score, None
            if self.dob is not None:
                agreed = self.agreements.get(candidate.dob)
                if agreed is None:
                    agreed = self.agreements[candidate.dob] = dob_agreement(self.dob, candidate.dob)
                agreement, dob_reason = agreed
                score = with_dob(score, agreement)
            current = self.best.get(candidate.person_id)
            if current is None or _better(score, candidate, current):
                self.best[candidate.person_id] = _Best(score, judgement, candidate, dob_reason)

    def _ranked(self) -> list[_Best]:
        return sorted(
            (b for b in self.best.values() if round(b.score) >= self.min_score),
            key=lambda b: (-b.score, b.candidate.kind != "primary", b.candidate.person_id),
        )[: self.limit]

    def _evidence(
        self, b: _Best, person: _Person | None
    ) -> tuple[tuple[str, ...], frozenset[str], NameEvidence | None]:
        """The reasons, the fields the match rests on and, for an alias or nickname
        match, the query judged against `person`'s recorded name."""
        dated = frozenset({DOB_FIELD}) if self.dob is not None or self.age_range else frozenset()
        reasons = list(b.judgement.reasons)
        on_primary = None
        matched_on = b.judgement.fields | dated
        if b.candidate.kind in KIND_REASONS:
            reasons.insert(0, f"{KIND_REASONS[b.candidate.kind]}: {b.candidate.display}")
            matched_on = frozenset({ALIASES_FIELD}) | dated
            if person is not None:
                on_primary = self._on_primary(person)
        if b.dob_reason:
            reasons.append(b.dob_reason)
        return tuple(reasons), matched_on, on_primary

    def results(self) -> list[PersonMatch]:
        ranked = self._ranked()
        details = _person_details(self.session, [b.candidate.person_id for b in ranked])
        matches = []
        for b in ranked:
            person = details[b.candidate.person_id]
            reasons, matched_on, on_primary = self._evidence(b, person)
            matches.append(
                PersonMatch(
                    person_id=b.candidate.person_id,
                    family_name=person.family_name,
                    given_names=person.given_names,
                    dob=person.dob,
                    pnc_id=person.pnc_id,
                    score=round(b.score),
                    matched_name=b.candidate.display,
                    matched_kind=b.candidate.kind,
                    reasons=reasons,
                    owner=person.owner,
                    marking=person.marking,
                    matched_on=matched_on,
                    on_primary=on_primary,
                )
            )
        return matches

    def ranked(self) -> list[RankedPerson]:
        """As `results`, reading the recorded details only of those matched by an alias
        or nickname (for `on_primary`)."""
        ranked = self._ranked()
        aliased = [b.candidate.person_id for b in ranked if b.candidate.kind in KIND_REASONS]
        details = _person_details(self.session, aliased)
        found = []
        for b in ranked:
            reasons, matched_on, on_primary = self._evidence(b, details.get(b.candidate.person_id))
            found.append(
                RankedPerson(b.candidate.person_id, round(b.score), reasons, matched_on, on_primary)
            )
        return found

    def _on_primary(self, person: _Person) -> NameEvidence | None:
        """The query judged against the person's recorded name alone (not their aliases);
        None if that alone would not have been a match."""
        keys = name_keys(person.family_name, person.given_names)
        judged = self.scorer.score(
            StoredName(keys.family_norm, keys.given_norm, keys.family_key, keys.given_key)
        )
        score, reasons, fields = judged.score, list(judged.reasons), judged.fields
        if self.dob is not None:
            agreement, why = dob_agreement(self.dob, person.dob)
            score = with_dob(score, agreement)
            reasons.append(why)
        if self.dob is not None or self.age_range is not None:
            fields = fields | {DOB_FIELD}
        if round(score) < self.min_score:
            return None
        return NameEvidence(round(score), tuple(reasons), fields)


def _better(score: float, candidate: Candidate, current: _Best) -> bool:
    if score != current.score:
        return score > current.score
    return candidate.kind == "primary" and current.candidate.kind != "primary"


def _keys(names: Iterable[str]) -> set[str]:
    return {key for key in (phonetic_key(n) for n in names) if key}


# ------------------------------------------------------------------- details & PNC


@dataclass(frozen=True, slots=True)
class _Person:
    family_name: str
    given_names: str
    dob: PartialDate | None
    pnc_id: str | None
    owner: str
    marking: str


# The details of people, built once (on every name check's path): by the ids bound as
# `ids`, or by the PNC ID forms bound as `forms`.
_DETAILS = (
    select(
        PersonRow.entity_id,
        PersonRow.family_name,
        PersonRow.given_names,
        PersonRow.dob_year,
        PersonRow.dob_month,
        PersonRow.dob_day,
        PersonRow.pnc_id,
        AgencyRow.code,
        EntityRow.marking,
    )
    .join(EntityRow, EntityRow.id == PersonRow.entity_id)
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
)
_BY_IDS = _DETAILS.where(PersonRow.entity_id.in_(bindparam("ids", expanding=True)))
_BY_PNC = _DETAILS.where(PersonRow.pnc_id.in_(bindparam("forms", expanding=True)))


def _person_details(
    session: Session, ids: list[int] | None = None, *, pnc_forms: list[str] | None = None
) -> dict[int, _Person]:
    """Recorded details, owner and marking of people by id (or by PNC ID), in one query."""
    if ids is not None and not ids:
        return {}
    if ids is not None:
        rows = read_rows(session, _BY_IDS, {"ids": ids})  # plain rows, not objects
    elif pnc_forms:
        rows = read_rows(session, _BY_PNC, {"forms": pnc_forms})
    else:
        return {}
    return {
        row[0]: _Person(
            family_name=row[1],
            given_names=row[2],
            dob=PartialDate.from_parts(row[3], row[4], row[5]),
            pnc_id=row[6],
            owner=row[7],
            marking=row[8],
        )
        for row in rows
    }


def pnc_forms(raw: str) -> list[str]:
    """Every way the PNC ID in `raw` may have been stored (`PncId.stored_forms`). Raises
    InvalidData naming `pnc_id` if it is not one.
    """
    try:
        return PncId.parse(raw).stored_forms()
    except InvalidValue as exc:
        raise InvalidData([FieldError("pnc_id", raw or "", exc.expected)]) from exc


def find_person_by_pnc(*, session: Session, pnc_id: str) -> list[PersonMatch]:
    """The person (normally one) recorded with this Police National Computer ID."""
    details = _person_details(session, pnc_forms=pnc_forms(pnc_id))
    return [
        PersonMatch(
            person_id=person_id,
            family_name=person.family_name,
            given_names=person.given_names,
            dob=person.dob,
            pnc_id=person.pnc_id,
            score=100,
            matched_name=" ".join(p for p in (person.given_names, person.family_name) if p),
            matched_kind="primary",
            reasons=("PNC ID matches",),
            owner=person.owner,
            marking=person.marking,
            matched_on=frozenset({"pnc_id"}),
        )
        for person_id, person in sorted(details.items())
    ]
