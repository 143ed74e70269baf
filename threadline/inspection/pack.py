"""The inspection pack and the dashboard: the figures, arranged for their readers, audited.

The pack follows the HMICFRS serious and organised crime inspection's headings; the
dashboard groups the same figures by theme. Both ask policy first
(`policy.inspection`: a force's supervisors and the regional unit's; the region's forces
side by side for the regional unit), then count only what the reader may see.

Looking at either on a page is a consultation (`inspection.dashboard_viewed`,
`inspection.pack_viewed`); producing the pack as a file (PDF or JSON) is a disclosure in
that form to the reader's organisation (`inspection.pack_exported`, see `export_pack`),
as a printed briefing is: the file leaves Threadline's control.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.inspection.coverage import GroupCoverage, group_coverage
from threadline.inspection.disruption_figures import DisruptionTally, Period, tally_disruptions
from threadline.inspection.figures import FigureSet, build_figures
from threadline.inspection.others import other_figures
from threadline.inspection.pdf import render_pdf
from threadline.inspection.types import Figure, InspectionPack, Section
from threadline.model.security import Actor
from threadline.policy import Action, decide, load_context, require
from threadline.policy.inspection import inspection_resource
from threadline.reference.geography import FORCES, organisation_name

__all__ = [
    "HEADINGS",
    "Dashboard",
    "InspectionRequest",
    "check_request",
    "dashboard",
    "default_force",
    "export_pack",
    "force_choices",
    "inspection_pack",
]

MAX_DAYS = 3 * 366  # a pack covers at most three years

# The HMICFRS SOC inspection's headings, what each asks, and the figures that answer.
HEADINGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Understanding serious and organised crime and setting priorities",
        "How well the force understands its threats, and whether its priorities show in "
        "what it does: its main threat set beside the rest, and whether each mapped group "
        "has an owner, a current assessment and a plan.",
        ("county_lines", "line_status", "coverage", "force"),
    ),
    (
        "Tackling serious and organised crime and safeguarding people and communities",
        "What the force did about its threats and with what result — disruptions, their "
        "grades and tactics, the sentences that followed — and how it shares what it knows "
        "and protects the vulnerable.",
        ("month", "grade", "strand", "tactic", "sentences", "safeguarding", "sharing", "prison"),
    ),
    (
        "What the force can evidence on resources",
        "Who does the work: the teams that disrupt, the partners that lead, and the "
        "monitoring of crime group members in prison.",
        ("teams",),
    ),
    (
        "Progress on the areas for improvement",
        "What the force has done about the inspection's findings, and the Threadline "
        "figures that now measure them (above).",
        ("findings",),
    ),
)

DASHBOARD_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "County lines against other serious and organised crime",
        "County lines work set beside every other threat theme: the inspection's blind spot.",
        ("county_lines", "line_status"),
    ),
    (
        "Disruptions",
        "What was disrupted, by force, month, grade, strand and tactic, and what followed.",
        ("force", "month", "grade", "strand", "tactic", "sentences", "teams"),
    ),
    (
        "Group coverage",
        "Whether each mapped group has an owner, an assessment, a plan and recent action.",
        ("coverage",),
    ),
    (
        "Sharing, prison and safeguarding",
        "The figures of the other dashboards, beside the disruptions, and the progress on "
        "the areas for improvement.",
        ("sharing", "prison", "safeguarding", "findings"),
    ),
)


@dataclass(frozen=True, slots=True)
class InspectionRequest:
    """A checked request: one force (its code) or the region (None), and the period."""

    force: str | None
    start: date
    end: date

    @property
    def forces(self) -> tuple[str, ...]:
        return (self.force,) if self.force else tuple(f.code for f in FORCES)

    @property
    def scope_name(self) -> str:
        return organisation_name(self.force) if self.force else "The region's seven forces"


def check_request(
    *, force: str | None, start: date | str | None, end: date | str | None, today: date
) -> InspectionRequest:
    """The request checked: a force of the region (code or name) or none for the region,
    and a period of real dates, the first not after the last, at most three years.
    Without dates: the twelve months up to `today`. Raises `InvalidData` naming each field."""
    errors: list[FieldError] = []
    code = None
    if force is not None and force.strip():
        wanted = force.strip().lower()
        for f in FORCES:
            if wanted in (f.code, f.name.lower()):
                code = f.code
        if code is None:
            errors.append(
                FieldError(
                    "force",
                    force,
                    "one of the region's forces: " + ", ".join(f.code for f in FORCES),
                )
            )
    last = _day("to", end, errors) or today
    first = _day("from", start, errors) or (last - timedelta(days=364))
    if not errors and first > last:
        errors.append(
            FieldError("from", first.isoformat(), f"a date on or before {last.isoformat()}")
        )
    if not errors and (last - first).days > MAX_DAYS:
        errors.append(
            FieldError(
                "from",
                first.isoformat(),
                f"a period of at most three years (to {last.isoformat()})",
            )
        )
    if errors:
        raise InvalidData(errors)
    return InspectionRequest(code, first, last)


def force_choices() -> list[tuple[str, str]]:
    """The forces a dashboard or pack may be for: (code, name), in the region's order."""
    return [(f.code, f.name) for f in FORCES]


