"""Queries of crime groups as a whole: the group, its profile, its index and its members.

A group is an `organisation` entity of type "ocg" or "gang"; its profile (operation name,
commodities, crime types, counter-measures, mapped or archived) is `ocg_profile`, which
may be missing (a group nobody has profiled yet is mapped, with nothing indexed). Band and
priority are read from the current `ocg_score` and the newest `morile_assessment`; the
state of the 4P plan from `plan_action` and `plan_review`.

`threadline.ocg` asks policy and audits; nothing here does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from threadline.model.enums import OrganisationType
from threadline.model.links import LinkType
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    EntityRow,
    LinkRow,
    MorileAssessmentRow,
    OcgProfileRow,
    OcgScoreRow,
    OrganisationRow,
    PersonRow,
    PlanActionRow,
    PlanReviewRow,
    UserRow,
)

__all__ = [
    "ARCHIVED",
    "GROUP_TYPES",
    "MAPPED",
    "PlanFacts",
    "StoredGroup",
    "StoredLine",
    "StoredMember",
    "archive_group",
    "area_names",
    "bands_of",
    "find_group_ids",
    "group",
    "group_batches",
    "join_codes",
    "lines_of",
    "members_of",
    "plan_facts",
    "priorities_of",
    "save_profile",
    "split_codes",
]

GROUP_TYPES = (OrganisationType.OCG.value, OrganisationType.GANG.value)
MAPPED = "mapped"
ARCHIVED = "archived"
_BATCH = 500


def split_codes(joined: str | None) -> tuple[str, ...]:
    """The codes of a "|"-joined list as stored (empty for none)."""
    return tuple(code for code in (joined or "").split("|") if code)


def join_codes(codes: Collection[str]) -> str:
    """Codes as stored: "|"-joined, with a "|" at each end so LIKE '%|code|%' finds one."""
    kept = [code for code in codes if code]
    return f"|{'|'.join(kept)}|" if kept else ""


@dataclass(frozen=True, slots=True)
class StoredGroup:
    """A group with its profile, owner and LRO, as stored."""

    id: int
    name: str
    org_type: str
    owner_code: str
    owner_name: str
    lro_id: int | None
    lro_name: str | None
    lro_username: str | None
    lro_email: str | None
    operation_name: str | None
    commodities: tuple[str, ...]
    crime_types: tuple[str, ...]
    counter_measures: tuple[str, ...]
    status: str
    mapped_on: date | None
    archived_reason: str | None
    archived_at: datetime | None
    lro_phone: str | None = None
    lro_out_of_hours: str | None = None  # the LRO's force's out-of-hours route

    @property
    def archived(self) -> bool:
        return self.status == ARCHIVED


_LRO = aliased(UserRow)
_LRO_FORCE = aliased(AgencyRow)
_GROUPS = (
    select(
        OrganisationRow.entity_id,
        OrganisationRow.name,
        OrganisationRow.org_type,
        AgencyRow.code,
        AgencyRow.name,
        OrganisationRow.lro_id,
        _LRO.display_name,
        _LRO.username,
        _LRO.email,
        OcgProfileRow.operation_name,
        OcgProfileRow.commodities,
        OcgProfileRow.crime_types,
        OcgProfileRow.counter_measures,
        OcgProfileRow.status,
        OcgProfileRow.mapped_on,
        OcgProfileRow.archived_reason,
        OcgProfileRow.archived_at,
        _LRO.phone,
        _LRO_FORCE.out_of_hours,
    )
    .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
    .outerjoin(_LRO, _LRO.id == OrganisationRow.lro_id)
    .outerjoin(_LRO_FORCE, _LRO_FORCE.id == _LRO.agency_id)
    .outerjoin(OcgProfileRow, OcgProfileRow.group_id == OrganisationRow.entity_id)
    .where(OrganisationRow.org_type.in_(GROUP_TYPES))
)


def _stored(row: Sequence[object]) -> StoredGroup:
    (gid, name, org_type, code, owner, lro_id, lro_name, lro_user, lro_email) = row[:9]
    operation, commodities, crimes, measures, status, mapped_on, reason, at = row[9:17]
    lro_phone, lro_out_of_hours = row[17:19]
    return StoredGroup(
        id=int(gid),  # type: ignore[call-overload]
        name=str(name),
        org_type=str(org_type),
        owner_code=str(code),
        owner_name=str(owner),
        lro_id=lro_id,  # type: ignore[arg-type]
        lro_name=lro_name,  # type: ignore[arg-type]
        lro_username=lro_user,  # type: ignore[arg-type]
        lro_email=lro_email,  # type: ignore[arg-type]
        operation_name=operation,  # type: ignore[arg-type]
        commodities=split_codes(commodities),  # type: ignore[arg-type]
        crime_types=split_codes(crimes),  # type: ignore[arg-type]
        counter_measures=split_codes(measures),  # type: ignore[arg-type]
        status=str(status or MAPPED),
        mapped_on=mapped_on,  # type: ignore[arg-type]
        archived_reason=reason,  # type: ignore[arg-type]
        archived_at=at,  # type: ignore[arg-type]
        lro_phone=lro_phone,  # type: ignore[arg-type]
        lro_out_of_hours=lro_out_of_hours,  # type: ignore[arg-type]
    )


def group(session: Session, group_id: int) -> StoredGroup | None:
    """The group `group_id` (an OCG or gang organisation), or None if there is none."""
    row = session.execute(_GROUPS.where(OrganisationRow.entity_id == group_id)).one_or_none()
    return None if row is None else _stored(tuple(row))


def bands_of(session: Session, group_ids: Collection[int]) -> dict[int, str]:
    """The band of each group's current mapping score (groups never scored left out)."""
    if not group_ids:
        return {}
    rows = session.execute(
        select(OcgScoreRow.group_id, OcgScoreRow.band, OcgScoreRow.computed_at)
        .where(OcgScoreRow.group_id.in_(sorted(set(group_ids))), OcgScoreRow.current.is_(True))
        .order_by(OcgScoreRow.computed_at)
    )
    return {gid: band for gid, band, _ in rows}  # the newest current one wins


