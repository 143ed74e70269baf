"""The regional return of disruptions: a CSV for the national return (docs/formats.md,
"Disruptions return").

One row per disruption per tactic (a disruption with no tactic is one row), over the
disruptions the reader may see whose date falls in the period, oldest first. Subjects
are given by reference (kind, owner, source system and id), never by name, and the
people tactics name are not given at all: the return counts what was done, not to whom.
Court outcomes are summarised per disruption. Every cell goes through
`audit.spreadsheet` (formula injection neutralised, every cell quoted). The export is
logged as one `disruption.exported` event naming the subjects.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.spreadsheet import writer
from threadline.disruptions import store
from threadline.disruptions import vocabulary as v
from threadline.disruptions.access import visible
from threadline.disruptions.types import DisruptionFilters, months_text
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Action, load_context, require
from threadline.policy.disruptions import DisruptionTask, task_resource
from threadline.storage.tables import (
    AgencyRow,
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
    EntityRow,
)

__all__ = ["FORMATS", "REGIONAL_COLUMNS", "ReturnWritten", "write_return"]

FORMATS = ("regional",)
CHUNK = 500  # ids per IN (...): within every database's limit on parameters
TacticCells = tuple[str, float | None, str | None]  # tactic, quantity, unit
# The columns of the regional return, in order (documented in docs/formats.md).
REGIONAL_COLUMNS = (
    "force_code",
    "force",
    "disruption_id",
    "source_ref",
    "date",
    "theme",
    "theme_name",
    "strand",
    "grade",
    "grade_state",
    "claimed_grade",
    "tactic",
    "tactic_name",
    "quantity",
    "unit",
    "subject_kind",
    "subject_ref",
    "lead_partner",
    "team",
    "marking",
    "court_outcomes",
    "custodial_months",
)


@dataclass(frozen=True, slots=True)
class ReturnWritten:
    """What a return held: its rows (one per tactic), disruptions and audit event."""

    rows: int
    disruptions: int
    audit_event_id: int


def _quantity(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else f"{value:.3f}".rstrip("0")


def _outcomes(rows: Sequence[CourtOutcomeRow]) -> tuple[str, int]:
    """The court outcomes in words, and the custodial months they add up to.

    E.g. "charged 2; sentenced 1 (custodial 1; 4 years 6 months in custody)".
    """
    if not rows:
        return "", 0
    stages = Counter(r.stage for r in rows)
    months = sum(r.custodial_months or 0 for r in rows if r.sentence == "custodial")
    sentences = Counter(r.sentence for r in rows if r.stage == "sentenced" and r.sentence)
    parts = []
    for stage in v.STAGES:
        if stages[stage]:
            part = f"{v.word(stage, v.STAGES).lower()} {stages[stage]}"
            if stage == "sentenced" and sentences:
                kinds = ", ".join(
                    f"{v.word(s, v.SENTENCES).lower()} {n}" for s, n in sorted(sentences.items())
                )
                part += f" ({kinds}"
                part += f"; {months_text(months)} in custody)" if months else ")"
            parts.append(part)
    return "; ".join(parts), months


def _rows(
    session: Session, ids: Sequence[int]
) -> tuple[dict[int, Row[Any]], dict[int, list[TacticCells]]]:
    """The columns the return needs of each disruption, and its tactics in order.

    Plain rows, not mapped objects: a region's year is tens of thousands of disruptions.
    """
    rows: dict[int, Row[Any]] = {}
    tactics: dict[int, list[TacticCells]] = defaultdict(list)
    d = DisruptionRow
    columns = (d.id, d.agency_id, d.lead_agency_id, d.source_system, d.source_id, d.occurred_on,
               d.theme, d.strand, d.grade, d.claimed_grade, d.validation, d.subject_kind,
               d.entity_id, d.team, d.marking)  # fmt: skip
    t = DisruptionTacticRow
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows |= {row.id: row for row in session.execute(select(*columns).where(d.id.in_(chunk)))}
        found = session.execute(
            select(t.disruption_id, t.tactic, t.quantity, t.unit)
            .where(t.disruption_id.in_(chunk))
            .order_by(t.id)
        )
        for disruption_id, tactic, quantity, unit in found:
            tactics[disruption_id].append((tactic, quantity, unit))
    return rows, tactics


def _subject_refs(session: Session, ids: set[int]) -> dict[int, str]:
    """Each record's reference: owner/source system/source id (or threadline/<id>)."""
    wanted = sorted(ids)
    refs: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = session.execute(
            select(EntityRow.id, AgencyRow.code, EntityRow.source_system, EntityRow.source_id)
            .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
            .where(EntityRow.id.in_(wanted[start : start + CHUNK]))
        )
        refs |= {
            int(id_): f"{code}/{system}/{sid}" if sid else f"{code}/threadline/{id_}"
            for id_, code, system, sid in rows
        }
    return refs


