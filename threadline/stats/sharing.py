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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

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
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow, AreaRow

WINDOW = timedelta(days=7)  # the frontline must be reached within this of publication


@dataclass
class Share:
    """`reached` of `due`; `share` is None when nothing was due."""

    due: int = 0
    reached: int = 0

    @property
    def share(self) -> float | None:
        return round(self.reached / self.due, 3) if self.due else None

    def add(self, reached: bool) -> None:
        self.due += 1
        self.reached += int(reached)

    def to_dict(self) -> dict[str, Any]:
        return {"due": self.due, "reached": self.reached, "share": self.share}


@dataclass
class AreaFigures:
    code: str
    name: str
    force: str
    active_notices: int = 0
    frontline: Share = field(default_factory=Share)
    briefings_acknowledged: Share = field(default_factory=Share)


@dataclass
class PartnerFigures:
    code: str
    name: str
    covered: Share = field(default_factory=Share)  # active notices covered -> reached
    digests_acknowledged: Share = field(default_factory=Share)
    notices_acknowledged: Share = field(default_factory=Share)


@dataclass
class ForceFigures:
    code: str
    name: str
    active_notices: int = 0  # owned by the force
    frontline: Share = field(default_factory=Share)  # over (notice, area of the force)
    partners: Share = field(default_factory=Share)  # over (notice of the force, partner)
    briefings_acknowledged: Share = field(default_factory=Share)


@dataclass
class SharingCoverage:
    on: date
    active_notices: int
    forces: list[ForceFigures]
    areas: list[AreaFigures]
    partners: list[PartnerFigures]
    frontline: Share
    partner_coverage: Share
    briefings_acknowledged: Share
    digests_acknowledged: Share

    def to_dict(self) -> dict[str, Any]:
        def shares(obj: object, names: Iterable[str]) -> dict[str, Any]:
            return {name: getattr(obj, name).to_dict() for name in names}

        return {
            "on": self.on.isoformat(),
            "window_days": WINDOW.days,
            "region": {
                "active_notices": self.active_notices,
                "frontline_within_7_days": self.frontline.to_dict(),
                "partners_with_covering_isa": self.partner_coverage.to_dict(),
                "briefings_acknowledged": self.briefings_acknowledged.to_dict(),
                "digests_acknowledged": self.digests_acknowledged.to_dict(),
            },
            "forces": [
                {
                    "code": f.code,
                    "name": f.name,
                    "active_notices": f.active_notices,
                    "frontline_within_7_days": f.frontline.to_dict(),
                    "partners_with_covering_isa": f.partners.to_dict(),
                    "briefings_acknowledged": f.briefings_acknowledged.to_dict(),
                }
                for f in self.forces
            ],
            "areas": [
                {
                    "code": a.code,
                    "name": a.name,
                    "force": a.force,
                    "active_notices": a.active_notices,
                    "frontline_within_7_days": a.frontline.to_dict(),
                    "briefings_acknowledged": a.briefings_acknowledged.to_dict(),
                }
                for a in self.areas
            ],
            "partners": [
                {
                    "code": p.code,
                    "name": p.name,
                    **shares(p, ("covered", "digests_acknowledged", "notices_acknowledged")),
                }
                for p in self.partners
            ],
        }


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
    agencies = {row.id: row for row in session.scalars(select(AgencyRow).order_by(AgencyRow.code))}
    by_code = {row.code: row for row in agencies.values()}
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
    notices = active_notices(session, day)
    ids = [n.row.id for n in notices]
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

    frontline, partner_total = Share(), Share()
    contexts: dict[str, PolicyContext] = {}
    for notice in notices:
        published = notice.row.published_at
        assert published is not None
        if notice.owner in forces:
            forces[notice.owner].active_notices += 1
        for code in sorted(split_words(notice.row.areas)):
            area = areas.get(code)
            if area is None:
                continue
            first = first_to_area.get((notice.row.id, area_ids[code]))
            reached = first is not None and first <= published + WINDOW
            area.active_notices += 1
            area.frontline.add(reached)
            if area.force in forces:
                forces[area.force].frontline.add(reached)
            frontline.add(reached)
        ctx = contexts.get(notice.owner)
        if ctx is None:
            ctx = PolicyContext(notice.owner, day, tuple(isas_of(session, notice.owner)))
            contexts[notice.owner] = ctx
        for code in covered_partners(ctx, notice, by_code):
            reached = (notice.row.id, by_code[code].id) in reached_agency
            partners[code].covered.add(reached)
            if notice.owner in forces:
                forces[notice.owner].partners.add(reached)
            partner_total.add(reached)

    briefings_total = _briefing_acknowledgements(session, end, areas, area_ids, forces)
    digests_total = _partner_acknowledgements(session, end, partners, agencies)
    return SharingCoverage(
        on=day,
        active_notices=len(notices),
        forces=list(forces.values()),
        areas=list(areas.values()),
        partners=[
            p
            for p in partners.values()
            if p.covered.due or p.digests_acknowledged.due or p.notices_acknowledged.due
        ],
        frontline=frontline,
        partner_coverage=partner_total,
        briefings_acknowledged=briefings_total,
        digests_acknowledged=digests_total,
    )


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


