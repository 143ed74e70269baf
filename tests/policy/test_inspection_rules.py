"""Who may see the inspection figures: a force's supervisors and the regional unit's; the
forces side by side for the regional unit; never a partner or a prison."""

from __future__ import annotations

from datetime import date

import pytest

from tests.policy.factories import make_actor
from threadline.model.security import Role, system_actor
from threadline.policy import Action, PolicyContext, decide
from threadline.policy.inspection import inspection_resource


def _may(actor_roles: Role, agency: str, force: str | None) -> bool:
    actor = make_actor(roles=actor_roles, agency=agency)
    ctx = PolicyContext(actor.agency_code, date(2026, 10, 1), ())
    resource = inspection_resource(force)
    return decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed


@pytest.mark.parametrize(
    ("role", "agency", "force", "allowed"),
    [
        (Role.SUPERVISOR, "force-own", "norfolk", True),  # its own force
        (Role.SUPERVISOR, "force-other", "norfolk", False),  # another force's
        (Role.SUPERVISOR, "force-own", None, False),  # the forces side by side
        (Role.SUPERVISOR, "regional-unit", "norfolk", True),
        (Role.SUPERVISOR, "regional-unit", None, True),
        (Role.ANALYST, "force-own", "norfolk", False),  # supervisors only
        (Role.FRONTLINE, "force-own", "norfolk", False),
        (Role.PARTNER, "childrens-services", "norfolk", False),
        (Role.SUPERVISOR, "housing", "norfolk", False),  # a partner, whatever its role
        (Role.PRISON_INTEL, "prison", "norfolk", False),
    ],
)
def test_who_sees_the_inspection_figures(
    role: Role, agency: str, force: str | None, allowed: bool
) -> None:
    assert _may(role, agency, force) is allowed


def test_the_console_produces_any_pack_and_a_refusal_says_why() -> None:
    console = system_actor("ersou", "report")
    ctx = PolicyContext("ersou", date(2026, 10, 1), ())
    assert decide(
        actor=console, action=Action.READ, resource=inspection_resource(None), ctx=ctx
    ).allowed
    other = make_actor(roles=Role.SUPERVISOR, agency="force-other")
    refused = decide(
        actor=other,
        action=Action.READ,
        resource=inspection_resource("norfolk"),
        ctx=PolicyContext("suffolk", date(2026, 10, 1), ()),
    )
    assert "that force's supervisors and the regional unit's" in refused.reason
