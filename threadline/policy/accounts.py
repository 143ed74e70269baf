"""Rules for administering organisations, users, tokens and sign-in throttles.

Who manages whom:

- An administrator of the regional unit manages every organisation's accounts, and is
  the only one who adds organisations.
- An organisation's own administrator manages its own people's accounts.
- Nobody grants a clearance above their own.
- Nobody changes their own roles or clearance, or disables or enables their own account
  (separation of duties: an administrator cannot quietly raise their own access).
- A user manages their own API tokens; their account's managers may too.
- The administration pages are for administrators and supervisors (each service still
  decides every read and change itself: a supervisor manages no accounts).
- Which roles an account may hold depends on its organisation's kind: police roles stay
  in police organisations, prison intelligence in prisons, partner practitioners in
  partner agencies (`role_problems`).

How services describe what they ask about (`Resource`):

- USER: `owner` is the account's organisation, `id` the account's user id (None when
  adding one), `marking` the clearance being granted (CREATE, and ADMINISTER when the
  clearance changes; OFFICIAL otherwise). Actions: CREATE (add an account), ADMINISTER
  (roles, clearance, disabling and enabling), UPDATE (home areas, a password reset),
  UNLOCK (lift sign-in throttles), READ (one account: the user themself, its managers,
  its organisation's DPO) and SEARCH (list an organisation's accounts, or every one).
- TOKEN: `owner` is the token user's organisation, `id` the token user's id, `ref` their
  username. Actions: CREATE, UPDATE (revoke), SEARCH (list); READ (one token) is
  answered as READ of the user's account.
- AGENCY: CREATE (add an organisation); READ with no owner is "open the administration
  pages" (the directory of organisations as administrators see it); SEARCH is answered
  as SEARCH of the organisation's accounts.
"""

from __future__ import annotations

from collections.abc import Iterable

from threadline.errors import FieldError
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import cleared_for, holds
from threadline.policy.outcomes import allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

# Roles that open the administration pages at all.
ADMIN_AREA_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})

_POLICE_ROLES = frozenset(
    {Role.FRONTLINE, Role.ANALYST, Role.LRO, Role.SUPERVISOR, Role.DPO, Role.ADMIN}
)
_PRISON_ROLES = frozenset({Role.PRISON_INTEL, Role.DPO, Role.ADMIN})
_PARTNER_ROLES = frozenset({Role.PARTNER, Role.DPO, Role.ADMIN})

# Which roles a user of each kind of organisation may hold. Police roles stay in police
# organisations, prison intelligence in prisons, and partner practitioners (plus their
# own organisation's DPO and administrator) in partner agencies.
ALLOWED_ROLES: dict[AgencyKind, frozenset[Role]] = {
    AgencyKind.FORCE: _POLICE_ROLES,
    AgencyKind.REGIONAL_UNIT: _POLICE_ROLES,
    AgencyKind.PRISON: _PRISON_ROLES,
    AgencyKind.PROBATION: _PARTNER_ROLES,
    AgencyKind.CHILDRENS_SERVICES: _PARTNER_ROLES,
    AgencyKind.EDUCATION: _PARTNER_ROLES,
    AgencyKind.HOUSING: _PARTNER_ROLES,
    AgencyKind.HEALTH: _PARTNER_ROLES,
    AgencyKind.CHARITY: _PARTNER_ROLES,
}
# Why a role is refused to an organisation that may not hold it.
_WHY_NOT: dict[Role, str] = {
    Role.PARTNER: "the partner role is only for partner agencies, not police or prisons",
    Role.PRISON_INTEL: "the prison intelligence role is only for prison staff",
}


def role_problems(
    roles: Iterable[Role], *, kind: AgencyKind, agency_code: str, location: str = "roles"
) -> list[FieldError]:
    """Roles an organisation of `kind` may not hold, each with the reason (empty if none)."""
    allowed = ALLOWED_ROLES[kind]
    order = list(Role)
    allowed_text = ", ".join(r.value for r in sorted(allowed, key=order.index))
    errors = []
    for role in sorted(frozenset(roles) - allowed, key=order.index):
        why = _WHY_NOT.get(
            role, f"{kind.value} organisations hold only partner, dpo and admin roles"
        )
        errors.append(
            FieldError(
                location,
                role.value,
                f"a role a {kind.value} user ({agency_code}) may hold: {allowed_text} ({why})",
            )
        )
    return errors


def _region_admin(actor: Actor) -> bool:
    return holds(actor, Role.ADMIN) and actor.agency_kind is AgencyKind.REGIONAL_UNIT


