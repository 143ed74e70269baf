"""Rules for routine sharing: notices, briefings, digests and the dissemination register.

- **Threat notices** are written (CREATE) by the analysts and LROs of a police
  organisation, and published or withdrawn (PUBLISH, also UPDATE) by those of the
  organisation that wrote them. A draft is its organisation's alone. Police of the region
  read published notices (by marking, clearance and any code C restriction); a partner
  reads only notices addressed to it by name that its agreement covers, in the
  agreement's fields. Whoever may read a published notice acknowledges it, except its
  own authors. `Resource.scope` is "agency" for a draft, and `Resource.parties` holds the
  partner organisations a notice is addressed to.
- **Briefings** are for the police of the region (any role but administrator);
  supervisors of the area's force, or of the regional unit, see who of the area's
  frontline has read a pack (READ_RECEIPTS).
- **Digests** are what a partner organisation receives: an organisation reads and
  acknowledges its own digests only; another's reads as none.
- **The register** (who was told what) is read by police analysts, LROs, supervisors and
  data protection officers only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from threadline.errors import Forbidden
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import holds, is_police, police_kind
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.reading import read
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import CONTENT_ROLES, Action, ResourceKind

NOTICE_AUTHOR_ROLES = frozenset({Role.ANALYST, Role.LRO})
REGISTER_ROLES = frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR, Role.DPO})


# --------------------------------------------------------------------------- notices


def _notice_author(actor: Actor) -> Decision | None:
    if is_police(actor) and actor.roles & NOTICE_AUTHOR_ROLES:
        return None
    return refuse(
        "notice-authors",
        f"{actor.username} holds {roles_text(actor.roles)} in {actor.agency_code}; threat "
        "notices are written by analysts and LROs of a police organisation",
    )


@rule(Action.CREATE, ResourceKind.THREAT_NOTICE)
def create_notice(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Drafting a notice for the author's own organisation, marked within their clearance."""
    if refused := _notice_author(actor):
        return refused
    if resource.owner is not None and resource.owner != actor.agency_code:
        return refuse(
            "own-organisation",
            f"{actor.username} writes notices for {actor.agency_code} only, not for "
            f"{resource.owner}",
        )
    if refused := above_clearance(actor, resource):
        return refused
    return allow("notice-author", f"{actor.username} writes notices for {actor.agency_code}")


