"""Adding and changing plan actions: what is checked, who may, what the log says."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.plans.world import PlanWorld
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.plans import ActionStatus, Strand, add_action, get_plan, update_action
from threadline.storage.tables import AuditEventRow

TODAY = date(2026, 12, 7)


def _add(session: Session, world: PlanWorld, username: str = "lro@norfolk", **given: str):
    values = {
        "strand": "pursue",
        "description": "Warrant at the group's base address",
        "owner": "officer@norfolk",
        "due": "2027-01-15",
    }
    values.update(given)
    return add_action(
        session, actor=world.actor(session, username), group_id=world.group, today=TODAY, **values
    )


def _errors(excinfo: pytest.ExceptionInfo[InvalidData]) -> dict[str, str]:
    return {e.location: f"got {e.received!r}, expected {e.expected}" for e in excinfo.value.errors}


def test_the_lro_adds_an_action_owned_by_an_officer_and_it_is_logged(
    session: Session, world: PlanWorld
) -> None:
    action = _add(session, world, review_due="2027-01-01")
    session.commit()
    assert action.strand is Strand.PURSUE and action.status is ActionStatus.PLANNED
    assert action.owner is not None and action.owner.name == "Sam Beat"
    event = session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.plan_action_added")
    ).one()
    assert event.action == "alteration"
    assert '"strand": "pursue"' in event.details or '"strand":"pursue"' in event.details
    plan = get_plan(session, actor=world.actor(session, "lro@norfolk"), group_id=world.group,
                    on=TODAY)  # fmt: skip
    assert [a.description for a in plan.actions[Strand.PURSUE]] == [action.description]
    assert plan.may_change


def test_a_partner_organisation_owns_an_action_by_its_code_or_reference(
    session: Session, world: PlanWorld
) -> None:
    by_code = _add(session, world, strand="prevent", owner="norfolk-cads")
    by_ref = _add(session, world, strand="protect", owner=f"agency:{world.housing}")
    assert by_code.owner is not None and by_code.owner.kind == "organisation"
    assert by_code.owner.name == "Norfolk CADS"
    assert by_ref.owner is not None and by_ref.owner.organisation == "norwich-housing"


def test_every_problem_is_named_with_what_was_received_and_expected(
    session: Session, world: PlanWorld
) -> None:
    with pytest.raises(InvalidData) as excinfo:
        _add(session, world, strand="punish", description=" ", owner="nobody@norfolk",
             due="2026-12-01", status="finished")  # fmt: skip
    errors = _errors(excinfo)
    assert set(errors) == {"strand", "description", "owner", "due", "status"}
    assert "'punish'" in errors["strand"]
    assert "Pursue, Prevent, Protect, Prepare" in errors["strand"]
    assert "'2026-12-01'" in errors["due"] and "from today (2026-12-07)" in errors["due"]
    assert "'finished'" in errors["status"] and "in progress" in errors["status"]
    assert "nothing found by that name" in errors["owner"]


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        ("old@norfolk", "this account is disabled"),
        ("partner@norfolk-cads", "owned by its organisation"),
        ("norfolk", "a partner organisation"),
        ("", "an officer of a force"),
    ],
    ids=["disabled officer", "partner's staff", "a force", "none"],
)
def test_an_owner_must_be_an_active_officer_or_a_partner_organisation(
    session: Session, world: PlanWorld, owner: str, expected: str
) -> None:
    with pytest.raises(InvalidData) as excinfo:
        _add(session, world, owner=owner)
    assert expected in _errors(excinfo)["owner"]


def test_a_date_that_is_not_a_date_says_the_form_expected(
    session: Session, world: PlanWorld
) -> None:
    with pytest.raises(InvalidData) as excinfo:
        _add(session, world, due="next week", review_due="2027-02-30")
    errors = _errors(excinfo)
    assert "'next week'" in errors["due"] and "YYYY-MM-DD or DD/MM/YYYY" in errors["due"]
    assert "'2027-02-30'" in errors["review_due"]


def test_a_review_date_after_the_due_date_is_refused(session: Session, world: PlanWorld) -> None:
    with pytest.raises(InvalidData) as excinfo:
        _add(session, world, due="2027-01-15", review_due="2027-02-01")
    assert "on or before the due date (2027-01-15)" in _errors(excinfo)["review_due"]


def test_an_update_records_each_changed_field_before_and_after(
    session: Session, world: PlanWorld
) -> None:
    action = _add(session, world)
    updated = update_action(
        session, actor=world.actor(session, "lro@norfolk"), action_id=action.id,
        status="in progress", evidence="Warrant granted at Norwich magistrates", today=TODAY,
    )  # fmt: skip
    session.commit()
    assert updated.status is ActionStatus.IN_PROGRESS
    event = session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.plan_action_updated")
    ).one()
    assert "planned" in event.details and "in_progress" in event.details
    assert "Warrant granted" in event.details


def test_an_update_changing_nothing_records_nothing(session: Session, world: PlanWorld) -> None:
    action = _add(session, world)
    update_action(session, actor=world.actor(session, "lro@norfolk"), action_id=action.id,
                  status="planned", today=TODAY)  # fmt: skip
    assert not session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.plan_action_updated")
    ).all()


def test_marking_an_action_done_needs_evidence(session: Session, world: PlanWorld) -> None:
    action = _add(session, world)
    with pytest.raises(InvalidData) as excinfo:
        update_action(session, actor=world.actor(session, "lro@norfolk"), action_id=action.id,
                      status="done", today=TODAY)  # fmt: skip
    assert "evidence for an action marked done" in _errors(excinfo)["evidence"]
    with pytest.raises(InvalidData) as excinfo:
        update_action(session, actor=world.actor(session, "lro@norfolk"), action_id=action.id,
                      status="paused", due="2026-01-01", today=TODAY)  # fmt: skip
    assert set(_errors(excinfo)) == {"status", "due"}


def test_the_owner_of_an_action_changes_to_a_partner(session: Session, world: PlanWorld) -> None:
    action = _add(session, world)
    supervisor = world.actor(session, "supervisor@norfolk")
    updated = update_action(session, actor=supervisor, action_id=action.id,
                            owner=f"agency:{world.cads}", today=TODAY)  # fmt: skip
    assert updated.owner is not None and updated.owner.name == "Norfolk CADS"


@pytest.mark.parametrize(
    "username",
    ["lro@norfolk", "supervisor@norfolk", "supervisor@ersou"],
    ids=["the group's LRO", "its force's supervisor", "the regional unit's supervisor"],
)
def test_the_lro_and_supervisors_may_plan(
    session: Session, world: PlanWorld, username: str
) -> None:
    assert _add(session, world, username=username).id


@pytest.mark.parametrize(
    "username",
    ["officer@norfolk", "analyst@norfolk", "supervisor@suffolk", "lro@suffolk"],
    ids=["frontline", "analyst", "another force's supervisor", "another group's LRO"],
)
def test_no_one_else_may_plan(session: Session, world: PlanWorld, username: str) -> None:
    with pytest.raises(Forbidden):
        _add(session, world, username=username)
    plan = get_plan(session, actor=world.actor(session, username), group_id=world.group,
                    on=TODAY)  # fmt: skip
    assert not plan.may_change


def test_a_partner_is_told_there_is_no_such_group(session: Session, world: PlanWorld) -> None:
    partner = world.actor(session, "partner@norfolk-cads")
    with pytest.raises(NotFound):
        get_plan(session, actor=partner, group_id=world.group)
    with pytest.raises(NotFound):
        _add(session, world, username="partner@norfolk-cads")


def test_an_action_of_another_group_is_not_found_through_this_one(
    session: Session, world: PlanWorld
) -> None:
    action = _add(session, world)
    with pytest.raises(NotFound):
        update_action(session, actor=world.actor(session, "lro@norfolk"), action_id=action.id,
                      group_id=world.other, status="done")  # fmt: skip


def test_a_date_written_as_officers_write_it_is_taken(session: Session, world: PlanWorld) -> None:
    action = _add(session, world, due="15/01/2027")
    assert action.due == date(2027, 1, 15)
