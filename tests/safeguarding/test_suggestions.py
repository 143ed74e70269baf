"""Suggested victims: children the data links to exploitation, with the evidence shown."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_phone
from tests.profiles.factories import make_county_line
from tests.safeguarding.world import World
from threadline.errors import Forbidden
from threadline.safeguarding import (
    Answer,
    IndicatorAnswer,
    Window,
    find_suggested_victims,
    record_screening,
)


def test_a_child_on_a_deal_line_at_a_cuckooed_address_is_suggested_with_evidence(
    session: Session, world: World
) -> None:
    line = make_county_line(session, name="Rocco")
    phone = make_phone(session, number="07700 900123")
    make_link(session, from_id=line.entity_id, to_id=phone.entity_id, link_type="line_phone")
    make_link(session, from_id=world.child, to_id=phone.entity_id, link_type="uses_phone")
    make_link(session, from_id=world.young_child, to_id=line.entity_id, link_type="runner_for")
    flat = make_location(session, postcode="NR2 4AA", line1="Flat 3, Ber Street")
    make_link(session, from_id=line.entity_id, to_id=flat.entity_id, link_type="cuckoos")
    make_link(session, from_id=world.adult, to_id=flat.entity_id, link_type="resides_at")
    found = find_suggested_victims(session, actor=world.officer)
    by_id = {s.person["id"]: s for s in found}
    assert set(by_id) == {world.child, world.young_child}  # the adult is no child
    assert any("uses a deal line phone of" in e for e in by_id[world.child].evidence)
    assert any("runner for" in e and "Rocco" in e for e in by_id[world.young_child].evidence)
    # Screened now: no longer suggested for six months.
    record_screening(
        session,
        actor=world.officer,
        person_id=world.child,
        answers=[IndicatorAnswer("cce.deal_line", Answer.YES, Window.CURRENT)],
    )
    again = find_suggested_victims(session, actor=world.officer)
    assert [s.person["id"] for s in again] == [world.young_child]


def test_suggestions_are_for_police_only(session: Session, world: World) -> None:
    """They rest on police links and on dates of birth a partner may not see (a child
    suggested is a child under 18): a partner is refused, not shown a filtered list."""
    line = make_county_line(session, name="Rocco")
    make_link(session, from_id=world.young_child, to_id=line.entity_id, link_type="runner_for")
    with pytest.raises(Forbidden, match="suggestions rest on police records"):
        find_suggested_victims(session, actor=world.partner)
    assert [s.person["id"] for s in find_suggested_victims(session, actor=world.officer)] == [
        world.young_child
    ]
