"""Loading intelligence rows and describing them to policy and to redaction.

Each loaded report becomes a policy `Resource` (owner, marking, scope, handling, unit,
and the areas and cohorts of the report and its subjects) and a full record mapping,
which services pass through `redact` so only allowed fields leave.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeAlias, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.enums import Marking
from threadline.model.events import HandlingCode
from threadline.model.security import Actor
from threadline.policy import Resource, ResourceKind, Scope, entity_facts
from threadline.policy.context import split_words
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    EntityRow,
    IntelReportRow,
    IntelSourceRow,
    IntelSubjectRow,
    SanitisedReportRow,
    UserRow,
)

ENTITY_KIND = "intelligence_report"  # the `entity.kind` of an intelligence report
# Report, its entity row, owner code, area code (None when the report has no area: the
# area is outer-joined, which the typing of `select` cannot express).
ReportSelect: TypeAlias = "Select[IntelReportRow, EntityRow, str, str]"


@dataclass(frozen=True, slots=True)
class LoadedReport:
    """An intelligence report row with what policy and views need around it."""

    row: IntelReportRow
    owner: str
    marking: Marking
    scope: Scope
    area: str | None
    subjects: tuple[int, ...]
    resource: Resource


def known_user_id(session: Session, actor: Actor) -> int | None:
    """The actor's user id if it is a stored user (not the system or a tool's actor)."""
    if actor.user_id is None or session.get(UserRow, actor.user_id) is None:
        return None
    return actor.user_id


def grading_text(source_eval: str | None, intel_eval: str | None, handling: str) -> str | None:
    """The 3x5x2 grade as written ("1AP"), or None for legacy material."""
    if source_eval is None or intel_eval is None:
        return None
    return f"{source_eval}{intel_eval}{handling}"


def report_query() -> ReportSelect:
    """The base query for reports; add `where` clauses and pass it to `load_reports`."""
    return (
        select(IntelReportRow, EntityRow, AgencyRow.code, AreaRow.code)
        .join(EntityRow, EntityRow.id == IntelReportRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .outerjoin(AreaRow, AreaRow.id == IntelReportRow.area_id)
    )


def load_reports(session: Session, query: ReportSelect, *, on: date) -> list[LoadedReport]:
    """Run a query from `report_query()` and describe every report it returns."""
    found = session.execute(query).all()
    if not found:
        return []
    report_ids = [report.entity_id for report, *_ in found]
    subjects: dict[int, list[int]] = defaultdict(list)
    for report_id, entity_id in session.execute(
        select(IntelSubjectRow.report_id, IntelSubjectRow.entity_id)
        .where(IntelSubjectRow.report_id.in_(report_ids))
        .order_by(IntelSubjectRow.report_id, IntelSubjectRow.entity_id)
    ):
        subjects[report_id].append(entity_id)
    facts = entity_facts(session, {s for ids in subjects.values() for s in ids}, on=on)
    loaded = []
    for report, entity, owner, area_code in found:
        area: str | None = area_code
        own = subjects[report.entity_id]
        areas = {area} if area else set()
        cohorts: set[str] = set()
        for subject in own:
            if subject in facts:
                areas |= facts[subject].areas
                cohorts |= facts[subject].cohorts
        marking = Marking(entity.marking)
        scope = cast(Scope, entity.scope if entity.scope == "region" else "agency")
        resource = Resource(
            kind=ResourceKind.INTEL_REPORT,
            owner=owner,
            marking=marking,
            scope=scope,
            handling=HandlingCode(report.handling),
            conditions=report.conditions,
            restricted_to=split_words(report.restricted_to),
            unit=report.unit,
            areas=frozenset(areas),
            cohorts=frozenset(cohorts),
            id=report.entity_id,
            ref=report.ref,
            read_only=report.legacy_grade is not None,
        )
        loaded.append(LoadedReport(report, owner, marking, scope, area, tuple(own), resource))
    return loaded


def load_report(session: Session, report_id: int | str, *, on: date) -> LoadedReport:
    """One report by entity id or reference; `NotFound` if there is none."""
    found = load_report_or_none(session, report_id, on=on)
    if found is None:
        raise NotFound(missing_report(report_id))
    return found


def load_report_or_none(session: Session, report_id: int | str, *, on: date) -> LoadedReport | None:
    """One report by entity id or reference, or None if there is none."""
    query = report_query()
    if isinstance(report_id, int):
        query = query.where(IntelReportRow.entity_id == report_id)
    else:
        query = query.where(IntelReportRow.ref == report_id.strip().upper())
    found = load_reports(session, query, on=on)
    return found[0] if found else None


def missing_report(report_id: int | str) -> str:
    """What is said of a report that does not exist (or that an outsider may not see)."""
    return (
        f"no intelligence report {report_id!r}; give its id or its reference "
        "(e.g. NFK-IR-2026-000123)"
    )


def missing_sanitised(sanitised_id: int | str) -> str:
    """What is said of a sanitised report that does not exist (or may not be seen)."""
    return (
        f"no sanitised report {sanitised_id!r}; give its id or its reference "
        "(e.g. NFK-IR-2026-000123-S1)"
    )


def report_record(
    session: Session, loaded: LoadedReport, *, with_source: bool
) -> dict[str, object]:
    """The full record of a report; the source is loaded only when `with_source`."""
    row = loaded.row
    record: dict[str, object] = {
        "id": row.entity_id,
        "ref": row.ref,
        "owner": loaded.owner,
        "unit": row.unit,
        "marking": loaded.marking.value,
        "scope": loaded.scope,
        "reported_on": row.reported_on.isoformat(),
        "fact": row.fact,
        "assessment": row.assessment,
        "grading": grading_text(row.source_eval, row.intel_eval, row.handling),
        "source_eval": row.source_eval,
        "intel_eval": row.intel_eval,
        "handling": row.handling,
        "conditions": row.conditions,
        "restricted_to": sorted(split_words(row.restricted_to)),
        "legacy_grade": row.legacy_grade,
        "read_only": row.legacy_grade is not None,
        "priority": row.priority,
        "area": loaded.area,
        "subjects": list(loaded.subjects),
    }
    if with_source:
        source = session.get(IntelSourceRow, row.entity_id)
        if source is not None:
            record |= {
                "source_ref": source.source_ref,
                "source_type": source.source_type,
                "source_description": source.description,
                "source_handler": source.handler,
            }
        if row.submitted_by_id is not None:
            record["submitted_by"] = session.scalar(
                select(UserRow.username).where(UserRow.id == row.submitted_by_id)
            )
    return record


# --------------------------------------------------------------------------- sanitised


@dataclass(frozen=True, slots=True)
class LoadedSanitised:
    """A sanitised report row with its original and its policy `Resource`."""

    row: SanitisedReportRow
    report: LoadedReport
    resource: Resource


def describe_sanitised(row: SanitisedReportRow, report: LoadedReport) -> LoadedSanitised:
    """The sanitised version inherits owner, scope, unit, areas and cohorts."""
    resource = Resource(
        kind=ResourceKind.SANITISED_REPORT,
        owner=report.owner,
        marking=Marking(row.marking),
        scope=report.scope,
        handling=HandlingCode(row.handling),
        conditions=row.conditions,
        restricted_to=split_words(row.restricted_to),
        unit=report.row.unit,
        areas=report.resource.areas,
        cohorts=report.resource.cohorts,
        id=row.id,
        ref=row.ref,
    )
    return LoadedSanitised(row, report, resource)


def load_sanitised_rows(
    session: Session, rows: Sequence[SanitisedReportRow], *, on: date
) -> list[LoadedSanitised]:
    """Describe sanitised rows, loading their originals in one go."""
    if not rows:
        return []
    report_ids = {row.report_id for row in rows}
    reports = {
        loaded.row.entity_id: loaded
        for loaded in load_reports(
            session, report_query().where(IntelReportRow.entity_id.in_(report_ids)), on=on
        )
    }
    return [describe_sanitised(row, reports[row.report_id]) for row in rows]


def load_sanitised(session: Session, sanitised_id: int | str, *, on: date) -> LoadedSanitised:
    """One sanitised report by id or reference; `NotFound` if there is none."""
    found = load_sanitised_or_none(session, sanitised_id, on=on)
    if found is None:
        raise NotFound(missing_sanitised(sanitised_id))
    return found


def load_sanitised_or_none(
    session: Session, sanitised_id: int | str, *, on: date
) -> LoadedSanitised | None:
    """One sanitised report by id or reference, or None if there is none."""
    query = select(SanitisedReportRow)
    if isinstance(sanitised_id, int):
        query = query.where(SanitisedReportRow.id == sanitised_id)
    else:
        query = query.where(SanitisedReportRow.ref == sanitised_id.strip().upper())
    row = session.scalar(query)
    return load_sanitised_rows(session, [row], on=on)[0] if row is not None else None


def sanitised_record(loaded: LoadedSanitised) -> dict[str, object]:
    """The full record of a sanitised report (it holds nothing about the source)."""
    row = loaded.row
    return {
        "id": row.id,
        "ref": row.ref,
        "report_ref": loaded.report.row.ref,
        "owner": loaded.report.owner,
        "marking": row.marking,
        "text": row.text,
        "grading": grading_text(row.source_eval, row.intel_eval, row.handling),
        "source_eval": row.source_eval,
        "intel_eval": row.intel_eval,
        "handling": row.handling,
        "conditions": row.conditions,
        "restricted_to": sorted(split_words(row.restricted_to)),
        "area": loaded.report.area,
        "created_at": row.created_at.isoformat(timespec="seconds"),
    }
