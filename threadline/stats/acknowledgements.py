"""Acknowledgement rates: of the briefings delivered to each area, and of the digests and
notices delivered to each partner, the share acknowledged by a day's end."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.stats.shares import Share
from threadline.stats.sharing_figures import AreaFigures, ForceFigures, PartnerFigures
from threadline.storage.sharing_tables import DisseminationRow
from threadline.storage.tables import AgencyRow


def briefing_acknowledgements(
    session: Session,
    end: datetime,
    areas: dict[str, AreaFigures],
    area_ids: dict[str, int],
    forces: dict[str, ForceFigures],
) -> Share:
    """Add each area's briefings (and so its force's) delivered by `end` to its figures,
    each reached when at least one officer acknowledged it; the region's share."""
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


def partner_acknowledgements(
    session: Session,
    end: datetime,
    partners: dict[str, PartnerFigures],
    agencies: dict[int, AgencyRow],
) -> Share:
    """Add each partner's digests and notices delivered by `end` to its figures, each
    reached when the partner acknowledged it; the region's share of digests."""
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
