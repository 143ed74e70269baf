"""The intelligence about one record that the actor may read, for its profile.

Everyone who may see the record sees the sanitised versions policy lets them read
(`threadline.intel.sanitised.readable_sanitised`). Those policy shows originals on a
profile (`policy.gate.originals_on_profiles`: police analysts) also see the original
reports they may read (the source only within the originating unit, as policy decides);
a sanitised version of a report already shown in full is then left out, so no report
appears twice. Writes no audit event: the profile's read path logs the reports behind
everything shown, in its one consultation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.intel.records import load_reports, report_query, report_record
from threadline.intel.sanitised import readable_sanitised
from threadline.intel.types import ReportView, SanitisedView
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, ResourceKind, decide, gate, redact
from threadline.profiles.types import TimelineEntry
from threadline.storage.tables import IntelReportRow, IntelSubjectRow, SanitisedReportRow

MAX_REPORTS = 50  # newest reports of each kind read per profile


@dataclass(frozen=True, slots=True)
class Intelligence:
    """What a profile shows of intelligence, and the original reports behind it."""

    sanitised: tuple[SanitisedView, ...]
    reports: tuple[ReportView, ...]
    report_ids: tuple[int, ...]  # entity ids of the originals behind everything shown
    isas: tuple[str, ...]  # agreements the sanitised material was shown under


def intelligence_about(
    session: Session, *, actor: Actor, ctx: PolicyContext, entity_id: int
) -> Intelligence:
    """Reports about `entity_id` the actor may read, newest first."""
    about = select(IntelSubjectRow.report_id).where(IntelSubjectRow.entity_id == entity_id)
    reports: list[ReportView] = []
    if gate.originals_on_profiles(actor):
        query = (
            report_query()
            .where(IntelReportRow.entity_id.in_(about))
            .order_by(IntelReportRow.entity_id.desc())
            .limit(MAX_REPORTS)
        )
        for loaded in load_reports(session, query, on=ctx.on):
            decision = decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)
            if decision.allowed:
                record = report_record(session, loaded, with_source=decision.shows("source_ref"))
                reports.append(redact(ResourceKind.INTEL_REPORT, record, decision, view=ReportView))
    in_full = {view.id for view in reports}
    versions = select(SanitisedReportRow).where(SanitisedReportRow.report_id.in_(about))
    if in_full:
        versions = versions.where(SanitisedReportRow.report_id.not_in(in_full))
    rows = list(session.scalars(versions.order_by(SanitisedReportRow.id.desc()).limit(MAX_REPORTS)))
    sanitised = readable_sanitised(session, actor=actor, ctx=ctx, rows=rows)
    return Intelligence(
        sanitised=tuple(view for _, _, view in sanitised),
        reports=tuple(reports),
        report_ids=tuple(
            [view.id for view in reports]
            + [loaded.report.row.entity_id for loaded, _, _ in sanitised]
        ),
        isas=tuple(sorted({d.isa_ref for _, d, _ in sanitised if d.isa_ref})),
    )


def intelligence_timeline(found: Intelligence) -> list[TimelineEntry]:
    """An entry for each report shown, on the date the actor may see for it."""
    entries = []
    for report in found.reports:
        reported = report.get("reported_on")
        if isinstance(reported, str):
            entries.append(
                TimelineEntry(
                    on=date.fromisoformat(reported),
                    title=f"Intelligence report {report.ref}",
                    kind="intelligence",
                    text=str(report.get("fact") or ""),
                )
            )
    for version in found.sanitised:
        created = version.get("created_at")
        if isinstance(created, str):
            entries.append(
                TimelineEntry(
                    on=datetime.fromisoformat(created).date(),
                    title=f"Sanitised intelligence {version.ref}",
                    kind="intelligence",
                    text=str(version.get("text") or ""),
                )
            )
    return entries
