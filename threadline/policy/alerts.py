"""Rules for alerts: who may be told that something happened to a record, and how much.

Police watchers (of a force or the regional unit) are told what happened to a record they
watch when they may read the record and everything the alert reveals (for new
intelligence, the report itself): a check, a profile opened, a safeguarding page looked
at, intelligence submitted, an import, custody recorded, a concern raised or answered, a
screening or a referral. A colleague of their own organisation is named; anyone else is
described by role and organisation only.

Partners are told, never watched over (DESIGN §3a). Every organisation that is not police
(children's services, schools, housing, health, probation, charities, prisons) is alerted
only about what its agreement lets it receive:

- a threat notice published to it;
- the police response to a concern it raised itself;
- a sanitised report disseminated to it;
- a release from custody that an agreement of its covers (custody data of that person);
- the arrest or charge of a person it raised a concern about itself, when an agreement
  of its lets it read that person's record.

Never about reads, checks, profile views, searches, imports, intelligence submissions or
any other consultation or collection by police; never about material it may not see;
never saying who acted, which force, or when. This holds for alerts to the organisation's
practitioners and for a partner's own watch on a record alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from threadline.model.entities import Agency
from threadline.model.security import Actor, Role
from threadline.policy.identity import holds, is_police
from threadline.policy.outcomes import allow, refuse
from threadline.policy.registry import rule
from threadline.policy.rules import decide
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import CONTENT_ROLES, Action, ResourceKind


class Happened(StrEnum):
    """What an audit event did to a record, as an alert tells it."""

    CHECKED = "check"  # a check from the street found the record
    OPENED = "profile"  # someone opened the record's profile page
    LOOKED_AT = "consultation"  # any other read of it (safeguarding pages, lists)
    INTELLIGENCE = "intelligence"  # an intelligence report about it was submitted
    IMPORTED = "import"  # a force export updated it
    CUSTODY = "custody"  # custody details recorded, changed or moved
    PRISON_INTEL = "prison_intel"  # prison intelligence recorded about it
    CONCERN_RAISED = "concern"  # a practitioner raised a safeguarding concern
    CONCERN_ANSWERED = "concern_response"  # police responded to a concern
    SCREENED = "screening"  # an exploitation screening was recorded
    REFERRED = "referral"  # a safeguarding referral was made (or its outcome recorded)
    NOTICE_PUBLISHED = "notice"  # a threat notice about it was published
    REPORT_SHARED = "sanitised"  # a sanitised report about it was disseminated
    RELEASED = "release"  # the person was released from custody
    ARRESTED = "arrest"  # the person was arrested (a disruption's arrest tactic)
    CHARGED = "charge"  # the person was charged or is to be prosecuted


# What police watchers are told about (when they may read the record and the material).
POLICE_TOLD = frozenset(
    {
        Happened.CHECKED,
        Happened.OPENED,
        Happened.LOOKED_AT,
        Happened.INTELLIGENCE,
        Happened.IMPORTED,
        Happened.CUSTODY,
        Happened.PRISON_INTEL,
        Happened.CONCERN_RAISED,
        Happened.CONCERN_ANSWERED,
        Happened.SCREENED,
        Happened.REFERRED,
        Happened.RELEASED,
    }
)
# What any other organisation may ever be told about: what reached it under its agreement.
PARTNER_TOLD = frozenset(
    {
        Happened.NOTICE_PUBLISHED,
        Happened.CONCERN_ANSWERED,
        Happened.REPORT_SHARED,
        Happened.RELEASED,
        Happened.ARRESTED,
        Happened.CHARGED,
    }
)
# Happenings told to a partner only when its own organisation is among the recipients.
_SENT_TO_IT = frozenset({Happened.NOTICE_PUBLISHED, Happened.REPORT_SHARED})
# Happenings told to a partner only about a person it raised a concern about itself.
_ITS_CONCERN = frozenset({Happened.ARRESTED, Happened.CHARGED})


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """An audit event as alert rules see it (built by tripwires from the log)."""

    happened: Happened
    agency: str  # the organisation whose user (or system) caused it
    recipients: frozenset[str] = frozenset()  # organisations a disclosure went to
    concern_of: str | None = None  # a concern response: the organisation that raised it
    # (record id, organisation) for every concern raised about the event's records: an
    # arrest or charge is told only to the organisations that raised a concern.
    concerns_about: frozenset[tuple[int, str]] = frozenset()


class DoerShown(StrEnum):
    """How much an alert may say about who caused the event."""

    NAMED = "named"  # a colleague of the recipient's own organisation: name and account
    ROLE = "role"  # someone of another organisation, to police: role and organisation
    NOTHING = "nothing"  # to a partner: not who, not which organisation, not when


# The order in which a doer's roles describe them (the first they hold is shown).
ROLE_ORDER = (
    Role.FRONTLINE,
    Role.ANALYST,
    Role.LRO,
    Role.SUPERVISOR,
    Role.PRISON_INTEL,
    Role.PARTNER,
    Role.DPO,
)


def happenings_told(recipient: Actor) -> frozenset[Happened]:
    """Every kind of happening the recipient may ever be alerted about."""
    return POLICE_TOLD if is_police(recipient) else PARTNER_TOLD


def partner_happenings() -> frozenset[Happened]:
    """What organisations outside the police may be told about (their agreements' deliveries)."""
    return PARTNER_TOLD


def doer_shown(recipient: Actor, event: AlertEvent) -> DoerShown:
    """How much an alert to `recipient` may say about who caused `event`."""
    if not is_police(recipient):
        return DoerShown.NOTHING
    if event.agency == recipient.agency_code:
        return DoerShown.NAMED
    return DoerShown.ROLE


def shown_role(roles: frozenset[str]) -> Role | None:
    """The role that describes someone of another organisation ("An officer of ...")."""
    return next((role for role in ROLE_ORDER if role.value in roles), None)


def alert_decision(
    *,
    recipient: Actor,
    ctx: PolicyContext,
    event: AlertEvent,
    record: Resource,
    material: Sequence[Resource] = (),
    watching: bool,
) -> Decision:
    """May `recipient` be alerted that `event` happened to `record`?

    `material` is everything else the alert reveals exists (the intelligence report of a
    submission, the custody episode of a release): the recipient must be allowed to read
    each. `watching` is True for a watch the recipient holds on the record, False for an
    alert to a partner organisation's practitioners. The decision's fields say which of
    the record's fields may name it in the alert; `isa_ref` is the agreement a partner
    alert rests on.
    """
    if is_police(recipient):
        if not watching:
            return refuse(
                "police-watch-only",
                f"{recipient.username} is of a police organisation ({recipient.agency_code}): "
                "police are alerted about the records they watch",
            )
        if event.happened not in POLICE_TOLD:
            return refuse(
                "alert-kind",
                f"a {event.happened.value} is sharing itself, not news about the record: it "
                "alerts no watcher",
            )
        return _readable(recipient, ctx, record, material, "police-watch")
    if event.happened not in PARTNER_TOLD:
        return refuse(
            "partners-told-never-watched",
            f"{recipient.agency_code} is not police: it is alerted only about what its "
            f"agreement lets it receive, never about a {event.happened.value} by anyone",
        )
    if not watching and not holds(recipient, Role.PARTNER):
        return refuse(
            "partner-practitioner",
            f"{recipient.username} is not a partner practitioner: an organisation's alerts go "
            "to its practitioners",
        )
    if event.happened in _SENT_TO_IT and recipient.agency_code not in event.recipients:
        return refuse(
            "not-a-recipient",
            f"the {event.happened.value} was not sent to {recipient.agency_code}",
        )
    if event.happened is Happened.CONCERN_ANSWERED and event.concern_of != recipient.agency_code:
        return refuse(
            "not-its-concern",
            f"the concern answered was not raised by {recipient.agency_code}: a partner is told "
            "only of the response to its own concerns",
        )
    if event.happened in _ITS_CONCERN and (
        record.id is None or (record.id, recipient.agency_code) not in event.concerns_about
    ):
        return refuse(
            "not-its-concern",
            f"{recipient.agency_code} raised no concern about {record.label}: a partner is told "
            "of an arrest or a charge only about a person it raised a concern about",
        )
    return _readable(recipient, ctx, record, material, "partner-alert")


def _readable(
    recipient: Actor,
    ctx: PolicyContext,
    record: Resource,
    material: Sequence[Resource],
    rule_name: str,
) -> Decision:
    """Allowed when the recipient may read the record and all the material, else refused."""
    decision = decide(actor=recipient, action=Action.READ, resource=record, ctx=ctx)
    if not decision.allowed:
        return decision
    for item in material:
        seen = decide(actor=recipient, action=Action.READ, resource=item, ctx=ctx)
        if not seen.allowed:
            return refuse(
                "alert-material",
                f"the alert would reveal {item.label}, which {recipient.username} may not "
                f"read: {seen.reason}",
            )
    basis = f" under agreement {decision.isa_ref}" if decision.isa_ref else ""
    return allow(
        rule_name,
        f"{recipient.username} may read {record.label}{basis} and all the alert reveals",
        fields=decision.fields,
        isa_ref=decision.isa_ref,
        warnings=decision.warnings,
    )


@rule(Action.CREATE, ResourceKind.WATCH)
def watch(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """Watching a record: anyone who works with case material, for records they may read.

    The service checks the record itself (a record the watcher may not read is answered
    as missing). What a watch brings follows `alert_decision`: police are told what
    happens to the record; a partner only what its agreements deliver, as without a watch.
    """
    if actor.is_system:
        return refuse("watchers", "scheduled jobs and console imports do not watch records")
    if not actor.roles & CONTENT_ROLES:
        return refuse(
            "watchers",
            f"{actor.username} holds no role that works with case material, so has no "
            "records to watch",
        )
    return allow("watchers", f"{actor.username} may watch records they may read")
