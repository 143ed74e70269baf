"""Queries of incremental matching: the known records a new one may match, by its
blocking keys, name frequencies for scoring, and storing what one import matched.

`threadline.resolve.incremental` matches person records imported after a full run
against the people already resolved, through the functions here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.orm import Session

from threadline.storage.resolution import linked_to
from threadline.storage.resolution_tables import (
    ResolutionLinkRow,
    ResolvedPersonRow,
)
from threadline.storage.tables import (
    LinkRow,
    LocationRow,
    PersonNameRow,
    PersonRow,
    PhoneRow,
)

__all__ = [
    "BlockingKeys",
    "CandidateName",
    "add_links",
    "name_frequencies",
    "resolved_candidates",
    "set_resolved_ids",
]

_BATCH = 10_000
_PERSON = "person"
_RESIDES_AT = "resides_at"
_USES_PHONE = "uses_phone"


_IN_CHUNK = 2_000  # values per IN list (tuples count once per part on SQLite)


@dataclass(frozen=True, slots=True)
class BlockingKeys:
    """The keys of new person records that find the resolved records they may match.

    Each is a superset of one or more of resolution's blocking rules (`resolve.spec`),
    so the records found hold every pair those rules would form, and a few more.
    """

    family_keys: frozenset[str] = frozenset()  # phonetic family name
    year_months: frozenset[tuple[int, int]] = frozenset()  # (year, month) of birth
    swapped: frozenset[tuple[int, int, int]] = frozenset()  # (year, day, month) of birth
    year_initials: frozenset[tuple[int, str]] = frozenset()  # (year, folded family[0])
    pnc_ids: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    postcodes: frozenset[str] = frozenset()
    # (given key, family key) of each new record: records with the names the other way
    # round (family key = its given key, given key = its family key).
    swapped_names: frozenset[tuple[str, str]] = frozenset()
    # Postcode districts ("NR3"): where records sharing a first line of address may live.
    districts: frozenset[str] = frozenset()


def _chunks(values: Collection[Any]) -> Iterator[list[Any]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _IN_CHUNK):
        yield ordered[start : start + _IN_CHUNK]


@dataclass(frozen=True, slots=True)
class CandidateName:
    """A candidate found by name or date of birth: the facts to tell whether a blocking
    rule would really pair it (`resolved_candidates`' `keep`)."""

    entity_id: int
    family_key: str
    family_norm: str
    given_norm: str
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None


def _by_name(keys: BlockingKeys) -> list[tuple[Collection[Any], Callable[[list[Any]], Any]]]:
    primary = PersonNameRow.kind == "primary"
    named = (
        select(
            PersonRow.entity_id,
            PersonNameRow.family_key,
            PersonNameRow.family_norm,
            PersonNameRow.given_norm,
            PersonRow.dob_year,
            PersonRow.dob_month,
            PersonRow.dob_day,
        )
        .join(PersonNameRow, PersonNameRow.person_id == PersonRow.entity_id)
        .where(primary)
    )
    initial = func.substr(PersonNameRow.family_norm, 1, 1)
    return [
        (keys.family_keys, lambda part: named.where(PersonNameRow.family_key.in_(part))),
        (
            keys.year_months,
            lambda part: named.where(tuple_(PersonRow.dob_year, PersonRow.dob_month).in_(part)),
        ),
        (
            keys.year_initials,
            lambda part: named.where(tuple_(PersonRow.dob_year, initial).in_(part)),
        ),
    ]


def _by_key(keys: BlockingKeys) -> list[tuple[Collection[Any], Callable[[list[Any]], Any]]]:
    return [
        (
            keys.swapped,
            lambda part: select(PersonRow.entity_id).where(
                tuple_(PersonRow.dob_year, PersonRow.dob_month, PersonRow.dob_day).in_(part)
            ),
        ),
        (keys.pnc_ids, lambda part: select(PersonRow.entity_id).where(PersonRow.pnc_id.in_(part))),
        (
            keys.swapped_names,
            lambda part: select(PersonNameRow.person_id).where(
                PersonNameRow.kind == "primary",
                tuple_(PersonNameRow.family_key, PersonNameRow.given_key).in_(part),
            ),
        ),
        (
            keys.phones,
            lambda part: (
                linked_to(_USES_PHONE, None)
                .with_only_columns(LinkRow.from_id)
                .join(PhoneRow, PhoneRow.entity_id == LinkRow.to_id)
                .where(PhoneRow.number.in_(part))
            ),
        ),
        (
            keys.postcodes,
            lambda part: (
                linked_to(_RESIDES_AT, None)
                .with_only_columns(LinkRow.from_id)
                .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
                .where(LocationRow.postcode.in_(part))
            ),
        ),
    ]


def resolved_candidates(
    session: Session,
    keys: BlockingKeys,
    keep: Callable[[CandidateName], bool] | None = None,
    keep_line: Callable[[str], bool] | None = None,
) -> set[int]:
    """The resolved person records (with a resolved id) sharing any of `keys`.

    Those found by family key, year and month or year and initial (keys many records
    share) are kept only where `keep` says so, when it is given. Those living in one of
    the postcode districts are found only with `keep_line`, and kept where it holds for
    the first line of their address there (a district is thousands of homes).
    """
    found: set[int] = set()
    if keep_line is not None:
        for district in sorted(keys.districts):
            found.update(
                person
                for person, line1 in session.execute(
                    linked_to(_RESIDES_AT, None)
                    .with_only_columns(LinkRow.from_id, LocationRow.line1)
                    .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
                    # The district's postcodes ("NR3 1AB"), by a range of the index: all
                    # of them under any collation (some ignore the space, and then take
                    # in a few of "NR30" too; the scoring asks the rule itself).
                    .where(LocationRow.postcode >= f"{district} ")
                    .where(LocationRow.postcode <= f"{district} ZZZ")
                )
                if keep_line(line1 or "")
            )
    for values, query in _by_name(keys):
        for part in _chunks(values):
            for row in session.execute(query(part)):
                candidate = CandidateName(row[0], row[1], row[2], row[3], row[4], row[5], row[6])
                if keep is None or keep(candidate):
                    found.add(candidate.entity_id)
    for values, query in _by_key(keys):
        for part in _chunks(values):
            found.update(session.scalars(query(part)))
    resolved: set[int] = set()
    for part in _chunks(found):
        resolved.update(
            session.scalars(
                select(ResolvedPersonRow.entity_id).where(ResolvedPersonRow.entity_id.in_(part))
            )
        )
    return resolved


def name_frequencies(session: Session) -> tuple[dict[str, int], dict[str, int], int]:
    """How many person records' primary names carry each folded family name and each
    folded first given name, and of how many records in all (as `name_counts`, for
    every name at once: two grouped scans instead of one query per given name)."""
    primary = PersonNameRow.kind == "primary"
    families: dict[str, int] = {
        family: count
        for family, count in session.execute(
            select(PersonNameRow.family_norm, func.count())
            .where(primary)
            .group_by(PersonNameRow.family_norm)
        )
    }
    givens: dict[str, int] = defaultdict(int)
    for given, count in session.execute(
        select(PersonNameRow.given_norm, func.count())
        .where(primary)
        .group_by(PersonNameRow.given_norm)
    ):
        givens[(given or "").split(" ", 1)[0]] += count
    return families, dict(givens), sum(families.values())


def add_links(
    session: Session, links: Iterable[tuple[int, int, float]], *, model_version: int
) -> int:
    """Store `links` ((record, record, match probability)) not stored yet, smaller entity
    id first, in the caller's transaction; returns how many were added."""
    pairs: dict[tuple[int, int], float] = {}
    for left, right, probability in links:
        if left != right:
            pairs[(min(left, right), max(left, right))] = float(probability)
    if not pairs:
        return 0
    stored: set[tuple[int, int]] = set()
    for part in _chunks({a for a, _ in pairs}):
        query = select(ResolutionLinkRow.entity_a, ResolutionLinkRow.entity_b).where(
            ResolutionLinkRow.entity_a.in_(part)
        )
        stored.update((a, b) for a, b in session.execute(query))
    rows = [
        {"entity_a": a, "entity_b": b, "match_probability": p, "model_version": model_version}
        for (a, b), p in sorted(pairs.items())
        if (a, b) not in stored
    ]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(ResolutionLinkRow), rows[start : start + _BATCH])
    return len(rows)


def set_resolved_ids(
    session: Session, assignments: Mapping[int, str], *, model_version: int, at: datetime
) -> None:
    """Set the resolved id of each record of `assignments` (the others are left as they
    are), in the caller's transaction."""
    for part in _chunks(assignments):
        session.execute(delete(ResolvedPersonRow).where(ResolvedPersonRow.entity_id.in_(part)))
    rows = [
        {"entity_id": entity_id, "resolved_id": resolved, "model_version": model_version,
         "resolved_at": at}
        for entity_id, resolved in sorted(assignments.items())
    ]  # fmt: skip
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(ResolvedPersonRow), rows[start : start + _BATCH])
