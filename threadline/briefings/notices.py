"""Active threat notices, described to policy (briefings and digests both read them).

The notices capability writes `threat_notice`; briefings and digests only read the
published ones that are neither withdrawn nor past their review date. A notice concerns
the areas its `areas` column lists (else the areas of its subject); its cohorts are those
of its subject, so an agreement's cohort scope applies to it as to the record itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threadline.intel.records import grading_text
from threadline.model.enums import Marking, OrganisationType
from threadline.model.events import HandlingCode
from threadline.model.links import LinkType
from threadline.policy import Resource, ResourceKind, entity_facts
from threadline.policy.context import split_words
from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow, LinkRow, OrganisationRow

PUBLISHED = "published"
_GROUP_TYPES = (OrganisationType.OCG.value, OrganisationType.GANG.value)


@dataclass(frozen=True, slots=True)
class ActiveNotice:
    """A published notice with its owner, audiences and policy `Resource`."""

    row: ThreatNoticeRow
    owner: str
    audiences: frozenset[tuple[str, str]]  # (kind, code): area | agency | region
    areas: frozenset[str]
    group_id: int | None
    resource: Resource

    @property
    def grading(self) -> str | None:
        return grading_text(self.row.source_eval, self.row.intel_eval, self.row.handling)

    def addressed_to_area(self, area_code: str, force_code: str) -> bool:
        """For the frontline of this area: named, or region/force-wide and concerning it."""
        if ("area", area_code) in self.audiences:
            return True
        wide = ("region", "") in self.audiences or ("agency", force_code) in self.audiences
        return wide and (not self.areas or area_code in self.areas)

    def addressed_to_agency(self, agency_code: str) -> bool:
        return ("agency", agency_code) in self.audiences


def active_notices(
    session: Session, *, on: date, ids: Collection[int] | None = None
) -> list[ActiveNotice]:
    """Published notices, not withdrawn, whose review date has not passed on `on`."""
    query = (
        select(ThreatNoticeRow, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == ThreatNoticeRow.owner_id)
        .where(
            ThreatNoticeRow.status == PUBLISHED,
            ThreatNoticeRow.withdrawn_at.is_(None),
            ThreatNoticeRow.review_date >= on,
        )
        .order_by(ThreatNoticeRow.published_at.desc(), ThreatNoticeRow.id.desc())
    )
    if ids is not None:
        query = query.where(ThreatNoticeRow.id.in_(sorted(ids)))
    found = session.execute(query).all()
    return describe_notices(session, [(row, owner) for row, owner in found], on=on)


def describe_notices(
    session: Session, rows: list[tuple[ThreatNoticeRow, str]], *, on: date
) -> list[ActiveNotice]:
    """Describe notice rows (with their owner codes) to policy."""
    if not rows:
        return []
    audiences: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for notice_id, kind, code in session.execute(
        select(NoticeAudienceRow.notice_id, NoticeAudienceRow.kind, NoticeAudienceRow.code).where(
            NoticeAudienceRow.notice_id.in_([row.id for row, _ in rows])
        )
    ):
        audiences[notice_id].add((kind, code or ""))
    subjects = {row.subject_id for row, _ in rows}
    facts = entity_facts(session, subjects, on=on)
    groups = groups_of(session, subjects, on=on)
    described = []
    for row, owner in rows:
        subject = facts.get(row.subject_id)
        areas = split_words(row.areas or "")
        resource = Resource(
            kind=ResourceKind.THREAT_NOTICE,
            owner=owner,
            marking=Marking(row.marking),
            scope="region",
            handling=HandlingCode(row.handling),
            conditions=row.conditions,
            # The notice's own code C restriction holds in every pack and digest too.
            restricted_to=(
                split_words(row.restricted_to or "")
                if row.handling == HandlingCode.CONDITIONS.value
                else frozenset()
            ),
            areas=areas or (subject.areas if subject else frozenset()),
            cohorts=subject.cohorts if subject else frozenset(),
            id=row.id,
            ref=row.ref,
            # The partner organisations it is addressed to by name (policy's `parties`).
            parties=frozenset(code for kind, code in audiences[row.id] if kind == "agency"),
        )
        described.append(
            ActiveNotice(
                row=row,
                owner=owner,
                audiences=frozenset(audiences[row.id]),
                areas=areas,
                group_id=groups.get(row.subject_id),
                resource=resource,
            )
        )
    return described


def groups_of(session: Session, entity_ids: Collection[int], *, on: date) -> dict[int, int]:
    """The group (OCG or gang) each record concerns: a group itself, the group a person
    is a member of, the group that runs a county line. Records of no group are left out."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    found: dict[int, int] = {}
    for (group_id,) in session.execute(
        select(OrganisationRow.entity_id).where(
            OrganisationRow.entity_id.in_(ids), OrganisationRow.org_type.in_(_GROUP_TYPES)
        )
    ):
        found[group_id] = group_id
    current = (
        or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
        or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
    )
    members = (
        select(LinkRow.from_id, LinkRow.to_id)
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
        .where(
            LinkRow.link_type == LinkType.MEMBER_OF.value,
            LinkRow.from_id.in_(ids),
            OrganisationRow.org_type.in_(_GROUP_TYPES),
            *current,
        )
        .order_by(LinkRow.id)
    )
    for person_id, group_id in session.execute(members):
        found.setdefault(person_id, group_id)
    runners = (
        select(LinkRow.to_id, LinkRow.from_id)
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.from_id)
        .where(LinkRow.link_type == LinkType.RUNS_LINE.value, LinkRow.to_id.in_(ids), *current)
        .order_by(LinkRow.id)
    )
    for line_id, group_id in session.execute(runners):
        found.setdefault(line_id, group_id)
    return found


def notice_record(notice: ActiveNotice) -> dict[str, object]:
    """The full record of a notice, field by field (`FIELDS[THREAT_NOTICE]`)."""
    row = notice.row
    return {
        "id": row.id,
        "ref": row.ref,
        "owner": notice.owner,
        "marking": row.marking,
        "subject": row.subject_id,
        "title": row.title,
        "threat": row.threat,
        "place": row.place,
        "action": row.action,
        "contact": row.contact,
        "areas": sorted(notice.resource.areas),
        "grading": notice.grading,
        "source_eval": row.source_eval,
        "intel_eval": row.intel_eval,
        "handling": row.handling,
        "conditions": row.conditions,
        "review_date": row.review_date.isoformat(),
        "published_at": row.published_at.isoformat() if row.published_at else None,
        "status": row.status,
    }


def notice_rows(notice: ActiveNotice) -> list[tuple[str, str]]:
    """A notice as briefing rows: the threat, where, what to do, whom to contact."""
    row = notice.row
    return [
        ("Threat", row.threat),
        ("Where", row.place),
        ("What to do", row.action),
        ("Contact", row.contact),
        ("Reference", row.ref),
        ("Review by", row.review_date.strftime("%-d %B %Y")),
    ]


def load_notices(session: Session, ids: Collection[int], *, on: date) -> dict[int, ActiveNotice]:
    """Notices by id in whatever state (a pack shows a notice withdrawn since as such)."""
    if not ids:
        return {}
    found = session.execute(
        select(ThreatNoticeRow, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == ThreatNoticeRow.owner_id)
        .where(ThreatNoticeRow.id.in_(sorted(set(ids))))
    ).all()
    described = describe_notices(session, [(row, owner) for row, owner in found], on=on)
    return {notice.row.id: notice for notice in described}
