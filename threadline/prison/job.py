"""The prison job of `threadline tick`: link custody recorded by identifiers to the
person records it matches (police matching, `prison.linking`), match new prison
intelligence, raise contact, release and compliance-check alerts, and dispose of
recorded-call material past its retention period."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.jobs import JobResult
from threadline.model.security import system_actor
from threadline.prison.contacts import raise_contact_alerts, store_hits
from threadline.prison.linking import link_unlinked
from threadline.prison.matching import Index, Item, match
from threadline.prison.orders import checks_due_alerts
from threadline.prison.release import release_alerts
from threadline.settings import Settings
from threadline.storage.prison_tables import PrisonIntelRow

BATCH = 20_000  # items matched per round trip


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    result = JobResult(name="prison")
    result.counts["custody_linked"] = link_unlinked(session, now=now)
    matched, hits, alerts = match_new(session, now=now)
    result.counts["matched"] = matched
    result.counts["hits"] = hits
    result.counts["contact_alerts"] = alerts
    result.counts["release_alerts"] = release_alerts(
        session, on=now.date(), thresholds=settings.prison_release_alert_days, now=now
    )
    result.counts["order_alerts"] = checks_due_alerts(session, on=now.date(), now=now)
    result.counts["calls_disposed"] = dispose_calls(
        session, before=now - timedelta(days=settings.prison_call_retention_days)
    )
    return result


def match_new(session: Session, *, now: datetime) -> tuple[int, int, int]:
    """Match every item not matched yet; returns (items, hits, new alerts)."""
    pending = session.scalar(
        select(func.count()).select_from(PrisonIntelRow).where(PrisonIntelRow.matched_at.is_(None))
    )
    if not pending:
        return 0, 0, 0
    index = Index.load(session, now.date())
    items = hits = alerts = 0
    last = 0
    while True:
        rows = session.execute(
            select(
                PrisonIntelRow.id,
                PrisonIntelRow.kind,
                PrisonIntelRow.prisoner_id,
                PrisonIntelRow.establishment_id,
                PrisonIntelRow.occurred_at,
                PrisonIntelRow.number,
                PrisonIntelRow.other_id,
                PrisonIntelRow.visitor_postcode,
            )
            .where(PrisonIntelRow.matched_at.is_(None), PrisonIntelRow.id > last)
            .order_by(PrisonIntelRow.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        batch = [Item(*row) for row in rows]
        found = match(batch, index)
        store_hits(session, found)
        session.execute(
            update(PrisonIntelRow)
            .where(
                PrisonIntelRow.matched_at.is_(None),
                PrisonIntelRow.id > last,
                PrisonIntelRow.id <= batch[-1].id,
            )
            .values(matched_at=now)
        )
        session.flush()
        alerts += raise_contact_alerts(session, found, index, now)
        items += len(batch)
        hits += len(found)
        last = batch[-1].id
    return items, hits, alerts


def dispose_calls(session: Session, *, before: datetime) -> int:
    """Erase call records made before `before` and not retained; one ERASURE event.

    What the calls matched stays (`prison_hit`): the fact of the contact is police
    intelligence in its own right; the call record itself is not kept.
    """
    rows = session.execute(
        select(PrisonIntelRow.id, PrisonIntelRow.prisoner_id).where(
            PrisonIntelRow.kind == "call",
            PrisonIntelRow.occurred_at < before,
            PrisonIntelRow.retained_reason.is_(None),
        )
    ).all()
    if not rows:
        return 0
    ids = [id_ for id_, _ in rows]
    record_event(
        session,
        actor=system_actor("ersou", "prison-retention"),
        action=AuditAction.ERASURE,
        event="prison.calls_disposed",
        records=sorted({prisoner for _, prisoner in rows}),
        details={
            "kind": "call",
            "count": len(ids),
            "before": before.isoformat(),
            "items": ids[:1000],
            "reason": "recorded-call material past its retention period, not retained",
        },
    )
    for start in range(0, len(ids), 5000):
        session.execute(
            delete(PrisonIntelRow).where(PrisonIntelRow.id.in_(ids[start : start + 5000]))
        )
    session.flush()
    return len(ids)
