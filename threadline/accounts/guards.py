"""Who may administer organisations, users and tokens.

These are the account-administration rules only; the record-level rules (clearance,
ISAs, source identity) live in `threadline.policy`. Each guard raises `Forbidden` with
the reason, before anything is read or written.
"""

from __future__ import annotations

from threadline.errors import Forbidden
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role


def is_region_admin(actor: Actor) -> bool:
    """An administrator of the regional unit administers the whole region."""
    return actor.has(Role.ADMIN) and actor.agency_kind is AgencyKind.REGIONAL_UNIT


def require_region_admin(actor: Actor, *, doing: str) -> None:
    if not is_region_admin(actor):
        raise Forbidden(
            f"{actor.username} may not {doing}: that needs the admin role in the regional unit"
        )


def may_manage_users_of(actor: Actor, agency_code: str) -> bool:
    """Region administrators manage everyone; an organisation's administrator its own."""
    if is_region_admin(actor):
        return True
    return actor.has(Role.ADMIN) and actor.agency_code == agency_code


def require_user_manager(actor: Actor, agency_code: str, *, doing: str) -> None:
    if not may_manage_users_of(actor, agency_code):
        raise Forbidden(
            f"{actor.username} may not {doing}: managing users of {agency_code} needs the "
            f"admin role in the regional unit or in {agency_code}"
        )


def require_user_reader(actor: Actor, agency_code: str | None) -> None:
    """Listing users: their managers, or the data protection officer of their organisation.

    `agency_code` None means every organisation, which only region administrators see.
    """
    if is_region_admin(actor):
        return
    own = agency_code == actor.agency_code
    if own and (actor.has(Role.ADMIN) or actor.has(Role.DPO)):
        return
    whose = f"users of {agency_code}" if agency_code else "users of every organisation"
    raise Forbidden(
        f"{actor.username} may not list {whose}: that needs the admin role in the regional "
        "unit, or the admin or dpo role in that organisation (give your own organisation "
        f"with --org {actor.agency_code})"
    )


def require_clearance_to_grant(actor: Actor, clearance: Marking) -> None:
    """Nobody grants a clearance above their own."""
    if not actor.cleared_for(clearance):
        raise Forbidden(
            f"{actor.username} may not grant {clearance.value} clearance: it is above their own "
            f"({actor.clearance.value}); ask an administrator cleared to that level"
        )


def require_not_self(actor: Actor, user_id: int, *, doing: str) -> None:
    """Administrators do not change their own access (separation of duties)."""
    if actor.user_id is not None and actor.user_id == user_id:
        raise Forbidden(f"you may not {doing} on your own account; ask another administrator")
