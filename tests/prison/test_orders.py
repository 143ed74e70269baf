"""Ancillary orders after release: terms, compliance checks, a breach alerting the LRO at
once, and a check falling due alerting once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from tests.prison.world import World
from threadline.dossier import get_person
from threadline.errors import Forbidden, InvalidData
from threadline.prison.orders import add_order, list_orders, record_check
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import AlertRow

SETTINGS = Settings(secret_key="prison-tests-secret-key-long-enough-for-hmac-signing")


def _order_alerts(world: World) -> list[str]:
    with session_scope(world.engine) as session:
        return list(
            session.scalars(
                select(AlertRow.summary)
                .where(AlertRow.user_id == world.lro, AlertRow.kind == "order")
                .order_by(AlertRow.id)
            )
        )


def test_a_breach_alerts_the_lro_and_checks_are_scheduled(world: World) -> None:
    with session_scope(world.engine) as session:
        lro = world.actor(session, world.lro)
        order = add_order(
            session,
            actor=lro,
            person_id=world.free_member,
            order_type="scpo",
            terms="Not to possess more than one mobile phone; not to enter Norwich city centre",
            starts_on=date(2026, 10, 1),
            check_every_days=14,
        )
        assert order.next_check == date(2026, 10, 15)
        checked = record_check(
            session,
            actor=lro,
            order_id=order.id,
            checked_on=date(2026, 10, 14),
            breached=True,
            notes="Found with two phones at his address",
        )
        assert checked.breaches == 1 and checked.next_check == date(2026, 10, 28)
        (listed,) = list_orders(
            session, actor=lro, person_id=world.free_member, today=date(2026, 10, 20)
        )
        assert listed.last_outcome == "breach" and not listed.check_overdue
    assert _order_alerts(world) == [
        "Liam Carter: Serious Crime Prevention Order breached: Found with two phones at his address"
    ]
    # The next check falls due: one alert, however often the job runs.
    for _ in range(2):
        (result,) = tick(
            world.engine, settings=SETTINGS, now=datetime(2026, 10, 29, 8, 0), only=("prison",)
        )
        assert result.error is None
    assert _order_alerts(world)[1:] == [
        "Liam Carter: Serious Crime Prevention Order compliance check due on 2026-10-28"
    ]


def test_orders_are_kept_by_police_lros_analysts_and_supervisors(world: World) -> None:
    with session_scope(world.engine) as session, pytest.raises(Forbidden):
        add_order(
            session,
            actor=world.actor(session, world.prison_officer),
            person_id=world.free_member,
            order_type="travel",
            terms="Surrender passport",
            starts_on=date(2026, 10, 1),
        )
    with session_scope(world.engine) as session, pytest.raises(InvalidData) as raised:
        add_order(
            session,
            actor=world.actor(session, world.lro),
            person_id=world.free_member,
            order_type="asbo",
            terms="x",
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 1, 1),
        )
    assert {e.location for e in raised.value.errors} == {"order_type", "terms", "ends_on"}


def test_plans_orders_and_breaches_are_on_the_persons_profile(world: World) -> None:
    with session_scope(world.engine) as session:
        lro = world.actor(session, world.lro)
        order = add_order(
            session,
            actor=lro,
            person_id=world.free_member,
            order_type="travel",
            terms="Not to leave the United Kingdom",
            starts_on=date(2026, 10, 1),
            ends_on=date(2028, 10, 1),
        )
        record_check(
            session,
            actor=lro,
            order_id=order.id,
            checked_on=date(2026, 10, 20),
            breached=True,
            notes="Booked a ferry to Calais",
        )
        profile = get_person(session, actor=lro, person_id=world.free_member)
    titles = {e.title for e in profile.timeline if e.kind == "prison"}
    assert titles == {
        "Travel restriction order until 1 October 2028",
        "Travel restriction order breached",
    }
