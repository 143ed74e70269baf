"""Sharing coverage on a hand-made world, with every expected figure worked out below.

Norfolk publishes four notices about a child in Norwich (CADS may receive notices about
under-18s in Norwich):
- A: Norwich and CADS audiences -> the Norwich frontline and CADS are reached at once;
- B: concerns Norwich and Breckland, sent to the region only; a briefing item takes it
  to Norwich 2 days later (in time) and to Breckland 8 days later (too late);
- C: withdrawn, and D: past its review date -> neither is active.
So frontline: (A, norwich) yes, (B, norwich) yes, (B, breckland) no = 2 of 3; Norwich
2 of 2, Breckland 0 of 1. Partners: CADS is covered for A and B, reached by A = 1 of 2.
Norwich had two briefings, one acknowledged = 1 of 2; CADS's one digest was
acknowledged = 1 of 1.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.notices.world import NoticeWorld, draft
from threadline.clock import utcnow
from threadline.dissemination import Delivery, ItemKind, record_deliveries
from threadline.notices import publish_notice, withdraw_notice
from threadline.policy import today
from threadline.stats.sharing import sharing_coverage
from threadline.storage.sharing_tables import (
    BriefingRow,
    DigestRow,
    DisseminationRow,
    ThreatNoticeRow,
)
from threadline.storage.tables import AgencyRow, AreaRow


def _id(session: Session, table: type[AreaRow] | type[AgencyRow], code: str) -> int:
    found = session.scalar(select(table.id).where(table.code == code))
    assert found is not None
    return found


def _publish(session: Session, world: NoticeWorld, title: str, **options: object) -> int:
    notice = draft(session, world, title=title, **options)  # type: ignore[arg-type]
    publish_notice(session, actor=world.analyst, ref=notice.ref)
    return notice.id


def _build(session: Session, world: NoticeWorld) -> None:
    norwich, breckland = _id(session, AreaRow, "norwich"), _id(session, AreaRow, "breckland")
    cads = _id(session, AgencyRow, "norfolk-cads")
    _publish(session, world, "A", audiences=("area:norwich", "agency:norfolk-cads"))
    b = _publish(session, world, "B", audiences=("region",), areas=("norwich", "breckland"))
    published = session.get_one(ThreatNoticeRow, b).published_at
    assert published is not None
    for area, days in ((norwich, 2), (breckland, 8)):
        record_deliveries(
            session,
            [Delivery(ItemKind.BRIEFING_ITEM, 100 + days, area_id=area, notice_id=b)],
            audit_event_id=None,
            at=published + timedelta(days=days),
        )
    c = draft(session, world, title="C", audiences=("area:norwich",))
    publish_notice(session, actor=world.analyst, ref=c.ref)
    withdraw_notice(session, actor=world.analyst, ref=c.ref, reason="Threat over")
    d = _publish(session, world, "D", audiences=("area:norwich", "agency:norfolk-cads"))
    session.execute(
        update(ThreatNoticeRow)
        .where(ThreatNoticeRow.id == d)
        .values(review_date=today() - timedelta(days=1))
    )
    now = utcnow()
    for hours in (0, 8):
        briefing = BriefingRow(
            area_id=norwich, shift_start=now + timedelta(hours=hours), compiled_at=now
        )
        session.add(briefing)
        session.flush()
        record_deliveries(
            session,
            [Delivery(ItemKind.BRIEFING, briefing.id, area_id=norwich)],
            audit_event_id=None,
        )
        if hours == 0:  # one officer acknowledged the first
            session.add(
                DisseminationRow(
                    item_kind="briefing",
                    item_id=briefing.id,
                    form="app",
                    sent_at=now,
                    acknowledged_at=now,
                )
            )
    digest = DigestRow(agency_id=cads, period_start=now, compiled_at=now)
    session.add(digest)
    session.flush()
    record_deliveries(
        session, [Delivery(ItemKind.DIGEST, digest.id, agency_id=cads)], audit_event_id=None
    )
    session.execute(
        update(DisseminationRow)
        .where(DisseminationRow.item_kind == "digest")
        .values(acknowledged_at=now)
    )
    session.flush()


def test_coverage_figures_match_the_hand_count(session: Session, world: NoticeWorld) -> None:
    _build(session, world)
    figures = sharing_coverage(session).to_dict()
    region = figures["region"]
    assert region["active_notices"] == 2
    assert region["frontline_within_7_days"] == {"due": 3, "reached": 2, "share": 0.667}
    assert region["partners_with_covering_isa"] == {"due": 2, "reached": 1, "share": 0.5}
    assert region["briefings_acknowledged"] == {"due": 2, "reached": 1, "share": 0.5}
    assert region["digests_acknowledged"] == {"due": 1, "reached": 1, "share": 1.0}

    areas = {a["code"]: a for a in figures["areas"]}
    assert areas["norwich"]["frontline_within_7_days"]["share"] == 1.0
    assert areas["breckland"]["frontline_within_7_days"] == {"due": 1, "reached": 0, "share": 0.0}
    assert areas["ipswich"]["frontline_within_7_days"]["share"] is None  # nothing due

    forces = {f["code"]: f for f in figures["forces"]}
    assert forces["norfolk"]["active_notices"] == 2
    assert forces["norfolk"]["frontline_within_7_days"]["reached"] == 2
    assert forces["norfolk"]["partners_with_covering_isa"]["due"] == 2
    assert forces["suffolk"]["frontline_within_7_days"]["due"] == 0

    partners = {p["code"]: p for p in figures["partners"]}
    assert partners["norfolk-cads"]["covered"] == {"due": 2, "reached": 1, "share": 0.5}
    assert "norwich-housing" not in partners  # no agreement covering notices: nothing due


def test_an_empty_region_has_no_shares(session: Session, world: NoticeWorld) -> None:
    figures = sharing_coverage(session).to_dict()
    assert figures["region"]["active_notices"] == 0
    assert figures["region"]["frontline_within_7_days"]["share"] is None
