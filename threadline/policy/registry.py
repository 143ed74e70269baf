"""Rules for one action on one kind of record, registered by the module that states them.

`decide` looks here first: a rule registered for (action, kind) decides that pair. Pairs
with no registered rule fall back to the general rules for the action (`policy.reading`,
`policy.writing`, `policy.disclosure`). Each rule module of `threadline.policy` registers
its rules when `threadline.policy` is imported, so no caller can miss one.
"""

from __future__ import annotations

from collections.abc import Callable

from threadline.model.entities import Agency
from threadline.model.security import Actor
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
