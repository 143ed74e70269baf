"""Which audit events trip a wire, and what an alert says about them.

What happened is read from the event's s62 operation and its name together: a
consultation is only ever a check, a profile opened or a page looked at, whatever its
name; a collection, alteration or disclosure is worded by what it recorded or sent. So a
read of the safeguarding suggestions says "looked at", never "raised a concern".

Who may be told what is decided by `threadline.policy.alerts`; this module only words it:

- to police: who (a colleague of the watcher's own organisation by name; anyone else by
  role and organisation, "An officer of Suffolk Constabulary"), where (the home policing
  areas of the person who acted), what, and when ("7 December 2026 at 6:40am", UTC), in
  words: no numbers or codes. The alert keeps the audit event it came from
  (`AlertRow.event_id`), so the person can be identified lawfully through the data
  protection officer when it matters.
- to a partner: only what reached its organisation under its agreement ("A sanitised
  intelligence report about ... has been shared with your organisation"), never who
  acted, which force, or when.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.audit import AuditAction
from threadline.model.security import Role
from threadline.policy.alerts import DoerShown, Happened, shown_role
from threadline.tripwires.hits import Event
from threadline.tripwires.names import when_text

# Events (by name) that record, change or send something about a record.
RECORDED = {
    "intel_report.submitted": Happened.INTELLIGENCE,
    "intel_report.legacy_recorded": Happened.INTELLIGENCE,
    "custody.recorded": Happened.CUSTODY,
    "custody.updated": Happened.CUSTODY,  # a release, when it set the release date
    "custody.transferred": Happened.CUSTODY,
    "custody.linked": Happened.CUSTODY,  # police matching linked a prisoner to the record
    "prison_intel.recorded": Happened.PRISON_INTEL,
    "safeguarding.concern": Happened.CONCERN_RAISED,
    "safeguarding.concern.response": Happened.CONCERN_ANSWERED,
    "safeguarding.screening": Happened.SCREENED,
    "safeguarding.referral": Happened.REFERRED,
    "safeguarding.referral.outcome": Happened.REFERRED,
    "threat_notice.published": Happened.NOTICE_PUBLISHED,
    "intel_sanitised.disseminated": Happened.REPORT_SHARED,
    # Police work that a partner hears of only for a person it raised a concern about
    # (`happenings.describe` keeps the people arrested or charged, and says which).
    "justice.charge_decision": Happened.CHARGED,
    "disruption.recorded": Happened.ARRESTED,
}
RECORDED_PREFIXES = (("import.", Happened.IMPORTED),)
# Consultations that trip a wire: a check, a profile page, a safeguarding page. Other
# lists that merely show records (and reads of alerts, watches, notices) never do.
CONSULTED_PREFIXES = ("safeguarding.",)
PROFILE_SUFFIX = ".profile"
# Event names that may carry news for a partner (see policy.alerts.PARTNER_TOLD).
PARTNER_EVENTS = (
    "threat_notice.published",
    "intel_sanitised.disseminated",
    "safeguarding.concern.response",
    "custody.updated",
    "justice.charge_decision",
    "disruption.recorded",
)

# What police watchers are told, by happening; {who} acted on {record}.
POLICE_WORDS = {
    Happened.CHECKED: "{who} checked {record}",
    Happened.OPENED: "{who} opened the record of {record}",
    Happened.LOOKED_AT: "{who} looked at {record}",
    Happened.INTELLIGENCE: "{who} submitted intelligence about {record}",
    Happened.IMPORTED: "{record} was updated by an import{source} by {who}",
    Happened.CUSTODY: "{who} recorded custody details for {record}",
    Happened.PRISON_INTEL: "{who} recorded prison intelligence about {record}",
    Happened.CONCERN_RAISED: "{who} raised a concern about {record}",
    Happened.CONCERN_ANSWERED: "{who} responded to a concern about {record}",
    Happened.SCREENED: "{who} recorded an exploitation screening of {record}",
    Happened.REFERRED: "{who} made a safeguarding referral about {record}",
    Happened.NOTICE_PUBLISHED: "{who} published a threat notice about {record}",
    Happened.REPORT_SHARED: "{who} disseminated a sanitised report about {record}",
    Happened.RELEASED: "{who} recorded the release from custody of {record}",
    Happened.ARRESTED: "{who} recorded the arrest of {record}",
    Happened.CHARGED: "{who} recorded a charge decision about {record}",
}
# Finer words for particular events.
EVENT_WORDS = {
    "safeguarding.subject": "{who} looked at the safeguarding page of {record}",
    # Reads of lists: worded so that no one takes a read for a new concern or referral.
    "safeguarding.screenings": "{who} looked at the past screenings of {record} (nothing new "
    "was recorded)",
    "safeguarding.concerns": "{who} looked at the concerns already on record about {record} "
    "(no new concern was raised)",
    "safeguarding.referrals": "{who} looked at the referrals already on record about {record} "
    "(no new referral was made)",
    "safeguarding.suggestions": (
        "{who} looked at {record} on the list of children suggested for screening"
    ),
    "safeguarding.referral.outcome": "{who} recorded the outcome of a referral about {record}",
    "custody.updated": "{who} updated the custody details of {record}",
    "custody.transferred": "{who} recorded a transfer of {record} to another establishment",
}
# What a partner is told: what reached its organisation, nothing of who, which force, when.
PARTNER_WORDS = {
    Happened.NOTICE_PUBLISHED: "A threat notice about {record} has been published to your "
    "organisation",
    Happened.REPORT_SHARED: "A sanitised intelligence report about {record} has been shared "
    "with your organisation",
    Happened.CONCERN_ANSWERED: "The police have responded to your organisation's concern "
    "about {record}",
    Happened.RELEASED: "{record} has been released from custody",
    Happened.ARRESTED: "{record}, about whom your organisation raised a concern, has been arrested",
    Happened.CHARGED: "{record}, about whom your organisation raised a concern, has been "
    "charged with an offence",
}
ROLE_WORDS = {
    Role.FRONTLINE: "An officer",
    Role.ANALYST: "An analyst",
    Role.LRO: "A lead responsible officer",
    Role.SUPERVISOR: "A supervisor",
    Role.PRISON_INTEL: "A prison intelligence officer",
    Role.PARTNER: "A practitioner",
    Role.DPO: "A data protection officer",
}


def happened(event: Event) -> Happened | None:
    """What the event did to the records it lists, or None if it trips no wire."""
    return classify(event.event, event.action)


def classify(name: str, action: str) -> Happened | None:
    """What an audit event (by name and s62 operation) did, or None if it trips no wire."""
    if action == AuditAction.CONSULTATION:
        if name == "check":
            return Happened.CHECKED
        if name.endswith(PROFILE_SUFFIX):
            return Happened.OPENED
        if name.startswith(CONSULTED_PREFIXES):
            return Happened.LOOKED_AT
        return None
    if name in RECORDED:
        return RECORDED[name]
    for prefix, found in RECORDED_PREFIXES:
        if name.startswith(prefix):
            return found
    return None


@dataclass(frozen=True, slots=True)
class Doer:
    """Who caused an event, as the audit row and their account tell it."""

    user_id: int | None
    username: str
    display_name: str | None
    agency_code: str
    agency_name: str
    roles: frozenset[str]
    areas: tuple[str, ...]  # names of their home policing areas


def who_text(doer: Doer, shown: DoerShown) -> str:
    """ "Jane Doe (officer@suffolk) of Suffolk Constabulary (Ipswich)" or
    "An officer of Suffolk Constabulary (Ipswich)"; the system: "Suffolk Constabulary"."""
    where = f" ({', '.join(doer.areas)})" if doer.areas else ""
    if doer.user_id is None:
        return doer.agency_name
    if shown is DoerShown.NAMED and doer.display_name:
        return f"{doer.display_name} ({doer.username}) of {doer.agency_name}{where}"
    role = shown_role(doer.roles)
    words = ROLE_WORDS.get(role, "Someone") if role is not None else "Someone"
    return f"{words} of {doer.agency_name}{where}"


def alert_summary(
    *,
    event: Event,
    what: Happened,
    who: str,
    record: str,
    reason: str,
    detail: str | None = None,
) -> str:
    """One sentence for a police watcher: who did what to which watched record, when."""
    why = f" ({reason})" if reason else ""
    pattern = EVENT_WORDS.get(event.event, POLICE_WORDS[what])
    if what is Happened.RELEASED:
        pattern = POLICE_WORDS[what]
    text = pattern.format(who=who, record=f"{record}{why}", source=f" ({detail})" if detail else "")
    text = f"{text} on {when_text(event.at)}"
    return f"{text[0].upper()}{text[1:]}."


def partner_summary(*, what: Happened, record: str, isa_ref: str | None) -> str:
    """For a partner: what reached its organisation and on what basis; no who, no when."""
    basis = f" (under agreement {isa_ref})" if isa_ref else ""
    text = PARTNER_WORDS[what].format(record=record)
    return f"{text[0].upper()}{text[1:]}{basis}. Open the record to see what you may."
