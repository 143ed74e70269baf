"""The police front door: partner concerns awaiting a response, rated, timed, answered;
and concerns about a child not yet known, which create a nominal resolution joins."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.policy.factories import make_actor
from tests.safeguarding.world import World
from threadline.clock import utcnow
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.safeguarding import raise_concern
from threadline.safeguarding.front_door import (
    Rag,
    Targets,
    ago_words,
    duration_words,
    front_door,
    front_door_concern,
    raised_concerns,
    rate,
    respond_at_front_door,
)
from threadline.safeguarding.new_child import ChildGiven, raise_about_child
from threadline.storage.safeguarding_tables import ConcernRow
from threadline.storage.tables import EntityRow

TEXT = "Jo is missing school and has a new phone and trainers nobody bought."
SENSITIVE = Marking.OFFICIAL_SENSITIVE


def _age(session: Session, concern_id: int, hours: float) -> None:
    row = session.get(ConcernRow, concern_id)
    assert row is not None
    row.raised_at = utcnow() - timedelta(hours=hours)
    session.commit()


def test_the_rating_rule() -> None:
    assert rate(risk="high", age=16, indicators=0)[0] is Rag.RED
    assert rate(risk=None, age=12, indicators=0) == (Rag.RED, "the child is 12")
    assert rate(risk="medium", age=15, indicators=0)[0] is Rag.AMBER
    assert rate(risk="low", age=15, indicators=2)[1] == "the concern names 2 signs of exploitation"
    assert rate(risk=None, age=None, indicators=0)[0] is Rag.AMBER
    assert rate(risk="low", age=15, indicators=0)[0] is Rag.GREEN


def test_times_in_plain_english() -> None:
    now = utcnow()
    assert ago_words(now - timedelta(hours=3, minutes=5), now) == "3 hours ago"
    assert ago_words(now - timedelta(days=2, hours=1), now) == "2 days ago"
    assert ago_words(now, now) == "just now"
    assert duration_words(timedelta(minutes=1)) == "1 minute"
    assert duration_words(timedelta(hours=30)) == "30 hours"


def test_the_queue_rates_times_and_orders_concerns_after_policy(
    session: Session, world: World
) -> None:
    young = raise_concern(
        session, actor=world.partner, person_id=world.young_child, text=TEXT, case_ref="CADS-1"
    )
    older = raise_concern(
        session,
        actor=world.partner,
        person_id=world.child,
        text=TEXT,
        indicators=["cce.missing"],
        case_ref="CADS-2",
    )
    session.commit()
    _age(session, int(str(young["id"])), 5)  # red: 4 hours, so overdue by an hour
    _age(session, int(str(older["id"])), 2)  # amber: 24 hours, due in 22
    queue = front_door(session, actor=world.officer)
    assert [(i.rag, i.clock) for i in queue.waiting] == [
        (Rag.RED, "Overdue by 1 hour"),
        (Rag.AMBER, "Due in 21 hours"),
    ]
    first = queue.waiting[0]
    assert first.concern.get("case_ref") == "CADS-1"
    assert first.raised_ago == "5 hours ago"
    assert first.name.startswith("GREEN, Kit")
    assert queue.counts == {"red": 1, "amber": 1, "overdue": 1, "total": 2}
    # A tighter target (settings) changes the clock.
    tight = front_door(session, actor=world.officer, targets=Targets(red=8, amber=1, green=2))
    assert [i.clock for i in tight.waiting] == ["Overdue by 1 hour", "Due in 2 hours"]


def test_only_the_force_of_the_childs_area_and_the_regional_unit_see_the_concern(
    session: Session, world: World
) -> None:
    raise_concern(session, actor=world.partner, person_id=world.child, text=TEXT)
    session.commit()
    suffolk = make_actor(roles=Role.FRONTLINE, agency="force-other", username="officer@suffolk")
    regional = make_actor(roles=Role.ANALYST, agency="regional-unit", username="analyst@ersou")
    assert front_door(session, actor=suffolk).waiting == []
    assert front_door(session, actor=suffolk).counts == {"total": 0}
    assert len(front_door(session, actor=regional).waiting) == 1
    with pytest.raises(Forbidden):
        front_door(session, actor=world.partner)
    with pytest.raises(Forbidden):
        front_door(session, actor=make_actor(roles=Role.DPO, username="dpo@norfolk"))


def test_police_answer_with_an_outcome_and_the_partner_reads_the_feedback(
    session: Session, world: World
) -> None:
    view = raise_concern(
        session, actor=world.partner, person_id=world.child, text=TEXT, case_ref="CADS-77"
    )
    session.commit()
    concern = int(str(view["id"]))
    with pytest.raises(InvalidData) as problem:
        respond_at_front_door(
            session, actor=world.officer, concern_id=concern, outcome="", feedback=""
        )
    assert {e.location for e in problem.value.errors} == {"outcome", "response"}
    session.rollback()
    assert session.get(ConcernRow, concern).responded_at is None  # type: ignore[union-attr]
    respond_at_front_door(
        session,
        actor=world.officer,
        concern_id=concern,
        outcome="strategy",
        feedback="Joint visit with CADS on Thursday; Jo is safe at home tonight.",
    )
    session.commit()
    queue = front_door(session, actor=world.officer)
    assert queue.waiting == []
    assert [i.concern.get("outcome") for i in queue.answered] == [
        "Strategy discussion or joint visit arranged"
    ]
    [(mine, name)] = raised_concerns(session, actor=world.partner)
    assert mine.get("case_ref") == "CADS-77"
    assert mine.get("response") == "Joint visit with CADS on Thursday; Jo is safe at home tonight."
    assert mine.get("outcome") == "Strategy discussion or joint visit arranged"
    assert name.startswith("SMITH, Jo")


def test_a_concern_out_of_area_is_not_found_at_the_front_door(
    session: Session, world: World
) -> None:
    view = raise_concern(session, actor=world.partner, person_id=world.child, text=TEXT)
    session.commit()
    suffolk = make_actor(roles=Role.FRONTLINE, agency="force-other", username="officer@suffolk")
    with pytest.raises(NotFound):
        front_door_concern(session, actor=suffolk, concern_id=int(str(view["id"])))
    with pytest.raises(NotFound):
        front_door_concern(session, actor=world.officer, concern_id=999_999)


def _riley(**changes: str) -> ChildGiven:
    given = {
        "family_name": "Scot",
        "given_names": "Riley",
        "date_of_birth": f"{utcnow().year - 15}-03-09",
        "postcode": "NR3",
        "school": "Sewell Park Academy",
    }
    return ChildGiven(**(given | changes))


def test_a_partner_raises_a_concern_about_a_child_police_do_not_know(
    session: Session, world: World
) -> None:
    view = raise_about_child(
        session, actor=world.partner, child=_riley(), text=TEXT, case_ref="CADS-9"
    )
    session.commit()
    person = session.get(EntityRow, int(str(view["person_id"])))
    assert person is not None and person.source_system == "partner-raised"
    [item] = front_door(session, actor=world.officer).waiting
    assert item.name.startswith("SCOT, Riley")
    assert item.concern.get("school") == "Sewell Park Academy"
    assert (item.rag, item.clock) == (Rag.GREEN, "Due in 2 days")  # 15, no signs named
    [(mine, _)] = raised_concerns(session, actor=world.partner)
    assert mine.get("case_ref") == "CADS-9"


def test_bad_identifiers_write_nothing(session: Session, world: World) -> None:
    before = session.scalar(select(EntityRow.id).order_by(EntityRow.id.desc()).limit(1))
    with pytest.raises(InvalidData) as problem:
        raise_about_child(
            session,
            actor=world.partner,
            child=_riley(family_name="", date_of_birth="1980-01-01", postcode="nowhere"),
            text="",
        )
    assert {e.location for e in problem.value.errors} == {
        "family_name",
        "date_of_birth",
        "postcode",
        "text",
    }
    session.rollback()
    after = session.scalar(select(EntityRow.id).order_by(EntityRow.id.desc()).limit(1))
    assert before == after


def test_a_charity_without_an_agreement_may_still_not_raise_for_others(
    session: Session, world: World
) -> None:
    officer_of_prison = make_actor(roles=Role.DPO, username="dpo@norfolk", clearance=SENSITIVE)
    with pytest.raises(Forbidden):
        raise_about_child(session, actor=officer_of_prison, child=_riley(), text=TEXT)
