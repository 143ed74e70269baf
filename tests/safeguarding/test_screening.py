"""Screenings: police and partners use the same tool; partners only within their agreement."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.safeguarding.world import World
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.safeguarding import (
    DEFAULT_CONFIG,
    Answer,
    IndicatorAnswer,
    Window,
    list_screenings,
    parse_answers,
    record_screening,
)
from threadline.storage.tables import AuditEventRow

EARLIER_MISSING = [IndicatorAnswer("cce.missing", Answer.YES, Window.EARLIER)]


def test_an_officer_screens_a_12_year_old_and_the_floor_rule_shows_in_the_reasons(
    session: Session, world: World
) -> None:
    view = record_screening(
        session, actor=world.officer, person_id=world.young_child, answers=EARLIER_MISSING
    )
    session.commit()
    assert view["risk"] == "medium"
    assert view["age"] == 12
    assert any("floor rule under-13" in str(r) for r in view["reasons"])  # type: ignore[attr-defined]
    event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
    assert event is not None
    assert (event.action, event.event) == ("collection", "safeguarding.screening")


def test_a_partner_screens_a_child_in_its_area_with_the_same_tool(
    session: Session, world: World
) -> None:
    answers = parse_answers({"cce.missing": "yes:earlier", "ck.visitors": "no", "cse.gifts": ""})
    by_partner = record_screening(
        session, actor=world.partner, person_id=world.child, answers=answers
    )
    by_police = record_screening(
        session, actor=world.officer, person_id=world.child, answers=answers
    )
    assert by_partner["risk"] == by_police["risk"] == "low"
    assert by_partner["reasons"] == by_police["reasons"]
    assert by_partner["owner"] == "norfolk-cads"
    # Police see both; the partner sees both too (the police one under its agreement).
    seen = list_screenings(session, actor=world.officer, person_id=world.child)
    assert {v["owner"] for v in seen} == {"norfolk", "norfolk-cads"}
    shared = list_screenings(session, actor=world.partner, person_id=world.child)
    assert {v["owner"] for v in shared} == {"norfolk", "norfolk-cads"}
    assert {v.isa_ref for v in shared} == {None, "ISA-NFK-CADS-SG"}


def test_a_partner_may_not_screen_outside_its_agreement(session: Session, world: World) -> None:
    # The adult is outside the agreement's cohort; the charity has no agreement at all.
    with pytest.raises(NotFound):
        record_screening(session, actor=world.partner, person_id=world.adult, answers=[])
    with pytest.raises((Forbidden, NotFound)):
        record_screening(session, actor=world.charity, person_id=world.child, answers=[])


def test_bad_answers_name_the_indicator(session: Session, world: World) -> None:
    with pytest.raises(InvalidData, match=r"indicator cce\.missing: got 'maybe'"):
        parse_answers([{"code": "cce.missing", "answer": "maybe", "window": None}])
    with pytest.raises(InvalidData, match=r"indicator cce\.made_up"):
        record_screening(
            session,
            actor=world.officer,
            person_id=world.child,
            answers=[IndicatorAnswer("cce.made_up", Answer.NO)],
        )


ANSWERS = st.lists(
    st.tuples(
        st.sampled_from([i.code for i in DEFAULT_CONFIG.indicators]),
        st.sampled_from(["yes:current", "yes:earlier", "no", "not_known"]),
    ),
    unique_by=lambda pair: pair[0],
    max_size=10,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(answers=ANSWERS)
def test_police_and_partners_get_the_same_level_and_reasons_from_the_same_answers(
    session: Session, world: World, answers: list[tuple[str, str]]
) -> None:
    given_answers = parse_answers(dict(answers))
    by_partner = record_screening(
        session, actor=world.partner, person_id=world.young_child, answers=given_answers
    )
    by_police = record_screening(
        session, actor=world.officer, person_id=world.young_child, answers=given_answers
    )
    assert (by_partner["risk"], by_partner["reasons"]) == (by_police["risk"], by_police["reasons"])
    assert by_partner["risk"] != "low"  # a 12-year-old: none, or medium and above
    session.rollback()
