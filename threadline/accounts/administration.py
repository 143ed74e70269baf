"""What the administration pages may offer a viewer, as policy decides.

The pages show a section, a form or a button only when its action is allowed here;
they never look at roles or organisations themselves. Asking reads no personal data,
so it is not audited (each page's own reads are).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.model.entities import Agency
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    allowed_actions,
    decide,
    load_context,
    require,
)


@dataclass(frozen=True, slots=True)
class AdminMenu:
    """What a viewer may do in the administration pages (`Action` values)."""

    organisations: frozenset[str]  # on organisations: "create" adds one
    users: frozenset[str]  # on the accounts of `users_of`: "search" lists, "create" adds
    users_of: str | None  # the organisation whose accounts they manage; None: every one
    agreements: frozenset[str]  # on agreements: "administer" adds one


def administration_menu(session: Session, *, actor: Actor) -> AdminMenu:
    """What `actor` may do in the administration pages; `Forbidden` if they may not use
    them at all (they are for administrators and supervisors)."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=Resource(kind=ResourceKind.AGENCY), ctx=ctx)
    everyone = Resource(kind=ResourceKind.USER)
    region_wide = decide(actor=actor, action=Action.SEARCH, resource=everyone, ctx=ctx).allowed
    users_of = None if region_wide else actor.agency_code
    # An agreement the viewer's own organisation provides: the one they could add.
    own_isa = Resource(kind=ResourceKind.ISA, parties=frozenset({actor.agency_code}))
    return AdminMenu(
        organisations=_allowed(actor, Resource(kind=ResourceKind.AGENCY), ctx, Action.CREATE),
        users=_allowed(
            actor,
            Resource(kind=ResourceKind.USER, owner=users_of),
            ctx,
            Action.SEARCH,
            Action.CREATE,
        ),
        users_of=users_of,
        agreements=_allowed(actor, own_isa, ctx, Action.ADMINISTER),
    )


def organisations_for_new_users(
    session: Session, *, actor: Actor, agencies: Iterable[Agency]
) -> list[Agency]:
    """The organisations `actor` may add accounts to, of `agencies`."""
    ctx = load_context(session, actor)
    return [
        agency
        for agency in agencies
        if _allowed(actor, Resource(kind=ResourceKind.USER, owner=agency.code), ctx, Action.CREATE)
    ]


def agreement_actions(
    session: Session, *, actor: Actor, ref: str, providers: Iterable[str]
) -> frozenset[str]:
    """What `actor` may do with the agreement `ref` of `providers` ("administer": end it)."""
    resource = Resource(kind=ResourceKind.ISA, ref=ref, parties=frozenset(providers))
    return _allowed(actor, resource, load_context(session, actor), Action.ADMINISTER)


def _allowed(
    actor: Actor, resource: Resource, ctx: PolicyContext, *actions: Action
) -> frozenset[str]:
    found = allowed_actions(actor=actor, resource=resource, ctx=ctx, actions=actions)
    return frozenset(action.value for action in found)