def priorities_of(session: Session, group_ids: Collection[int]) -> dict[int, str]:
    """The priority of each group's newest MoRiLE assessment (unassessed left out)."""
    if not group_ids:
        return {}
    rows = session.execute(
        select(MorileAssessmentRow.group_id, MorileAssessmentRow.priority)
        .where(MorileAssessmentRow.group_id.in_(sorted(set(group_ids))))
        .order_by(MorileAssessmentRow.assessed_at, MorileAssessmentRow.id)
    )
    return {int(gid): priority for gid, priority in rows if gid is not None}


# ----------------------------------------------------------------------------- the index


def group_batches(
    session: Session,
    *,
    text: str | None = None,
    archived: bool = False,
    commodity: str | None = None,
    crime_type: str | None = None,
    lro_username: str | None = None,
    ids: Collection[int] | None = None,
) -> Iterator[list[StoredGroup]]:
    """Groups matching the stored filters, by name, in batches (fetched lazily).

    `text` matches the name or the operation name (case-insensitive substring);
    `archived` False gives mapped groups only, True every group.
    """
    query = _GROUPS
    # PostgreSQL refuses NUL in text: control characters are never part of a name.
    text = "".join(ch for ch in (text or "") if ch.isprintable()).strip()
    if text:
        pattern = f"%{text.lower()}%"
        query = query.where(
            or_(
                func.lower(OrganisationRow.name).like(pattern),
                func.lower(func.coalesce(OcgProfileRow.operation_name, "")).like(pattern),
            )
        )
    if not archived:
        query = query.where(or_(OcgProfileRow.status.is_(None), OcgProfileRow.status != ARCHIVED))
    if commodity:
        query = query.where(OcgProfileRow.commodities.like(f"%|{commodity}|%"))
    if crime_type:
        query = query.where(OcgProfileRow.crime_types.like(f"%|{crime_type}|%"))
    if lro_username:
        query = query.where(_LRO.username == lro_username.strip().lower())
    if ids is not None:
        query = query.where(OrganisationRow.entity_id.in_(sorted(set(ids))))
    query = query.order_by(func.lower(OrganisationRow.name), OrganisationRow.entity_id)
    offset = 0
    while True:
        rows = session.execute(query.limit(_BATCH).offset(offset)).all()
        if not rows:
            return
        yield [_stored(tuple(row)) for row in rows]
        if len(rows) < _BATCH:
            return
        offset += _BATCH


def find_group_ids(session: Session, text: str) -> list[int]:
    """Every group whose name or operation name contains `text` (archived ones too)."""
    return [g.id for batch in group_batches(session, text=text, archived=True) for g in batch]


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What the state of a group's 4P plan is worked out from."""

    actions: int  # every action
    late: int  # open actions past their due date
    next_review: date | None  # of the newest review, if any


_CLOSED = ("done", "stopped", "completed", "closed", "cancelled")


def plan_facts(session: Session, group_ids: Collection[int], *, on: date) -> dict[int, PlanFacts]:
    """Each group's plan: actions, late actions and the next review due (all groups)."""
    ids = sorted(set(group_ids))
    if not ids:
        return {}
    actions: dict[int, int] = defaultdict(int)
    late: dict[int, int] = defaultdict(int)
    for gid, status, due in session.execute(
        select(PlanActionRow.group_id, PlanActionRow.status, PlanActionRow.due).where(
            PlanActionRow.group_id.in_(ids)
        )
    ):
        actions[gid] += 1
        if due is not None and due < on and (status or "").lower() not in _CLOSED:
            late[gid] += 1
    reviews: dict[int, date] = {}
    for gid, next_review in session.execute(
        select(PlanReviewRow.group_id, PlanReviewRow.next_review)
        .where(PlanReviewRow.group_id.in_(ids))
        .order_by(PlanReviewRow.reviewed_at, PlanReviewRow.id)
    ):
        reviews[gid] = next_review
    return {
        gid: PlanFacts(actions=actions[gid], late=late[gid], next_review=reviews.get(gid))
        for gid in ids
    }


