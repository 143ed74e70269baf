"""Disruption figures for a period, counted per force over the disruptions the reader may see.

Definitions (the dashboard and the pack repeat them as each figure's method):

- a disruption counts in the period when it **occurred** in it (first to last day
  inclusive), for the force that recorded it;
- its **grade** is the supervisor's (validated or regraded) once decided, else the grade
  claimed, and `validation` says which (awaiting validation, validated, regraded);
- it is **county lines** work when its theme is drugs and county lines or its subject is a
  county line; every other theme is **other serious and organised crime** (SOC);
- **tactics** are counted once per tactic recorded (a disruption with two arrests and a
  seizure counts two arrests and one seizure);
- **custodial sentences** add up the custodial months of the sentences recorded on those
  disruptions (whenever sentenced), and **convictions** count the people convicted;
- **partner-led** disruptions are those whose lead is a partner organisation.

Every disruption is decided by policy for the reader before it is counted, as a view of
it (`policy.disruptions`) and a read of its subject record (`Visibility`), so no figure
includes a record the reader could not open. A figure never names
anyone: reading them is logged once by the caller, about the disruptions counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, Resource, decide, entity_facts
from threadline.policy.disruptions import DisruptionTask
from threadline.policy.disruptions import disruption_resource as policy_resource
from threadline.policy.identity import police_kind
from threadline.storage.tables import (
    AgencyRow,
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
)

__all__ = [
    "COUNTY_LINES",
    "OTHER_SOC",
    "DisruptionTally",
    "Period",
    "Visibility",
    "tally_disruptions",
]

COUNTY_LINES = "County lines"
OTHER_SOC = "Other serious and organised crime"
COUNTY_LINES_THEME = "drugs_county_lines"


@dataclass(frozen=True, slots=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def months(self) -> list[str]:
        """Every month of the period as "YYYY-MM", in order."""
        out = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


@dataclass(slots=True)
class DisruptionTally:
    """Counts per force: `counts[dimension][(force, value)]`; `total[force]`; and the ids
    of the disruptions counted (for the audit event and the links)."""

    period: Period
    total: Counter[str] = field(default_factory=Counter)
    counts: dict[str, Counter[tuple[str, str]]] = field(default_factory=dict)
    custodial_months: Counter[str] = field(default_factory=Counter)
    convictions: Counter[str] = field(default_factory=Counter)
    partner_led: Counter[str] = field(default_factory=Counter)
    ids: list[int] = field(default_factory=list)

    def of(self, dimension: str) -> Counter[tuple[str, str]]:
        return self.counts.setdefault(dimension, Counter())

    def values(self, dimension: str, forces: Iterable[str]) -> Counter[str]:
        """`dimension`'s counts summed over `forces`."""
        wanted = set(forces)
        out: Counter[str] = Counter()
        for (force, value), count in self.of(dimension).items():
            if force in wanted:
                out[value] += count
        return out


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    force: str
    subject_kind: str
    subject: int | None
    theme: str | None
    strand: str
    grade: str
    validation: str
    occurred_on: date
    team: str | None
    partner_led: bool
    marking: str
    scope: str


def disruption_resource(force: str, marking: str, scope: str) -> Resource:
    """How policy sees a disruption when counting it: as a `VIEW` of it (no one record is
    shown, but a figure must not count what the reader could not open)."""
    return policy_resource(
        DisruptionTask.VIEW,
        owner=force,
        marking=marking,
        scope="agency" if scope == "agency" else "region",
    )


class Visibility:
    """Decides disruptions for one reader: the disruption itself (cached by force, marking
    and scope, all its rule depends on) and its subject record, as a POLE read (cached by
    record), since a disruption against a record the reader may not see is not shown."""

    def __init__(self, session: Session, *, actor: Actor, ctx: PolicyContext) -> None:
        self.session, self.actor, self.ctx = session, actor, ctx
        self._kinds: dict[tuple[str, str, str], bool] = {}
        self._subjects: dict[int, bool] = {}

    def _allowed(self, resource: Resource) -> bool:
        return decide(actor=self.actor, action=Action.READ, resource=resource, ctx=self.ctx).allowed

    def prepare(self, subject_ids: Iterable[int | None]) -> None:
        """Decide every subject of `subject_ids` not yet decided, in one batch."""
        wanted = sorted({i for i in subject_ids if i is not None} - self._subjects.keys())
        for start in range(0, len(wanted), 2000):
            chunk = wanted[start : start + 2000]
            facts = entity_facts(self.session, chunk, on=self.ctx.on)
            for entity_id in chunk:
                found = facts.get(entity_id)
                self._subjects[entity_id] = found is not None and self._allowed(found.resource())

    def sees(self, force: str, marking: str, scope: str, subject: int | None) -> bool:
        """Whether the reader could open a disruption of these facts (`prepare` first)."""
        key = (force, marking, scope)
        allowed = self._kinds.get(key)
        if allowed is None:
            allowed = self._kinds[key] = self._allowed(disruption_resource(*key))
        if not allowed:
            return False
        if subject is None:
            return True
        if subject not in self._subjects:
            self.prepare([subject])
        return self._subjects[subject]


