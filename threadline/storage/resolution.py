"""Queries of entity resolution: person records in bulk, trained models, resolved ids, links.

`threadline.resolve` reads every person record with its names, addresses and phones
from here (in a few set-wise queries, not one per person), and keeps the trained model
and each record's resolved id through the functions below; the check reads the
accepted pairwise links among the records it shows (`links_among`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from threadline.storage.resolution_tables import (
    ResolutionLinkRow,
    ResolutionModelRow,
    ResolvedPersonRow,
)
from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    LinkRow,
    LocationRow,
    PersonNameRow,
    PersonRow,
    PhoneRow,
)

__all__ = [
    "StoredAddress",
    "StoredModel",
    "StoredPerson",
    "addresses_of",
    "latest_model",
    "linked_to",
    "links_among",
    "members_of",
    "name_counts",
    "other_names_of",
    "person_by_source",
    "person_records",
    "phones_of",
    "replace_links",
    "replace_resolved_ids",
    "resolved_ids",
    "resolved_rows",
    "save_model",
]

_BATCH = 10_000
_PERSON = "person"
_RESIDES_AT = "resides_at"
_USES_PHONE = "uses_phone"


@dataclass(frozen=True, slots=True)
class StoredPerson:
    """One person record's identity facts as stored (names as recorded, not folded)."""

    entity_id: int
    owner: str
    source_system: str
    source_id: str
    family_name: str
    given_names: str
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None
    gender: str
    pnc_id: str | None


@dataclass(frozen=True, slots=True)
class StoredAddress:
    """An address a person is linked to (resides at): first line, postcode, UPRN."""

    line1: str
    postcode: str | None
    uprn: str | None


@dataclass(frozen=True, slots=True)
class StoredModel:
    """A trained resolution model: version, Splink model JSON and training figures JSON."""

    version: int
    trained_at: datetime
    parameters: str
    figures: str


