"""Turning the audit events of one batch into alerts for the people watching.

For each (event, watched record, watcher): the event must be one that trips a wire
(`wording.happened`), not caused by the watcher themselves, and policy must let the
watcher be told of it (`policy.alerts.alert_decision`): police watchers may be told what
happened when they may still read the record and what the alert reveals (for new
intelligence, the report itself: a watcher not cleared for a SECRET report is not told it
exists); a partner's own watch tells it only what its agreement lets it receive, never
what police did. A check lists the groups and county lines of the people on its cards;
when the watcher is told about the person, the same group's group and lines are not
alerted again for that check. A profile view alerts only for the record opened, not
everything listed on its page.

One visit is one alert: a person's safeguarding page writes four read events (the page,
its screenings, its concerns, its referrals), and the watcher hears of the visit once
(`_one_alert_per_visit`). A list of many people (the open referrals of a region) is not
a look at any one of them: a safeguarding list trips a wire only when it is about one
person (`LIST_EVENTS`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.policy import EntityFacts, entity_facts
from threadline.policy.alerts import DoerShown, Happened, alert_decision, doer_shown
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import AuditEventRow
from threadline.tripwires.happenings import Happenings, describe
from threadline.tripwires.hits import (
    Event,
    Hit,
    import_events,
    import_hits,
    listed_counts,
    load_events,
    watch_hits,
)
from threadline.tripwires.names import record_names, shown_name
from threadline.tripwires.people import Directory
from threadline.tripwires.wording import alert_summary, happened, partner_summary, who_text

_CONTEXT_KINDS = frozenset({"organisation", "county_line"})
# Reads that several events of one page view can repeat.
_READS = frozenset({Happened.OPENED, Happened.LOOKED_AT})
# Safeguarding lists: they trip a wire only when they list one person.
LIST_EVENTS = frozenset(
    {
        "safeguarding.screenings",
        "safeguarding.concerns",
        "safeguarding.referrals",
        "safeguarding.suggestions",
    }
)
# The event whose words describe a visit best, when one visit wrote several.
_PAGE_EVENTS = ("safeguarding.subject",)
VISIT = timedelta(minutes=1)  # reads by one person of one record this close are one visit


@dataclass
class Batch:
    """What one batch produced: new alerts (with their watched group) and counts."""

    alerts: list[tuple[AlertRow, int | None]] = field(default_factory=list)
    events: dict[int, Event] = field(default_factory=dict)
    facts: dict[int, EntityFacts] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    happenings: Happenings = field(default_factory=Happenings)
    withheld: int = 0  # hits the watcher may not (or may no longer) be told about
    own: int = 0  # hits on events the watcher caused


def collect_hits(session: Session, *, after: int, upto: int) -> tuple[list[Hit], dict[int, Event]]:
    """Hits of the batch, and the events behind them (only events that trip a wire)."""
    hits = watch_hits(session, after=after, upto=upto)
    imports = import_events(session, after=after, upto=upto)
    events = load_events(session, [h.event_id for h in hits] + imports)
    for event_id in imports:
        hits.extend(import_hits(session, events[event_id]))
    tripping = {eid: e for eid, e in events.items() if happened(e) is not None}
    return [h for h in hits if h.event_id in tripping], tripping


def _drop_context(hits: list[Hit], kinds: dict[int, str]) -> list[Hit]:
    """Leave out group and line hits shown only because a member of the group was."""
    members: set[tuple[int, int, int | None]] = {
        (h.event_id, h.user_id, h.group_id)
        for h in hits
        if kinds.get(h.entity_id) not in _CONTEXT_KINDS and h.group_id is not None
    }
    return [
        h
        for h in hits
        if kinds.get(h.entity_id) not in _CONTEXT_KINDS
        or (h.event_id, h.user_id, h.group_id) not in members
    ]


def _one_alert_per_visit(
    hits: list[Hit], events: dict[int, Event], listed: dict[int, int]
) -> list[Hit]:
    """Leave out region-wide safeguarding lists, and merge the reads of one visit.

    Reads (`_READS`) of one record by one person within `VISIT` of the visit's first are
    one hit for each watcher: the page's own event if among them, else the first.
    """
    kept: list[Hit] = []
    visits: dict[tuple[int, int, str], tuple[datetime, int]] = {}  # -> (start, index)
    for h in sorted(hits, key=lambda hit: hit.event_id):
        event = events[h.event_id]
        if event.event in LIST_EVENTS and listed.get(h.event_id, 0) > 1:
            continue
        if happened(event) not in _READS:
            kept.append(h)
            continue
        key = (h.user_id, h.entity_id, str(event.actor_id or event.actor))
        visit = visits.get(key)
        if visit is not None and event.at - visit[0] <= VISIT:
            if event.event in _PAGE_EVENTS:
                kept[visit[1]] = h
            continue
        visits[key] = (event.at, len(kept))
        kept.append(h)
    return kept


def match_batch(
    session: Session, directory: Directory, *, after: int, upto: int, now: datetime
) -> Batch:
    """Create the alerts of the events at chain positions `after` < position <= `upto`
    (once each: re-runs add none)."""
    batch = Batch()
    hits, events = collect_hits(session, after=after, upto=upto)
    batch.events = events
    if not hits:
        return batch
    # The watcher caused it themselves, or a profile page's linked records.
    kept = []
    for h in hits:
        event = events[h.event_id]
        if event.actor_id == h.user_id:
            batch.own += 1
        elif happened(event) is Happened.OPENED and event.details.get("id") != h.entity_id:
            continue
        else:
            kept.append(h)
    batch.happenings = described = describe(session, events, on=now.date())
    batch.facts = facts = entity_facts(session, {h.entity_id for h in kept}, on=now.date())
    kept = _drop_context(kept, {eid: f.kind for eid, f in facts.items()})
    listed = listed_counts(
        session, sorted({h.event_id for h in kept if events[h.event_id].event in LIST_EVENTS})
    )
    kept = _one_alert_per_visit(kept, events, listed)
    batch.hits = kept
    existing: set[tuple[int, int, int]] = {
        (e, n, u)
        for e, n, u in session.execute(
            select(AlertRow.event_id, AlertRow.entity_id, AlertRow.user_id)
            .join(AuditEventRow, AuditEventRow.id == AlertRow.event_id)
            .where(AuditEventRow.chain_seq > after, AuditEventRow.chain_seq <= upto)
        )
    }
    directory.load_users(
        {h.user_id for h in kept} | {e.actor_id for e in events.values() if e.actor_id}
    )
    names = record_names(session, {h.entity_id for h in kept})
    seen: set[tuple[int, int, int]] = set()
    for h in kept:
        key = (h.event_id, h.entity_id, h.user_id)
        if key in existing or key in seen:
            continue
        seen.add(key)
        event, what, fact, watcher = (
            events[h.event_id],
            described.of(h.event_id),
            facts.get(h.entity_id),
            directory.actor(h.user_id),
        )
        if what is None or fact is None or watcher is None:
            batch.withheld += 1
            continue
        decision = alert_decision(
            recipient=watcher,
            ctx=directory.context(watcher, now.date()),
            event=what,
            record=fact.resource(),
            material=described.material.get(h.event_id, ()),
            watching=True,
        )
        if not decision.allowed:
            batch.withheld += 1
            continue
        record_kind, name = names.get(h.entity_id, (fact.kind, "a record"))
        record = shown_name(record_kind, name, decision)
        shown = doer_shown(watcher, what)
        if shown is DoerShown.NOTHING:
            summary = partner_summary(what=what.happened, record=record, isa_ref=decision.isa_ref)
        else:
            summary = alert_summary(
                event=event,
                what=what.happened,
                who=who_text(directory.doer(event), shown),
                record=record,
                reason=h.reason,
                detail=str(event.details.get("file") or "") or None,
            )
        row = AlertRow(
            user_id=h.user_id,
            entity_id=h.entity_id,
            watch_id=h.watch_id,
            event_id=h.event_id,
            kind=what.happened.value,
            summary=summary,
            created_at=now,
        )
        session.add(row)
        batch.alerts.append((row, h.group_id))
    session.flush()
    return batch


def by_agency(batch: Batch, directory: Directory) -> dict[str, list[tuple[AlertRow, int | None]]]:
    """New alerts grouped by the recipient's organisation (one audit event each)."""
    grouped: dict[str, list[tuple[AlertRow, int | None]]] = defaultdict(list)
    for row, group_id in batch.alerts:
        user = directory.users[row.user_id]
        grouped[directory.agency_codes[user.agency_id]].append((row, group_id))
    return grouped
