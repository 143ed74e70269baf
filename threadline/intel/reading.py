"""Reading intelligence reports: one by id or reference, or a filtered list.

Every call checks policy first, returns only what policy allows (the source only to the
originating unit), and writes one CONSULTATION audit event naming what was shown.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.intel.records import (
    LoadedReport,
    ReportSelect,
    load_report_or_none,
    load_reports,
    missing_report,
    report_query,
    report_record,
)
from threadline.intel.sanitised import subject_seen
from threadline.intel.types import ListPage, ReportView
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    allowed_actions,
    gate,
    load_context,
    read_path,
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
    ctx = load_context(session, actor)
    allowed = gate.one(
        actor=actor,
        ctx=ctx,
        item=load_report_or_none(session, report_id, on=ctx.on),
        resource=_resource,
        missing=missing_report(report_id),
    )
    loaded, decision = allowed.item, allowed.decision
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
    # About a subject the actor may not see: nothing, as for a subject without reports.
    hidden_subject = subject_id is not None and not subject_seen(
        session, actor=actor, ctx=ctx, subject_id=subject_id
    )
    page = gate.many(
        actor=actor,
        ctx=ctx,
        batches=[] if hidden_subject else _report_batches(session, query, on=ctx.on),
        resource=_resource,
        limit=limit,
        offset=offset,
        keep=gate.filters_on(
            *(field for field, value in (("subjects", subject_id), ("area", area_code)) if value)
        ),
    )
    views: ListPage[ReportView] = ListPage(
        redact(
            ResourceKind.INTEL_REPORT,
            report_record(session, entry.item, with_source=entry.decision.shows("source_ref")),
            entry.decision,
            view=ReportView,
        )
        for entry in page.items
    )
    views.more = page.more
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


def _resource(loaded: LoadedReport) -> Resource:
    return loaded.resource


def _report_batches(
    session: Session, query: ReportSelect, *, on: date
) -> Iterator[list[LoadedReport]]:
    """The reports of `query`, newest first, `SCAN_BATCH` at a time, until none are left."""
    before: int | None = None
    while True:
        page = query.order_by(IntelReportRow.entity_id.desc()).limit(SCAN_BATCH)
        if before is not None:
            page = page.where(IntelReportRow.entity_id < before)
        batch = load_reports(session, page, on=on)
        if not batch:
            return
        before = batch[-1].row.entity_id
        yield batch


def offered(
    session: Session, *, actor: Actor, report: ReportView | None = None
) -> dict[ResourceKind, frozenset[Action]]:
    """What the actor may do with intelligence, as policy answers it, for pages to offer.

    `INTEL_REPORT`: CREATE if they may submit a report for their organisation; with a
    `report`, `SANITISED_REPORT`: CREATE if they may make its sanitised version. The
    services decide again when the form is used.
    """
    ctx = load_context(session, actor)
    submit = Resource(kind=ResourceKind.INTEL_REPORT, owner=actor.agency_code)
    found = {
        ResourceKind.INTEL_REPORT: allowed_actions(
            actor=actor, resource=submit, ctx=ctx, actions=[Action.CREATE]
        )
    }
    if report is not None:
        version = Resource(
            kind=ResourceKind.SANITISED_REPORT,
            owner=str(report.get("owner") or ""),
            marking=Marking(str(report.get("marking") or Marking.OFFICIAL.value)),
            unit=cast(str | None, report.get("unit")),
            id=report.id,
            ref=report.ref,
        )
        found[ResourceKind.SANITISED_REPORT] = allowed_actions(
            actor=actor, resource=version, ctx=ctx, actions=[Action.CREATE]
        )
    return found


def require_submitter(session: Session, *, actor: Actor) -> None:
    """Raise policy's refusal unless the actor may submit intelligence (before a form)."""
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.INTEL_REPORT, owner=actor.agency_code),
        ctx=load_context(session, actor),
    )
