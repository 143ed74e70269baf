"""Telling partners: a watched child touched by police reaches the partners who support them.

When police check, record intelligence or custody details about a watched person who is
certainly under 18, each partner practitioner whose organisation may read that person's
record under an active agreement (its data items, area and cohort scope: the same
decision that lets them open the record) gets an alert. It says only that there is new
police information and links to the record, where they see what their agreement
allows; it names the child only if the agreement shows the name, and never says what
the police did or who did it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.enums import AgencyKind
from threadline.model.security import Role
from threadline.policy import Action, Cohort, decide
from threadline.storage.sharing_tables import AlertRow
from threadline.storage.tables import AgencyRow, UserRow
from threadline.tripwires.matching import Batch
from threadline.tripwires.names import record_names, shown_name
from threadline.tripwires.people import Directory
from threadline.tripwires.wording import alert_kind, partner_summary

# Kinds of event that are new information a partner supporting the child should know of.
PARTNER_KINDS = frozenset({"check", "intelligence", "custody", "concern"})
POLICE_KINDS = tuple(k.value for k in AgencyKind if k.is_police)


def partner_alerts(session: Session, directory: Directory, batch: Batch, *, now: datetime) -> int:
    """Add the partners' alerts for the children touched in `batch`; returns how many."""
    touched = sorted(
        {
            (h.event_id, h.entity_id)
            for h in batch.hits
            if h.entity_id in batch.facts
            and Cohort.UNDER_18 in batch.facts[h.entity_id].cohorts
            and directory.is_police(batch.events[h.event_id].agency)
            and alert_kind(batch.events[h.event_id].event) in PARTNER_KINDS
        }
    )
    if not touched:
        return 0
    partners = session.scalars(
        select(UserRow)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(
            UserRow.disabled.is_(False),
            UserRow.roles.like(f"%{Role.PARTNER.value}%"),
            AgencyRow.kind.not_in(POLICE_KINDS),
        )
        .order_by(UserRow.id)
    ).all()
    if not partners:
        return 0
    for row in partners:
        directory.users.setdefault(row.id, row)
    existing: set[tuple[int, int, int]] = {
        (e, n, u)
        for e, n, u in session.execute(
            select(AlertRow.event_id, AlertRow.entity_id, AlertRow.user_id).where(
                AlertRow.event_id.in_(sorted({e for e, _ in touched})),
                AlertRow.user_id.in_([p.id for p in partners]),
            )
        )
    }
    names = record_names(session, {eid for _, eid in touched})
    added = 0
    for row in partners:
        actor = directory.actor(row.id)
        if actor is None or not actor.has(Role.PARTNER):
            continue
        ctx = directory.context(actor, now.date())
        for event_id, entity_id in touched:
            if (event_id, entity_id, row.id) in existing:
                continue
            decision = decide(
                actor=actor,
                action=Action.READ,
                resource=batch.facts[entity_id].resource(),
                ctx=ctx,
            )
            if not decision.allowed:
                continue
            event = batch.events[event_id]
            kind, name = names.get(entity_id, ("person", ""))
            record = shown_name(kind, name, decision)
            alert = AlertRow(
                user_id=row.id,
                entity_id=entity_id,
                watch_id=None,
                event_id=event_id,
                kind=alert_kind(event.event) or "event",
                summary=partner_summary(
                    record="a young person" if record == "a person" else record,
                    police=directory.agency_name(event.agency),
                    at=event.at,
                    isa_ref=decision.isa_ref,
                ),
                created_at=now,
            )
            session.add(alert)
            batch.alerts.append((alert, None))
            added += 1
    session.flush()
    return added
