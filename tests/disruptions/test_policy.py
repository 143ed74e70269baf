"""Who may read, record, validate and follow disruptions to court (policy.disruptions)."""

from __future__ import annotations

import pytest

from tests.policy.factories import DAY, make_actor
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.policy import Action, PolicyContext, decide
from threadline.policy.disruptions import DisruptionTask, disruption_resource, task_resource


def _ctx(actor: Actor) -> PolicyContext:
    return PolicyContext(agency_code=actor.agency_code, on=DAY)


def _may(actor: Actor, action: Action, task: DisruptionTask, **given: object) -> bool:
    resource = disruption_resource(task, owner="norfolk", **given)  # type: ignore[arg-type]
    return decide(actor=actor, action=action, resource=resource, ctx=_ctx(actor)).allowed


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.ANALYST, Role.LRO, Role.SUPERVISOR])
def test_police_officers_record_and_read_their_forces_disruptions(role: Role) -> None:
    officer = make_actor(roles=role)
    assert _may(officer, Action.CREATE, DisruptionTask.RECORD)
    assert _may(officer, Action.READ, DisruptionTask.VIEW)
    assert _may(officer, Action.UPDATE, DisruptionTask.OUTCOME)


@pytest.mark.parametrize("org", ["housing", "childrens-services", "prison"])
def test_partners_and_prisons_read_and_record_nothing(org: str) -> None:
    role = Role.PRISON_INTEL if org == "prison" else Role.PARTNER
    outsider = make_actor(roles=role, agency=org)
    for action, task in (
        (Action.READ, DisruptionTask.VIEW),
        (Action.CREATE, DisruptionTask.RECORD),
        (Action.UPDATE, DisruptionTask.VALIDATE),
    ):
        assert not _may(outsider, action, task)
    listing = task_resource(DisruptionTask.LIST)
    assert not decide(
        actor=outsider, action=Action.READ, resource=listing, ctx=_ctx(outsider)
    ).allowed


def test_another_force_records_nothing_for_norfolk_and_reads_no_kept_disruption() -> None:
    suffolk = make_actor(roles=Role.FRONTLINE, agency="force-other")
    assert not _may(suffolk, Action.CREATE, DisruptionTask.RECORD)
    assert _may(suffolk, Action.READ, DisruptionTask.VIEW)
    assert not _may(suffolk, Action.READ, DisruptionTask.VIEW, scope="agency")
    assert _may(
        make_actor(roles=Role.ANALYST, agency="regional-unit"), Action.CREATE, DisruptionTask.RECORD
    )


def test_no_one_reads_or_records_above_their_clearance() -> None:
    low = make_actor(roles=Role.FRONTLINE, clearance=Marking.OFFICIAL)
    assert not _may(low, Action.READ, DisruptionTask.VIEW, marking=Marking.SECRET)
    assert not _may(low, Action.CREATE, DisruptionTask.RECORD, marking=Marking.SECRET)


def test_supervisors_of_the_force_or_region_validate_but_not_their_own() -> None:
    supervisor = make_actor(roles=Role.SUPERVISOR, user_id=41)
    assert _may(supervisor, Action.UPDATE, DisruptionTask.VALIDATE, recorded_by=7)
    assert not _may(supervisor, Action.UPDATE, DisruptionTask.VALIDATE, recorded_by=41)
    assert not _may(make_actor(roles=Role.ANALYST), Action.UPDATE, DisruptionTask.VALIDATE)
    other = make_actor(roles=Role.SUPERVISOR, agency="force-other")
    assert not _may(other, Action.UPDATE, DisruptionTask.VALIDATE)
    regional = make_actor(roles=Role.SUPERVISOR, agency="regional-unit")
    assert _may(regional, Action.UPDATE, DisruptionTask.VALIDATE)
    assert not _may(system_actor("ersou", "test"), Action.UPDATE, DisruptionTask.VALIDATE)
