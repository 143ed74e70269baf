"""Loading threat notices and describing them to policy and to redaction.

Each loaded notice becomes a policy `Resource` of kind `threat_notice`: owned by the
force that wrote it, agency scope while a draft (its organisation's alone) and region
scope once sent, its marking and handling code, its own code C restriction (carried from
the sanitised report it was made from, or given when it was graded explicitly), the
partner organisations it is addressed to (`parties`), the areas it concerns and the
cohorts of its subject — so an agreement's area and cohort scope decide whether a
partner may receive it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.enums import Marking
from threadline.model.events import HandlingCode
from threadline.policy import EntityFacts, Resource, ResourceKind, entity_facts
from threadline.policy.context import split_words
from threadline.reference.geography import area_name, organisation_name
from threadline.storage.ids import is_stored_id
from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
from threadline.storage.tables import (
    AgencyRow,
    CountyLineRow,
    LocationRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
    VehicleRow,
)


class Status(StrEnum):
    """Where a notice stands; `review due` is shown, never stored."""

    DRAFT = "draft"  # written, not yet sent to anyone
    PUBLISHED = "published"  # sent to its audiences
    WITHDRAWN = "withdrawn"  # taken back, with a reason
    REVIEW_DUE = "review due"  # published and past its review date: review or withdraw it


class AudienceKind(StrEnum):
    """Who a notice is for."""

    AREA = "area"  # the frontline (officers and staff) of a policing area
    AGENCY = "agency"  # a named partner organisation, under an agreement
    REGION = "region"  # every police organisation of the region


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind
    code: str = ""  # the area or agency code; empty for the region

    def __str__(self) -> str:
        return "region" if self.kind is AudienceKind.REGION else f"{self.kind.value}:{self.code}"

    @property
    def label(self) -> str:
        """The audience as people say it: "Frontline of Norwich", an organisation's name."""
        if self.kind is AudienceKind.REGION:
            return "All police in the region"
        if self.kind is AudienceKind.AREA:
            return f"Frontline of {area_name(self.code)}"
        return organisation_name(self.code)


@dataclass(frozen=True, slots=True)
class LoadedNotice:
    """A notice row with what policy and views need around it."""

    row: ThreatNoticeRow
    owner: str
    audiences: tuple[Audience, ...]
    subject: dict[str, object]  # id, kind and a name for the record it is about
    facts: EntityFacts | None
    restricted_to: frozenset[str]
    resource: Resource

    def status_on(self, on: date) -> Status:
        if self.row.status == Status.PUBLISHED.value and self.row.review_date < on:
            return Status.REVIEW_DUE
        return Status(self.row.status)


def subject_names(session: Session, ids: Sequence[int]) -> dict[int, str]:
    """A short name for each record: a person's name, a group's, a line's, a number..."""
    found: dict[int, str] = {}
    if not ids:
        return found
    wanted = sorted(set(ids))
    for entity_id, given, family in session.execute(
        select(PersonRow.entity_id, PersonRow.given_names, PersonRow.family_name).where(
            PersonRow.entity_id.in_(wanted)
        )
    ):
        found[entity_id] = f"{given} {family}".strip()
    simple = (
        (OrganisationRow.entity_id, OrganisationRow.name),
        (CountyLineRow.entity_id, CountyLineRow.name),
        (PhoneRow.entity_id, PhoneRow.number),
        (VehicleRow.entity_id, VehicleRow.vrm),
    )
    for key, name in simple:
        for entity_id, text in session.execute(select(key, name).where(key.in_(wanted))):
            found[entity_id] = str(text)
    for entity_id, line1, town, postcode in session.execute(
        select(
            LocationRow.entity_id, LocationRow.line1, LocationRow.town, LocationRow.postcode
        ).where(LocationRow.entity_id.in_(wanted))
    ):
        found[entity_id] = ", ".join(p for p in (line1, town, postcode) if p)
    return found


