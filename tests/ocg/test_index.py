"""The index of crime groups: filters, order, and only the groups the reader may see."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.ocg.helpers import Groups, add_officer, make_groups
from tests.policy.factories import make_actor, seed_partners
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.ocg import GroupFilters, archive_group, list_groups
from threadline.policy import today
from threadline.storage.db import session_factory
from threadline.storage.tables import AuditEventRow

ANALYST = make_actor(roles=Role.ANALYST, username="analyst@norfolk")


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        seed_partners(session)
        yield session


@pytest.fixture
def groups(session: Session) -> Groups:
    made = make_groups(session, today=today())
    session.commit()
    return made


def names(session: Session, actor=ANALYST, **filters: str) -> list[str]:  # type: ignore[no-untyped-def]
    found = list_groups(session, actor=actor, filters=GroupFilters(**filters))  # type: ignore[arg-type]
    return [item.name for item in found.items]


def test_groups_come_highest_priority_first_with_their_band_plan_and_members(
    session: Session, groups: Groups
) -> None:
    found = list_groups(session, actor=ANALYST)
    assert [item.name for item in found.items] == ["Kestrel Crew", "Hidden Crew", "Heron Family"]
    assert found.total == 3
    kestrel = found.items[0]
    assert kestrel.band_words == "Band A (highest harm)"
    assert kestrel.priority_words == "Priority 1 (high)"
    assert kestrel.plan_words == "Actions late"
    assert kestrel.members == 3
    assert found.items[2].plan_words == "No plan"
    event = session.scalars(select(AuditEventRow).where(AuditEventRow.event == "ocg.listed")).one()
    assert event.action == "consultation"


def test_filters_narrow_the_index(session: Session, groups: Groups) -> None:
    assert names(session, text="kestrel") == ["Kestrel Crew"]
    assert names(session, text="operation kes") == ["Kestrel Crew"]  # the operation name
    assert names(session, area="great-yarmouth") == ["Heron Family"]
    assert names(session, commodity="heroin") == ["Kestrel Crew"]
    assert names(session, crime_type="drug_supply") == ["Kestrel Crew", "Heron Family"]
    assert names(session, band="C") == ["Heron Family"]
    assert names(session, priority="p1") == ["Kestrel Crew"]
    assert names(session, priority="none") == ["Hidden Crew", "Heron Family"]
    assert names(session, plan_state="actions_late") == ["Kestrel Crew"]
    assert names(session, plan_state="no_plan") == ["Hidden Crew", "Heron Family"]


def test_an_archived_group_leaves_the_index_until_archived_groups_are_asked_for(
    session: Session, groups: Groups
) -> None:
    supervisor = add_officer(session, "supervisor@norfolk", "supervisor")
    archive_group(session, actor=supervisor, group_id=groups.heron,
                  reason="Principal jailed for eight years; the group has dispersed")  # fmt: skip
    session.commit()
    assert "Heron Family" not in names(session)
    assert names(session, status="archived") == ["Heron Family"]
    assert "Heron Family" in names(session, status="all")


def test_a_partner_and_the_console_get_no_groups(session: Session, groups: Groups) -> None:
    partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
    for actor in (partner, system_actor("ersou", "console")):
        found = list_groups(session, actor=actor)
        assert (found.items, found.total) == ([], 0)


def test_a_lower_clearance_officer_sees_neither_the_sensitive_group_nor_its_count(
    session: Session, groups: Groups
) -> None:
    officer = make_actor(roles=Role.ANALYST, clearance=Marking.OFFICIAL)
    found = list_groups(session, actor=officer, filters=GroupFilters(area="norwich"))
    assert [item.name for item in found.items] == ["Kestrel Crew"]
    assert found.total == 1
    assert list_groups(session, actor=officer).total == 2


def test_another_forces_own_group_is_not_listed_to_norfolk(
    session: Session, groups: Groups
) -> None:
    assert "Ipswich Crew" not in names(session, status="all")
    suffolk = make_actor(roles=Role.ANALYST, agency="force-other")
    assert "Ipswich Crew" in names(session, actor=suffolk)


def test_pages_count_only_what_the_reader_may_see(session: Session, groups: Groups) -> None:
    first = list_groups(session, actor=ANALYST, limit=2)
    assert (len(first.items), first.total, first.next_offset) == (2, 3, 2)
    second = list_groups(session, actor=ANALYST, offset=2, limit=2)
    assert [item.name for item in second.items] == ["Heron Family"]
    assert second.next_offset is None
