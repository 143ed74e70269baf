"""Reading intelligence reports: one by id or reference, or a filtered list.

Every call checks policy first, returns only what policy allows (the source only to the
originating unit), and writes one CONSULTATION audit event naming what was shown.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.intel.records import (
    load_report,
    load_reports,
    missing_report,
    report_query,
    report_record,
)
from threadline.intel.types import ListPage, ReportView
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    decide,
    load_context,
    read_path,
    read_refusal,
    redact,
    require,
)
from threadline.storage.tables import AgencyRow, AreaRow, EntityRow, IntelReportRow, IntelSubjectRow

SCAN_BATCH = 200  # reports read per query while filtering a list by policy


@read_path("intel_report.viewed")
def get_report(session: Session, *, actor: Actor, report_id: int | str) -> ReportView:
    """One report by entity id or reference, as the actor may see it.

    `NotFound` if there is no such report; `Forbidden` with the reason if policy refuses
    a police user; anyone else is refused as if it did not exist (`policy.read_refusal`).
    """
    lock_chain(session)
    ctx = load_context(session, actor)
    loaded = load_report(session, report_id, on=ctx.on)
    decision = decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing_report(report_id))
    record = report_record(session, loaded, with_source=decision.shows("source_ref"))
    view = redact(ResourceKind.INTEL_REPORT, record, decision, view=ReportView)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="intel_report.viewed",
        records=[loaded.row.entity_id],
        details={"ref": loaded.row.ref, "source_shown": "source_ref" in view},
    )
    return view


@read_path("intel_report.listed")
def list_reports(
    session: Session,
    *,
    actor: Actor,
    subject_id: int | None = None,
    area_code: str | None = None,
    owner: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> ListPage[ReportView]:
    """Reports the actor may see, newest first, optionally about one subject, area or owner.

    `offset` skips that many of the reports the actor may see (for paging); the result's
    `more` says whether any follow. Skipped and following reports are not shown, so the
    audit event does not name them.
    """
    lock_chain(session)
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.SEARCH,
        resource=Resource(kind=ResourceKind.INTEL_REPORT),
        ctx=ctx,
    )
    query = report_query()
    if subject_id is not None:
        query = query.where(
            IntelReportRow.entity_id.in_(
                select(IntelSubjectRow.report_id).where(IntelSubjectRow.entity_id == subject_id)
            )
        )
    if area_code:
        query = query.where(AreaRow.code == area_code)
    if owner:
        query = query.where(
            EntityRow.owner_id.in_(select(AgencyRow.id).where(AgencyRow.code == owner))
        )
    views: ListPage[ReportView] = ListPage()
    skipped = 0
    before: int | None = None
    while not views.more:
        page = query.order_by(IntelReportRow.entity_id.desc()).limit(SCAN_BATCH)
        if before is not None:
            page = page.where(IntelReportRow.entity_id < before)
        batch = load_reports(session, page, on=ctx.on)
        if not batch:
            break
        before = batch[-1].row.entity_id
        for loaded in batch:
            decision = decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)
            if not decision.allowed:
                continue
            if skipped < offset:
                skipped += 1
            elif len(views) == limit:
                views.more = True
                break
            else:
                record = report_record(session, loaded, with_source=decision.shows("source_ref"))
                views.append(redact(ResourceKind.INTEL_REPORT, record, decision, view=ReportView))
    shown = [view.id for view in views]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="intel_report.listed",
        records=shown + ([subject_id] if subject_id is not None else []),
        details={
            "subject_id": subject_id,
            "area_code": area_code,
            "owner": owner,
            "offset": offset,
            "count": len(shown),
        },
    )
    return views
