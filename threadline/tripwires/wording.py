"""Which audit events trip a wire, and what an alert says about them.

An alert says who, where and when as policy allows, and never any intelligence text:

- who: a colleague of the watcher's own organisation is named; anyone else is shown by
  role and organisation only ("An officer of Suffolk Constabulary"). Policy gives an
  LRO no right to read other organisations' user accounts (see policy.reading), and a
  partner's staff are never named to anyone outside their organisation. The audit
  event number is in the alert, so the person can be identified lawfully through the
  data protection officer when it matters.
- where: the home policing area(s) of the person who acted, when recorded.
- when: the time of the audit event (UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from threadline.model.security import Role
from threadline.tripwires.names import when_text

# Alert kinds, by the audit event that trips them. Only these events touch a record in
# a way its watchers need to know; events of sharing itself (alerts, watches, notices,
# briefings, digests) and lists that merely show records never trip a wire.
EXACT_EVENTS = {
    "check": "check",
    "intel_report.submitted": "intelligence",
    "intel_report.legacy_recorded": "intelligence",
}
PREFIX_EVENTS = (
    ("import.", "import"),
    ("custody.", "custody"),
    ("prison_intel.", "custody"),
    ("safeguarding.", "concern"),
    ("concern.", "concern"),
)
SUFFIX_EVENTS = ((".profile", "profile"),)
# Events whose records include records shown only as context (a check's card lists the
# groups and lines of the person found; a profile lists everything linked to it).
PROFILE_KIND = "profile"
VERBS = {
    "check": "checked",
    "profile": "opened the record of",
    "intelligence": "submitted intelligence about",
    "import": "updated by import",
    "custody": "recorded custody details for",
    "concern": "raised a concern about",
}
ROLE_WORDS = (
    (Role.FRONTLINE, "An officer"),
    (Role.ANALYST, "An analyst"),
    (Role.LRO, "A lead responsible officer"),
    (Role.SUPERVISOR, "A supervisor"),
    (Role.PRISON_INTEL, "A prison intelligence officer"),
    (Role.PARTNER, "A practitioner"),
    (Role.DPO, "A data protection officer"),
)


def alert_kind(event: str) -> str | None:
    """The alert kind an audit event name trips, or None if it trips nothing."""
    if event in EXACT_EVENTS:
        return EXACT_EVENTS[event]
    for prefix, kind in PREFIX_EVENTS:
        if event.startswith(prefix):
            return kind
    for suffix, kind in SUFFIX_EVENTS:
        if event.endswith(suffix):
            return kind
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


def who_text(doer: Doer, *, watcher_agency: str) -> str:
    """ "Jane Doe (officer@suffolk) of Suffolk Constabulary, Ipswich" or
    "An officer of Suffolk Constabulary, Ipswich"; the system: "Suffolk Constabulary"."""
    where = f" ({', '.join(doer.areas)})" if doer.areas else ""
    if doer.user_id is None:
        return doer.agency_name
    if doer.agency_code == watcher_agency and doer.display_name:
        return f"{doer.display_name} ({doer.username}) of {doer.agency_name}{where}"
    role = next((words for role, words in ROLE_WORDS if role.value in doer.roles), "Someone")
    return f"{role} of {doer.agency_name}{where}"


def alert_summary(
    *,
    kind: str,
    who: str,
    record: str,
    reason: str,
    at: datetime,
    event_id: int,
    detail: str | None = None,
) -> str:
    """One sentence: who did what to which watched record, when; and the event number."""
    why = f" ({reason})" if reason else ""
    when = when_text(at)
    if kind == "import":
        source = f" ({detail})" if detail else ""
        text = f"{record}{why} was updated by an import{source} by {who} at {when}"
    else:
        text = f"{who} {VERBS.get(kind, 'recorded something about')} {record}{why} at {when}"
    return f"{text[0].upper()}{text[1:]}. Audit event {event_id}."


def partner_summary(*, record: str, police: str, at: datetime, isa_ref: str | None) -> str:
    """For a partner: only that there is new police information, and on what basis."""
    basis = f" (shared with your organisation under agreement {isa_ref})" if isa_ref else ""
    return (
        f"There is new information from {police} about {record}{basis}, on {at.day} "
        f"{at:%b %Y}. Open the record to see what you may."
    )
