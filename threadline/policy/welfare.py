"""Rules for safeguarding: screenings, concerns, referrals and the charging safeguard.

Safeguarding records are read as `ResourceKind.SAFEGUARDING` by the general reading rules
(police of the region read them; a partner as its agreement's `safeguarding` data items
allow). The rules here decide everything else, on a `Resource` of the record's own kind:

- `SCREENING`, `CONCERN`: CREATE (screen a person, raise a concern). Police officers and
  staff, and partner practitioners, add them for their own organisation about a person
  whose safeguarding records they may read: the `parties` of the resource are the
  organisations holding the person's record, so a partner works only on people its
  agreement covers for safeguarding (the person's area and cohort).
- `SCREENING`: SEARCH (children the records suggest for screening): police only, as the
  suggestions rest on police links and dates of birth.
- `CONCERN`: RESPOND (the police response to a concern): police officers and staff.
  Who reads the response is the general reading rule on the responding force's record.
- `REFERRAL`: CREATE (refer a person to a partner organisation, `recipient`): as adding a
  record, and the referral is a disclosure, so an active agreement must let the
  referring organisation share safeguarding records about the person with `recipient`.
  RESPOND (record its outcome): the referring or the receiving organisation, the
  `parties` of the referral's resource.
- `CHARGE_DECISION`: CREATE (record a charge or prosecution decision, the NRM and s45
  record it waits for, and see what the safeguard still waits for): police officers and
  staff. OVERRIDE (record a decision while the safeguarding record is incomplete): their
  supervisors. READ (a recorded decision, as the overrides of the safeguard are listed):
  police supervisors, analysts, LROs and data protection officers, of their own force
  (the regional unit's, of the region). The list and the safeguarding consistency figures
  it belongs to are a dashboard (`threadline.policy.figures`, `Dashboard.SAFEGUARDING`).
"""

from __future__ import annotations

from dataclasses import replace

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.disclosure import isa_decision
from threadline.policy.identity import is_police, police_kind
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.reading import read
from threadline.policy.registry import holders_rule, rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import SUBMIT_ROLES, Action, ResourceKind

# Roles that add safeguarding records (screenings, concerns, referrals).
WRITER_ROLES = SUBMIT_ROLES | {Role.PARTNER}
# Roles that answer for the charging safeguard's overrides and the consistency figures.
OVERSIGHT_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST, Role.LRO, Role.DPO})
# Roles that override the charging safeguard, with a recorded reason.
OVERRIDE_ROLES = frozenset({Role.SUPERVISOR})
# Kinds of organisation that are a children's front door (MASH; in Norfolk, CADS): the
# charging safeguard waits for a child's referral to one of them, and its outcome.
FRONT_DOOR_KINDS = frozenset({AgencyKind.CHILDRENS_SERVICES})


def receives_referrals(kind: AgencyKind) -> bool:
    """Whether organisations of `kind` receive safeguarding referrals (partners do, police
    never: a referral is how police and partners hand a person to a partner's care)."""
    return not police_kind(kind)


def referral_recipients(ctx: PolicyContext) -> frozenset[str]:
    """Organisations the context's organisation shares with under an agreement it provides
    to (in any state): whom a referral form offers. Each referral is still decided alone."""
    return frozenset(
        code
        for terms in ctx.isas
        if ctx.agency_code in terms.providers
        for code in terms.recipients
    )


def hidden_derived_fields(person: Decision) -> frozenset[str]:
    """Fields of a safeguarding record derived from the person's record that a reader who
    may not see the person's date of birth does not see either (the age at screening)."""
    return frozenset() if person.shows("date_of_birth") else frozenset({"age"})


# --------------------------------------------------------------------------- writes


def _writer(actor: Actor, resource: Resource, what: str) -> Decision | None:
    """Refusal unless the actor adds safeguarding records for the resource's owner."""
    if not actor.roles & WRITER_ROLES:
        return refuse(
            "safeguarding-writers",
            f"{actor.username} holds {roles_text(actor.roles)}; {what} needs one of "
            f"{roles_text(WRITER_ROLES)}",
        )
    if refused := above_clearance(actor, resource):
        return refused
    if resource.owner is not None and resource.owner != actor.agency_code:
        return refuse(
            "own-organisation",
            f"{actor.username} adds safeguarding records for {actor.agency_code} only, not "
            f"for {resource.owner}",
        )
    return None


def _covers_person(actor: Actor, resource: Resource, ctx: PolicyContext) -> Decision | None:
    """Refusal unless the actor may read safeguarding records about the person from each
    organisation holding the person's record (police of the region may; a partner under an
    agreement covering the person's area and cohort)."""
    for holder in sorted(resource.parties):
        about = replace(resource, kind=ResourceKind.SAFEGUARDING, owner=holder, parties=frozenset())
        decision = read(actor, about, ctx, None)
        if not decision.allowed:
            return refuse(
                "safeguarding-agreement",
                f"{actor.agency_code} works on safeguarding only about people its agreements "
                f"cover: {decision.reason}",
            )
    return None


