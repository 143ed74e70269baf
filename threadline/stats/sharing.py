"""Sharing coverage: did what is known about active threats reach those who need it?

Every figure is computed from the threat notices and the dissemination register, as of a
day `on` (default today, UTC). Definitions (the dashboard repeats them):

- **Active notice**: a threat notice that is published, not withdrawn, published on or
  before `on`, and whose review date is not before `on` (a notice past review is not
  counted until it is reviewed).
- **Frontline coverage** of an area: of the active notices that concern the area (the
  area is among the notice's areas), the share that reached the frontline of that area
  within 7 days of publication — a register row to that area (the notice itself, or a
  briefing item carrying it) sent at most 7 days after the notice was published. A
  notice sent to "the region" alone does not count: it must reach the area's frontline.
  Per force: the same over every (notice, area) pair of the force's areas.
- **Partner coverage** of a partner: of the active notices that an active agreement lets
  the notice's force share with that partner (its data items cover threat notices, its
  area and cohort scope include the notice, and no code C restriction excludes the
  partner), the share that reached the partner — a register row to the organisation for
  that notice (the notice, or a digest item carrying it), at any time up to `on`.
  Per force: the same over every (notice, covered partner) pair of the force's notices.
- **Partner reach** of a partner (`reach`): of the threats (active groups and county
  lines) in its areas that an agreement lets their force tell it about, the share it was
  told about by a notice (`threadline.stats.reach` defines it, and lists the threats
  behind each figure).
- **Briefing acknowledgement rate** of an area: of the briefings delivered to the area
  up to `on`, the share that at least one officer acknowledged.
- **Digest acknowledgement rate** of a partner: of the digests delivered to the partner
  up to `on`, the share the partner acknowledged.
- **Notice acknowledgement rate** of a partner: of the notices delivered to the partner,
  the share it acknowledged.

A share is `reached / due`, or None when nothing was due. The figures hold no personal
data (counts only), so reading them is not itself a consultation of records. Who may see
them is policy's (`threadline.policy.figures`, `Dashboard.SHARING`): `sharing_dashboard`
asks it; `sharing_coverage` is for the console.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.notices.records import LoadedNotice, describe
from threadline.policy import (
    Action,
    PolicyContext,
    load_context,
    matches_restriction,
    require,
    today,
)
from threadline.policy.context import isas_of, split_words
from threadline.policy.disclosure import isa_decision
from threadline.policy.figures import Dashboard, figures_resource
from threadline.policy.sharing import receives_under_agreements
from threadline.stats.acknowledgements import (
    briefing_acknowledgements,
    partner_acknowledgements,
)
from threadline.stats.reach import partner_reach
from threadline.stats.shares import Share
from threadline.stats.sharing_figures import (
    WINDOW,
    AreaFigures,
    ForceFigures,
    PartnerFigures,
    SharingCoverage,
)
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow, AreaRow


def sharing_dashboard(session: Session, *, actor: Actor, on: date | None = None) -> SharingCoverage:
    """The coverage figures for `actor`, if policy lets them see the sharing dashboard
    (raises `Forbidden` with the reason otherwise)."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=figures_resource(Dashboard.SHARING), ctx=ctx)
    return sharing_coverage(session, on=on)


def active_notices(session: Session, on: date) -> list[LoadedNotice]:
    """Notices active on `on` (see the module's definition)."""
    end = datetime.combine(on, time.max)
    rows = session.scalars(
        select(ThreatNoticeRow)
        .where(
            ThreatNoticeRow.status == "published",
            ThreatNoticeRow.withdrawn_at.is_(None),
            ThreatNoticeRow.published_at.is_not(None),
            ThreatNoticeRow.published_at <= end,
            ThreatNoticeRow.review_date >= on,
        )
        .order_by(ThreatNoticeRow.id)
    ).all()
    return describe(session, rows, on=on)


def sharing_coverage(session: Session, *, on: date | None = None) -> SharingCoverage:
    """Every coverage figure of the region, per force, per area and per partner."""
    day = on or today()
    end = datetime.combine(day, time.max)
    region = _region(session)
    notices = active_notices(session, day)
    deliveries = _deliveries(session, [n.row.id for n in notices], end)
    frontline, partner_total = Share(), Share()
    contexts: dict[str, PolicyContext] = {}
    for notice in notices:
        if notice.owner in region.forces:
            region.forces[notice.owner].active_notices += 1
        _count_frontline(region, deliveries, notice, frontline)
        ctx = contexts.get(notice.owner)
        if ctx is None:
            ctx = PolicyContext(notice.owner, day, tuple(isas_of(session, notice.owner)))
            contexts[notice.owner] = ctx
        _count_partners(region, deliveries, ctx, notice, partner_total)

    briefings_total = briefing_acknowledgements(
        session, end, region.areas, region.area_ids, region.forces
    )
    digests_total = partner_acknowledgements(session, end, region.partners, region.agencies)
    reach_total = Share()
    for code, reached in partner_reach(session, on=day).items():
        if code in region.partners:
            region.partners[code].reach = reached.reach
            reach_total.due += reached.reach.due
            reach_total.reached += reached.reach.reached
    return SharingCoverage(
        on=day,
        active_notices=len(notices),
        forces=list(region.forces.values()),
        areas=list(region.areas.values()),
        partners=[
            p
            for p in region.partners.values()
            if p.covered.due
            or p.reach.due
            or p.digests_acknowledged.due
            or p.notices_acknowledged.due
        ],
        frontline=frontline,
        partner_coverage=partner_total,
        briefings_acknowledged=briefings_total,
        digests_acknowledged=digests_total,
        partner_reach=reach_total,
    )


