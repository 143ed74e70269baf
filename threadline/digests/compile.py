"""Compiling partner digests: what each partner's agreements allow it to receive today.

For each partner organisation that is a recipient of at least one active information
sharing agreement, one digest per day (the period starts at midnight UTC) holds:

- published threat notices addressed to it, each decided as a dissemination from the
  notice's owner to the partner (`Action.DISSEMINATE` with the partner as recipient, as
  `threadline.intel.sanitised.disseminate` does) and as a read by the partner itself
  (its clearance), cut down to the fields the agreement lists; a notice reaches a
  partner once, in the first digest after it is published (or after an agreement
  starts to cover it);
- sanitised intelligence made since its previous digest that the partner may read
  (`readable_sanitised` for the organisation as a whole), likewise cut down.

A partner with no agreement covering an item gets nothing of it. Each digest is one
DISCLOSURE audit event to the partner, with register rows for the digest and each item.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.briefings.notices import ActiveNotice, active_notices, groups_of, notice_record
from threadline.digests.announce import announce
from threadline.dissemination import Delivery, ItemKind, record_deliveries
from threadline.errors import NotFound
from threadline.intel.sanitised import readable_sanitised
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.policy import (
    Action,
    PolicyContext,
    ResourceKind,
    decide,
    load_context,
    redact,
)
from threadline.policy.context import isas_of
from threadline.policy.sharing import receives_under_agreements
from threadline.settings import Settings
from threadline.storage.sharing_tables import DigestItemRow, DigestRow
from threadline.storage.tables import AgencyRow, SanitisedReportRow, UserRow

FIRST_LOOKBACK = timedelta(days=1)  # a first digest holds the last day's intelligence


@dataclass(slots=True)
class Sent:
    """What one run did."""

    period_start: datetime
    digests: list[int] = field(default_factory=list)  # new digest ids
    items: int = 0
    emailed: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Item:
    section: str
    title: str
    body: dict[str, object]
    notice_id: int | None
    sanitised_id: int | None
    subject_ids: list[int]
    group_id: int | None
    grading: str | None
    handling: str | None
    conditions: str | None
    isa_ref: str | None


def period_start(now: datetime) -> datetime:
    """Digests are daily: the period starts at midnight UTC."""
    return datetime.combine(now.date(), time())


def partners(session: Session, *, on: datetime, codes: list[str] | None = None) -> list[AgencyRow]:
    """Partner organisations that receive under at least one active agreement."""
    query = select(AgencyRow).order_by(AgencyRow.code)
    if codes is not None:
        query = query.where(AgencyRow.code.in_(codes))
    found = []
    for agency in session.scalars(query):
        if not receives_under_agreements(AgencyKind(agency.kind)):
            continue
        terms = isas_of(session, agency.code)
        if any(agency.code in t.recipients and t.is_active(on.date()) for t in terms):
            found.append(agency)
    return found


def organisation_actor(session: Session, agency: AgencyRow) -> Actor:
    """A partner organisation as a whole, cleared as its best-cleared working user."""
    clearance = Marking.OFFICIAL
    for value in session.scalars(
        select(UserRow.clearance).where(UserRow.agency_id == agency.id, UserRow.disabled.is_(False))
    ):
        if Marking(value).rank > clearance.rank:
            clearance = Marking(value)
    return Actor(
        user_id=None,
        username=f"system:digest:{agency.code}",
        agency_code=agency.code,
        agency_kind=AgencyKind(agency.kind),
        roles=frozenset({Role.PARTNER}),
        clearance=clearance,
    )


def provider_actor(session: Session, owner: str) -> Actor:
    """The owner of a notice, disseminating it (as its analysts would)."""
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == owner))
    kind = AgencyKind(row.kind) if row is not None else AgencyKind.FORCE
    return Actor(
        user_id=None,
        username="system:digests",
        agency_code=owner,
        agency_kind=kind,
        roles=frozenset({Role.ANALYST}),
        clearance=Marking.SECRET,
    )


def send_digests(
    session: Session, *, now: datetime, settings: Settings, agencies: list[str] | None = None
) -> Sent:
    """Compile today's digest of every partner (or those named) that has none, then
    announce by email the digests not yet announced (see `announce`)."""
    start = period_start(now)
    result = Sent(period_start=start)
    chosen = partners(session, on=now, codes=agencies)
    if agencies is not None and not chosen:
        raise NotFound(
            f"no partner organisation {', '.join(agencies)} with an active information "
            "sharing agreement; partners receive digests only under one"
        )
    done = set(session.scalars(select(DigestRow.agency_id).where(DigestRow.period_start == start)))
    due = [agency for agency in chosen if agency.id not in done]
    notices = active_notices(session, on=now.date()) if due else []
    for agency in due:
        items = _items(session, agency, notices, now=now)
        result.digests.append(_store(session, agency, items, start=start, now=now))
        result.items += len(items)
    result.emailed, notes = announce(session, settings=settings, now=now, agencies=chosen)
    result.notes += notes
    return result


def _items(
    session: Session, agency: AgencyRow, notices: list[ActiveNotice], *, now: datetime
) -> list[_Item]:
    recipient = Agency(agency.code, agency.name, AgencyKind(agency.kind), agency.county)
    reader = organisation_actor(session, agency)
    reader_ctx = load_context(session, reader, on=now.date())
    sent_before = set(
        session.scalars(
            select(DigestItemRow.notice_id)
            .join(DigestRow, DigestRow.id == DigestItemRow.digest_id)
            .where(DigestRow.agency_id == agency.id, DigestItemRow.notice_id.is_not(None))
        )
    )
    items: list[_Item] = []
    providers: dict[str, tuple[Actor, PolicyContext]] = {}
    for notice in notices:
        if not notice.addressed_to_agency(agency.code) or notice.row.id in sent_before:
            continue
        if notice.owner not in providers:
            actor = provider_actor(session, notice.owner)
            providers[notice.owner] = (actor, load_context(session, actor, on=now.date()))
        provider, provider_ctx = providers[notice.owner]
        sharing = decide(
            actor=provider,
            action=Action.DISSEMINATE,
            resource=notice.resource,
            ctx=provider_ctx,
            recipient=recipient,
        )
        reading = decide(actor=reader, action=Action.READ, resource=notice.resource, ctx=reader_ctx)
        if not (sharing.allowed and reading.allowed):
            continue
        body: dict[str, object] = redact(
            ResourceKind.THREAT_NOTICE, notice_record(notice), sharing
        ).to_dict()
        items.append(
            _Item(
                section="notice",
                title=str(body.get("title") or f"Threat notice {notice.row.ref}"),
                body=body,
                notice_id=notice.row.id,
                sanitised_id=None,
                subject_ids=[notice.row.subject_id],
                group_id=notice.group_id,
                grading=_str(body.get("grading")),
                handling=notice.row.handling,
                conditions=sharing.conditions,
                isa_ref=sharing.isa_ref,
            )
        )
    since = session.scalar(
        select(DigestRow.compiled_at)
        .where(DigestRow.agency_id == agency.id)
        .order_by(DigestRow.compiled_at.desc())
        .limit(1)
    ) or (now - FIRST_LOOKBACK)
    rows = list(
        session.scalars(
            select(SanitisedReportRow)
            .where(SanitisedReportRow.created_at > since, SanitisedReportRow.created_at <= now)
            .order_by(SanitisedReportRow.id)
        )
    )
    readable = readable_sanitised(session, actor=reader, ctx=reader_ctx, rows=rows)
    groups = groups_of(
        session, {s for loaded, _, _ in readable for s in loaded.report.subjects}, on=now.date()
    )
    for loaded, decision, view in readable:
        subjects = list(loaded.report.subjects)
        body = view.to_dict()
        items.append(
            _Item(
                section="intelligence",
                title=f"Sanitised intelligence {loaded.row.ref}",
                body=body,
                notice_id=None,
                sanitised_id=loaded.row.id,
                subject_ids=subjects,
                group_id=next((groups[s] for s in subjects if s in groups), None),
                grading=_str(body.get("grading")),
                handling=loaded.row.handling,
                conditions=decision.conditions,
                isa_ref=decision.isa_ref,
            )
        )
    return items


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _store(
    session: Session, agency: AgencyRow, items: list[_Item], *, start: datetime, now: datetime
) -> int:
    digest = DigestRow(agency_id=agency.id, period_start=start, compiled_at=now)
    session.add(digest)
    session.flush()
    rows = [
        DigestItemRow(
            digest_id=digest.id,
            position=position,
            section=item.section,
            notice_id=item.notice_id,
            sanitised_id=item.sanitised_id,
            group_id=item.group_id,
            title=item.title[:300],
            body=json.dumps(item.body, default=str),
            grading=item.grading,
            handling=item.handling,
            conditions=item.conditions,
            isa_ref=item.isa_ref,
        )
        for position, item in enumerate(items, start=1)
    ]
    session.add_all(rows)
    session.flush()
    event_id = record_event(
        session,
        actor=system_actor("ersou", "digests"),
        action=AuditAction.DISCLOSURE,
        event="digest.sent",
        records=[s for item in items for s in item.subject_ids],
        recipients=[agency.code],
        purpose="routine sharing under information sharing agreements",
        details={
            "digest_id": digest.id,
            "period_start": start.isoformat(),
            "items": len(items),
            "isas": sorted({i.isa_ref for i in items if i.isa_ref}),
            "notices": sorted({i.notice_id for i in items if i.notice_id is not None}),
            "sanitised": sorted({i.sanitised_id for i in items if i.sanitised_id is not None}),
            "fields": {str(r.position): sorted(i.body) for r, i in zip(rows, items, strict=True)},
        },
    )
    deliveries = [Delivery(ItemKind.DIGEST, digest.id, agency_id=agency.id)]
    deliveries += [
        Delivery(
            ItemKind.DIGEST_ITEM,
            row.id,
            agency_id=agency.id,
            notice_id=item.notice_id,
            subject_id=item.subject_ids[0] if item.subject_ids else None,
            group_id=item.group_id,
        )
        for row, item in zip(rows, items, strict=True)
    ]
    record_deliveries(session, deliveries, audit_event_id=event_id, at=now)
    return digest.id