@rule(Action.CREATE, ResourceKind.SCREENING, ResourceKind.CONCERN)
def add_record(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    what = "screening" if resource.kind is ResourceKind.SCREENING else "raising a concern"
    if refused := _writer(actor, resource, what) or _covers_person(actor, resource, ctx):
        return refused
    return allow(
        "safeguarding-writer",
        f"{actor.username} adds {resource.kind.value} records for {actor.agency_code} about "
        "people it may work with",
    )


# Children the records suggest for screening: police officers and staff.
suggest = holders_rule(
    (Action.SEARCH, ResourceKind.SCREENING),
    name="suggestions-police",
    roles=SUBMIT_ROLES,
    police=True,
    cleared=False,
    refusal="{user} of {agency} may not see children suggested for screening: the "
    "suggestions rest on police records, for police officers and staff",
    allowance="{user} is police officer or staff",
)

# The police response to a concern a partner raised.
respond_to_concern = holders_rule(
    (Action.RESPOND, ResourceKind.CONCERN),
    name="concern-responders",
    roles=SUBMIT_ROLES,
    police=True,
    refusal="{user} of {agency} may not respond to concerns: police officers and staff "
    "respond to the concerns partners raise",
    allowance="{user} responds for {agency}",
)


@rule(Action.CREATE, ResourceKind.REFERRAL)
def refer(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    if refused := _writer(actor, resource, "a referral") or _covers_person(actor, resource, ctx):
        return refused
    if recipient is None:
        # Asked about referring at all (a page's link): only with someone to refer to.
        if not referral_recipients(ctx):
            return refuse(
                "referral-disclosure",
                f"no information sharing agreement has {actor.agency_code} providing to "
                "another organisation, so it has no one to refer to",
            )
        return allow("referrer", f"{actor.username} refers people for {actor.agency_code}")
    if not receives_referrals(recipient.kind):
        return refuse(
            "referral-recipient",
            f"{recipient.code} is a police organisation; referrals go to partner organisations",
        )
    shared = isa_decision(
        ctx,
        provider=actor.agency_code,
        recipient=recipient.code,
        resource=replace(
            resource, kind=ResourceKind.SAFEGUARDING, owner=actor.agency_code, parties=frozenset()
        ),
    )
    if not shared.allowed:
        return refuse(
            "referral-disclosure",
            f"a referral to {recipient.code} is a disclosure: {shared.reason}",
        )
    return allow(
        "referral-disclosure",
        f"{actor.agency_code} refers to {recipient.code} under agreement {shared.isa_ref}",
        isa_ref=shared.isa_ref,
        warnings=shared.warnings,
    )


@rule(Action.RESPOND, ResourceKind.REFERRAL)
def record_outcome(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """The outcome is recorded by the receiving organisation (or the referring one, told it)."""
    if not actor.roles & WRITER_ROLES:
        return refuse(
            "referral-outcome",
            f"{actor.username} holds {roles_text(actor.roles)}; recording a referral's outcome "
            f"needs one of {roles_text(WRITER_ROLES)}",
        )
    if refused := above_clearance(actor, resource):
        return refused
    if actor.agency_code not in resource.parties:
        return refuse(
            "referral-outcome",
            f"the outcome of {resource.label} is recorded by "
            f"{' or '.join(sorted(resource.parties))}, not {actor.agency_code}",
        )
    return allow("referral-outcome", f"{actor.agency_code} is a party to {resource.label}")


# --------------------------------------------------------------------------- charging


# A charge or prosecution decision, and the NRM and s45 record it waits for.
record_charge = holders_rule(
    (Action.CREATE, ResourceKind.CHARGE_DECISION),
    name="charging-police",
    roles=SUBMIT_ROLES,
    police=True,
    refusal="{user} of {agency} may not record charge decisions or the safeguarding record "
    "they wait for: that is for police officers and staff of a force",
    allowance="{user} records charge decisions",
)


@rule(Action.OVERRIDE, ResourceKind.CHARGE_DECISION)
def override_safeguard(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Recording a decision while the safeguarding record is incomplete: those who record
    charge decisions, if they are supervisors."""
    if not (decision := record_charge(actor, resource, ctx, recipient)).allowed:
        return decision
    if not actor.roles & OVERRIDE_ROLES:
        return refuse(
            "override-supervisors",
            f"{actor.username} is not a supervisor: only a supervisor may override the "
            "charging safeguard, with a recorded reason",
        )
    return allow(
        "override-supervisors",
        f"{actor.username} is a supervisor and may override the safeguard with a reason",
    )


@rule(Action.READ, ResourceKind.CHARGE_DECISION)
def oversee_charging(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """A recorded decision (an override of the safeguard, listed with the safeguarding
    figures): police leads, of their own force (the regional unit's: of the region)."""
    if not is_police(actor) or not actor.roles & OVERSIGHT_ROLES:
        return refuse(
            "charging-oversight",
            f"{actor.username} ({actor.agency_code}) may not see the overrides of the charging "
            "safeguard or the safeguarding consistency figures: they are for police "
            "supervisors, analysts, LROs and data protection officers",
        )
    regional = actor.agency_kind is AgencyKind.REGIONAL_UNIT
    if resource.owner is not None and resource.owner != actor.agency_code and not regional:
        return refuse(
            "charging-oversight",
            f"{actor.username} sees {actor.agency_code}'s charge decisions only; "
            f"{resource.label} is {resource.owner}'s",
        )
    return allow(
        "charging-oversight",
        f"{actor.username} answers for the charging safeguard of "
        f"{'the region' if regional else actor.agency_code}",
    )
