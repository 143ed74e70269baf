"""Plan currency on fixed days: no plan, current, review overdue, actions late."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.plans.world import PlanWorld
from threadline.errors import InvalidData
from threadline.plans import add_action, plan_states, record_review, update_action
from threadline.plans.currency import one_month_after, plan_state
from threadline.storage.plans import ActionDates, ReviewDates
from threadline.storage.tables import AuditEventRow, PlanReviewRow

TODAY = date(2026, 12, 7)
ADDED = datetime(2026, 11, 1, 9, 0)


def test_words_for_each_state_on_a_fixed_day() -> None:
    reviewed = ReviewDates(datetime(2026, 11, 20, 10, 0), date(2026, 12, 20))
    lapsed = ReviewDates(datetime(2026, 10, 1, 10, 0), date(2026, 11, 1))
    on_time = ActionDates("planned", date(2026, 12, 31), None, ADDED)
    late = ActionDates("in_progress", date(2026, 12, 1), None, ADDED)
    late_but_done = ActionDates("done", date(2026, 12, 1), None, ADDED)
    to_review = ActionDates("planned", date(2027, 1, 31), date(2026, 12, 1), ADDED)

    assert plan_state([], None, on=TODAY).label == "No plan"
    assert plan_state([on_time, late_but_done], reviewed, on=TODAY).label == "Current"
    assert plan_state([on_time], lapsed, on=TODAY).label == "Review overdue"
    assert plan_state([on_time], None, on=TODAY).label == "Review overdue"  # never reviewed
    two_late = plan_state([late, late, on_time], reviewed, on=TODAY)
    assert two_late.label == "2 actions late" and two_late.key == "actions_late"
    both = plan_state([late], lapsed, on=TODAY)
    assert both.label == "Review overdue, 1 action late"
    assert both.states == ("review_overdue", "actions_late")
    assert plan_state([to_review], reviewed, on=TODAY).label == "1 action to review"
    # A review alone, with no actions yet, is a plan: it is current until its date.
    assert plan_state([], reviewed, on=TODAY).key == "current"


def test_one_month_on_keeps_to_the_end_of_a_short_month() -> None:
    assert one_month_after(date(2027, 1, 31)) == date(2027, 2, 28)
    assert one_month_after(date(2026, 12, 7)) == date(2027, 1, 7)


def test_a_review_makes_a_plan_current_until_next_month(session: Session, world: PlanWorld) -> None:
    lro = world.actor(session, "lro@norfolk")
    add_action(session, actor=lro, group_id=world.group, strand="prevent",
               description="Schools input on county lines", owner="norfolk-cads",
               due="2027-02-01", today=TODAY)  # fmt: skip
    assert plan_states(session, [world.group, world.other], on=TODAY)[world.other].label == (
        "No plan"
    )
    assert plan_states(session, [world.group], on=TODAY)[world.group].key == "review_overdue"
    review = record_review(session, actor=lro, group_id=world.group,
                           note="Prevent strand agreed with CADS", today=TODAY)  # fmt: skip
    # SOC plans are commonly reviewed monthly: the next review is a month on by default.
    assert review.next_review == one_month_after(TODAY)
    session.execute(  # the review as if made on TODAY, whatever day the test runs
        PlanReviewRow.__table__.update().values(next_review=date(2027, 1, 7))
    )
    states = plan_states(session, [world.group], on=TODAY)
    assert states[world.group].label == "Current"
    assert plan_states(session, [world.group], on=date(2027, 1, 8))[world.group].label == (
        "Review overdue"
    )
    assert plan_states(session, [world.group], on=date(2027, 2, 2))[world.group].label == (
        "Review overdue, 1 action late"
    )
    event = session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.plan_reviewed")
    ).one()
    assert "Prevent strand agreed" in event.details


def test_a_done_action_is_never_late(session: Session, world: PlanWorld) -> None:
    lro = world.actor(session, "lro@norfolk")
    action = add_action(session, actor=lro, group_id=world.group, strand="pursue",
                        description="Arrest the principal", owner="lro@norfolk",
                        due="2026-12-10", today=TODAY)  # fmt: skip
    update_action(session, actor=lro, action_id=action.id, status="done",
                  evidence="Arrested and charged", today=TODAY)  # fmt: skip
    assert plan_states(session, [world.group], on=date(2027, 1, 1))[world.group].actions_late == 0


def test_a_review_needs_a_note_and_a_date_within_three_months(
    session: Session, world: PlanWorld
) -> None:
    lro = world.actor(session, "lro@norfolk")
    with pytest.raises(InvalidData) as excinfo:
        record_review(session, actor=lro, group_id=world.group, note="",
                      next_review="2027-06-01", today=TODAY)  # fmt: skip
    errors = {e.location: e for e in excinfo.value.errors}
    assert set(errors) == {"note", "next_review"}
    assert errors["next_review"].received == "2027-06-01"
    assert "no more than three months ahead" in errors["next_review"].expected
