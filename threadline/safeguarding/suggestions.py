"""Suggested victims: children the data says are likely exploited, proposed for screening.

A child (the youngest their date of birth allows is under 18) is suggested when they
are recorded as a runner for a county line or group, use a deal line's phone, live at
an address a line or group has cuckooed, or are recorded as exploited by someone; and
they have not been screened in the last six months. Each suggestion carries its
evidence, naming only records the actor may see (evidence resting on a record they may
not see is left out, and a child with none left is not suggested to them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from threadline.audit import AuditAction, record_event
from threadline.model.links import LinkType
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    View,
    decide,
    entity_facts,
    load_context,
    read_path,
    redact,
    require,
)
from threadline.profiles.records import label, load_records
from threadline.safeguarding.access import person_facts, youngest_ages
from threadline.storage.safeguarding_tables import ScreeningRow
from threadline.storage.tables import LinkRow

RECENT = timedelta(days=183)  # a screening in the last six months answers a suggestion


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A child proposed for screening, with the evidence that proposes them."""

    person: View
    evidence: tuple[str, ...]
    last_screened: datetime | None


_Found = dict[int, list[tuple[str, int]]]  # person -> [(what, linked record id)]


def _links(session: Session) -> _Found:
    found: _Found = defaultdict(list)
    for person, other in session.execute(
        select(LinkRow.from_id, LinkRow.to_id).where(LinkRow.link_type == LinkType.RUNNER_FOR.value)
    ):
        found[person].append(("runner for {}", other))
    phone = aliased(LinkRow)
    for person, line in session.execute(
        select(LinkRow.from_id, phone.from_id)
        .join(phone, phone.to_id == LinkRow.to_id)
        .where(
            LinkRow.link_type == LinkType.USES_PHONE.value,
            phone.link_type == LinkType.LINE_PHONE.value,
        )
    ):
        found[person].append(("uses a deal line phone of {}", line))
    home = aliased(LinkRow)
    for person, by in session.execute(
        select(LinkRow.from_id, home.from_id)
        .join(home, home.to_id == LinkRow.to_id)
        .where(
            LinkRow.link_type == LinkType.RESIDES_AT.value,
            home.link_type == LinkType.CUCKOOS.value,
        )
    ):
        found[person].append(("lives at an address cuckooed by {}", by))
    for by, person in session.execute(
        select(LinkRow.from_id, LinkRow.to_id).where(LinkRow.link_type == LinkType.EXPLOITS.value)
    ):
        found[person].append(("recorded as exploited by {}", by))
    return found


@read_path("safeguarding.suggestions")
def find_suggested_victims(
    session: Session,
    *,
    actor: Actor,
    area: str | None = None,
    purpose: str | None = None,
    limit: int = 50,
) -> list[Suggestion]:
    """Children likely exploited and not screened lately (see the module docstring), the
    most evidence first; optionally only those of one policing area. One consultation."""
    ctx = load_context(session, actor)
    require(
        actor=actor, action=Action.SEARCH, resource=Resource(kind=ResourceKind.SCREENING), ctx=ctx
    )
    found = _links(session)
    ages = youngest_ages(session, found, ctx.on)
    children = [p for p in sorted(found) if p in ages and ages[p] < 18]
    screened: dict[int, datetime] = {}
    for person, at in session.execute(
        select(ScreeningRow.person_id, ScreeningRow.screened_at).where(
            ScreeningRow.person_id.in_(children)
        )
    ):
        screened[person] = max(at, screened.get(person, at))
    cutoff = datetime.combine(ctx.on, datetime.min.time()) - RECENT
    due = [p for p in children if screened.get(p, cutoff) <= cutoff]
    people = person_facts(session, actor, ctx, due)
    if area:
        people = {p: f for p, f in people.items() if area in f.areas}
    linked = {other for p in people for _, other in found[p]}
    facts = entity_facts(session, linked, on=ctx.on)
    allowed = {
        i: f
        for i, f in facts.items()
        if decide(actor=actor, action=Action.READ, resource=f.resource(), ctx=ctx).allowed
    }
    records = load_records(session, allowed | people)
    names = {
        i: label(
            ResourceKind(f.kind),
            redact(
                ResourceKind(f.kind),
                records[i],
                decide(actor=actor, action=Action.READ, resource=f.resource(), ctx=ctx),
            ),
        )
        for i, f in allowed.items()
    }
    suggestions: list[Suggestion] = []
    for person, fact in people.items():
        evidence = tuple(
            sorted({what.format(names[other]) for what, other in found[person] if other in names})
        )
        if not evidence:
            continue
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        view: View = redact(ResourceKind.PERSON, records[person], decision)
        suggestions.append(Suggestion(view, evidence, screened.get(person)))
    suggestions.sort(key=lambda s: (-len(s.evidence), int(str(s.person["id"]))))
    shown = suggestions[:limit]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.suggestions",
        records=[int(str(s.person["id"])) for s in shown],
        purpose=purpose,
        details={"area": area, "shown": len(shown)},
    )
    return shown