def person_records(session: Session, ids: Collection[int] | None = None) -> Iterator[StoredPerson]:
    """Every person record (or those of `ids`), in entity id order (oldest first)."""
    query = (
        select(
            EntityRow.id,
            AgencyRow.code,
            EntityRow.source_system,
            EntityRow.source_id,
            PersonRow.family_name,
            PersonRow.given_names,
            PersonRow.dob_year,
            PersonRow.dob_month,
            PersonRow.dob_day,
            PersonRow.gender,
            PersonRow.pnc_id,
        )
        .join(PersonRow, PersonRow.entity_id == EntityRow.id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(EntityRow.kind == _PERSON)
        .order_by(EntityRow.id)
    )
    if ids is not None:
        query = query.where(EntityRow.id.in_(sorted(ids)))
    for row in session.execute(query.execution_options(yield_per=_BATCH)):
        yield StoredPerson(
            entity_id=row[0],
            owner=row[1],
            source_system=row[2],
            source_id=row[3] or "",
            family_name=row[4],
            given_names=row[5],
            dob_year=row[6],
            dob_month=row[7],
            dob_day=row[8],
            gender=row[9],
            pnc_id=row[10],
        )


def other_names_of(
    session: Session, ids: Collection[int] | None = None
) -> dict[int, list[tuple[str, str, str]]]:
    """Aliases and nicknames by person: (kind, folded family name, folded given names)."""
    query = select(
        PersonNameRow.person_id,
        PersonNameRow.kind,
        PersonNameRow.family_norm,
        PersonNameRow.given_norm,
    ).where(PersonNameRow.kind != "primary")
    if ids is not None:
        query = query.where(PersonNameRow.person_id.in_(sorted(ids)))
    names: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    for person_id, kind, family, given in session.execute(query):
        names[person_id].append((kind, family, given))
    return dict(names)


def linked_to(link_type: str, ids: Collection[int] | None) -> Select[int, int]:
    """(from, to) of the links of `link_type` from `ids` (from every record if None)."""
    query = select(LinkRow.from_id, LinkRow.to_id).where(LinkRow.link_type == link_type)
    if ids is not None:
        query = query.where(LinkRow.from_id.in_(sorted(ids)))
    return query


def addresses_of(
    session: Session, ids: Collection[int] | None = None
) -> dict[int, list[StoredAddress]]:
    """The addresses each person is linked to as living at."""
    links = linked_to(_RESIDES_AT, ids).subquery()
    query = select(links.c.from_id, LocationRow.line1, LocationRow.postcode, LocationRow.uprn).join(
        LocationRow, LocationRow.entity_id == links.c.to_id
    )
    found: dict[int, list[StoredAddress]] = defaultdict(list)
    for person_id, line1, postcode, uprn in session.execute(query):
        found[person_id].append(StoredAddress(line1=line1 or "", postcode=postcode, uprn=uprn))
    return dict(found)


def phones_of(session: Session, ids: Collection[int] | None = None) -> dict[int, list[str]]:
    """The phone numbers (E.164) each person is linked to as using."""
    links = linked_to(_USES_PHONE, ids).subquery()
    query = select(links.c.from_id, PhoneRow.number).join(
        PhoneRow, PhoneRow.entity_id == links.c.to_id
    )
    found: dict[int, list[str]] = defaultdict(list)
    for person_id, number in session.execute(query):
        found[person_id].append(number)
    return dict(found)


def person_by_source(
    session: Session, *, owner: str, source_system: str, source_id: str
) -> int | None:
    """The entity id of the person record with this source key, if there is one."""
    return session.scalar(
        select(EntityRow.id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(EntityRow.kind == _PERSON)
        .where(AgencyRow.code == owner)
        .where(EntityRow.source_system == source_system)
        .where(EntityRow.source_id == source_id)
    )


def name_counts(
    session: Session, *, families: Collection[str], givens: Collection[str]
) -> tuple[dict[str, int], dict[str, int], int]:
    """How many person records' primary names carry each folded family name, each folded
    first given name, and of how many records in all.

    Term-frequency adjustment of a single pair (an explanation) needs these numbers
    rather than the whole population.
    """
    primary = PersonNameRow.kind == "primary"
    total = session.scalar(select(func.count()).select_from(PersonNameRow).where(primary)) or 0
    family_rows = session.execute(
        select(PersonNameRow.family_norm, func.count())
        .where(primary)
        .where(PersonNameRow.family_norm.in_(sorted(families)))
        .group_by(PersonNameRow.family_norm)
    )
    given_counts: dict[str, int] = {}
    for given in sorted(givens):
        first = or_(PersonNameRow.given_norm == given, PersonNameRow.given_norm.like(f"{given} %"))
        query = select(func.count()).select_from(PersonNameRow).where(primary).where(first)
        given_counts[given] = session.scalar(query) or 0
    return {family: count for family, count in family_rows}, given_counts, total


def latest_model(session: Session) -> StoredModel | None:
    """The most recently trained model, or None before the first training."""
    row = session.scalars(
        select(ResolutionModelRow).order_by(ResolutionModelRow.version.desc()).limit(1)
    ).first()
    if row is None:
        return None
    return StoredModel(row.version, row.trained_at, row.parameters, row.figures)


def save_model(session: Session, *, parameters: str, figures: str, at: datetime) -> int:
    """Store a newly trained model as the next version; returns that version."""
    latest = session.scalar(select(func.max(ResolutionModelRow.version))) or 0
    version = latest + 1
    session.add(
        ResolutionModelRow(version=version, trained_at=at, parameters=parameters, figures=figures)
    )
    session.flush()
    return version


def resolved_ids(session: Session, ids: Collection[int] | None = None) -> dict[int, str]:
    """Each resolved person record's (or those of `ids`) resolved id, as of the last run."""
    query = select(ResolvedPersonRow.entity_id, ResolvedPersonRow.resolved_id)
    if ids is not None:
        query = query.where(ResolvedPersonRow.entity_id.in_(sorted(ids)))
    return {entity_id: resolved for entity_id, resolved in session.execute(query)}


def replace_resolved_ids(
    session: Session, assignments: Mapping[int, str], *, model_version: int, at: datetime
) -> None:
    """Replace every record's resolved id with `assignments`, in the caller's transaction."""
    session.execute(delete(ResolvedPersonRow))
    # Written in batches of `_BATCH` rows, each made as it is written: a region of a
    # million records never holds a million row dicts at once.
    ids = sorted(assignments)
    for start in range(0, len(ids), _BATCH):
        rows = [
            {"entity_id": entity_id, "resolved_id": assignments[entity_id],
             "model_version": model_version, "resolved_at": at}
            for entity_id in ids[start : start + _BATCH]
        ]  # fmt: skip
        session.execute(insert(ResolvedPersonRow), rows)


def resolved_rows(session: Session) -> Iterator[tuple[str, str, str, str]]:
    """(owner, source system, source id, resolved id) of every person record.

    A record not yet resolved (created since the last run) has an empty resolved id.
    """
    query = (
        select(
            AgencyRow.code,
            EntityRow.source_system,
            EntityRow.source_id,
            ResolvedPersonRow.resolved_id,
        )
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .outerjoin(ResolvedPersonRow, ResolvedPersonRow.entity_id == EntityRow.id)
        .where(EntityRow.kind == _PERSON)
        .order_by(EntityRow.id)
    )
    for owner, system, source_id, resolved in session.execute(
        query.execution_options(yield_per=_BATCH)
    ):
        yield owner, system, source_id or "", resolved or ""


def replace_links(
    session: Session, links: Iterable[tuple[int, int, float]], *, model_version: int
) -> None:
    """Replace every stored link with `links` ((record, record, match probability)),
    in the caller's transaction; each pair is kept once, smaller entity id first."""
    session.execute(delete(ResolutionLinkRow))
    pairs: dict[tuple[int, int], float] = {}
    for left, right, probability in links:
        if left != right:
            pairs[(min(left, right), max(left, right))] = float(probability)
    rows = [
        {"entity_a": a, "entity_b": b, "match_probability": p, "model_version": model_version}
        for (a, b), p in sorted(pairs.items())
    ]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(ResolutionLinkRow), rows[start : start + _BATCH])


def links_among(session: Session, ids: Collection[int]) -> list[tuple[int, int]]:
    """The stored links (smaller entity id first) whose both records are among `ids`."""
    if not ids:
        return []
    wanted = sorted(ids)
    query = (
        select(ResolutionLinkRow.entity_a, ResolutionLinkRow.entity_b)
        .where(ResolutionLinkRow.entity_a.in_(wanted))
        .where(ResolutionLinkRow.entity_b.in_(wanted))
        .order_by(ResolutionLinkRow.entity_a, ResolutionLinkRow.entity_b)
    )
    return [(a, b) for a, b in session.execute(query)]


def members_of(session: Session, resolved: Collection[str]) -> dict[str, list[int]]:
    """The person records of each resolved id in `resolved`, oldest first."""
    if not resolved:
        return {}
    query = (
        select(ResolvedPersonRow.resolved_id, ResolvedPersonRow.entity_id)
        .where(ResolvedPersonRow.resolved_id.in_(sorted(resolved)))
        .order_by(ResolvedPersonRow.entity_id)
    )
    found: dict[str, list[int]] = defaultdict(list)
    for resolved_id, entity_id in session.execute(query):
        found[resolved_id].append(entity_id)
    return dict(found)
