"""Queries of network analytics: links in bulk, record kinds, suggestion decisions.

`threadline.graph.network` builds a graph of the region from here: every link of the
asked types and markings whose period overlaps a window, streamed as plain tuples in
batches (a million links is a few seconds and a few hundred megabytes, not a million
ORM objects), and the kinds of the records at their ends. Suggested members' decisions
(`member_suggestion`) and the `member_of` link an accepted suggestion creates are written
here too, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    LinkRow,
    MemberSuggestionRow,
    OrganisationRow,
    UserRow,
)

__all__ = [
    "StoredDecision",
    "StoredGroup",
    "StoredLink",
    "add_member_link",
    "entity_kinds",
    "links_in_window",
    "organisation",
    "organisation_types",
    "save_decision",
    "suggestion_decisions",
]

_BATCH = 50_000  # rows per round trip when streaming links
_CHUNK = 500  # ids per IN (...) list: well inside every database's parameter limit
SUGGESTION_SOURCE = "threadline-suggestion"  # source_system of links made by accepting


@dataclass(frozen=True, slots=True)
class StoredLink:
    """One link as stored: its type read from `from_id` to `to_id`, dates and marking."""

    id: int
    link_type: str
    from_id: int
    to_id: int
    role: str | None
    valid_from: date | None
    valid_to: date | None
    marking: str


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """An analyst's decision on one suggested member of one group."""

    person_id: int
    decision: str  # accepted | rejected
    role: str | None
    reason: str
    link_id: int | None
    decided_at: datetime


def _window(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """A link held at some time in [start, end] (an open end is unbounded)."""
    where: list[ColumnElement[bool]] = []
    if end is not None:
        where.append(or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= end))
    if start is not None:
        where.append(or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= start))
    return where


def links_in_window(
    session: Session,
    *,
    markings: Collection[str],
    types: Collection[str] = (),
    on_or_after: date | None = None,
    on_or_before: date | None = None,
) -> Iterator[StoredLink]:
    """Every link with one of `markings` (and of `types`, if any) that held at some time
    in [on_or_after, on_or_before], in id order, streamed in batches."""
    where = [LinkRow.marking.in_(sorted(markings)), *_window(on_or_after, on_or_before)]
    if types:
        where.append(LinkRow.link_type.in_(sorted(types)))
    query = (
        select(
            LinkRow.id,
            LinkRow.link_type,
            LinkRow.from_id,
            LinkRow.to_id,
            LinkRow.role,
            LinkRow.valid_from,
            LinkRow.valid_to,
            LinkRow.marking,
        )
        .where(and_(*where))
        .order_by(LinkRow.id)
        .execution_options(yield_per=_BATCH)
    )
    for row in session.execute(query):
        yield StoredLink(*row)


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(ids)
    for at in range(0, len(ordered), _CHUNK):
        yield ordered[at : at + _CHUNK]


def entity_kinds(session: Session, ids: Collection[int]) -> dict[int, str]:
    """The kind (person, organisation, phone...) of each record among `ids` that exists."""
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        query = select(EntityRow.id, EntityRow.kind).where(EntityRow.id.in_(chunk))
        found.update((entity_id, kind) for entity_id, kind in session.execute(query))
    return found


def organisation_types(session: Session, ids: Collection[int]) -> dict[int, str]:
    """The org_type (ocg, gang, business) of each organisation among `ids`."""
    found: dict[int, str] = {}
    for chunk in _chunks(ids):
        query = select(OrganisationRow.entity_id, OrganisationRow.org_type).where(
            OrganisationRow.entity_id.in_(chunk)
        )
        found.update((entity_id, kind) for entity_id, kind in session.execute(query))
    return found


def suggestion_decisions(session: Session, group_id: int) -> dict[int, StoredDecision]:
    """The decisions already made on suggested members of the group, by person id."""
    query = select(MemberSuggestionRow).where(MemberSuggestionRow.group_id == group_id)
    return {
        row.person_id: StoredDecision(
            person_id=row.person_id,
            decision=row.decision,
            role=row.role,
            reason=row.reason,
            link_id=row.link_id,
            decided_at=row.decided_at,
        )
        for row in session.scalars(query)
    }


def add_member_link(
    session: Session,
    *,
    person_id: int,
    group_id: int,
    role: str,
    owner_code: str,
    marking: str,
    valid_from: date,
    at: datetime,
) -> int:
    """Write a `member_of` link from the person to the group; returns its id.

    Its source is this system (`threadline-suggestion`, one per group and person), owned
    by the agency `owner_code`, so a later import of force files never collides with it.
    """
    owner_id = session.scalar(select(AgencyRow.id).where(AgencyRow.code == owner_code))
    if owner_id is None:
        raise LookupError(f"no agency with code {owner_code!r} to own the member link")
    row = LinkRow(
        link_type="member_of",
        from_id=person_id,
        to_id=group_id,
        role=role,
        valid_from=valid_from,
        valid_to=None,
        owner_id=owner_id,
        source_system=SUGGESTION_SOURCE,
        source_id=f"group-{group_id}-person-{person_id}",
        marking=marking,
        created_at=at,
        updated_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


def save_decision(
    session: Session,
    *,
    group_id: int,
    person_id: int,
    decision: str,
    role: str | None,
    reason: str,
    link_id: int | None,
    decided_by_id: int | None,
    at: datetime,
) -> int:
    """Remember an analyst's decision on a suggested member; returns the row's id.

    `decided_by_id` is kept only if it is a user account (a machine has none).
    """
    if decided_by_id is not None and session.get(UserRow, decided_by_id) is None:
        decided_by_id = None
    row = MemberSuggestionRow(
        group_id=group_id,
        person_id=person_id,
        decision=decision,
        role=role,
        reason=reason,
        link_id=link_id,
        decided_by_id=decided_by_id,
        decided_at=at,
    )
    session.add(row)
    session.flush()
    return row.id


@dataclass(frozen=True, slots=True)
class StoredGroup:
    """What analytics need of an organisation: its name, type and LRO."""

    id: int
    name: str
    org_type: str
    lro_id: int | None


def organisation(session: Session, entity_id: int) -> StoredGroup | None:
    """The organisation with this entity id, or None."""
    row = session.get(OrganisationRow, entity_id)
    if row is None:
        return None
    return StoredGroup(row.entity_id, row.name, row.org_type, row.lro_id)
