"""Telling partners what reached them: never what police did.

A partner organisation is alerted only about what its agreement lets it receive (DESIGN
§3a; the rule is `threadline.policy.alerts`): a threat notice published to it, the police
response to a concern it raised, a sanitised report disseminated to it, the release from
custody of someone its agreement covers (custody data included), the arrest or charge of
a person it raised a concern about itself. Each of its
practitioners who may read the record the alert is about gets one alert, whether or not
anyone watches the record. The alert names the record only as far as the agreement shows
it, names the agreement, and never says who acted, which force, or when. Reads, checks,
searches, imports, intelligence submissions and every other police activity never reach
a partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.policy import entity_facts
from threadline.policy.alerts import AlertEvent, Happened, alert_decision, partner_happenings
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import AgencyRow, AuditEventRow, UserRow
from threadline.tripwires.happenings import describe, event_records
from threadline.tripwires.hits import load_events
from threadline.tripwires.matching import Batch
from threadline.tripwires.names import record_names, shown_name
from threadline.tripwires.people import Directory
from threadline.tripwires.wording import PARTNER_EVENTS, partner_summary


def partner_alerts(
    session: Session,
    directory: Directory,
    batch: Batch,
    *,
    after: int,
    upto: int,
    now: datetime,
) -> int:
    """Add the partners' alerts for the events at chain positions `after` < position <=
    `upto`; returns how many."""
    ids = list(
        session.scalars(
            select(AuditEventRow.id).where(
                AuditEventRow.chain_seq > after,
                AuditEventRow.chain_seq <= upto,
                AuditEventRow.event.in_(PARTNER_EVENTS),
            )
        )
    )
    if not ids:
        return 0
    events = load_events(session, ids)
    described = describe(session, events, on=now.date())
    told = partner_happenings()
    news = {eid: e for eid, e in described.events.items() if e.happened in told}
    if not news:
        return 0
    records = event_records(session, news)
    # An arrest or charge is about the people arrested or charged, no other record.
    for eid, people in described.people.items():
        if eid in news:
            records[eid] = sorted(people)
    touched = sorted({(eid, rid) for eid in news for rid in records.get(eid, ())})
    facts = entity_facts(session, {rid for _, rid in touched}, on=now.date())
    touched = [(eid, rid) for eid, rid in touched if rid in facts]
    if not touched:
        return 0
    candidates = _candidates(session, news)
    for row in candidates:
        directory.users.setdefault(row.id, row)
    existing = _alerted(session, news)
    names = record_names(session, {rid for _, rid in touched})
    added = 0
    for row in candidates:
        actor = directory.actor(row.id)
        if actor is None:
            continue
        ctx = directory.context(actor, now.date())
        for event_id, entity_id in touched:
            if (event_id, entity_id, row.id) in existing:
                continue
            what = news[event_id]
            if (which := described.people.get(event_id, {}).get(entity_id)) is not None:
                what = replace(what, happened=which)  # arrested, or charged
            decision = alert_decision(
                recipient=actor,
                ctx=ctx,
                event=what,
                record=facts[entity_id].resource(),
                material=described.material.get(event_id, ()),
                watching=False,
            )
            if not decision.allowed:
                continue
            kind, name = names.get(entity_id, (facts[entity_id].kind, ""))
            alert = AlertRow(
                user_id=row.id,
                entity_id=entity_id,
                watch_id=None,
                event_id=event_id,
                kind=what.happened.value,
                summary=partner_summary(
                    what=what.happened,
                    record=shown_name(kind, name, decision),
                    isa_ref=decision.isa_ref,
                ),
                created_at=now,
            )
            session.add(alert)
            batch.alerts.append((alert, None))
            existing.add((event_id, entity_id, row.id))
            added += 1
    session.flush()
    return added


def _candidates(session: Session, news: dict[int, AlertEvent]) -> Sequence[UserRow]:
    """Who may hear of `news`: the organisations something was sent to, whose concern was
    answered, or who raised a concern about someone arrested or charged (anyone, for a
    release). Policy decides who among them is told (police
    never are through this path: they hear through their watches)."""
    query = (
        select(UserRow)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.disabled.is_(False))
        .order_by(UserRow.id)
    )
    if all(e.happened is not Happened.RELEASED for e in news.values()):
        orgs = (
            {code for e in news.values() for code in e.recipients}
            | {e.concern_of for e in news.values() if e.concern_of is not None}
            | {org for e in news.values() for _, org in e.concerns_about}
        )
        query = query.where(AgencyRow.code.in_(sorted(orgs)))
    return session.scalars(query).all()


def _alerted(session: Session, news: dict[int, AlertEvent]) -> set[tuple[int, int, int]]:
    """The (event, record, user) alerts already raised for `news`."""
    return {
        (e, n, u)
        for e, n, u in session.execute(
            select(AlertRow.event_id, AlertRow.entity_id, AlertRow.user_id).where(
                AlertRow.event_id.in_(sorted(news))
            )
        )
    }
