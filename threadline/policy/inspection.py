"""Rules for the inspection evidence: the figures dashboard and the inspection pack.

Asked as `Resource(kind=ResourceKind.INSPECTION, owner=<force code>)` for one force's
figures, or with `owner=None` for the region's (the seven forces side by side):

- a force's figures are for the supervisors and senior officers of that force and of the
  regional unit;
- the region's figures, setting the forces beside each other, are for the regional unit's
  supervisors;
- partners and prisons are refused: the pack says what police did, which no agreement
  shares;
- the console (the system actor) may produce any pack: whoever runs it can already read
  the database, and the production is audited all the same.

The figures inside are still computed only over the records the reader may see.
"""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import holds, is_police
from threadline.policy.outcomes import allow, refuse
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = ["inspection_resource", "read_inspection"]


def inspection_resource(force: str | None) -> Resource:
    """The resource to ask about: one force's figures (its code), or the region's (None)."""
    return Resource(kind=ResourceKind.INSPECTION, owner=force or None, ref=force or "region")


@rule(Action.READ, ResourceKind.INSPECTION)
def read_inspection(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Who may see a force's or the region's inspection figures (see the module)."""
    scope = f"{resource.owner}'s inspection figures" if resource.owner else "the region's"
    if actor.is_system:
        return allow("inspection-console", f"the console produces {scope} (audited)")
    if not is_police(actor):
        return refuse(
            "inspection-police",
            f"{actor.username} is of {actor.agency_code}; inspection figures are for the "
            "supervisors of the forces and the regional unit",
        )
    if not holds(actor, Role.SUPERVISOR):
        return refuse(
            "inspection-supervisors",
            f"{actor.username} is not a supervisor; inspection figures are for supervisors "
            "and senior officers",
        )
    if actor.agency_kind is AgencyKind.REGIONAL_UNIT:
        return allow("inspection-region", f"{actor.username} supervises at the regional unit")
    if resource.owner is not None and resource.owner == actor.agency_code:
        return allow("inspection-force", f"{actor.username} supervises in {actor.agency_code}")
    if resource.owner is None:
        return refuse(
            "inspection-region",
            f"{actor.username} is of {actor.agency_code}; the forces side by side are for the "
            "regional unit's supervisors (choose your own force)",
        )
    return refuse(
        "inspection-force",
        f"{actor.username} is of {actor.agency_code}; {scope} are for that force's "
        "supervisors and the regional unit's",
    )