@dataclass(frozen=True, slots=True)
class _Region:
    """The organisations and areas of the region, each with the figures counted for it."""

    agencies: dict[int, AgencyRow]  # by id
    by_code: dict[str, AgencyRow]
    forces: dict[str, ForceFigures]
    areas: dict[str, AreaFigures]
    area_ids: dict[str, int]  # area code -> id
    partners: dict[str, PartnerFigures]


def _region(session: Session) -> _Region:
    agencies = {row.id: row for row in session.scalars(select(AgencyRow).order_by(AgencyRow.code))}
    forces = {
        row.code: ForceFigures(row.code, row.name)
        for row in agencies.values()
        if not receives_under_agreements(AgencyKind(row.kind))
    }
    areas: dict[str, AreaFigures] = {}
    area_ids: dict[str, int] = {}
    for area_row in session.scalars(select(AreaRow).order_by(AreaRow.code)):
        force_code = agencies[area_row.force_id].code
        areas[area_row.code] = AreaFigures(area_row.code, area_row.name, force_code)
        area_ids[area_row.code] = area_row.id
    partners: dict[str, PartnerFigures] = {
        row.code: PartnerFigures(row.code, row.name)
        for row in agencies.values()
        if receives_under_agreements(AgencyKind(row.kind))
    }
    by_code = {row.code: row for row in agencies.values()}
    return _Region(agencies, by_code, forces, areas, area_ids, partners)


@dataclass(frozen=True, slots=True)
class _Deliveries:
    """Where the active notices went: when each first reached an area's frontline, and
    which (notice, organisation) pairs were reached by `on`."""

    first_to_area: dict[tuple[int, int], datetime]  # (notice id, area id) -> first sent
    reached_agency: set[tuple[int, int]]  # (notice id, agency id)


def _deliveries(session: Session, ids: list[int], end: datetime) -> _Deliveries:
    first_to_area: dict[tuple[int, int], datetime] = {}
    reached_agency: set[tuple[int, int]] = set()
    if ids:
        for notice_id, area_id, sent in session.execute(
            select(
                DisseminationRow.notice_id,
                DisseminationRow.recipient_area_id,
                func.min(DisseminationRow.sent_at),
            )
            .where(
                DisseminationRow.notice_id.in_(ids),
                DisseminationRow.item_kind.in_(("notice", "briefing_item")),
                DisseminationRow.recipient_area_id.is_not(None),
            )
            .group_by(DisseminationRow.notice_id, DisseminationRow.recipient_area_id)
        ):
            if notice_id is not None and area_id is not None:
                first_to_area[notice_id, area_id] = sent
        for notice_id, agency_id in session.execute(
            select(DisseminationRow.notice_id, DisseminationRow.recipient_agency_id)
            .where(
                DisseminationRow.notice_id.in_(ids),
                DisseminationRow.item_kind.in_(("notice", "digest_item")),
                DisseminationRow.recipient_agency_id.is_not(None),
                DisseminationRow.sent_at <= end,
            )
            .distinct()
        ):
            if notice_id is not None and agency_id is not None:
                reached_agency.add((notice_id, agency_id))
    return _Deliveries(first_to_area, reached_agency)


def _count_frontline(
    region: _Region, deliveries: _Deliveries, notice: LoadedNotice, frontline: Share
) -> None:
    """Count the notice towards each of its areas' frontline coverage (and their forces')."""
    published = notice.row.published_at
    assert published is not None
    for code in sorted(split_words(notice.row.areas)):
        area = region.areas.get(code)
        if area is None:
            continue
        first = deliveries.first_to_area.get((notice.row.id, region.area_ids[code]))
        reached = first is not None and first <= published + WINDOW
        area.active_notices += 1
        area.frontline.add(reached)
        if area.force in region.forces:
            region.forces[area.force].frontline.add(reached)
        frontline.add(reached)


def _count_partners(
    region: _Region,
    deliveries: _Deliveries,
    ctx: PolicyContext,
    notice: LoadedNotice,
    partner_total: Share,
) -> None:
    """Count the notice towards each partner an agreement covers it for (and its force)."""
    for code in covered_partners(ctx, notice, region.by_code):
        reached = (notice.row.id, region.by_code[code].id) in deliveries.reached_agency
        region.partners[code].covered.add(reached)
        if notice.owner in region.forces:
            region.forces[notice.owner].partners.add(reached)
        partner_total.add(reached)


def covered_partners(
    ctx: PolicyContext, notice: LoadedNotice, agencies: dict[str, AgencyRow]
) -> list[str]:
    """Partners an active agreement lets the notice's force share this notice with."""
    candidates = sorted({code for terms in ctx.isas for code in terms.recipients})
    covered = []
    for code in candidates:
        agency = agencies.get(code)
        if agency is None or not receives_under_agreements(AgencyKind(agency.kind)):
            continue
        restricted = notice.resource.restricted_to
        if not matches_restriction(code, AgencyKind(agency.kind), restricted):
            continue
        decision = isa_decision(
            ctx, provider=notice.owner, recipient=code, resource=notice.resource
        )
        if decision.allowed:
            covered.append(code)
    return covered