def _briefing_acknowledgements(
    session: Session,
    end: datetime,
    areas: dict[str, AreaFigures],
    area_ids: dict[str, int],
    forces: dict[str, ForceFigures],
) -> Share:
    delivered: dict[int, set[int]] = defaultdict(set)  # area id -> briefing ids
    for area_id, briefing_id in session.execute(
        select(DisseminationRow.recipient_area_id, DisseminationRow.item_id).where(
            DisseminationRow.item_kind == "briefing",
            DisseminationRow.recipient_area_id.is_not(None),
            DisseminationRow.sent_at <= end,
        )
    ):
        if area_id is not None:
            delivered[area_id].add(briefing_id)
    acknowledged = set(
        session.scalars(
            select(DisseminationRow.item_id)
            .where(
                DisseminationRow.item_kind == "briefing",
                DisseminationRow.acknowledged_at.is_not(None),
                DisseminationRow.acknowledged_at <= end,
            )
            .distinct()
        )
    )
    total = Share()
    for code, area_id in area_ids.items():
        for briefing_id in delivered.get(area_id, ()):
            reached = briefing_id in acknowledged
            areas[code].briefings_acknowledged.add(reached)
            if areas[code].force in forces:
                forces[areas[code].force].briefings_acknowledged.add(reached)
            total.add(reached)
    return total


def _partner_acknowledgements(
    session: Session,
    end: datetime,
    partners: dict[str, PartnerFigures],
    agencies: dict[int, AgencyRow],
) -> Share:
    total = Share()
    for kind in ("digest", "notice"):
        acknowledged = set(
            session.execute(
                select(DisseminationRow.item_id, DisseminationRow.recipient_agency_id).where(
                    DisseminationRow.item_kind == kind,
                    DisseminationRow.acknowledged_at.is_not(None),
                    DisseminationRow.acknowledged_at <= end,
                )
            ).all()
        )
        acknowledged_items = {item for item, _ in acknowledged}
        delivered = session.execute(
            select(DisseminationRow.recipient_agency_id, DisseminationRow.item_id)
            .where(
                DisseminationRow.item_kind == kind,
                DisseminationRow.recipient_agency_id.is_not(None),
                DisseminationRow.sent_at <= end,
            )
            .distinct()
        )
        for agency_id, item_id in delivered:
            agency = agencies.get(agency_id) if agency_id is not None else None
            if agency is None or agency.code not in partners:
                continue
            # A digest is one organisation's, so any acknowledgement of it counts; a
            # notice reaches several, so only the partner's own acknowledgement does.
            reached = (
                item_id in acknowledged_items
                if kind == "digest"
                else (item_id, agency_id) in acknowledged
            )
            figures = partners[agency.code]
            share = (
                figures.digests_acknowledged if kind == "digest" else figures.notices_acknowledged
            )
            share.add(reached)
            if kind == "digest":
                total.add(reached)
    return total
