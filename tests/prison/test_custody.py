"""Custody episodes: recorded by prison intelligence officers, seen on the check card and
the person profile by those policy allows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.prison.world import World
from threadline.check import check
from threadline.dossier import get_person
from threadline.errors import Forbidden, InvalidData
from threadline.model.security import system_actor
from threadline.prison.custody import (
    get_custody,
    list_custody,
    record_custody,
    transfer_custody,
    update_custody,
)
from threadline.prison.dashboard import list_members_held
from threadline.prison.types import CustodyDetails
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web.presenters import card_page


def test_the_check_card_says_in_custody_and_when_release_is_expected(world: World) -> None:
    with session_scope(world.engine) as session:
        officer = world.actor(session, world.officer)
        result = check(session, actor=officer, pnc="98/123456A")
    card = next(c for c in result.cards if c.record["id"] == world.member)
    assert card.custody and card.custody[0]["in_custody"] is True
    assert card.as_dict()["custody"][0]["prison_number"] == "A1234BC"  # type: ignore[index]
    assert card_page(card).custody == ["In custody – HMP Norwich, expected release 1 March 2027"]


def test_the_profile_custody_section_lists_the_episode(world: World) -> None:
    with session_scope(world.engine) as session:
        profile = get_person(session, actor=world.actor(session, world.lro), person_id=world.member)
    assert profile.custody is not None
    (episode,) = profile.custody.items
    assert episode["establishment"] == "HMP Norwich"
    assert episode["expected_release"] == date(2027, 3, 1)


def test_only_prison_intelligence_officers_record_custody(world: World) -> None:
    # The prison may not see Liam Carter's record (no agreement): it records him by his
    # details, for police to match.
    details = CustodyDetails(
        person_id=None,
        prison_number="B7654DE",
        received_on=date(2026, 10, 1),
        family_name="Carter",
        given_names="Liam",
        date_of_birth=date(1990, 5, 1),
    )
    refused = pytest.raises(Forbidden, match="prison intelligence officers")
    with session_scope(world.engine) as session, refused:
        record_custody(session, actor=world.actor(session, world.lro), details=details)
    with session_scope(world.engine) as session:
        view = record_custody(
            session, actor=world.actor(session, world.prison_officer), details=details
        )
        assert view["establishment_code"] == "hmp-norwich"
        event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
        assert event is not None and event.event == "custody.recorded"


def test_bad_custody_details_name_each_field(world: World) -> None:
    details = CustodyDetails(
        person_id=None,
        family_name="Carter",
        given_names="Liam",
        date_of_birth=date(1990, 5, 1),
        prison_number="12",
        received_on=date(2026, 10, 1),
        release_date=date(2026, 1, 1),
        category="Q",
    )
    with session_scope(world.engine) as session, pytest.raises(InvalidData) as raised:
        record_custody(session, actor=world.actor(session, world.prison_officer), details=details)
    fields = {e.location for e in raised.value.errors}
    assert fields == {"prison_number", "release_date", "category"}


def test_release_transfer_and_who_may_change_the_record(world: World) -> None:
    with session_scope(world.engine) as session:
        wayland = world.actor(session, world.wayland_officer)
        with pytest.raises(Forbidden):
            update_custody(
                session,
                actor=wayland,
                episode_id=world.episode,
                details=CustodyDetails(world.member, "A1234BC", date(2025, 9, 14)),
            )
    with session_scope(world.engine) as session:
        norwich = world.actor(session, world.prison_officer)
        transfer_custody(
            session, actor=norwich, episode_id=world.episode, to="hmp-wayland", on=date(2026, 2, 1)
        )
    with session_scope(world.engine) as session:
        wayland = world.actor(session, world.wayland_officer)
        view = update_custody(
            session,
            actor=wayland,
            episode_id=world.episode,
            details=CustodyDetails(
                world.member,
                "A1234BC",
                date(2025, 9, 14),
                released_on=date(2026, 11, 1),
                release_date=date(2026, 11, 1),
                licence_end=date(2099, 1, 1),
            ),
        )
        assert view["in_custody"] is False
        assert view["transfers"] == ["1 February 2026: HMP Norwich to HMP Wayland"]
    with session_scope(world.engine) as session:
        result = check(session, actor=world.actor(session, world.officer), pnc="98/123456A")
    line = card_page(result.cards[0]).custody[0]
    assert line.startswith("On licence until 1 January 2099 – released from HMP Wayland")


def test_reads_are_audited_and_partners_see_nothing_without_an_agreement(world: World) -> None:
    with session_scope(world.engine) as session:
        lro = world.actor(session, world.lro)
        assert get_custody(session, actor=lro, episode_id=world.episode)["prison_number"] == (
            "A1234BC"
        )
        assert [v["id"] for v in list_custody(session, actor=lro, establishment="hmp-norwich")] == [
            world.episode
        ]
        probation = world.actor(session, world.probation)
        assert list_custody(session, actor=probation) == []
        events = [e.event for e in session.scalars(select(AuditEventRow))]
    assert "prison.custody_viewed" in events and "prison.custody_listed" in events


def test_the_prison_sees_which_inmates_are_members_under_its_agreement(world: World) -> None:
    with session_scope(world.engine) as session:
        officer = world.actor(session, world.prison_officer)
        assert list_members_held(session, actor=officer) == []  # no agreement yet
        add_isa(
            session,
            actor=system_actor("ersou", "test"),
            ref="ISA-NFK-HMPN-01",
            title="OCG members in HMP Norwich",
            purpose="Monitoring OCG members in prison",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=["norfolk"],
            recipients=["hmp-norwich"],
            data_items=["organisation", "person.family_name", "custody"],
            cohorts=["ocg_member"],
            retention="While the person is held",
            starts_on=date(2026, 1, 1),
            review_on=date(2099, 1, 1),
        )
    with session_scope(world.engine) as session:
        officer = world.actor(session, world.prison_officer)
        (held,) = list_members_held(session, actor=officer)
    assert (held.prison_number, held.groups) == ("A1234BC", ("Carter OCG",))
