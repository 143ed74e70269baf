"""Custody episodes and prison intelligence as policy sees them, and as views.

Both kinds of record are about a person, so policy decides on them with the person's
areas and cohorts (an agreement limited to OCG members covers an OCG member's custody),
and the record's own owner and marking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

from threadline.clock import uk_date
from threadline.model.enums import Marking
from threadline.model.events import HandlingCode
from threadline.policy import (
    Decision,
    EntityFacts,
    Resource,
    ResourceKind,
    View,
    entity_facts,
    redact,
)
from threadline.storage.ids import is_stored_id
from threadline.storage.prison_tables import (
    CustodyEpisodeRow,
    CustodyTransferRow,
    PrisonIntelRow,
)
from threadline.storage.tables import AgencyRow


def agency_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Agency id -> (code, name)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(AgencyRow.id, AgencyRow.code, AgencyRow.name).where(AgencyRow.id.in_(wanted))
    )
    return {id_: (code, name) for id_, code, name in rows}


def person_facts(
    session: Session, person_ids: Collection[int | None], on: date
) -> dict[int, EntityFacts]:
    """Facts of the person records among `person_ids` (None, an unlinked prisoner, is
    left out like a missing record)."""
    ids = {i for i in person_ids if i is not None}
    return entity_facts(session, ids, on=on) if ids else {}


def typed_person(session: Session, person_id: int, on: date) -> EntityFacts | None:
    """Facts of the person record with an id someone typed or chose; None alike for no
    record, a record of another kind, and an id beyond what the database can hold (on
    PostgreSQL, asked in a savepoint, so the error leaves the transaction usable)."""
    if not is_stored_id(person_id):
        return None
    try:
        with session.begin_nested():
            facts = entity_facts(session, [person_id], on=on).get(person_id)
    except DataError:
        return None
    return facts if facts is not None and facts.kind == "person" else None


def agency_id(session: Session, code: str) -> int | None:
    """The id of the organisation with this code (None if there is none)."""
    return session.scalar(select(AgencyRow.id).where(AgencyRow.code == code))


def custody_resource(row: CustodyEpisodeRow, owner: str, person: EntityFacts | None) -> Resource:
    base = person.resource() if person is not None else Resource(kind=ResourceKind.CUSTODY)
    return replace(
        base,
        kind=ResourceKind.CUSTODY,
        owner=owner,
        marking=Marking(row.marking),
        scope="region",
        id=row.id,
        ref=row.prison_number,
    )


def intel_resource(row: PrisonIntelRow, owner: str, person: EntityFacts | None) -> Resource:
    base = person.resource() if person is not None else Resource(kind=ResourceKind.PRISON_INTEL)
    return replace(
        base,
        kind=ResourceKind.PRISON_INTEL,
        owner=owner,
        marking=Marking(row.marking),
        scope="region",
        handling=HandlingCode(row.handling),
        conditions=row.conditions,
        id=row.id,
        ref=f"PI-{row.id}",
    )


def in_custody(row: CustodyEpisodeRow) -> bool:
    """Still inside: never released, or recalled after the last release."""
    if row.released_on is None:
        return True
    return row.recalled_on is not None and row.recalled_on > row.released_on


def people_named(row: CustodyEpisodeRow) -> list[int]:
    """The person records an event about the episode names (none while unlinked)."""
    return [row.person_id] if row.person_id is not None else []


def transfers_of(
    session: Session, episode_ids: Collection[int]
) -> dict[int, list[CustodyTransferRow]]:
    found: dict[int, list[CustodyTransferRow]] = defaultdict(list)
    if episode_ids:
        rows = session.scalars(
            select(CustodyTransferRow)
            .where(CustodyTransferRow.episode_id.in_(set(episode_ids)))
            .order_by(CustodyTransferRow.transferred_on)
        )
        for row in rows:
            found[row.episode_id].append(row)
    return found


def custody_record(
    row: CustodyEpisodeRow,
    agencies: dict[int, tuple[str, str]],
    transfers: list[CustodyTransferRow],
    *,
    person_shown: bool = True,
) -> dict[str, object]:
    """Every field of an episode, as `FIELDS[CUSTODY]` names them. The person link is
    None when there is none, or when the reader may not read the person
    (`person_shown` False): a prison never learns the id of a record it may not see."""
    inside = in_custody(row)
    return {
        "id": row.id,
        "owner": agencies[row.owner_id][0],
        "marking": row.marking,
        "person_id": row.person_id if person_shown else None,
        "family_name": row.family_name,
        "given_names": row.given_names,
        "date_of_birth": row.date_of_birth,
        "pnc_id": row.pnc_id,
        "establishment": agencies[row.establishment_id][1],
        "establishment_code": agencies[row.establishment_id][0],
        "prison_number": row.prison_number,
        "received_on": row.received_on,
        "sentenced_on": row.sentenced_on,
        "sentence_months": row.sentence_months,
        "category": row.category,
        "expected_release": row.release_date if inside else None,
        "parole_eligible_on": row.parole_eligible_on,
        "licence_end": row.licence_end,
        "released_on": row.released_on,
        "recalled_on": row.recalled_on,
        "in_custody": inside,
        "transfers": [
            f"{uk_date(t.transferred_on)}: {agencies.get(t.from_id, ('', '?'))[1]} to "
            f"{agencies.get(t.to_id, ('', '?'))[1]}"
            for t in transfers
        ],
    }


def custody_view(
    session: Session, row: CustodyEpisodeRow, decision: Decision, *, person_shown: bool = True
) -> View:
    transfers = transfers_of(session, [row.id]).get(row.id, [])
    ids = {row.owner_id, row.establishment_id, *(t.from_id for t in transfers)}
    ids |= {t.to_id for t in transfers}
    record = custody_record(row, agency_names(session, ids), transfers, person_shown=person_shown)
    return redact(ResourceKind.CUSTODY, record, decision)


def intel_record(
    row: PrisonIntelRow, agencies: dict[int, tuple[str, str]], matches: list[str]
) -> dict[str, object]:
    """Every field of a prison intelligence item, as `FIELDS[PRISON_INTEL]` names them."""
    return {
        "id": row.id,
        "owner": agencies[row.establishment_id][0],
        "marking": row.marking,
        "kind": row.kind,
        "prisoner_id": row.prisoner_id,
        "establishment": agencies[row.establishment_id][1],
        "occurred_at": row.occurred_at,
        "number": row.number,
        "duration_seconds": row.duration_seconds,
        "visitor_name": row.visitor_name,
        "visitor_postcode": row.visitor_postcode,
        "other_id": row.other_id,
        "association": row.association,
        "find_type": row.find_type,
        "notes": row.notes,
        "grading": f"{row.source_eval}{row.intel_eval}{row.handling}",
        "source_eval": row.source_eval,
        "intel_eval": row.intel_eval,
        "handling": row.handling,
        "conditions": row.conditions,
        "retained_reason": row.retained_reason,
        "matches": matches,
    }
