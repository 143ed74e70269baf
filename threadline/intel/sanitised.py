"""Sanitised versions: read by partners as policy allows, and disseminated.

A sanitised version holds text that has been checked not to contain the source's
reference, description or handler (it is made in `threadline.intel.sanitising`); it
links back to the original by reference only. Reads are decided one version at a time
and audited as one consultation; a dissemination is a DISCLOSURE under the recipient's
agreement.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.intel.records import (
    LoadedSanitised,
    load_sanitised,
    load_sanitised_or_none,
    load_sanitised_rows,
    missing_sanitised,
    sanitised_record,
)
from threadline.intel.types import Dissemination, ListPage, SanitisedView
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Decision,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    entity_facts,
    gate,
    load_context,
    read_path,
    redact,
    require,
)
from threadline.storage.reference import get_agency
from threadline.storage.tables import (
    AreaRow,
    IntelReportRow,
    IntelSubjectRow,
    SanitisedReportRow,
)

SCAN_BATCH = 200  # sanitised reports read per query while filtering a list by policy


@read_path("intel_sanitised.viewed")
def get_sanitised(session: Session, *, actor: Actor, sanitised_id: int | str) -> SanitisedView:
    """One sanitised report by id or reference, with only the fields the actor may see."""
    ctx = load_context(session, actor)
    # Partners are not told why: the reasons name the record's areas and cohorts.
    allowed = gate.one(
        actor=actor,
        ctx=ctx,
        item=load_sanitised_or_none(session, sanitised_id, on=ctx.on),
        resource=_resource,
        missing=missing_sanitised(sanitised_id),
    )
    loaded, decision = allowed.item, allowed.decision
    view = redact(
        ResourceKind.SANITISED_REPORT, sanitised_record(loaded), decision, view=SanitisedView
    )
    _consulted(session, actor, "intel_sanitised.viewed", [loaded], [decision], {})
    return view


def readable_sanitised(
    session: Session, *, actor: Actor, ctx: PolicyContext, rows: Sequence[SanitisedReportRow]
) -> list[tuple[LoadedSanitised, Decision, SanitisedView]]:
    """Those of `rows` the actor may read: each loaded, decided and redacted, in order.

    Writes no audit event: the caller's read path logs what it shows (this serves
    `list_sanitised` and the check, which each log one consultation for the whole).
    """
    return [
        (entry.item, entry.decision, _view(entry.item, entry.decision))
        for entry in gate.allowed(
            actor=actor,
            ctx=ctx,
            items=load_sanitised_rows(session, rows, on=ctx.on),
            resource=_resource,
        )
    ]


def _resource(loaded: LoadedSanitised) -> Resource:
    return loaded.resource


def _view(loaded: LoadedSanitised, decision: Decision) -> SanitisedView:
    return redact(
        ResourceKind.SANITISED_REPORT, sanitised_record(loaded), decision, view=SanitisedView
    )


@read_path("intel_sanitised.listed")
def list_sanitised(
    session: Session,
    *,
    actor: Actor,
    subject_id: int | None = None,
    area_code: str | None = None,
    report_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> ListPage[SanitisedView]:
    """Sanitised reports the actor may see, newest first, each redacted for them.

    `offset` skips that many of the readable ones (for paging) and the result's `more`
    says whether any follow; neither the skipped nor the following ones are audited.
    """
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.SEARCH,
        resource=Resource(kind=ResourceKind.SANITISED_REPORT),
        ctx=ctx,
    )
    query = select(SanitisedReportRow)
    if subject_id is not None:
        query = query.where(
            SanitisedReportRow.report_id.in_(
                select(IntelSubjectRow.report_id).where(IntelSubjectRow.entity_id == subject_id)
            )
        )
    if area_code:
        query = query.where(
            SanitisedReportRow.report_id.in_(
                select(IntelReportRow.entity_id)
                .join(AreaRow, AreaRow.id == IntelReportRow.area_id)
                .where(AreaRow.code == area_code)
            )
        )
    if report_id is not None:
        query = query.where(SanitisedReportRow.report_id == report_id)
    # About a subject the actor may not see: nothing, as for a subject without reports.
    hidden_subject = subject_id is not None and not subject_seen(
        session, actor=actor, ctx=ctx, subject_id=subject_id
    )
    page = gate.many(
        actor=actor,
        ctx=ctx,
        batches=[] if hidden_subject else _sanitised_batches(session, query, on=ctx.on),
        resource=_resource,
        limit=limit,
        offset=offset,
        keep=gate.filters_on(*(["area"] if area_code else [])),
    )
    shown = [entry.item for entry in page.items]
    decisions = [entry.decision for entry in page.items]
    views: ListPage[SanitisedView] = ListPage(
        _view(entry.item, entry.decision) for entry in page.items
    )
    views.more = page.more
    filters: dict[str, object] = {
        "subject_id": subject_id,
        "area_code": area_code,
        "report_id": report_id,
        "offset": offset,
    }
    extra = [subject_id] if subject_id is not None else []
    _consulted(session, actor, "intel_sanitised.listed", shown, decisions, filters, extra)
    return views


def subject_seen(session: Session, *, actor: Actor, ctx: PolicyContext, subject_id: int) -> bool:
    """Whether the actor may see the record a list is filtered on (its subject)."""
    facts = entity_facts(session, [subject_id], on=ctx.on)
    return bool(
        gate.allowed(actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource)
    )


def _sanitised_batches(
    session: Session, query: Select[SanitisedReportRow], *, on: date
) -> Iterator[list[LoadedSanitised]]:
    """The sanitised reports of `query`, newest first, a batch at a time, until none."""
    before: int | None = None
    while True:
        page = query.order_by(SanitisedReportRow.id.desc()).limit(SCAN_BATCH)
        if before is not None:
            page = page.where(SanitisedReportRow.id < before)
        rows = list(session.scalars(page))
        if not rows:
            return
        before = rows[-1].id
        yield load_sanitised_rows(session, rows, on=on)


def disseminate(
    session: Session,
    *,
    actor: Actor,
    sanitised_id: int | str,
    recipient_agency: str,
    purpose: str | None = None,
) -> Dissemination:
    """Send a sanitised report to another organisation, under policy and its agreement.

    The recipient receives only the fields the agreement covers, with the code C
    conditions attached; a DISCLOSURE audit event names the recipient and the agreement.
    """
    ctx = load_context(session, actor)
    loaded = load_sanitised(session, sanitised_id, on=ctx.on)
    agency = get_agency(session, recipient_agency.strip())
    recipient = Agency(agency.code, agency.name, AgencyKind(agency.kind), agency.county)
    decision = require(
        actor=actor,
        action=Action.DISSEMINATE,
        resource=loaded.resource,
        ctx=ctx,
        recipient=recipient,
    )
    payload = redact(
        ResourceKind.SANITISED_REPORT, sanitised_record(loaded), decision, view=SanitisedView
    )
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="intel_sanitised.disseminated",
        records=[loaded.report.row.entity_id],
        recipients=[recipient.code],
        purpose=purpose,
        details={
            "ref": loaded.row.ref,
            "report_ref": loaded.report.row.ref,
            "isa": decision.isa_ref,
            "handling": loaded.row.handling,
            "conditions": decision.conditions,
            "fields": sorted(payload),
        },
    )
    return Dissemination(
        sanitised_ref=loaded.row.ref,
        recipient=recipient.code,
        isa_ref=decision.isa_ref,
        handling=loaded.row.handling,
        conditions=decision.conditions,
        payload=payload,
        audit_event_id=event_id,
        disclosed_at=utcnow(),
        warnings=decision.warnings,
    )


def _consulted(
    session: Session,
    actor: Actor,
    event: str,
    shown: Sequence[LoadedSanitised],
    decisions: Sequence[Decision],
    filters: dict[str, object],
    extra_records: Sequence[int] = (),
) -> None:
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=event,
        records=[loaded.report.row.entity_id for loaded in shown] + list(extra_records),
        details={
            **filters,
            "refs": [loaded.row.ref for loaded in shown],
            "isas": sorted({d.isa_ref for d in decisions if d.isa_ref}),
        },
    )
