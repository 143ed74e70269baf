"""The sharing coverage figures of the region, per force, per area and per partner, as
`stats.sharing` computes them (its docstring defines each one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from threadline.stats.shares import Share

WINDOW = timedelta(days=7)  # the frontline must be reached within this of publication


@dataclass
class AreaFigures:
    code: str
    name: str
    force: str
    active_notices: int = 0
    frontline: Share = field(default_factory=Share)
    briefings_acknowledged: Share = field(default_factory=Share)


@dataclass
class PartnerFigures:
    code: str
    name: str
    covered: Share = field(default_factory=Share)  # active notices covered -> reached
    reach: Share = field(default_factory=Share)  # threats due to it -> told (stats.reach)
    digests_acknowledged: Share = field(default_factory=Share)
    notices_acknowledged: Share = field(default_factory=Share)


@dataclass
class ForceFigures:
    code: str
    name: str
    active_notices: int = 0  # owned by the force
    frontline: Share = field(default_factory=Share)  # over (notice, area of the force)
    partners: Share = field(default_factory=Share)  # over (notice of the force, partner)
    briefings_acknowledged: Share = field(default_factory=Share)


@dataclass
class SharingCoverage:
    on: date
    active_notices: int
    forces: list[ForceFigures]
    areas: list[AreaFigures]
    partners: list[PartnerFigures]
    frontline: Share
    partner_coverage: Share
    briefings_acknowledged: Share
    digests_acknowledged: Share
    partner_reach: Share = field(default_factory=Share)  # over (threat, partner due it)

    def to_dict(self) -> dict[str, Any]:
        def shares(obj: object, names: Iterable[str]) -> dict[str, Any]:
            return {name: getattr(obj, name).to_dict() for name in names}

        return {
            "on": self.on.isoformat(),
            "window_days": WINDOW.days,
            "region": {
                "active_notices": self.active_notices,
                "frontline_within_7_days": self.frontline.to_dict(),
                "partners_with_covering_isa": self.partner_coverage.to_dict(),
                "partners_told_of_threats": self.partner_reach.to_dict(),
                "briefings_acknowledged": self.briefings_acknowledged.to_dict(),
                "digests_acknowledged": self.digests_acknowledged.to_dict(),
            },
            "forces": [
                {
                    "code": f.code,
                    "name": f.name,
                    "active_notices": f.active_notices,
                    "frontline_within_7_days": f.frontline.to_dict(),
                    "partners_with_covering_isa": f.partners.to_dict(),
                    "briefings_acknowledged": f.briefings_acknowledged.to_dict(),
                }
                for f in self.forces
            ],
            "areas": [
                {
                    "code": a.code,
                    "name": a.name,
                    "force": a.force,
                    "active_notices": a.active_notices,
                    "frontline_within_7_days": a.frontline.to_dict(),
                    "briefings_acknowledged": a.briefings_acknowledged.to_dict(),
                }
                for a in self.areas
            ],
            "partners": [
                {
                    "code": p.code,
                    "name": p.name,
                    **shares(
                        p, ("covered", "reach", "digests_acknowledged", "notices_acknowledged")
                    ),
                }
                for p in self.partners
            ],
        }