@rule(Action.PUBLISH, ResourceKind.THREAT_NOTICE)
@rule(Action.UPDATE, ResourceKind.THREAT_NOTICE)
def publish_notice(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Publishing, withdrawing or changing a notice: its own organisation's authors."""
    if refused := _notice_author(actor):
        return refused
    if resource.owner != actor.agency_code:
        return refuse(
            "notice-owner",
            f"{resource.label} belongs to {resource.owner}; only its own analysts and LROs "
            "publish or withdraw it",
        )
    if refused := above_clearance(actor, resource):
        return refused
    return allow(
        "notice-author", f"{actor.username} publishes and withdraws {actor.agency_code}'s notices"
    )


@rule(Action.READ, ResourceKind.THREAT_NOTICE)
def read_notice(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Reading one notice: the rules for case material, then drafts and audiences."""
    decision = read(actor, resource, ctx, recipient)
    if resource.owner == actor.agency_code:
        return decision
    if resource.scope == "agency":
        return refuse(
            "notice-draft",
            f"{resource.label} is a draft of {resource.owner}: it has not been sent to anyone",
        )
    if not decision.allowed:
        return decision
    if not is_police(actor) and actor.agency_code not in resource.parties:
        return refuse(
            "notice-audience",
            f"{resource.label} is not addressed to {actor.agency_code}; partners see only "
            "notices sent to them",
        )
    return decision


@rule(Action.ACKNOWLEDGE, ResourceKind.THREAT_NOTICE)
def acknowledge_notice(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Acknowledging a published notice one may read (not its own authors, nor a job)."""
    decision = read_notice(actor, resource, ctx, recipient)
    if not decision.allowed:
        return decision
    if resource.scope == "agency":
        return refuse(
            "notice-draft", f"{resource.label} is a draft: it has not been sent to anyone yet"
        )
    if actor.user_id is None:
        return refuse("named-reader", "a notice is acknowledged by a person who has read it")
    if publish_notice(actor, resource, ctx, recipient).allowed:
        return refuse(
            "notice-author",
            f"{actor.username} publishes {resource.label}; its readers acknowledge it",
        )
    return allow("notice-reader", f"{actor.username} has received {resource.label}")


def publication_refusal(ref: str, refused: Sequence[str]) -> Forbidden:
    """The error to raise when any audience of a notice was refused: nothing is sent to
    anyone, and each refused audience is named with policy's reason."""
    return Forbidden(f"{ref} was not published (nothing was sent): " + "; ".join(refused))


def addressed_only(actor: Actor) -> str | None:
    """The organisation whose addressed notices alone the actor may read (a partner: its
    own), or None when any notice may be (police: each is still decided on its own).

    Services use it to narrow a query before deciding each row; it never widens one.
    """
    return None if is_police(actor) else actor.agency_code


def acknowledges_for_organisation(actor: Actor) -> bool:
    """A partner acknowledges what its organisation received; police, each for themselves."""
    return not is_police(actor)


def offered_partners(actor: Actor, ctx: PolicyContext) -> list[str]:
    """Organisations the actor's organisation shares with under an agreement (any state):
    the partner audiences a notice form offers; publishing decides each one again."""
    return sorted(
        {
            code
            for terms in ctx.isas
            if actor.agency_code in terms.providers
            for code in terms.recipients
        }
    )


def receives_under_agreements(kind: AgencyKind) -> bool:
    """Whether an organisation of this kind receives shared material under agreements
    (partners and prisons: sanitised material, digests) rather than as police."""
    return not police_kind(kind)


# --------------------------------------------------------------------------- briefings


def _briefing_reader(actor: Actor) -> Decision | None:
    if is_police(actor) and actor.roles & CONTENT_ROLES:
        return None
    return refuse(
        "briefing-readers",
        f"{actor.username} ({actor.agency_code}) may not read briefings: they are for the "
        "police of the region, and partner organisations receive digests (/digests)",
    )


@rule(Action.READ, ResourceKind.BRIEFING)
@rule(Action.SEARCH, ResourceKind.BRIEFING)
@rule(Action.ACKNOWLEDGE, ResourceKind.BRIEFING)
def read_briefing(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Any police user may open any area's pack (each item is decided again when shown)."""
    if refused := _briefing_reader(actor):
        return refused
    return allow("briefing-reader", f"{actor.username} reads the region's briefings")


@rule(Action.READ_RECEIPTS, ResourceKind.BRIEFING)
def briefing_receipts(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Who of an area's frontline has read its pack: supervisors of the area's force (the
    pack's owner) or of the regional unit."""
    regional = actor.agency_kind is AgencyKind.REGIONAL_UNIT
    if holds(actor, Role.SUPERVISOR) and (regional or resource.owner == actor.agency_code):
        return allow("briefing-supervisor", f"{actor.username} supervises {resource.owner}")
    return refuse(
        "briefing-supervisor",
        f"{actor.username} may not see who has read {resource.label}: that is for "
        f"supervisors of {resource.owner} or of the regional unit",
    )


@dataclass(frozen=True, slots=True)
class BriefingAreas:
    """Whose packs a reader's list of briefings shows (a convenience, not a limit: any
    police user may open any pack)."""

    home: frozenset[str] = frozenset()  # the reader's home areas, when they have any
    force: str | None = None  # else the areas of this force; neither: every area


def briefing_areas(actor: Actor) -> BriefingAreas:
    if actor.home_areas:
        return BriefingAreas(home=frozenset(actor.home_areas))
    if actor.agency_kind is AgencyKind.REGIONAL_UNIT:
        return BriefingAreas()
    return BriefingAreas(force=actor.agency_code)


def in_briefing_audience(roles: frozenset[Role], home_areas: frozenset[str], area: str) -> bool:
    """Whether a user of the area's force is among those its pack is for: the frontline
    officers and staff whose home areas include it."""
    return Role.FRONTLINE in roles and area in home_areas


# --------------------------------------------------------------------------- digests


@rule(Action.READ, ResourceKind.DIGEST)
@rule(Action.ACKNOWLEDGE, ResourceKind.DIGEST)
def read_digest(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """An organisation reads its own digests (owner: the receiving organisation) only, and
    a reader no item marked above their clearance."""
    if resource.owner != actor.agency_code:
        return refuse(
            "digest-own-organisation",
            f"{resource.label} is {resource.owner}'s; each organisation reads its own digests",
        )
    if not actor.roles & CONTENT_ROLES:
        return refuse(
            "role",
            f"{actor.username} holds {roles_text(actor.roles)} and does not read shared "
            "material (administrators manage accounts)",
        )
    if refused := above_clearance(actor, resource):  # an item marked above the reader's
        return refused
    return allow("digest-own-organisation", f"{resource.label} is {actor.agency_code}'s own")


@rule(Action.SEARCH, ResourceKind.DIGEST)
def list_digests(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Listing digests: anyone who works with shared material; each is decided on its own."""
    if not actor.roles & CONTENT_ROLES:
        return refuse(
            "role",
            f"{actor.username} holds {roles_text(actor.roles)} and does not read shared "
            "material (administrators manage accounts)",
        )
    return allow("digest-list", f"{actor.username} may list {actor.agency_code}'s digests")


# --------------------------------------------------------------------------- register


@rule(Action.READ, ResourceKind.REGISTER)
@rule(Action.SEARCH, ResourceKind.REGISTER)
def read_register(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """The register: police analysts, LROs, supervisors and data protection officers.

    Each row is then shown only if the reader may read what it is about.
    """
    if not is_police(actor):
        return refuse(
            "register-police",
            f"{actor.agency_code} is a partner organisation; the dissemination register is "
            "kept for the region's police",
        )
    if not actor.roles & REGISTER_ROLES:
        return refuse(
            "register-roles",
            f"{actor.username} holds {roles_text(actor.roles)}; the register is read by "
            "analysts, LROs, supervisors and data protection officers",
        )
    return allow("register", f"{actor.username} reads the dissemination register")
