"""After `threadline tick`, every area has its shift's briefing, with the area's threats."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.briefings.region import Region
from threadline.accounts import actor_for
from threadline.briefings import get_briefing, list_briefings, list_readers
from threadline.briefings.shifts import shift_start
from threadline.clock import utcnow
from threadline.demo.prison import add_demo_prison
from threadline.demo.safeguarding import add_demo_safeguarding
from threadline.errors import Forbidden
from threadline.prison.release import releases_for_areas
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.safeguarding_tables import ConcernRow
from threadline.storage.sharing_tables import (
    BriefingItemRow,
    BriefingRow,
    DigestItemRow,
    DigestRow,
    DisseminationRow,
)
from threadline.storage.tables import AreaRow, AuditEventRow, EntityRow, LocationRow


def _briefing_id(region: Region, area: str) -> int:
    with session_scope(region.engine) as session:
        found = session.scalar(
            select(BriefingRow.id)
            .join(AreaRow, AreaRow.id == BriefingRow.area_id)
            .where(AreaRow.code == area)
            .order_by(BriefingRow.shift_start.desc())
        )
    assert found is not None, f"no briefing for {area}"
    return found


def test_every_area_has_a_briefing_and_areas_with_an_ocg_threat_contain_it(
    region: Region, settings: Settings
) -> None:
    results = {r.name: r for r in tick(region.engine, settings=settings)}
    assert results["briefings"].error is None
    start = shift_start(utcnow(), settings.briefing_shift_hours)
    with session_scope(region.engine) as session:
        areas = set(session.scalars(select(AreaRow.code)))
        briefed = dict(
            session.execute(
                select(AreaRow.code, BriefingRow.id)
                .join(BriefingRow, BriefingRow.area_id == AreaRow.id)
                .where(BriefingRow.shift_start == start)
            ).all()
        )
        assert set(briefed) == areas
        for code in region.group_areas:
            notices = set(
                session.scalars(
                    select(BriefingItemRow.notice_id).where(
                        BriefingItemRow.briefing_id == briefed[code]
                    )
                )
            )
            assert region.ocg_notice in notices, f"{code}'s briefing lacks the OCG notice"
            assert region.withdrawn_notice not in notices
        elsewhere = areas - region.group_areas - {"norwich"}
        for code in sorted(elsewhere)[:10]:
            notices = set(
                session.scalars(
                    select(BriefingItemRow.notice_id).where(
                        BriefingItemRow.briefing_id == briefed[code]
                    )
                )
            )
            assert region.ocg_notice not in notices


def test_items_carry_grading_and_the_register_says_who_was_reached(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    briefing = _briefing_id(region, "norwich")
    with session_scope(region.engine) as session:
        item = session.scalars(
            select(BriefingItemRow).where(
                BriefingItemRow.briefing_id == briefing,
                BriefingItemRow.notice_id == region.secret_notice,
            )
        ).one()
        assert (item.grading, item.handling) == ("2CC", "C")
        assert item.conditions and "consent" in item.conditions
        area_id = session.scalar(select(AreaRow.id).where(AreaRow.code == "norwich"))
        register = session.execute(
            select(DisseminationRow.item_kind, DisseminationRow.notice_id).where(
                DisseminationRow.recipient_area_id == area_id
            )
        ).all()
        assert ("briefing", None) in register
        assert ("briefing_item", region.ocg_notice) in register
        events = session.scalars(
            select(AuditEventRow).where(AuditEventRow.event == "briefing.compiled")
        ).all()
        assert len(events) == session.scalar(select(func.count()).select_from(BriefingRow))
        ours = [e for e in events if json.loads(e.details)["briefing_id"] == briefing]
        assert ours[0].action == "disclosure"
        assert json.loads(ours[0].recipients) == ["norfolk"]


def test_a_second_tick_changes_nothing(region: Region, settings: Settings) -> None:
    tick(region.engine, settings=settings)

    def counts() -> tuple[int, ...]:
        with session_scope(region.engine) as session:
            return tuple(
                session.scalar(select(func.count()).select_from(table)) or 0
                for table in (
                    BriefingRow,
                    BriefingItemRow,
                    DigestRow,
                    DigestItemRow,
                    DisseminationRow,
                )
            )

    before = counts()
    results = {r.name: r for r in tick(region.engine, settings=settings)}
    assert counts() == before
    assert results["briefings"].counts["briefings"] == 0
    assert results["digests"].counts["digests"] == 0


def test_an_officer_without_the_clearance_does_not_see_the_sensitive_item(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    briefing = _briefing_id(region, "norwich")
    with session_scope(region.engine) as session:
        cleared = get_briefing(
            session, actor=actor_for(session, "officer@norfolk"), briefing_id=briefing
        )
        official = get_briefing(
            session, actor=actor_for(session, "constable@norfolk"), briefing_id=briefing
        )
    cleared_notices = {i.notice_id for i in cleared.items}
    official_notices = {i.notice_id for i in official.items}
    assert region.secret_notice in cleared_notices
    assert region.secret_notice not in official_notices
    assert region.ocg_notice in official_notices
    assert official.withheld > 0
    assert any("consent" in (i.conditions or "") for i in cleared.conditions)


def test_releases_and_new_concerns_reach_the_right_areas(
    region: Region, settings: Settings
) -> None:
    today = utcnow().date()
    with session_scope(region.engine) as session:
        assert add_demo_prison(session).prisoners
        assert add_demo_safeguarding(session).concerns
        # The newest concern was raised two days ago (the demo spreads them over months).
        newest = session.scalars(select(ConcernRow).order_by(ConcernRow.raised_at.desc())).first()
        assert newest is not None
        newest.raised_at = utcnow() - timedelta(days=2)
        # However the small region fell out, one prisoner is due out in five days, to an
        # address in a known area.
        episode = session.scalars(
            select(CustodyEpisodeRow).where(CustodyEpisodeRow.released_on.is_(None))
        ).first()
        assert episode is not None
        episode.release_date = today + timedelta(days=5)
        episode.release_address_id = session.scalar(
            select(LocationRow.entity_id).where(LocationRow.area_id.is_not(None)).limit(1)
        )
    with session_scope(region.engine) as session:
        expected = {
            (area_id, release.person_id)
            for area_id, releases in releases_for_areas(
                session, area_ids=list(session.scalars(select(AreaRow.id))), on=today
            ).items()
            for release in releases
        }
        concerned = list(session.scalars(select(ConcernRow.person_id)))
    assert expected, "the demo has someone released or due within 14 days"
    tick(region.engine, settings=settings)
    with session_scope(region.engine) as session:
        briefed = {
            (area_id, entity_id)
            for area_id, entity_id in session.execute(
                select(BriefingRow.area_id, BriefingItemRow.entity_id)
                .join(BriefingRow, BriefingRow.id == BriefingItemRow.briefing_id)
                .where(BriefingItemRow.section == "release")
            )
        }
        concern_items = list(
            session.scalars(
                select(BriefingItemRow.entity_id).where(BriefingItemRow.section == "safeguarding")
            )
        )
        texts = list(session.scalars(select(ConcernRow.text)))
        bodies = " ".join(session.scalars(select(BriefingItemRow.body)))
    # Each release is in the briefing of the area the person is released into, only there.
    assert briefed == expected
    # Each recent concern is briefed to its person's areas, without the partner's words.
    assert concern_items and set(concern_items) <= set(concerned)
    assert not any(text and text in bodies for text in texts)


def test_partners_do_not_read_briefings(region: Region, settings: Settings) -> None:
    tick(region.engine, settings=settings)
    briefing = _briefing_id(region, "norwich")
    with session_scope(region.engine) as session:
        partner = actor_for(session, "partner@norfolk-cads")
        with pytest.raises(Forbidden, match="digests"):
            get_briefing(session, actor=partner, briefing_id=briefing)


def test_officers_list_their_home_areas_current_shift_first(
    region: Region, settings: Settings
) -> None:
    tick(region.engine, settings=settings)
    with session_scope(region.engine) as session:
        officer = actor_for(session, "officer@norfolk")
        found = list_briefings(session, actor=officer, settings=settings)
    assert {b.area_code for b in found} == set(officer.home_areas)
    assert all(b.current for b in found)


def test_supervisors_see_who_has_not_acknowledged(region: Region, settings: Settings) -> None:
    from threadline.briefings import acknowledge_briefing

    tick(region.engine, settings=settings)
    briefing = _briefing_id(region, "norwich")
    with session_scope(region.engine) as session:
        acknowledge_briefing(
            session, actor=actor_for(session, "officer@norfolk"), briefing_id=briefing
        )
    with session_scope(region.engine) as session:
        readers = list_readers(
            session, actor=actor_for(session, "supervisor@norfolk"), briefing_id=briefing
        )
        unread = [r.username for r in readers if r.acknowledged_at is None]
        read = [r.username for r in readers if r.acknowledged_at is not None]
        assert unread == ["constable@norfolk"]
        assert read == ["officer@norfolk"]
        with pytest.raises(Forbidden):
            list_readers(
                session, actor=actor_for(session, "supervisor@suffolk"), briefing_id=briefing
            )
        with pytest.raises(Forbidden):
            list_readers(session, actor=actor_for(session, "officer@norfolk"), briefing_id=briefing)
        acknowledged = session.scalar(
            select(DisseminationRow.acknowledged_at).where(
                DisseminationRow.item_kind == "briefing",
                DisseminationRow.item_id == briefing,
                DisseminationRow.recipient_user_id.is_not(None),
            )
        )
        assert acknowledged is not None


def test_a_group_the_reader_may_not_see_is_not_named_on_its_members_items(
    region: Region, settings: Settings
) -> None:
    # The group is marked above the constable's clearance; its members are not. Their
    # items ("Lieutenant of <group>") would name the group, so they are withheld.
    with session_scope(region.engine) as session:
        group = session.get(EntityRow, region.group_id)
        assert group is not None
        group.marking = "OFFICIAL-SENSITIVE"
    tick(region.engine, settings=settings)
    area = sorted(region.group_areas)[0]
    briefing = _briefing_id(region, area)
    with session_scope(region.engine) as session:
        constable = actor_for(session, "constable@norfolk")
        seen = get_briefing(session, actor=constable, briefing_id=briefing)
        lro = get_briefing(session, actor=actor_for(session, "lro@norfolk"), briefing_id=briefing)
    assert any(i.group_id == region.group_id and i.notice_id is None for i in lro.items)
    for item in seen.items:
        if item.notice_id is None:
            text = item.title + " ".join(value for _, value in item.rows)
            assert region.group_name not in text, item
