"""Monitoring plans and their review clocks, the dashboard of imprisoned members with no
plan, the figures per force, and alerts before release at each threshold, once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.prison.world import World
from threadline.clock import uk_date
from threadline.errors import Forbidden, InvalidData
from threadline.model.security import system_actor
from threadline.prison.dashboard import get_figures, list_unmonitored
from threadline.prison.plans import create_plan, list_plans, review_plan
from threadline.prison.release import releases_for_areas
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import AreaRow, EntityRow

SETTINGS = Settings(secret_key="prison-tests-secret-key-long-enough-for-hmac-signing")
TODAY = date(2026, 11, 2)


def test_a_member_without_a_plan_is_listed_until_a_plan_exists(world: World) -> None:
    with session_scope(world.engine) as session:
        lro = world.actor(session, world.lro)
        (row,) = list_unmonitored(session, actor=lro, today=TODAY)
        assert (row.person_id, row.problem, row.groups) == (
            world.member,
            "No monitoring plan",
            ("Carter OCG",),
        )
        assert row.prison == "HMP Norwich" and row.forces == ("norfolk",)
        plan = create_plan(
            session,
            actor=lro,
            settings=SETTINGS,
            person_id=world.member,
            plan_type="intelligence_led",
            monitored="PIN-phone calls and social visits",
            today=TODAY,
        )
        assert plan.next_review == TODAY + timedelta(days=31)
        assert list_unmonitored(session, actor=lro, today=TODAY) == []
        # A month and a day later the review is overdue and the member is back.
        later = TODAY + timedelta(days=32)
        (row,) = list_unmonitored(session, actor=lro, today=later)
        assert row.problem == f"Review overdue since {uk_date(plan.next_review)}"
        review_plan(session, actor=lro, settings=SETTINGS, plan_id=plan.id, today=later)
        assert list_unmonitored(session, actor=lro, today=later) == []
        assert [p.id for p in list_plans(session, actor=lro, person_id=world.member)] == [plan.id]


def test_the_review_clock_refuses_a_review_too_far_off(world: World) -> None:
    with session_scope(world.engine) as session, pytest.raises(InvalidData) as raised:
        create_plan(
            session,
            actor=world.actor(session, world.lro),
            settings=SETTINGS,
            person_id=world.member,
            plan_type="offence_related",
            monitored="calls",
            next_review=TODAY + timedelta(days=120),
            today=TODAY,
        )
    (error,) = raised.value.errors
    assert error.location == "next_review" and "within 92 days" in error.expected
    with session_scope(world.engine) as session, pytest.raises(Forbidden):
        create_plan(
            session,
            actor=world.actor(session, world.officer),
            settings=SETTINGS,
            person_id=world.member,
            plan_type="offence_related",
            monitored="calls",
        )


def test_figures_per_force(world: World) -> None:
    with session_scope(world.engine) as session:
        lro = world.actor(session, world.lro)
        (norfolk,) = get_figures(session, actor=lro, today=TODAY)
        assert norfolk.as_dict() == {
            "force": "norfolk",
            "ocg_members_in_custody": 1,
            "under_in_date_plan": 0,
            "share_under_in_date_plan": 0.0,
            "contacts_detected_90_days": 0,
            "releases_next_90_days": 0,
            "releases_next_90_days_with_release_plan": 0,
        }
        create_plan(
            session,
            actor=lro,
            settings=SETTINGS,
            person_id=world.member,
            plan_type="offence_related",
            monitored="calls",
            release_plan="MAPPA level 2; licence condition not to contact Carter OCG",
            today=TODAY,
        )
        near = date(2027, 2, 9)  # the plan's review fell due on 2027-02-02
        (norfolk,) = get_figures(session, actor=lro, today=near)
        assert (norfolk.under_plan, norfolk.releases_90, norfolk.releases_90_planned) == (0, 1, 1)
        (norfolk,) = get_figures(session, actor=lro, today=TODAY)
        assert norfolk.plan_share == 1.0
        with pytest.raises(Forbidden):
            get_figures(session, actor=world.actor(session, world.prison_officer))


def _release_alerts(world: World) -> list[str]:
    with session_scope(world.engine) as session:
        rows = session.scalars(
            select(AlertRow.summary).where(
                AlertRow.user_id == world.lro, AlertRow.kind == "release"
            )
        )
        return list(rows)


def test_release_alerts_fire_at_90_30_and_7_days_once_each(world: World) -> None:
    release = date(2027, 3, 1)
    with session_scope(world.engine) as session:  # released to an address in Norwich
        episode = session.get(CustodyEpisodeRow, world.episode)
        assert episode is not None
        episode.release_address_id = world.address

    def at(days_before: int) -> int:
        when = datetime.combine(release - timedelta(days=days_before), datetime.min.time())
        (result,) = tick(world.engine, settings=SETTINGS, now=when, only=("prison",))
        assert result.error is None
        return result.counts["release_alerts"]

    assert at(120) == 0
    assert at(90) == 3  # the LRO, the prison's officer and Norwich's neighbourhood team
    assert at(89) == 0
    assert at(30) == 3
    assert at(29) == 0
    assert at(7) == 3
    assert at(1) == 0
    summaries = _release_alerts(world)
    assert len(summaries) == 3
    with session_scope(world.engine) as session:  # Norwich's neighbourhood team too
        told = session.scalars(
            select(AlertRow.summary).where(
                AlertRow.user_id == world.officer, AlertRow.kind == "release"
            )
        ).all()
        assert len(told) == 3 and "1 March 2027" in told[0]
    assert summaries[0] == (
        "Dean Carter, member of Carter OCG, is due for release from HMP Norwich on "
        "1 March 2027 (in 90 days); no release plan is recorded"
    )


def test_a_released_member_is_listed_for_the_area_briefing(world: World) -> None:
    with session_scope(world.engine) as session:
        norwich = session.scalar(select(AreaRow.id).where(AreaRow.code == "norwich"))
        assert norwich is not None
        # The member gives the address of a Carter OCG member on release.
        episode = session.get(CustodyEpisodeRow, world.episode)
        assert episode is not None
        episode.release_address_id = world.address
        soon = releases_for_areas(session, area_ids=[norwich], on=date(2027, 2, 20))
        (release,) = soon[norwich]
        assert release.title == "Due for release from HMP Norwich on 1 March 2027: Dean Carter"
        assert releases_for_areas(session, area_ids=[norwich], on=date(2027, 1, 1)) == {}


def test_a_prison_sharing_the_person_reads_its_own_plans_not_the_polices(world: World) -> None:
    with session_scope(world.engine) as session:
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-HMPN-02",
            title="Norfolk and HMP Norwich: OCG members in custody",
            purpose="Monitoring OCG members in prison",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["hmp-norwich"],
            data_items=["person.family_name", "person.given_names"],
            cohorts=["ocg_member"],
            retention="Two years",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
    with session_scope(world.engine) as session:
        police = create_plan(
            session,
            actor=world.actor(session, world.lro),
            settings=SETTINGS,
            person_id=world.member,
            plan_type="intelligence_led",
            monitored="calls to the Dice line's deal line",
            today=TODAY,
        )
        own = create_plan(
            session,
            actor=world.actor(session, world.prison_officer),
            settings=SETTINGS,
            person_id=world.member,
            plan_type="offence_related",
            monitored="social visits",
            today=TODAY,
        )
    with session_scope(world.engine) as session:
        prison = world.actor(session, world.prison_officer)
        assert [p.id for p in list_plans(session, actor=prison, person_id=world.member)] == [own.id]
        lro = world.actor(session, world.lro)
        assert {p.id for p in list_plans(session, actor=lro, person_id=world.member)} == {
            police.id,
            own.id,
        }


def test_a_release_alert_names_only_the_groups_its_reader_may_read(world: World) -> None:
    release = date(2027, 3, 1)
    with session_scope(world.engine) as session:
        episode = session.get(CustodyEpisodeRow, world.episode)
        group = session.get(EntityRow, world.group)
        assert episode is not None and group is not None
        episode.release_address_id = world.address  # Norwich: its neighbourhood team
        group.marking = "SECRET"  # above the Norwich officer's clearance
    when = datetime.combine(release - timedelta(days=90), datetime.min.time())
    (result,) = tick(world.engine, settings=SETTINGS, now=when, only=("prison",))
    assert result.error is None and result.counts["release_alerts"] == 3
    with session_scope(world.engine) as session:
        told = dict(
            session.execute(
                select(AlertRow.user_id, AlertRow.summary).where(AlertRow.kind == "release")
            ).all()
        )
    assert told[world.lro].startswith("Dean Carter, member of Carter OCG, is due for release")
    assert told[world.officer].startswith("Dean Carter is due for release from HMP Norwich")
    assert "Carter OCG" not in told[world.officer]


def test_the_dashboard_names_only_the_groups_its_reader_may_read(world: World) -> None:
    with session_scope(world.engine) as session:
        group = session.get(EntityRow, world.group)
        assert group is not None
        group.marking = "SECRET"  # above the frontline officer's clearance
    with session_scope(world.engine) as session:
        (lro_row,) = list_unmonitored(session, actor=world.actor(session, world.lro), today=TODAY)
        (row,) = list_unmonitored(session, actor=world.actor(session, world.officer), today=TODAY)
    assert lro_row.groups == ("Carter OCG",)
    assert row.groups == ()
