"""Submitting intelligence: 3x5x2-graded reports, and legacy 5x5x5 material read-only.

A report is written in one transaction: its `entity` row (owned by the submitter's
organisation), the report, its subjects, and its source in the separate `intel_source`
record. Everything is validated first; nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
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
    entity_facts,
    gate,
    load_context,
    redact,
    require,
)
from threadline.policy.vocabulary import POLE_KINDS
from threadline.storage.reference import get_agency
from threadline.storage.tables import (
    EntityRow,
    IntelReportRow,
    IntelSourceRow,
    IntelSubjectRow,
    UserRow,
)

_REF_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class _Handling:
    source_eval: str | None
    intel_eval: str | None
    handling: HandlingCode
    conditions: str | None
    restricted_to: tuple[str, ...]


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
    lock_chain(session)
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
    return _write(
        session,
        actor=actor,
        ctx=ctx,
        errors=errors,
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
    lock_chain(session)
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
    handling = _Handling(None, None, HandlingCode.CONDITIONS, conditions, restricted)
    return _write(
        session,
        actor=actor,
        ctx=ctx,
        errors=errors,
        fact=fact,
        assessment=assessment,
        handling=handling,
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


def _write(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    errors: list[FieldError],
    fact: str,
    assessment: str,
    handling: _Handling,
    legacy_grade: str | None,
    marking: Marking | str,
    subjects: Sequence[int],
    source: SourceDetails,
    priority: Priority | str,
    area_code: str | None,
    unit: str | None,
    scope: Scope,
    reported_on: date | None,
) -> ReportView:
    if not fact.strip():
        errors.append(FieldError("fact", fact, "what was seen, heard or found, as fact"))
    marking_value = v.marking_value(marking)
    if isinstance(marking_value, FieldError):
        errors.append(marking_value)
    elif not gate.within_clearance(actor, marking_value):
        errors.append(
            FieldError(
                "marking",
                marking_value.value,
                f"a marking at or below your clearance ({actor.clearance.value})",
            )
        )
    priority_value = v.priority_value(priority)
    if isinstance(priority_value, FieldError):
        errors.append(priority_value)
    area_id = v.area_id(session, area_code)
    if isinstance(area_id, FieldError):
        errors.append(area_id)
    if scope not in ("region", "agency"):
        errors.append(FieldError("scope", str(scope), "region or agency"))
    errors += v.restriction_errors(session, handling.restricted_to)
    errors += v.source_errors(source)
    identity = v.identity_strings(source)
    errors += v.reveal_errors("fact", fact, identity)
    errors += v.reveal_errors("assessment", assessment, identity)
    errors += v.reveal_errors("conditions", handling.conditions, identity)
    errors += _subject_errors(session, actor, ctx, subjects)
    unit_value = _unit(session, actor, unit)
    if isinstance(unit_value, FieldError):
        errors.append(unit_value)
    if errors:
        raise InvalidData(errors)
    assert isinstance(marking_value, Marking) and isinstance(priority_value, Priority)
    assert isinstance(unit_value, str) and not isinstance(area_id, FieldError)

    now = utcnow()
    owner_id = get_agency(session, actor.agency_code).id
    submitter = known_user_id(session, actor)
    prefix = f"{ref_prefix(actor.agency_code)}-IR-{now.year}-"
    for _attempt in range(_REF_ATTEMPTS):
        ref = next_ref(session, prefix)
        try:
            with session.begin_nested():
                entity = EntityRow(
                    kind=ENTITY_KIND,
                    owner_id=owner_id,
                    source_system="threadline",
                    source_id=ref,
                    marking=marking_value.value,
                    scope=scope,
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
                        unit=unit_value,
                        submitted_by_id=submitter,
                        fact=fact.strip(),
                        assessment=assessment.strip(),
                        source_eval=handling.source_eval,
                        intel_eval=handling.intel_eval,
                        handling=handling.handling.value,
                        conditions=handling.conditions,
                        restricted_to=",".join(handling.restricted_to),
                        priority=priority_value.value,
                        legacy_grade=legacy_grade,
                        area_id=area_id,
                        reported_on=reported_on or now.date(),
                    )
                )
                session.flush()
            break
        except IntegrityError:
            continue  # another submission took this reference: take the next one
    else:
        raise RuntimeError(f"could not allocate a report reference after {_REF_ATTEMPTS} tries")
    for subject in dict.fromkeys(subjects):
        session.add(IntelSubjectRow(report_id=entity.id, entity_id=subject))
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
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="intel_report.legacy_recorded" if legacy_grade else "intel_report.submitted",
        records=[entity.id, *subjects],
        details={"ref": ref, "grading": legacy_grade or _grade(handling), "unit": unit_value},
    )
    loaded = load_report(session, entity.id, on=ctx.on)
    decision = decide(actor=actor, action=Action.READ, resource=loaded.resource, ctx=ctx)
    record = report_record(session, loaded, with_source=decision.shows("source_ref"))
    return redact(ResourceKind.INTEL_REPORT, record, decision, view=ReportView)


def _grade(handling: _Handling) -> str:
    return f"{handling.source_eval}{handling.intel_eval}{handling.handling.value}"


def _unit(session: Session, actor: Actor, unit: str | None) -> str | FieldError:
    """The unit that will own the source: given, the actor's, or the organisation's only one."""
    if unit is not None and unit.strip():
        chosen = unit.strip()
        if not chosen.startswith(f"{actor.agency_code}-"):
            return FieldError(
                "unit",
                chosen,
                f"an intelligence unit of {actor.agency_code} ({actor.agency_code}-…)",
            )
        return chosen
    if actor.unit:
        return actor.unit
    agency = get_agency(session, actor.agency_code)
    units = sorted(
        {
            unit
            for unit in session.scalars(
                select(UserRow.unit).where(
                    UserRow.agency_id == agency.id, UserRow.unit.is_not(None)
                )
            )
            if unit
        }
    )
    if len(units) == 1:
        return units[0]
    known = ", ".join(units) or "none yet"
    return FieldError(
        "unit",
        "",
        f"the intelligence unit to send this to (units of {actor.agency_code}: {known})",
    )


def _subject_errors(
    session: Session, actor: Actor, ctx: PolicyContext, subjects: Sequence[int]
) -> list[FieldError]:
    """Subjects must be POLE records the actor can see (unseen ones read as missing)."""
    facts = entity_facts(session, subjects, on=ctx.on)
    errors = []
    for index, subject in enumerate(subjects):
        found = facts.get(subject)
        visible = (
            found is not None
            and found.kind in {k.value for k in POLE_KINDS}
            and decide(actor=actor, action=Action.READ, resource=found.resource(), ctx=ctx).allowed
        )
        if not visible:
            errors.append(
                FieldError(
                    f"subjects[{index}]",
                    str(subject),
                    "the id of a person, organisation, location, phone, vehicle or county "
                    "line that you can see",
                )
            )
    return errors