def default_force(session: Session, *, actor: Actor) -> str | None:
    """Whose figures to show first: the region's when policy lets the reader see them side
    by side, else the reader's own organisation's (policy still decides on the request)."""
    ctx = load_context(session, actor)
    region = decide(actor=actor, action=Action.READ, resource=inspection_resource(None), ctx=ctx)
    if region.allowed:
        return None
    # A reader refused their own organisation's figures too (a partner, a prison, an
    # officer who is not a supervisor) is refused here, before any filter is read.
    require(
        actor=actor, action=Action.READ, resource=inspection_resource(actor.agency_code), ctx=ctx
    )
    return actor.agency_code


def _day(name: str, value: date | str | None, errors: list[FieldError]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(name, text, "a real date as YYYY-MM-DD, e.g. 2026-04-01"))
        return None


@dataclass(frozen=True, slots=True)
class _Counted:
    figures: FigureSet
    tally: DisruptionTally
    coverage: GroupCoverage


def _count(session: Session, *, actor: Actor, request: InspectionRequest) -> _Counted:
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=inspection_resource(request.force), ctx=ctx)
    period = Period(request.start, request.end)
    on = min(request.end, ctx.on)
    tally = tally_disruptions(
        session, actor=actor, ctx=ctx, period=period, forces=list(request.forces)
    )
    coverage = group_coverage(session, actor=actor, ctx=ctx, on=on, force=request.force)
    others = other_figures(session, actor=actor, ctx=ctx, on=on, force=request.force)
    figures = build_figures(
        force=request.force,
        forces=request.forces,
        start=request.start,
        end=request.end,
        tally=tally,
        coverage=coverage,
        others=others,
    )
    return _Counted(figures, tally, coverage)


def _sections(
    figures: dict[str, Figure], layout: tuple[tuple[str, str, tuple[str, ...]], ...]
) -> tuple[Section, ...]:
    return tuple(
        Section(heading, intro, tuple(figures[k] for k in keys if k in figures))
        for heading, intro, keys in layout
    )


def _details(request: InspectionRequest, counted: _Counted) -> dict[str, object]:
    return {
        "force": request.force or "region",
        "from": request.start.isoformat(),
        "to": request.end.isoformat(),
        "disruptions": len(counted.tally.ids),
        "groups": len(counted.coverage.group_ids),
    }


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The dashboard's sections for a force or the region, with its headline figures."""

    request: InspectionRequest
    headlines: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]


def dashboard(session: Session, *, actor: Actor, request: InspectionRequest) -> Dashboard:
    """The figures for the dashboard, as `actor` may see them (policy first; audited)."""
    counted = _count(session, actor=actor, request=request)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="inspection.dashboard_viewed",
        records=counted.coverage.group_ids,
        details=_details(request, counted),
    )
    return Dashboard(
        request,
        counted.figures.headlines,
        _sections(counted.figures.figures, DASHBOARD_SECTIONS),
    )


def _pack(
    actor: Actor, request: InspectionRequest, counted: _Counted, now: datetime
) -> InspectionPack:
    return InspectionPack(
        force=request.force,
        scope_name=request.scope_name,
        forces=request.forces,
        start=request.start,
        end=request.end,
        produced_at=now,
        reader=actor.username,
        headlines=counted.figures.headlines,
        sections=_sections(counted.figures.figures, HEADINGS),
        records=tuple(counted.coverage.group_ids),
    )


def inspection_pack(
    session: Session, *, actor: Actor, request: InspectionRequest, now: datetime | None = None
) -> InspectionPack:
    """The pack on a page, as `actor` may see it (policy first; a consultation)."""
    counted = _count(session, actor=actor, request=request)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="inspection.pack_viewed",
        records=counted.coverage.group_ids,
        details=_details(request, counted),
    )
    return _pack(actor, request, counted, now or utcnow())


def export_pack(
    session: Session,
    *,
    actor: Actor,
    request: InspectionRequest,
    form: str,
    now: datetime | None = None,
    base_url: str = "",
) -> tuple[InspectionPack, bytes]:
    """The pack as a file (`form` "pdf" or "json"), as `actor` may see it; the PDF's links
    to the records behind each figure start with `base_url` (the service's address).

    The file leaves Threadline's control, so producing it is a disclosure in that form to
    the reader's organisation (one `inspection.pack_exported` event), as printing a
    briefing is.
    """
    if form not in ("pdf", "json"):
        raise InvalidData([FieldError("form", form, "pdf or json")])
    counted = _count(session, actor=actor, request=request)
    pack = _pack(actor, request, counted, now or utcnow())
    if form == "pdf":
        data = render_pdf(pack, base_url=base_url)
    else:
        data = json.dumps(pack.as_dict(), indent=2, default=str).encode()
    record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="inspection.pack_exported",
        records=counted.coverage.group_ids,
        recipients=[actor.agency_code],
        details={**_details(request, counted), "form": form, "bytes": len(data)},
    )
    return pack, data
