"""Safeguarding consistency: is vulnerability spotted the same way in every force and area?

Definitions (the dashboard repeats them). A person's area is the policing area of the
address they reside at (the first, by code, if several; "unknown" if none); an area's
force is the force that polices it, and a person with no area counts for the force
that holds their record.

- **Screened before a charge decision**: of the charge or prosecution decisions recorded
  for suspects who may be under 18, for drug supply offences, the share where the
  suspect had been screened before the decision. (Threadline holds no arrests; the
  charge decision is where the safeguard stands.)
- **Days from first indicator to referral**: for each person with an indicator (a
  screening that found one, or a concern raised), the days from the first of them to
  the first safeguarding referral made on or after it; the median, and how many of the
  people with indicators have been referred at all.
- **First raised by a partner**: of the people with any concern or screening, the share
  whose first one was made by a partner organisation, not by police: partners having to
  tell police is what the inspection found.
- **Overrides**: charge decisions recorded by a supervisor's override of the safeguard.

Counts only: reading the figures is not a consultation of anyone's records. Who may see
them is policy's (`threadline.policy.figures`, `Dashboard.SAFEGUARDING`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.enums import AgencyKind
from threadline.model.links import LinkType
from threadline.policy.identity import police_kind
from threadline.stats.shares import Share
from threadline.storage.safeguarding_tables import (
    ChargeDecisionRow,
    ConcernRow,
    ReferralRow,
    ScreeningRow,
)
from threadline.storage.tables import AgencyRow, AreaRow, EntityRow, LinkRow, LocationRow

UNKNOWN = "unknown"


@dataclass
class Figures:
    """The figures of one force or area."""

    code: str
    force: str
    screened_before_charge: Share = field(default_factory=Share)
    referral_days: list[float] = field(default_factory=list)
    with_indicators: int = 0
    first_by_partner: Share = field(default_factory=Share)
    overrides: int = 0

    def to_dict(self) -> dict[str, Any]:
        days = self.referral_days
        return {
            "code": self.code,
            "force": self.force,
            "under_18_drug_supply_screened_before_charge": self.screened_before_charge.to_dict(),
            "median_days_first_indicator_to_referral": round(median(days), 1) if days else None,
            "people_with_indicators": self.with_indicators,
            "people_referred": len(days),
            "first_raised_by_partner": self.first_by_partner.to_dict(),
            "overrides": self.overrides,
        }


@dataclass
class SafeguardingConsistency:
    region: Figures
    forces: list[Figures]
    areas: list[Figures]

    def to_dict(self) -> dict[str, Any]:
        return {
            "region": self.region.to_dict(),
            "forces": [f.to_dict() for f in self.forces],
            "areas": [a.to_dict() for a in self.areas],
        }


def safeguarding_consistency(session: Session) -> SafeguardingConsistency:
    """The figures of the region, each force and each area (see the module docstring)."""
    agencies = {
        i: (code, kind)
        for i, code, kind in session.execute(select(AgencyRow.id, AgencyRow.code, AgencyRow.kind))
    }
    police = {i for i, (_, kind) in agencies.items() if police_kind(AgencyKind(kind))}
    places = _places(session, agencies)
    region = Figures("region", "")
    areas: dict[str, Figures] = {}
    forces: dict[str, Figures] = {}

    def buckets(person_id: int) -> list[Figures]:
        area, force = places.get(person_id, (UNKNOWN, UNKNOWN))
        key = f"{force}:{area}" if area == UNKNOWN else area
        if key not in areas:
            areas[key] = Figures(area, force)
        if force not in forces:
            forces[force] = Figures(force, force)
        return [region, forces[force], areas[key]]

    for row in session.scalars(select(ChargeDecisionRow)):
        for figures in buckets(row.person_id):
            if row.under_18 and row.drug_supply:
                figures.screened_before_charge.add(row.screened_before)
            if row.override_by:
                figures.overrides += 1

    firsts: dict[int, tuple[datetime, bool]] = {}  # first record: when, by a partner
    indicated: dict[int, datetime] = {}
    for person_id, at, owner, shown in session.execute(
        select(
            ScreeningRow.person_id,
            ScreeningRow.screened_at,
            ScreeningRow.owner_id,
            ScreeningRow.shown,
        )
    ):
        _earliest(firsts, person_id, at, owner not in police)
        if shown:
            indicated[person_id] = min(at, indicated.get(person_id, at))
    for person_id, at, owner in session.execute(
        select(ConcernRow.person_id, ConcernRow.raised_at, ConcernRow.owner_id)
    ):
        _earliest(firsts, person_id, at, owner not in police)
        indicated[person_id] = min(at, indicated.get(person_id, at))
    referrals: dict[int, list[datetime]] = defaultdict(list)
    for person_id, at in session.execute(select(ReferralRow.person_id, ReferralRow.referred_at)):
        referrals[person_id].append(at)

    for person_id, (_, by_partner) in firsts.items():
        for figures in buckets(person_id):
            figures.first_by_partner.add(by_partner)
    for person_id, first in indicated.items():
        after = [at for at in referrals.get(person_id, []) if at >= first]
        for figures in buckets(person_id):
            figures.with_indicators += 1
            if after:
                figures.referral_days.append((min(after) - first).total_seconds() / 86400)
    return SafeguardingConsistency(
        region,
        [forces[k] for k in sorted(forces)],
        [areas[k] for k in sorted(areas, key=lambda k: (areas[k].force, areas[k].code))],
    )


def _earliest(
    firsts: dict[int, tuple[datetime, bool]], person_id: int, at: datetime, by_partner: bool
) -> None:
    if person_id not in firsts or at < firsts[person_id][0]:
        firsts[person_id] = (at, by_partner)


def _places(session: Session, agencies: dict[int, tuple[str, str]]) -> dict[int, tuple[str, str]]:
    """Each safeguarded person's (area, force): see the module docstring."""
    people: set[int] = set()
    for table in (ChargeDecisionRow, ScreeningRow, ConcernRow, ReferralRow):
        people.update(session.scalars(select(table.person_id)))
    if not people:
        return {}
    ids = sorted(people)
    found: dict[int, tuple[str, str]] = {}
    for person_id, area, force_id in session.execute(
        select(LinkRow.from_id, AreaRow.code, AreaRow.force_id)
        .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
        .join(AreaRow, AreaRow.id == LocationRow.area_id)
        .where(LinkRow.from_id.in_(ids), LinkRow.link_type == LinkType.RESIDES_AT.value)
        .order_by(LinkRow.from_id, AreaRow.code)
    ):
        found.setdefault(person_id, (area, agencies[force_id][0]))
    for person_id, owner_id in session.execute(
        select(EntityRow.id, EntityRow.owner_id).where(EntityRow.id.in_(ids))
    ):
        found.setdefault(person_id, (UNKNOWN, agencies[owner_id][0]))
    return found
