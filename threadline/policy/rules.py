"""The rules: `decide` answers whether an actor may do an action on a resource.

This is the one place Threadline decides access. Every decision is pure (actor, action,
resource, context, recipient in; `Decision` out), so the whole matrix of roles,
organisations, markings, handling codes and agreements can be tested without a database.
A refusal's reason names the rule that refused; an allowance says what it rests on.

Rules, in the order they are checked for reading case material:

1. Only roles that work with case material read it (not an administrator as such).
2. Never above the actor's clearance.
3. An organisation sees its own material.
4. A data protection officer sees only their own organisation's material.
5. Code C material restricted to named organisations or kinds is refused to others.
6. Police (forces and the regional unit) see other organisations' material of region
   scope, never another organisation's agency-scope material.
7. Every other organisation (prisons, probation, children's services, education,
   housing, health, charities) is a partner: it never sees an original intelligence
   report, only records its organisation receives under an active agreement whose
   providers include the owner, whose data items cover the kind (and only those fields),
   and whose area and cohort scope include the record.

The rules for reading live in `policy.reading`, for agreements and dissemination in
`policy.disclosure`, for collecting, changing, erasing and administering in
`policy.writing`; this module dispatches to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from threadline.errors import Forbidden, NotFound, ThreadlineError
from threadline.model.entities import Agency
from threadline.model.security import Actor
from threadline.policy import disclosure, reading, writing
from threadline.policy.identity import is_police
from threadline.policy.outcomes import matches_restriction, refuse
from threadline.policy.registry import KIND_RULES
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action

__all__ = ["allowed_actions", "decide", "matches_restriction", "require"]

Handler = Callable[[Actor, Resource, PolicyContext, Agency | None], Decision]


def decide(
    *,
    actor: Actor,
    action: Action,
    resource: Resource,
    ctx: PolicyContext,
    recipient: Agency | None = None,
) -> Decision:
    """Decide whether `actor` may do `action` on `resource`; never raises for a refusal.

    `ctx` must be the actor's own context (from `load_context`). `recipient` is the
    organisation material goes to, and is required for `Action.DISSEMINATE`.
    """
    if ctx.agency_code != actor.agency_code:
        raise ValueError(
            f"policy context is for {ctx.agency_code!r} but the actor is of "
            f"{actor.agency_code!r}; load the actor's own context"
        )
    handler = KIND_RULES.get((action, resource.kind)) or _HANDLERS.get(action)
    if handler is None:
        return refuse(
            "no-rule",
            f"no rule lets anyone {action.value} {resource.kind.value} records",
        )
    return handler(actor, resource, ctx, recipient)


def allowed_actions(
    *,
    actor: Actor,
    resource: Resource,
    ctx: PolicyContext,
    actions: Iterable[Action],
) -> frozenset[Action]:
    """Which of `actions` the actor may do on `resource`: what pages show buttons for.

    Routes and templates show a form, a button or a section only when its action is in
    this set; they never look at roles, clearances or organisations themselves.
    """
    return frozenset(
        action
        for action in actions
        if decide(actor=actor, action=action, resource=resource, ctx=ctx).allowed
    )


def require(
    *,
    actor: Actor,
    action: Action,
    resource: Resource,
    ctx: PolicyContext,
    recipient: Agency | None = None,
) -> Decision:
    """Like `decide`, but raise `Forbidden` with the reason when the action is refused."""
    decision = decide(actor=actor, action=action, resource=resource, ctx=ctx, recipient=recipient)
    if not decision.allowed:
        raise Forbidden(decision.reason)
    return decision


_HANDLERS: dict[Action, Handler] = {
    Action.READ: reading.read,
    Action.SEARCH: reading.read,
    Action.READ_SOURCE: reading.read_source,
    Action.DISSEMINATE: disclosure.disseminate,
    Action.CREATE: writing.create,
    Action.UPDATE: writing.update,
    Action.ERASE: writing.erase,
    Action.ADMINISTER: writing.administer,
    Action.ASSIGN: writing.assign,
}


# Refusals that speak of a kind of record, not of the record asked for: saying them tells
# nothing about it (a role reads no case material). A partner asking for an original
# report is answered as for a missing one: telling it "partners see only sanitised
# versions" for some ids and "missing" for others would single out the reports
# restricted to police.
GENERIC_REFUSALS = frozenset({"role"})


def read_refusal(actor: Actor, decision: Decision, *, missing: str) -> ThreadlineError:
    """The error for a refused read of one record, to raise.

    Police are told why (the record's owner, scope or marking), so they can ask its owner.
    Anyone else — a partner, a prison — is answered as if the record did not exist
    (`missing`, the words used for a record that does not exist): the reasons of an
    agreement refusal name the record's areas, cohorts and fields, and references are
    sequential, so telling them would let an outsider map records it may not see.
    """
    if is_police(actor) or decision.rule in GENERIC_REFUSALS:
        return Forbidden(decision.reason)
    hidden = NotFound(missing)
    # Never shown to the reader; the audit log records why the attempt was refused.
    hidden.refusal_reason = decision.reason  # type: ignore[attr-defined]
    return hidden
