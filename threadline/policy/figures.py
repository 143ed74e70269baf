"""Rules for dashboards and figures (sharing coverage, prison monitoring, safeguarding).

A dashboard is asked about as `Resource(kind=ResourceKind.FIGURES, ref=Dashboard.X)`:

- `Dashboard.SHARING` (sharing coverage) and `Dashboard.SAFEGUARDING` (safeguarding
  consistency, and the list of charging overrides behind it) are for police supervisors,
  analysts, LROs and data protection officers;
- `Dashboard.PRISON` (prison monitoring) is for the police, any role that works with case
  material (prison staff see their own prison's list instead).

Figures are counts over the whole region; pages that name people (the unmonitored
prisoners, the overrides) still decide each record for the reader.
"""

from __future__ import annotations

from enum import StrEnum

from threadline.model.entities import Agency
from threadline.model.security import Actor, Role
from threadline.policy.identity import is_police
from threadline.policy.outcomes import allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import CONTENT_ROLES, Action, ResourceKind


class Dashboard(StrEnum):
    """The dashboards of figures, as `Resource.ref` of a FIGURES resource."""

    SHARING = "sharing"  # sharing coverage: notices, briefings, digests reaching people
    SAFEGUARDING = "safeguarding"  # safeguarding consistency and charging overrides
    PRISON = "prison"  # prison monitoring of OCG members in custody


DASHBOARD_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST, Role.LRO, Role.DPO})

_NAMES = {
    Dashboard.SHARING: "the sharing dashboard",
    Dashboard.SAFEGUARDING: "the safeguarding consistency dashboard",
    Dashboard.PRISON: "the prison monitoring dashboard",
}


def figures_resource(dashboard: Dashboard) -> Resource:
    """The resource to ask policy about for one dashboard."""
    return Resource(kind=ResourceKind.FIGURES, ref=dashboard.value)


@rule(Action.READ, ResourceKind.FIGURES)
def read_figures(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Who sees each dashboard (see the module's list)."""
    try:
        dashboard = Dashboard(resource.ref or "")
    except ValueError:
        return refuse("no-dashboard", f"there is no dashboard {resource.ref!r}")
    name = _NAMES[dashboard]
    if dashboard is Dashboard.PRISON:
        if is_police(actor) and actor.roles & CONTENT_ROLES:
            return allow("figures-police", f"{name} is for the police of the region")
        return refuse(
            "figures-police",
            f"{actor.username} is of {actor.agency_code}; {name} is for police (prison staff "
            "see their own prison's list at /prison)",
        )
    if is_police(actor) and actor.roles & DASHBOARD_ROLES:
        return allow("figures-leads", f"{actor.username} reads {name} as a police lead")
    return refuse(
        "figures-leads",
        f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not see {name}: "
        "it is for police supervisors, analysts, LROs and data protection officers",
    )