def _rows(session: Session, period: Period, forces: list[str] | None) -> list[_Row]:
    lead = aliased(AgencyRow)
    query = (
        select(
            DisruptionRow.id,
            AgencyRow.code,
            DisruptionRow.subject_kind,
            DisruptionRow.entity_id,
            DisruptionRow.theme,
            DisruptionRow.strand,
            DisruptionRow.grade,
            DisruptionRow.claimed_grade,
            DisruptionRow.validation,
            DisruptionRow.occurred_on,
            DisruptionRow.team,
            lead.kind,
            DisruptionRow.marking,
            DisruptionRow.scope,
        )
        .join(AgencyRow, AgencyRow.id == DisruptionRow.agency_id)
        .outerjoin(lead, lead.id == DisruptionRow.lead_agency_id)
        .where(DisruptionRow.occurred_on >= period.start, DisruptionRow.occurred_on <= period.end)
    )
    if forces is not None:
        query = query.where(AgencyRow.code.in_(forces))
    out = []
    for (
        rid,
        force,
        kind,
        subject,
        theme,
        strand,
        grade,
        claimed,
        validation,
        on,
        team,
        lead_kind,
        marking,
        scope,
    ) in session.execute(query):
        partner = lead_kind is not None and not police_kind(AgencyKind(lead_kind))
        out.append(
            _Row(
                rid,
                force,
                kind,
                subject,
                theme,
                strand,
                grade or claimed,
                validation,
                on,
                team,
                partner,
                marking,
                scope,
            )
        )
    return out


def is_county_lines(subject_kind: str, theme: str | None) -> bool:
    """County lines work: the drugs and county lines theme, or a county line as subject."""
    return theme == COUNTY_LINES_THEME or subject_kind == "county_line"


def tally_disruptions(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    period: Period,
    forces: list[str] | None = None,
) -> DisruptionTally:
    """Count the disruptions of `forces` (every force when None) in `period` that the
    reader may see, by month, grade, validation, strand, theme, county lines or other
    SOC, team and tactic, with sentences and convictions (see the module)."""
    tally = DisruptionTally(period)
    visibility = Visibility(session, actor=actor, ctx=ctx)
    found = _rows(session, period, forces)
    visibility.prepare(row.subject for row in found)
    rows = [r for r in found if visibility.sees(r.force, r.marking, r.scope, r.subject)]
    by_id: dict[int, _Row] = {}
    for row in rows:
        by_id[row.id] = row
        force = row.force
        tally.total[force] += 1
        tally.of("month")[force, row.occurred_on.strftime("%Y-%m")] += 1
        tally.of("grade")[force, row.grade] += 1
        tally.of("validation")[force, row.validation] += 1
        tally.of("strand")[force, row.strand] += 1
        tally.of("theme")[force, row.theme or ""] += 1
        soc = COUNTY_LINES if is_county_lines(row.subject_kind, row.theme) else OTHER_SOC
        tally.of("soc")[force, soc] += 1
        tally.of("month_soc")[force, f"{row.occurred_on:%Y-%m}|{soc}"] += 1
        tally.of("grade_validation")[force, f"{row.grade}|{row.validation}"] += 1
        tally.of("team")[force, row.team or ""] += 1
        tally.of("subject")[force, row.subject_kind] += 1
        tally.partner_led[force] += row.partner_led
    tally.ids = sorted(by_id)
    if not by_id:
        return tally
    _count_tactics(session, tally, by_id, period, forces)
    _count_outcomes(session, tally, by_id, period, forces)
    return tally


def _count_tactics(
    session: Session,
    tally: DisruptionTally,
    by_id: dict[int, _Row],
    period: Period,
    forces: list[str] | None,
) -> None:
    # One join over the same period, not an IN list of thousands of ids.
    query = (
        select(DisruptionTacticRow.disruption_id, DisruptionTacticRow.tactic)
        .join(DisruptionRow, DisruptionRow.id == DisruptionTacticRow.disruption_id)
        .where(DisruptionRow.occurred_on >= period.start, DisruptionRow.occurred_on <= period.end)
    )
    if forces is not None:
        query = query.join(AgencyRow, AgencyRow.id == DisruptionRow.agency_id).where(
            AgencyRow.code.in_(forces)
        )
    for disruption_id, tactic in session.execute(query):
        row = by_id.get(disruption_id)
        if row is not None:
            tally.of("tactic")[row.force, tactic] += 1


def _count_outcomes(
    session: Session,
    tally: DisruptionTally,
    by_id: dict[int, _Row],
    period: Period,
    forces: list[str] | None,
) -> None:
    query = (
        select(
            CourtOutcomeRow.disruption_id,
            CourtOutcomeRow.person_id,
            CourtOutcomeRow.stage,
            CourtOutcomeRow.sentence,
            CourtOutcomeRow.custodial_months,
        )
        .join(DisruptionRow, DisruptionRow.id == CourtOutcomeRow.disruption_id)
        .where(DisruptionRow.occurred_on >= period.start, DisruptionRow.occurred_on <= period.end)
    )
    if forces is not None:
        query = query.join(AgencyRow, AgencyRow.id == DisruptionRow.agency_id).where(
            AgencyRow.code.in_(forces)
        )
    convicted: set[tuple[int, int | None]] = set()
    for disruption_id, person_id, stage, sentence, months in session.execute(query):
        row = by_id.get(disruption_id)
        if row is None:
            continue
        if sentence == "custodial" and months:
            tally.custodial_months[row.force] += int(months)
            tally.of("team_months")[row.force, row.team or ""] += int(months)
            soc = COUNTY_LINES if is_county_lines(row.subject_kind, row.theme) else OTHER_SOC
            tally.of("soc_months")[row.force, soc] += int(months)
        if stage in ("convicted", "sentenced") and (disruption_id, person_id) not in convicted:
            convicted.add((disruption_id, person_id))
            tally.convictions[row.force] += 1
