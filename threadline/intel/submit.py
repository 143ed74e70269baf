"""Submitting intelligence: 3x5x2-graded reports, and legacy 5x5x5 material read-only.

A report is written in one transaction: its `entity` row (owned by the submitter's
organisation), the report, its subjects, and its source in the separate `intel_source`
record. Everything is validated first; nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.intel import validation as v
from threadline.intel.legacy import legacy_handling
from threadline.intel.records import ENTITY_KIND, known_user_id, load_report, report_record
from threadline.intel.refs import next_ref, ref_prefix
from threadline.intel.types import Priority, ReportView, SourceDetails
from threadline.model.enums import Marking
from threadline.model.events import Grading, HandlingCode
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    Scope,
    decide,
    gate,
    load_context,
    redact,
    require,
)
from threadline.storage.reference import get_agency
from threadline.storage.tables import (
    EntityRow,
    IntelReportRow,
    IntelSourceRow,
    IntelSubjectRow,
)

_REF_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class _Handling:
    source_eval: str | None
    intel_eval: str | None
    handling: HandlingCode
    conditions: str | None
    restricted_to: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Report:
    """A report as given, graded 3x5x2 or (`legacy_grade`) 5x5x5; not yet checked."""

    fact: str
    assessment: str
    handling: _Handling
    legacy_grade: str | None
    marking: Marking | str
    subjects: Sequence[int]
    source: SourceDetails
    priority: Priority | str
    area_code: str | None
    unit: str | None
    scope: Scope
    reported_on: date | None


@dataclass(frozen=True, slots=True)
class _Checked:
    """The values of a report that passed every check."""

    marking: Marking
    priority: Priority
    area_id: int | None
    unit: str


def submit_report(
    session: Session,
    *,
    actor: Actor,
    fact: str,
    assessment: str,
    grading: Grading,
    marking: Marking | str,
    subjects: Sequence[int],
    source: SourceDetails,
    priority: Priority | str = Priority.ROUTINE,
    area_code: str | None = None,
    restricted_to: Sequence[str] = (),
    unit: str | None = None,
    scope: Scope = "region",
    reported_on: date | None = None,
) -> ReportView:
    """Submit a 3x5x2-graded report for the actor's organisation and return it.

    `unit` is the intelligence unit that will own the source record (default: the actor's
    unit, else the organisation's only unit). Raises `Forbidden` if the actor may not
    submit intelligence and `InvalidData` naming every field at fault.
    """
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.INTEL_REPORT, owner=actor.agency_code),
        ctx=ctx,
    )
    errors = v.grading_errors(grading, restricted_to)
    handling = _Handling(
        source_eval=None if errors else str(grading.source),
        intel_eval=None if errors else str(grading.intelligence),
        handling=HandlingCode.CONDITIONS if errors else HandlingCode(grading.handling),
        conditions=(grading.conditions or "").strip() or None,
        restricted_to=tuple(sorted({w.strip() for w in restricted_to if w.strip()})),
    )
    report = _Report(
        fact=fact,
        assessment=assessment,
        handling=handling,
        legacy_grade=None,
        marking=marking,
        subjects=subjects,
        source=source,
        priority=priority,
        area_code=area_code,
        unit=unit,
        scope=scope,
        reported_on=reported_on,
    )
    return _write(session, actor=actor, ctx=ctx, errors=errors, report=report)


def record_legacy_report(
    session: Session,
    *,
    actor: Actor,
    fact: str,
    assessment: str,
    legacy_grade: str,
    marking: Marking | str,
    subjects: Sequence[int],
    source: SourceDetails,
    priority: Priority | str = Priority.ROUTINE,
    area_code: str | None = None,
    unit: str | None = None,
    scope: Scope = "region",
    reported_on: date | None = None,
) -> ReportView:
    """Store older material graded 5x5x5 ("B24"), read-only and never re-graded.

    It gets no 3x5x2 source or intelligence evaluation; its handling becomes code C with
    conditions naming the legacy code (see `legacy_handling`).
    """
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.INTEL_REPORT, owner=actor.agency_code),
        ctx=ctx,
    )
    parsed = v.parse_legacy_grade(legacy_grade)
    errors: list[FieldError] = []
    restricted: tuple[str, ...] = ()
    conditions: str | None = None
    if isinstance(parsed, FieldError):
        errors.append(parsed)
        grade = legacy_grade
    else:
        grade = parsed[0]
        conditions, restricted = legacy_handling(parsed[1], actor.agency_code)
    report = _Report(
        fact=fact,
        assessment=assessment,
        handling=_Handling(None, None, HandlingCode.CONDITIONS, conditions, restricted),
        legacy_grade=grade,
        marking=marking,
        subjects=subjects,
        source=source,
        priority=priority,
        area_code=area_code,
        unit=unit,
        scope=scope,
        reported_on=reported_on,
    )
    return _write(session, actor=actor, ctx=ctx, errors=errors, report=report)


def _write(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    errors: list[FieldError],
    report: _Report,
) -> ReportView:
    """Check the rest of the report (`errors` holds the grading's problems), write it in
    full, log its COLLECTION and return it as the actor may see it."""
    checked = _check(session, actor=actor, ctx=ctx, errors=errors, report=report)
    entity, ref = _insert_report(session, actor=actor, report=report, checked=checked)
    for subject in dict.fromkeys(report.subjects):
        session.add(IntelSubjectRow(report_id=entity.id, entity_id=subject))
    source = report.source
    session.add(
        IntelSourceRow(
            report_id=entity.id,
            source_ref=source.source_ref.strip(),
            source_type=str(source.source_type),
            description=source.description.strip(),
            handler=source.handler.strip(),
        )
    )
    session.flush()
    legacy_grade = report.legacy_grade
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="intel_report.legacy_recorded" if legacy_grade else "intel_report.submitted",
        records=[entity.id, *report.subjects],
        details={
            "ref": ref,
            "grading": legacy_grade or _grade(report.handling),
            "unit": checked.unit,
        },
    )
    loaded = load_report(session, entity.id, on=ctx.on)
    decision = decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)
    record = report_record(session, loaded, with_source=decision.shows("source_ref"))
    return redact(ResourceKind.INTEL_REPORT, record, decision, view=ReportView)


def _check(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    errors: list[FieldError],
    report: _Report,
) -> _Checked:
    """Every field checked; `InvalidData` naming each at fault, after those in `errors`.

    No text may reveal the source's reference, description or handler.
    """
    fact, handling = report.fact, report.handling
    if not fact.strip():
        errors.append(FieldError("fact", fact, "what was seen, heard or found, as fact"))
    marking = v.marking_value(report.marking)
    if isinstance(marking, FieldError):
        errors.append(marking)
    elif not gate.within_clearance(actor, marking):
        errors.append(
            FieldError(
                "marking",
                marking.value,
                f"a marking at or below your clearance ({actor.clearance.value})",
            )
        )
    priority = v.priority_value(report.priority)
    if isinstance(priority, FieldError):
        errors.append(priority)
    area_id = v.area_id(session, report.area_code)
    if isinstance(area_id, FieldError):
        errors.append(area_id)
    if report.scope not in ("region", "agency"):
        errors.append(FieldError("scope", str(report.scope), "region or agency"))
    errors += v.restriction_errors(session, handling.restricted_to)
    errors += v.source_errors(report.source)
    identity = v.identity_strings(report.source)
    errors += v.reveal_errors("fact", fact, identity)
    errors += v.reveal_errors("assessment", report.assessment, identity)
    errors += v.reveal_errors("conditions", handling.conditions, identity)
    errors += v.subject_errors(session, actor, ctx, report.subjects)
    unit = v.unit_value(session, actor, report.unit)
    if isinstance(unit, FieldError):
        errors.append(unit)
    if errors:
        raise InvalidData(errors)
    assert isinstance(marking, Marking) and isinstance(priority, Priority)
    assert isinstance(unit, str) and not isinstance(area_id, FieldError)
    return _Checked(marking=marking, priority=priority, area_id=area_id, unit=unit)


def _insert_report(
    session: Session, *, actor: Actor, report: _Report, checked: _Checked
) -> tuple[EntityRow, str]:
    """The report's entity and report rows under the next free reference, and that reference.

    Two submissions at once may pick the same reference: the later one takes the next.
    """
    now = utcnow()
    owner_id = get_agency(session, actor.agency_code).id
    submitter = known_user_id(session, actor)
    prefix = f"{ref_prefix(actor.agency_code)}-IR-{now.year}-"
    handling = report.handling
    for _attempt in range(_REF_ATTEMPTS):
        ref = next_ref(session, prefix)
        try:
            with session.begin_nested():
                entity = EntityRow(
                    kind=ENTITY_KIND,
                    owner_id=owner_id,
                    source_system="threadline",
                    source_id=ref,
                    marking=checked.marking.value,
                    scope=report.scope,
                    retention_group="3",
                    created_at=now,
                    updated_at=now,
                )
                session.add(entity)
                session.flush()
                session.add(
                    IntelReportRow(
                        entity_id=entity.id,
                        ref=ref,
                        unit=checked.unit,
                        submitted_by_id=submitter,
                        fact=report.fact.strip(),
                        assessment=report.assessment.strip(),
                        source_eval=handling.source_eval,
                        intel_eval=handling.intel_eval,
                        handling=handling.handling.value,
                        conditions=handling.conditions,
                        restricted_to=",".join(handling.restricted_to),
                        priority=checked.priority.value,
                        legacy_grade=report.legacy_grade,
                        area_id=checked.area_id,
                        reported_on=report.reported_on or now.date(),
                    )
                )
                session.flush()
        except IntegrityError:
            continue  # another submission took this reference: take the next one
        return entity, ref
    raise RuntimeError(f"could not allocate a report reference after {_REF_ATTEMPTS} tries")


def _grade(handling: _Handling) -> str:
    return f"{handling.source_eval}{handling.intel_eval}{handling.handling.value}"