def _manager(actor: Actor, resource: Resource, doing: str) -> Decision:
    """Region administrators manage everyone; an organisation's administrator its own."""
    if _region_admin(actor):
        return allow("region-admin", f"{actor.username} administers the region's accounts")
    if not holds(actor, Role.ADMIN):
        return refuse(
            "admin-role",
            f"{actor.username} may not {doing}: that needs the admin role "
            f"({actor.username} holds {roles_text(actor.roles)})",
        )
    if resource.owner is not None and resource.owner == actor.agency_code:
        return allow("own-admin", f"{actor.username} administers {actor.agency_code}'s accounts")
    whose = resource.owner or "every organisation"
    return refuse(
        "own-organisation-admin",
        f"{actor.username} may not {doing} for {whose}: managing users of {whose} needs the "
        f"admin role in the regional unit or in {whose}",
    )


def _above_own_clearance(actor: Actor, resource: Resource) -> Decision | None:
    if cleared_for(actor, resource.marking):
        return None
    return refuse(
        "grant-within-clearance",
        f"{actor.username} may not grant {resource.marking.value} clearance: it is above their "
        f"own ({actor.clearance.value}); ask an administrator cleared to that level",
    )


def _own_account(actor: Actor, resource: Resource) -> bool:
    return actor.user_id is not None and resource.id == actor.user_id


@rule(Action.READ, ResourceKind.USER)
@rule(Action.SEARCH, ResourceKind.USER)
@rule(Action.READ, ResourceKind.TOKEN)
@rule(Action.SEARCH, ResourceKind.AGENCY)
def read_users(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """Seeing accounts: the user themself, their managers, their organisation's DPO.

    With no `owner` (every organisation's accounts) only region administrators may. One
    user's token, and the search of an organisation, are seen by the same people (no
    service asks either yet; the rule is stated so that none falls to a general one).
    """
    if _own_account(actor, resource):
        return allow("self", f"{actor.username} may see their own account")
    if _region_admin(actor):
        return allow("region-admin", f"{actor.username} administers the region's accounts")
    own = resource.owner is not None and resource.owner == actor.agency_code
    if own and holds(actor, Role.ADMIN):
        return allow("own-admin", f"{actor.username} administers {actor.agency_code}'s accounts")
    if own and holds(actor, Role.DPO):
        return allow("dpo", f"{actor.username} is the data protection officer of {resource.owner}")
    whose = f"users of {resource.owner}" if resource.owner else "users of every organisation"
    return refuse(
        "account-readers",
        f"{actor.username} may not see {whose}: that needs the admin role in the regional "
        "unit, or the admin or dpo role in that organisation (give your own organisation "
        f"with --org {actor.agency_code})",
    )


@rule(Action.CREATE, ResourceKind.USER)
def add_user(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """Adding an account: its organisation's managers, within their own clearance."""
    decision = _manager(actor, resource, f"add users to {resource.owner}")
    if not decision.allowed:
        return decision
    return _above_own_clearance(actor, resource) or decision


@rule(Action.ADMINISTER, ResourceKind.USER)
def administer_user(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """Roles, clearance, disabling and enabling: managers, never on their own account."""
    decision = _manager(actor, resource, "change roles, clearance or sign-in")
    if not decision.allowed:
        return decision
    if _own_account(actor, resource):
        return refuse(
            "separation-of-duties",
            "this is your own account: you may not change its roles, clearance or sign-in; "
            "ask another administrator",
        )
    return _above_own_clearance(actor, resource) or decision


@rule(Action.UPDATE, ResourceKind.USER)
def update_user(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """Home areas and password resets: the account's managers (their own account too)."""
    return _manager(actor, resource, "change home areas or reset passwords")


@rule(Action.UNLOCK, ResourceKind.USER)
def unlock_user(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """Lifting sign-in throttles: the account's managers."""
    return _manager(actor, resource, "lift sign-in throttles")


@rule(Action.CREATE, ResourceKind.TOKEN)
@rule(Action.UPDATE, ResourceKind.TOKEN)
@rule(Action.SEARCH, ResourceKind.TOKEN)
def manage_tokens(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """A user's API tokens: the user themself, or the managers of their account."""
    if _own_account(actor, resource):
        return allow("own-tokens", f"{actor.username} manages their own API tokens")
    decision = _manager(actor, resource, "manage API tokens")
    if decision.allowed:
        return decision
    return refuse(
        "token-managers",
        f"{actor.username} may not manage API tokens for {resource.ref or 'this user'}: only "
        f"the user, or an administrator of the regional unit or of {resource.owner}, may",
    )


@rule(Action.CREATE, ResourceKind.AGENCY)
def add_agency(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """Adding an organisation: administrators of the regional unit only."""
    if _region_admin(actor):
        return allow("region-admin", f"{actor.username} administers the region")
    return refuse(
        "region-admin",
        f"{actor.username} may not add organisations: that needs the admin role in the "
        "regional unit",
    )


@rule(Action.READ, ResourceKind.AGENCY)
def administration_pages(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """The administration pages (and their directory of organisations)."""
    if actor.roles & ADMIN_AREA_ROLES:
        return allow("admin-area", f"{actor.username} may use the administration pages")
    return refuse(
        "admin-area",
        f"{actor.username} may not use the administration pages: they are for "
        "administrators and supervisors",
    )