def write_return(
    session: Session,
    *,
    actor: Actor,
    out: TextIO,
    date_from: date | None,
    date_to: date | None,
    force: str | None = None,
    fmt: str = "regional",
) -> ReturnWritten:
    """Write the return of the disruptions `actor` may see in the period to `out`.

    `force` keeps one recording force's (its code). Raises `InvalidData` for an unknown
    format or a period that ends before it starts, `Forbidden` for a reader who may not
    read disruptions (a partner) — before writing anything.
    """
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=task_resource(DisruptionTask.LIST), ctx=ctx)
    errors = []
    if fmt not in FORMATS:
        errors.append(FieldError("format", fmt, "one of " + ", ".join(FORMATS)))
    if date_from and date_to and date_to < date_from:
        errors.append(
            FieldError("to", date_to.isoformat(), f"a date on or after {date_from.isoformat()}")
        )
    if errors:
        raise InvalidData(errors)
    filters = DisruptionFilters(
        force=force.strip().lower() if force else None, date_from=date_from, date_to=date_to
    )
    found, _subjects = visible(
        session, actor=actor, ctx=ctx, candidates=store.candidates(session, filters)
    )
    found.reverse()  # oldest first: a return reads as a ledger
    ids = [c.id for c in found]
    rows, tactics = _rows(session, ids)
    outcomes: dict[int, list[CourtOutcomeRow]] = {}
    for start in range(0, len(ids), CHUNK):
        outcomes |= store.outcomes_of(session, ids[start : start + CHUNK])
    agencies = store.agencies(
        session,
        {r.agency_id for r in rows.values()}
        | {r.lead_agency_id for r in rows.values() if r.lead_agency_id},
    )
    refs = _subject_refs(session, {r.entity_id for r in rows.values() if r.entity_id})
    csv = writer(out)
    csv.writerow(REGIONAL_COLUMNS)
    written = 0
    for disruption_id in ids:
        row = rows[disruption_id]
        force_row = agencies[row.agency_id]
        lead = agencies.get(row.lead_agency_id) if row.lead_agency_id else None
        summary, months = _outcomes(outcomes.get(disruption_id, []))
        head = (
            force_row.code,
            force_row.name,
            row.id,
            f"{row.source_system}:{row.source_id}" if row.source_id else "",
            row.occurred_on.isoformat(),
            row.theme or "",
            v.word(row.theme, v.THEMES),
            row.strand,
            row.grade or row.claimed_grade,
            row.validation,
            row.claimed_grade,
        )
        tail = (
            row.subject_kind,
            refs.get(row.entity_id, "") if row.entity_id else "",
            lead.code if lead else "",
            row.team or "",
            row.marking,
            summary,
            months,
        )
        used: list[TacticCells | None] = [*tactics.get(disruption_id, [])] or [None]
        for tactic in used:
            middle = (
                (tactic[0], v.word(tactic[0], v.TACTICS), _quantity(tactic[1]), tactic[2] or "")
                if tactic is not None
                else ("", "", "", "")
            )
            csv.writerow((*head, *middle, *tail))
            written += 1
    event = record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="disruption.exported",
        records=sorted({r.entity_id for r in rows.values() if r.entity_id is not None}),
        details={
            "format": fmt,
            "from": date_from.isoformat() if date_from else None,
            "to": date_to.isoformat() if date_to else None,
            "force": filters.force,
            "disruptions": len(ids),
            "rows": written,
        },
    )
    return ReturnWritten(rows=written, disruptions=len(ids), audit_event_id=event)
