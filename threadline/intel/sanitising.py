"""Making the sanitised version of a report: only its originating unit may.

The text is refused if it contains the source's reference, description or handler, and
so are new conditions that do. The version inherits the original's grading, marking and
code C conditions and restriction unless the originating unit states new ones; legacy
5x5x5 material keeps its handling, always.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.intel import validation as v
from threadline.intel.records import (
    known_user_id,
    load_report,
    load_sanitised_rows,
    sanitised_record,
)
from threadline.intel.types import SanitisedView, SourceDetails
from threadline.model.enums import Marking
from threadline.model.events import Grading, HandlingCode
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    decide,
    gate,
    load_context,
    redact,
    require,
)
from threadline.policy.context import split_words
from threadline.storage.tables import IntelReportRow, IntelSourceRow, SanitisedReportRow


@dataclass(frozen=True, slots=True)
class _Handling:
    """The grading, conditions and restriction the sanitised version carries."""

    source_eval: str | None
    intel_eval: str | None
    handling: str
    conditions: str | None
    restricted_to: list[str]


def sanitise(
    session: Session,
    *,
    actor: Actor,
    report_id: int | str,
    text: str,
    grading: Grading | None = None,
    marking: Marking | str | None = None,
    restricted_to: Sequence[str] | None = None,
) -> SanitisedView:
    """Make the sanitised version of a report; only its originating unit may.

    `grading`, `marking` and `restricted_to` default to the original's. The text is
    refused (`InvalidData` on `text`) if it contains the source's reference, description
    or handler.
    """
    ctx = load_context(session, actor)
    loaded = load_report(session, report_id, on=ctx.on)
    original = loaded.resource
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(
            kind=ResourceKind.SANITISED_REPORT,
            owner=original.owner,
            marking=original.marking,
            unit=original.unit,
            id=original.id,
            ref=original.ref,
        ),
        ctx=ctx,
    )
    report = loaded.row
    handling, chosen = _check(
        session,
        actor=actor,
        report=report,
        text=text,
        grading=grading,
        marking=marking if marking is not None else loaded.marking,
        restricted_to=restricted_to,
    )
    row = _write(session, actor=actor, report=report, text=text, handling=handling, marking=chosen)
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="intel_sanitised.created",
        records=[report.entity_id],
        details={"ref": row.ref, "report_ref": report.ref, "marking": row.marking},
    )
    described = load_sanitised_rows(session, [row], on=ctx.on)[0]
    decision = decide(actor=actor, action=Action.READ, resource=described.resource, ctx=ctx)
    return redact(
        ResourceKind.SANITISED_REPORT, sanitised_record(described), decision, view=SanitisedView
    )


def _check(
    session: Session,
    *,
    actor: Actor,
    report: IntelReportRow,
    text: str,
    grading: Grading | None,
    marking: Marking | str,
    restricted_to: Sequence[str] | None,
) -> tuple[_Handling, Marking]:
    """The handling and marking to give the version; `InvalidData` naming every fault."""
    errors: list[FieldError] = []
    if not text.strip():
        errors.append(FieldError("text", text, "the sanitised text to disseminate"))
    identity = _source_identity(session, report)
    errors += v.reveal_errors("text", text, identity)
    handling = _handling(errors, report, grading, restricted_to)
    errors += v.restriction_errors(session, handling.restricted_to)
    errors += v.reveal_errors("conditions", handling.conditions, identity)
    chosen = v.marking_value(marking)
    if isinstance(chosen, FieldError):
        errors.append(chosen)
    elif not gate.within_clearance(actor, chosen):
        errors.append(
            FieldError(
                "marking",
                chosen.value,
                f"a marking at or below your clearance ({actor.clearance.value})",
            )
        )
    if errors:
        raise InvalidData(errors)
    assert isinstance(chosen, Marking)
    return handling, chosen


def _source_identity(session: Session, report: IntelReportRow) -> v.Protected:
    """What of the report's source the sanitised text must not reveal."""
    source = session.get(IntelSourceRow, report.entity_id)
    if source is None:
        return {}
    return v.identity_strings(
        SourceDetails(source.source_ref, source.source_type, source.description, source.handler)
    )


def _handling(
    errors: list[FieldError],
    report: IntelReportRow,
    grading: Grading | None,
    restricted_to: Sequence[str] | None,
) -> _Handling:
    """The grading given (never for legacy material), else the original's."""
    if grading is not None and report.legacy_grade is not None:
        errors.append(
            FieldError(
                "grading",
                str(grading),
                f"no grading: {report.ref} is legacy 5x5x5 material ({report.legacy_grade}) and "
                "keeps its handling; record a new 3x5x2 report to re-grade it",
            )
        )
        grading = None
    if grading is not None:
        words = list(restricted_to or ())
        errors.extend(v.grading_errors(grading, words))
        return _Handling(
            source_eval=str(grading.source),
            intel_eval=str(grading.intelligence),
            handling=str(grading.handling),
            conditions=(grading.conditions or "").strip() or None,
            restricted_to=sorted({w.strip() for w in words if w.strip()}),
        )
    restricted = sorted(
        split_words(report.restricted_to) if restricted_to is None else set(restricted_to)
    )
    if restricted and report.handling == HandlingCode.PERMITTED.value:
        errors.append(
            FieldError(
                "restricted_to",
                ",".join(restricted),
                "no restriction with handling code P; give a code C grading to restrict it",
            )
        )
    return _Handling(
        source_eval=report.source_eval,
        intel_eval=report.intel_eval,
        handling=report.handling,
        conditions=report.conditions,
        restricted_to=restricted,
    )


def _write(
    session: Session,
    *,
    actor: Actor,
    report: IntelReportRow,
    text: str,
    handling: _Handling,
    marking: Marking,
) -> SanitisedReportRow:
    """The sanitised version, numbered after the report's earlier ones (`<report ref>-S2`)."""
    count = session.scalar(
        select(func.count())
        .select_from(SanitisedReportRow)
        .where(SanitisedReportRow.report_id == report.entity_id)
    )
    row = SanitisedReportRow(
        ref=f"{report.ref}-S{(count or 0) + 1}",
        report_id=report.entity_id,
        text=text.strip(),
        source_eval=handling.source_eval,
        intel_eval=handling.intel_eval,
        handling=handling.handling,
        conditions=handling.conditions,
        restricted_to=",".join(handling.restricted_to),
        marking=marking.value,
        created_by_id=known_user_id(session, actor),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row
