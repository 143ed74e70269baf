"""Who may review records: list what is due, set retention groups, decide to retain.

A regional administrator may review any record. Within an organisation, its data
protection officer, administrator or a supervisor may review the records it owns; nobody
reviews another organisation's records, or a record marked above their clearance. A
decision must be made by a named user, never by the system. Disposal is erasure and
is decided by `threadline.policy` (Action.ERASE), not here.

Policy has no review action yet; when it gains one, these checks move into it and
`require_reviewer` becomes a call to `threadline.policy.require`.
"""

from __future__ import annotations

from threadline.errors import Forbidden
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role

REVIEWER_ROLES = frozenset({Role.DPO, Role.ADMIN, Role.SUPERVISOR})


def is_region_reviewer(actor: Actor) -> bool:
    """A regional administrator reviews records of every organisation."""
    return actor.has(Role.ADMIN) and actor.agency_kind is AgencyKind.REGIONAL_UNIT


def require_reviewer(actor: Actor, *, owner: str, marking: str, doing: str) -> None:
    """Refuse, with the reason, unless `actor` may review a record of `owner` at `marking`."""
    if not actor.cleared_for(marking):
        raise Forbidden(
            f"{actor.username} may not {doing}: the record is marked {marking}, above their "
            f"clearance ({actor.clearance.value})"
        )
    if is_region_reviewer(actor):
        return
    if not actor.roles & REVIEWER_ROLES:
        raise Forbidden(
            f"{actor.username} may not {doing}: reviewing records needs the dpo, admin or "
            "supervisor role"
        )
    if actor.agency_code != owner:
        raise Forbidden(
            f"{actor.username} may not {doing}: the record belongs to {owner}, and only its "
            f"own dpo, admin or supervisors (or a regional administrator) review it"
        )


def require_named_user(actor: Actor, *, doing: str) -> None:
    """A retain or dispose decision is accountable: it needs a person, not the system."""
    if actor.is_system:
        raise Forbidden(
            f"{actor.username} may not {doing}: a review decision must be made by a named "
            "user (give --as USERNAME)"
        )


def require_list_scope(actor: Actor, owner: str | None) -> str | None:
    """The owner whose due records `actor` may list (None: every organisation)."""
    if is_region_reviewer(actor):
        return owner
    if not actor.roles & REVIEWER_ROLES:
        raise Forbidden(
            f"{actor.username} may not list records due for review: that needs the dpo, "
            "admin or supervisor role"
        )
    if owner is not None and owner != actor.agency_code:
        raise Forbidden(
            f"{actor.username} may not list records of {owner} due for review: only their own "
            f"organisation's (--owner {actor.agency_code})"
        )
    return actor.agency_code


def visible_markings(actor: Actor) -> list[str]:
    """The markings at or below the actor's clearance."""
    return [marking.value for marking in Marking if actor.cleared_for(marking)]
