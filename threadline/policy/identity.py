"""Who an actor is, for the rules: police or not, which roles, how far cleared.

These are the only questions asked of an actor's roles, clearance and kind of
organisation, and they are asked only inside `threadline.policy`: the model carries the
facts (`Actor`), the rules read them through these functions.
"""

from __future__ import annotations

from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role

# Forces and the regional organised crime unit: everyone else is a partner.
POLICE_KINDS = frozenset({AgencyKind.FORCE, AgencyKind.REGIONAL_UNIT})


def police_kind(kind: AgencyKind) -> bool:
    """True for the kinds of organisation that are police (a force, the regional unit)."""
    return kind in POLICE_KINDS


def is_police(actor: Actor) -> bool:
    """True if the actor works for a force or the regional unit."""
    return police_kind(actor.agency_kind)


def holds(actor: Actor, role: Role) -> bool:
    """True if the actor holds the role."""
    return role in actor.roles


def cleared_for(actor: Actor, marking: Marking | str) -> bool:
    """True if the actor's clearance is at or above the marking."""
    return actor.clearance.rank >= Marking(marking).rank
