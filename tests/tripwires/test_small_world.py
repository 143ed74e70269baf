"""Tripwires on a small hand-made world, on SQLite and (when configured) PostgreSQL.

Kestrel OCG (Norfolk, led by lro@norfolk) runs the ROCCO line into Norwich; Jo Smith, a
child living in Norwich, runs for it. CADS receives only family names of people in
Norwich under its agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, select

from tests.factories import make_county_line, make_link, make_organisation, make_phone
from tests.intel.world import build_world
from threadline.accounts import actor_for, add_user, passwords
from threadline.check import check
from threadline.model.security import system_actor
from threadline.schedule import tick
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.sharing_tables import AlertRow, DisseminationRow, WatchRow
from threadline.storage.tables import OrganisationRow, UserRow
from threadline.tripwires import add_watch


@dataclass(frozen=True)
class Small:
    engine: Engine
    child: int
    group: int
    line: int
    deal_phone: int


@pytest.fixture
def small(engine: Engine) -> Small:
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        with session_scope(engine) as session:
            world = build_world(session)
            for username, agency, roles, clearance in (
                ("lro@norfolk", "norfolk", ["lro"], "SECRET"),
                ("officer@suffolk", "suffolk", ["frontline"], "OFFICIAL-SENSITIVE"),
                ("partner@norfolk-cads", "norfolk-cads", ["partner"], "OFFICIAL-SENSITIVE"),
            ):
                add_user(
                    session,
                    actor=system_actor("ersou", "test"),
                    username=username,
                    display_name=username,
                    agency_code=agency,
                    roles=roles,
                    clearance=clearance,
                    password="correct horse battery staple",
                )
            group = make_organisation(session, name="Kestrel", org_type="ocg")
            group.lro_id = session.scalar(
                select(UserRow.id).where(UserRow.username == "lro@norfolk")
            )
            line = make_county_line(session, name="Rocco", importing_area="norwich")
            phone = make_phone(session)
            make_link(session, from_id=group.entity_id, to_id=line.entity_id, link_type="runs_line")
            make_link(session, from_id=world.child, to_id=line.entity_id, link_type="runner_for")
            make_link(
                session, from_id=line.entity_id, to_id=phone.entity_id, link_type="line_phone"
            )
            make_link(
                session,
                from_id=world.adult,
                to_id=group.entity_id,
                link_type="member_of",
                role="lieutenant",
            )
    finally:
        passwords.configure()
    return Small(engine, world.child, group.entity_id, line.entity_id, phone.entity_id)


def _tick(engine: Engine) -> dict[str, int]:
    (result,) = tick(engine, settings=Settings(), only=("tripwires",))
    assert result.error is None, result.error
    return result.counts


def test_the_lro_watches_the_group_its_line_runner_phone_and_member(small: Small) -> None:
    counts = _tick(small.engine)
    assert counts["watches_started"] == 5
    with session_scope(small.engine) as session:
        reasons = {e: r for e, r in session.execute(select(WatchRow.entity_id, WatchRow.reason))}
    assert reasons[small.child] == "runner for the ROCCO line of Kestrel"
    assert reasons[small.deal_phone] == "deal line of the ROCCO line of Kestrel"
    assert reasons[small.group] == "Kestrel, the group you lead"
    assert reasons[small.line] == "ROCCO line of Kestrel, a county line of the group you lead"
    assert "lieutenant of Kestrel" in reasons.values()


def test_a_check_alerts_the_lro_once_and_never_the_partner(small: Small) -> None:
    _tick(small.engine)
    with session_scope(small.engine) as session:
        officer = actor_for(session, "officer@suffolk")
    with session_scope(small.engine) as session:
        check(session, actor=officer, name="Jo Smith", dob="2011-04-05")
    counts = _tick(small.engine)
    assert (counts["alerts"], counts["partner_alerts"]) == (1, 0)
    assert _tick(small.engine)["alerts"] == 0
    with session_scope(small.engine) as session:
        rows = session.execute(
            select(UserRow.username, AlertRow.entity_id, AlertRow.summary)
            .join(UserRow, UserRow.id == AlertRow.user_id)
            .order_by(UserRow.username)
        ).all()
        register = session.scalar(
            select(DisseminationRow.id).where(DisseminationRow.item_kind == "alert").limit(1)
        )
        lro_id = session.scalar(select(OrganisationRow.lro_id))
    # CADS may read Jo's record, but a police check is not news for a partner (§3a).
    ((lro, lro_entity, lro_text),) = rows
    assert (lro, lro_entity) == ("lro@norfolk", small.child)
    assert "checked Jo SMITH (runner for the ROCCO line of Kestrel)" in lro_text
    assert register is not None and lro_id is not None


def test_a_partner_watching_by_hand_is_never_told_what_police_did(small: Small) -> None:
    # CADS may read the child under its agreement, so it may watch the child; but what
    # police did, who did it and when stays with the police: nothing reaches it.
    _tick(small.engine)
    with session_scope(small.engine) as session:
        partner = actor_for(session, "partner@norfolk-cads")
        officer = actor_for(session, "officer@suffolk")
    with session_scope(small.engine) as session:
        add_watch(session, actor=partner, entity_id=small.child, reason="supporting Jo")
    with session_scope(small.engine) as session:
        check(session, actor=officer, name="Jo Smith", dob="2011-04-05")
    _tick(small.engine)
    with session_scope(small.engine) as session:
        texts = list(
            session.scalars(
                select(AlertRow.summary)
                .join(UserRow, UserRow.id == AlertRow.user_id)
                .where(UserRow.username == "partner@norfolk-cads")
            )
        )
    assert texts == []
