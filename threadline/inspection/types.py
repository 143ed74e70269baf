"""What the dashboard and the inspection pack are made of: figures, sections, the pack.

A `Figure` is one chart with the table of its figures, a sentence saying what it shows,
the method (how it is counted), the period it covers and links to the records behind it
(pages that list them as the reader may see them). A figure the reader may not see
carries the reason instead (`withheld`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from threadline.clock import uk_date
from threadline.inspection.charts import Chart

__all__ = ["Figure", "InspectionPack", "Link", "Section", "period_text"]


def period_text(start: date, end: date) -> str:
    """ "1 April 2026 to 30 September 2026"."""
    return f"{uk_date(start)} to {uk_date(end)}"


@dataclass(frozen=True, slots=True)
class Link:
    """A page listing the records behind a figure."""

    label: str
    href: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: its chart (with table and summary), method, period and links."""

    key: str
    title: str
    method: str
    period: str
    chart: Chart | None
    links: tuple[Link, ...] = ()
    withheld: str | None = None  # why the reader may not see it (the figure is absent)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "method": self.method,
            "period": self.period,
            "summary": self.chart.summary if self.chart else None,
            "table": self.chart.table.as_dict() if self.chart else None,
            "links": [{"label": link.label, "href": link.href} for link in self.links],
            "withheld": self.withheld,
        }


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (an HMICFRS question, or a dashboard theme) and its figures."""

    heading: str
    intro: str
    figures: tuple[Figure, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "intro": self.intro,
            "figures": [f.as_dict() for f in self.figures],
        }


@dataclass(frozen=True, slots=True)
class InspectionPack:
    """The evidence for one force, or the region's forces side by side, for a period."""

    force: str | None  # None: the region
    scope_name: str  # "Norfolk Constabulary" or "the region's seven forces"
    forces: tuple[str, ...]
    start: date
    end: date
    produced_at: datetime
    reader: str
    headlines: tuple[tuple[str, str], ...]  # (label, figure) for the summary list
    sections: tuple[Section, ...]
    records: tuple[int, ...] = field(default=(), repr=False)  # counted, for the audit

    @property
    def period(self) -> str:
        return period_text(self.start, self.end)

    def as_dict(self) -> dict[str, Any]:
        return {
            "force": self.force,
            "scope": self.scope_name,
            "forces": list(self.forces),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "produced_at": self.produced_at.isoformat(),
            "reader": self.reader,
            "headlines": [{"label": k, "figure": v} for k, v in self.headlines],
            "sections": [s.as_dict() for s in self.sections],
        }
