"""Facts policy reads from storage: owners, markings, areas and cohorts of records."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from tests.factories import make_link, make_location, make_organisation, make_person
from tests.profiles.factories import make_county_line
from threadline.model.enums import Marking
from threadline.policy import Cohort, ResourceKind, entity_facts
from threadline.policy.facts import certainly_under_18
from threadline.storage.db import session_scope
from threadline.storage.tables import AgencyRow, AreaRow

DAY = date(2026, 6, 1)


def test_areas_and_cohorts_come_from_records_and_current_links(engine: Engine) -> None:
    with session_scope(engine) as session:
        home = make_location(session, postcode="NR3 1AB")
        old_home = make_location(session, postcode="IP1 1AA")
        ocg = make_organisation(session, name="The Crew", org_type="ocg")
        child = make_person(session, family_name="Young", dob="2012")
        adult = make_person(session, family_name="Older", dob="1980-01-01", marking="SECRET")
        make_link(session, from_id=child.entity_id, to_id=home.entity_id, link_type="resides_at")
        make_link(
            session,
            from_id=child.entity_id,
            to_id=old_home.entity_id,
            link_type="resides_at",
            valid_to=date(2020, 1, 1),
        )
        make_link(session, from_id=adult.entity_id, to_id=ocg.entity_id, link_type="member_of")
        make_link(session, from_id=adult.entity_id, to_id=child.entity_id, link_type="exploits")
        facts = entity_facts(
            session, [child.entity_id, adult.entity_id, ocg.entity_id, home.entity_id, 999], on=DAY
        )
    assert 999 not in facts
    assert facts[child.entity_id].areas == {"norwich"}  # the old Ipswich address has ended
    assert facts[child.entity_id].cohorts == {Cohort.UNDER_18, Cohort.EXPLOITED}
    assert facts[adult.entity_id].cohorts == {Cohort.OCG_MEMBER}
    assert facts[adult.entity_id].marking is Marking.SECRET
    assert facts[ocg.entity_id].cohorts == {Cohort.OCG_MEMBER}
    assert facts[home.entity_id].areas == {"norwich"}
    resource = facts[child.entity_id].resource()
    assert resource.kind is ResourceKind.PERSON and resource.owner == "norfolk"


def test_under_18_only_when_certain() -> None:
    assert certainly_under_18(2010, 6, 2, DAY)  # turns 18 tomorrow
    assert not certainly_under_18(2008, 6, 1, DAY)  # 18 today
    assert certainly_under_18(2009, None, None, DAY)  # 16 or 17 whatever the day
    assert not certainly_under_18(2008, None, None, DAY)  # 17 or 18: not certain
    assert not certainly_under_18(None, None, None, DAY)
    assert certainly_under_18(2008, 2, 29, date(2026, 2, 28))


def test_areas_follow_lines_groups_and_else_the_whole_force(engine: Engine) -> None:
    """DESIGN 3a: address areas, plus lines' importing areas, plus the group's operating
    areas (a group's lines count), and only when none is known the owner's whole area."""
    with session_scope(engine) as session:
        line = make_county_line(session, name="Rocco", importing_area="great-yarmouth").entity_id
        group = make_organisation(session, name="Kestrel", org_type="ocg")
        make_link(session, from_id=group.entity_id, to_id=line, link_type="runs_line")
        member = make_person(session, family_name="Grey", given_names="Lee")
        make_link(session, from_id=member.entity_id, to_id=group.entity_id, link_type="member_of")
        runner = make_person(session, family_name="Scott", given_names="Riley")
        make_link(session, from_id=runner.entity_id, to_id=line, link_type="runner_for")
        nowhere = make_person(session, family_name="Past", given_names="Ann")
        norfolk = set(
            session.scalars(
                select(AreaRow.code)
                .join(AgencyRow, AgencyRow.id == AreaRow.force_id)
                .where(AgencyRow.code == "norfolk")
            )
        )
        facts = entity_facts(
            session,
            [group.entity_id, member.entity_id, runner.entity_id, nowhere.entity_id],
            on=date(2026, 6, 1),
        )
    assert facts[group.entity_id].areas == {"great-yarmouth"}  # its line's importing area
    assert facts[member.entity_id].areas == {"great-yarmouth"}  # the group's operating area
    assert facts[runner.entity_id].areas == {"great-yarmouth"}  # the line it runs for
    assert facts[nowhere.entity_id].areas == norfolk  # nothing known: the whole force
    assert "norwich" in norfolk and "great-yarmouth" in norfolk
