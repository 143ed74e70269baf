"""Rules for one action on one kind of record, registered by the module that states them.

`decide` looks here first: a rule registered for (action, kind) decides that pair. Pairs
with no registered rule fall back to the general rules for the action (`policy.reading`,
`policy.writing`, `policy.disclosure`). Each rule module of `threadline.policy` registers
its rules when `threadline.policy` is imported, so no caller can miss one.

Many rules have one shape, "holders of these roles (in a police organisation), cleared
for the record": `holders_rule` builds and registers one of those from its roles and
its two reasons.
"""

from __future__ import annotations

from collections.abc import Callable

from threadline.model.entities import Agency
from threadline.model.security import Actor, Role
from threadline.policy.identity import is_police
from threadline.policy.outcomes import above_clearance, allow, refuse
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

Handler = Callable[[Actor, Resource, PolicyContext, Agency | None], Decision]

KIND_RULES: dict[tuple[Action, ResourceKind], Handler] = {}


def rule(action: Action, *kinds: ResourceKind) -> Callable[[Handler], Handler]:
    """Register the decorated function as the rule for `action` on each of `kinds`."""

    def register(handler: Handler) -> Handler:
        for kind in kinds:
            key = (action, kind)
            if key in KIND_RULES:
                raise RuntimeError(f"two rules for {action.value} on {kind.value}")
            KIND_RULES[key] = handler
        return handler

    return register


def holders_rule(
    *pairs: tuple[Action, ResourceKind],
    name: str,
    roles: frozenset[Role],
    police: bool = False,
    cleared: bool = True,
    refusal: str,
    allowance: str,
) -> Handler:
    """Register, for each (action, kind) of `pairs`, the rule: the actor holds one of
    `roles` (in a police organisation, if `police`) and, if `cleared`, is cleared for the
    record. `name` names the rule; in `refusal` and `allowance`, the reasons, `{user}` and
    `{agency}` stand for the actor's username and organisation code."""
    for reason in (refusal, allowance):
        reason.format(user="", agency="")  # a misspelt field fails on import, not on use

    def holders(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
        if (police and not is_police(actor)) or not actor.roles & roles:
            return refuse(name, refusal.format(user=actor.username, agency=actor.agency_code))
        if cleared and (refused := above_clearance(actor, resource)):
            return refused
        return allow(name, allowance.format(user=actor.username, agency=actor.agency_code))

    for action, kind in pairs:
        rule(action, kind)(holders)
    return holders
