"""Who may see and change a crime group's work: scores, MoRiLE, the 4P plan, suggestions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from threadline.model.enums import Marking
from threadline.model.security import Actor, Role
from threadline.policy import Action, PolicyContext, decide
from threadline.policy.facts import EntityFacts
from threadline.policy.ocg import OcgTask, ocg_resource, task_resource

from .factories import DAY, make_actor

LRO_ID = 777
GROUP = EntityFacts(
    id=1,
    kind="organisation",
    owner="norfolk",
    marking=Marking.OFFICIAL,
    scope="region",
    areas=frozenset({"norwich"}),
    cohorts=frozenset({"ocg_member"}),
)


def ask(actor: Actor, task: OcgTask, *, group: EntityFacts | None = GROUP) -> bool:
    resource = ocg_resource(group, task, lro_id=LRO_ID) if group else task_resource(task)
    action = (
        Action.READ
        if task in (OcgTask.VIEW, OcgTask.PRIORITIES, OcgTask.ANALYSE)
        else Action.UPDATE
    )
    ctx = PolicyContext(actor.agency_code, DAY)
    return decide(actor=actor, action=action, resource=resource, ctx=ctx).allowed


@pytest.mark.parametrize("agency", ["prison", "childrens-services", "housing", "charity"])
def test_partners_and_prisons_get_no_group_work(agency: str) -> None:
    for role in (Role.PARTNER, Role.PRISON_INTEL, Role.SUPERVISOR, Role.ANALYST):
        actor = make_actor(roles=role, agency=agency)
        assert not any(ask(actor, task) for task in OcgTask)


def test_police_readers_see_a_groups_work_within_their_clearance() -> None:
    officer = make_actor(roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL)
    assert ask(officer, OcgTask.VIEW)
    sensitive = replace(GROUP, marking=Marking.SECRET)
    assert not ask(officer, OcgTask.VIEW, group=sensitive)


def test_scores_and_assessments_are_for_analysts_of_the_owning_force_or_the_region() -> None:
    own = make_actor(roles=Role.ANALYST, agency="force-own")
    other = make_actor(roles=Role.ANALYST, agency="force-other")
    regional = make_actor(roles=Role.ANALYST, agency="regional-unit")
    frontline = make_actor(roles=Role.FRONTLINE, agency="force-own")
    for task in (OcgTask.SCORE, OcgTask.ASSESS, OcgTask.SUGGEST):
        assert ask(own, task) and ask(regional, task)
        assert not ask(other, task) and not ask(frontline, task)


def test_the_plan_is_the_lros_and_the_supervisors() -> None:
    lro = make_actor(roles=Role.LRO, agency="force-own", user_id=LRO_ID)
    another_lro = make_actor(roles=Role.LRO, agency="force-own")
    supervisor = make_actor(roles=Role.SUPERVISOR, agency="force-own")
    other_supervisor = make_actor(roles=Role.SUPERVISOR, agency="force-other")
    assert ask(lro, OcgTask.PLAN) and ask(supervisor, OcgTask.PLAN)
    assert not ask(another_lro, OcgTask.PLAN) and not ask(other_supervisor, OcgTask.PLAN)
    assert not ask(lro, OcgTask.ARCHIVE) and ask(supervisor, OcgTask.ARCHIVE)


def test_the_priority_list_is_for_analysts_lros_and_supervisors() -> None:
    assert ask(make_actor(roles=Role.LRO), OcgTask.PRIORITIES, group=None)
    assert not ask(make_actor(roles=Role.FRONTLINE), OcgTask.PRIORITIES, group=None)
    assert ask(make_actor(roles=Role.FRONTLINE), OcgTask.ANALYSE, group=None)
