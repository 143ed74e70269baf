"""Police matching of custody recorded by identifiers (`prison.linking`), and the prison
rules of policy that decide who records and reads what."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.factories import make_person
from tests.prison.world import World
from threadline.errors import Forbidden, InvalidData
from threadline.prison.custody import record_custody
from threadline.prison.dashboard import get_figures, prison_actions
from threadline.prison.linking import link_unlinked
from threadline.prison.orders import add_order, list_orders
from threadline.prison.plans import list_plans
from threadline.prison.types import CustodyDetails
from threadline.storage.db import session_scope
from threadline.storage.prison_tables import CustodyEpisodeRow

NOW = datetime(2026, 11, 2, 6, 0)


def _by_details(
    world: World, number: str, family: str, given: str, born: date, pnc: str = ""
) -> int:
    with session_scope(world.engine) as session:
        view = record_custody(
            session,
            actor=world.actor(session, world.prison_officer),
            details=CustodyDetails(
                person_id=None,
                prison_number=number,
                received_on=date(2026, 10, 1),
                family_name=family,
                given_names=given,
                date_of_birth=born,
                pnc_id=pnc,
            ),
        )
        return int(view["id"])  # type: ignore[call-overload]


def _person_of(world: World, episode: int) -> int | None:
    with session_scope(world.engine) as session:
        return session.scalar(
            select(CustodyEpisodeRow.person_id).where(CustodyEpisodeRow.id == episode)
        )


def test_an_exact_pnc_or_a_single_name_and_birth_match_links_and_doubt_does_not(
    world: World,
) -> None:
    with session_scope(world.engine) as session:
        twin_a = make_person(session, family_name="Reed", given_names="Sam", dob="1992-03-04")
        make_person(session, family_name="Reed", given_names="Sam", dob="1992-03-04")
        accented = make_person(session, family_name="Núñez", given_names="José", dob="1980-01-02")
        partial = make_person(session, family_name="Lowe", given_names="Ray", dob="1975-06")
        session.flush()
        twin, nunez = twin_a.entity_id, accented.entity_id
        assert partial.entity_id
    by_pnc = _by_details(world, "E1111AA", "Someone", "Else", date(1999, 1, 1), "98/123456A")
    ambiguous = _by_details(world, "E2222AA", "Reed", "Sam", date(1992, 3, 4))
    spelled = _by_details(world, "E3333AA", "NUNEZ", "jose", date(1980, 1, 2))
    part = _by_details(world, "E4444AA", "Lowe", "Ray", date(1975, 6, 1))
    with session_scope(world.engine) as session:
        assert link_unlinked(session, now=NOW) == 2
    assert _person_of(world, by_pnc) == world.member  # the PNC id wins over the name
    assert _person_of(world, ambiguous) is None  # two records: police must say which
    assert _person_of(world, spelled) == nunez
    assert _person_of(world, part) is None  # a partial date of birth is no full match
    assert twin
    with session_scope(world.engine) as session:
        assert link_unlinked(session, now=NOW) == 0  # idempotent


def test_details_are_required_without_a_person_and_checked(world: World) -> None:
    with session_scope(world.engine) as session, pytest.raises(InvalidData) as raised:
        record_custody(
            session,
            actor=world.actor(session, world.prison_officer),
            details=CustodyDetails(
                person_id=None,
                prison_number="E5555AA",
                received_on=date(2026, 10, 1),
                date_of_birth=date(2027, 1, 1),
                pnc_id="not a pnc",
            ),
        )
    fields = {e.location for e in raised.value.errors}
    assert fields == {"family_name", "given_names", "date_of_birth", "pnc_id"}


def test_prison_rules_decide_pages_orders_plans_and_figures(world: World) -> None:
    with session_scope(world.engine) as session:
        prison = world.actor(session, world.prison_officer)
        lro = world.actor(session, world.lro)
        probation = world.actor(session, world.probation)
        mine = prison_actions(session, actor=prison)
        theirs = prison_actions(session, actor=lro)
        assert "create" in mine.custody and "create" in mine.intel and not mine.dashboard
        assert not theirs.custody and "read" in theirs.dashboard and "create" in theirs.plans
        assert not prison_actions(session, actor=probation).plans
        with pytest.raises(Forbidden, match="ancillary orders are for police"):
            list_orders(session, actor=prison, person_id=world.member)
        with pytest.raises(Forbidden, match="lro, analyst or supervisor role in a police"):
            add_order(
                session,
                actor=prison,
                person_id=world.member,
                order_type="scpo",
                terms="No contact with Carter OCG",
                starts_on=date(2026, 11, 1),
            )
        with pytest.raises(Forbidden, match="prison monitoring dashboard is for police"):
            get_figures(session, actor=prison)
        assert get_figures(session, actor=lro)
        assert list_plans(session, actor=lro, person_id=world.member) == []