def describe(session: Session, rows: Sequence[ThreatNoticeRow], *, on: date) -> list[LoadedNotice]:
    """Describe notice rows (owners, audiences, subjects, restrictions) in a few queries."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    owners: dict[int, str] = {
        agency_id: code
        for agency_id, code in session.execute(
            select(AgencyRow.id, AgencyRow.code).where(
                AgencyRow.id.in_({row.owner_id for row in rows})
            )
        )
    }
    audiences: dict[int, list[Audience]] = defaultdict(list)
    for notice_id, kind, code in session.execute(
        select(NoticeAudienceRow.notice_id, NoticeAudienceRow.kind, NoticeAudienceRow.code)
        .where(NoticeAudienceRow.notice_id.in_(ids))
        .order_by(NoticeAudienceRow.kind, NoticeAudienceRow.code)
    ):
        audiences[notice_id].append(Audience(AudienceKind(kind), code))
    subject_ids = [row.subject_id for row in rows]
    facts = entity_facts(session, subject_ids, on=on)
    names = subject_names(session, subject_ids)
    loaded = []
    for row in rows:
        owner = owners[row.owner_id]
        fact = facts.get(row.subject_id)
        # Kept on the notice itself: it outlives the report it was made from.
        restricted = (
            split_words(row.restricted_to or "")
            if row.handling == HandlingCode.CONDITIONS.value
            else frozenset()
        )
        resource = Resource(
            kind=ResourceKind.THREAT_NOTICE,
            owner=owner,
            marking=Marking(row.marking),
            # A draft is its organisation's alone; a sent notice is the region's police's.
            scope="agency" if row.status == Status.DRAFT.value else "region",
            handling=HandlingCode(row.handling),
            conditions=row.conditions,
            restricted_to=restricted,
            areas=split_words(row.areas),
            cohorts=fact.cohorts if fact is not None else frozenset(),
            id=row.id,
            ref=row.ref,
            # The partner organisations it is addressed to by name.
            parties=frozenset(a.code for a in audiences[row.id] if a.kind is AudienceKind.AGENCY),
        )
        subject: dict[str, object] = {
            "id": row.subject_id,
            "kind": fact.kind if fact is not None else "record",
            "name": names.get(row.subject_id, f"record {row.subject_id}"),
        }
        loaded.append(
            LoadedNotice(row, owner, tuple(audiences[row.id]), subject, fact, restricted, resource)
        )
    return loaded


def load_notice(session: Session, ref: str | int, *, on: date) -> LoadedNotice:
    """One notice by reference (TN-NFK-2026-0001) or id; `NotFound` if there is none."""
    query = select(ThreatNoticeRow)
    text = str(ref).strip()
    if isinstance(ref, int) or (text.isascii() and text.isdigit()):
        number = int(ref)
        # An id beyond what the database holds matches nothing (and must not reach it).
        query = query.where(ThreatNoticeRow.id == (number if is_stored_id(number) else 0))
    else:
        query = query.where(ThreatNoticeRow.ref == str(ref).strip().upper())
    row = session.scalar(query)
    if row is None:
        raise missing(ref)
    return describe(session, [row], on=on)[0]


def missing(ref: str | int) -> NotFound:
    """The answer for a notice that does not exist, and for one the reader may not see
    (the same words, so that neither its existence nor why it is hidden is revealed)."""
    return NotFound(
        f"no threat notice {ref!r} that you may see; give its reference (e.g. "
        "TN-NFK-2026-0001) or its id"
    )


def notice_record(loaded: LoadedNotice, *, on: date) -> dict[str, object]:
    """The full record of a notice, with every field the vocabulary lists for it."""
    row = loaded.row
    grading = (
        f"{row.source_eval}{row.intel_eval}{row.handling}"
        if row.source_eval and row.intel_eval
        else None
    )
    return {
        "id": row.id,
        "ref": row.ref,
        "owner": loaded.owner,
        "marking": row.marking,
        "subject": dict(loaded.subject),
        "title": row.title,
        "threat": row.threat,
        "place": row.place,
        "action": row.action,
        "contact": row.contact,
        "areas": sorted(split_words(row.areas)),
        "grading": grading,
        "source_eval": row.source_eval,
        "intel_eval": row.intel_eval,
        "handling": row.handling,
        "conditions": row.conditions,
        "restricted_to": sorted(loaded.restricted_to),
        "review_date": row.review_date,
        "published_at": row.published_at,
        "status": loaded.status_on(on).value,
    }