# ----------------------------------------------------------------------------- members


@dataclass(frozen=True, slots=True)
class StoredMember:
    """A person currently linked to a group, with the role the link gives."""

    person_id: int
    name: str
    role: str | None
    link_type: str
    marking: str  # of the link: a membership above the reader's clearance is not shown


def members_of(session: Session, group_id: int, *, on: date) -> list[StoredMember]:
    """The people currently a member of (or running for) the group, by name."""
    rows = session.execute(
        select(
            LinkRow.from_id,
            PersonRow.given_names,
            PersonRow.family_name,
            LinkRow.role,
            LinkRow.link_type,
            LinkRow.marking,
        )
        .join(PersonRow, PersonRow.entity_id == LinkRow.from_id)
        .where(
            LinkRow.to_id == group_id,
            LinkRow.link_type.in_([LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value]),
            or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
            or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
        )
        .order_by(PersonRow.family_name, PersonRow.given_names, LinkRow.from_id)
    )
    seen: set[int] = set()
    found = []
    for pid, given, family, role, link_type, marking in rows:
        if pid in seen:
            continue
        seen.add(pid)
        # As nominals are written: family name in capitals first ("BLACK, Ray").
        name = ", ".join(part for part in ((family or "").upper(), given) if part)
        name = name or "Unnamed person"
        found.append(StoredMember(pid, name, role, link_type, marking))
    return found


def member_ids_by_group(
    session: Session, group_ids: Collection[int], *, on: date
) -> dict[int, list[tuple[int, str]]]:
    """The people currently linked as members (or runners) of each group, each with the
    marking of the link (a person linked twice appears once per link)."""
    ids = sorted(set(group_ids))
    found: dict[int, set[tuple[int, str]]] = defaultdict(set)
    if not ids:
        return {}
    for gid, pid, marking in session.execute(
        select(LinkRow.to_id, LinkRow.from_id, LinkRow.marking).where(
            LinkRow.to_id.in_(ids),
            LinkRow.link_type.in_([LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value]),
            or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
            or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
        )
    ):
        found[gid].add((pid, marking))
    return {gid: sorted(people) for gid, people in found.items()}


@dataclass(frozen=True, slots=True)
class StoredLine:
    """A county line a group runs."""

    id: int
    name: str
    exporting_area: str
    importing_area: str | None  # the area's code
    marking: str  # of the link


def lines_of(session: Session, group_id: int, *, on: date) -> list[StoredLine]:
    """The county lines the group currently runs, by name."""
    rows = session.execute(
        select(
            CountyLineRow.entity_id,
            CountyLineRow.name,
            CountyLineRow.exporting_area,
            AreaRow.code,
            LinkRow.marking,
        )
        .join(LinkRow, LinkRow.to_id == CountyLineRow.entity_id)
        .outerjoin(AreaRow, AreaRow.id == CountyLineRow.importing_area_id)
        .where(
            LinkRow.from_id == group_id,
            LinkRow.link_type == LinkType.RUNS_LINE.value,
            or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
            or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
        )
        .order_by(CountyLineRow.name)
    )
    return [StoredLine(*row) for row in rows]


def area_names(session: Session) -> dict[str, str]:
    """Every policing area's name by its code."""
    return {code: name for code, name in session.execute(select(AreaRow.code, AreaRow.name))}


# ----------------------------------------------------------------------------- writes


def _profile(session: Session, group_id: int, now: datetime) -> OcgProfileRow:
    row = session.get(OcgProfileRow, group_id)
    if row is None:
        row = OcgProfileRow(
            group_id=group_id,
            commodities="",
            crime_types="",
            counter_measures="",
            status=MAPPED,
            mapped_on=now.date(),
            updated_at=now,
        )
        session.add(row)
    return row


def save_profile(
    session: Session,
    *,
    group_id: int,
    operation_name: str | None,
    commodities: Collection[str],
    crime_types: Collection[str],
    counter_measures: Collection[str],
    now: datetime,
    mapped_on: date | None = None,
) -> None:
    """Write the group's profile (created if it has none); `mapped_on` if given."""
    row = _profile(session, group_id, now)
    if mapped_on is not None:
        row.mapped_on = mapped_on
    row.operation_name = operation_name
    row.commodities = join_codes(commodities)
    row.crime_types = join_codes(crime_types)
    row.counter_measures = join_codes(counter_measures)
    row.updated_at = now
    session.flush()


def archive_group(
    session: Session, *, group_id: int, reason: str, by_user_id: int | None, now: datetime
) -> None:
    """Mark the group archived (de-mapped) with the reason; its history stays."""
    row = _profile(session, group_id, now)
    row.status = ARCHIVED
    row.archived_reason = reason
    row.archived_at = now
    row.archived_by_id = by_user_id
    row.updated_at = now
    session.flush()
