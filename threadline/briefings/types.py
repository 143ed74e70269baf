"""What a briefing is made of: sections, compiled items, and the views readers get.

An item is compiled once into the pack (`briefing_item`), so the pack stays a record of
what was briefed; when shown, each item is checked again for the reader (`decide`), so
an officer without the clearance for an item never sees it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from threadline.model.enums import Marking
from threadline.policy import Action


class Section(StrEnum):
    """The sections of a briefing pack, in the order they are briefed."""

    NOTICE = "notice"  # active threat notices for the area
    OCG = "ocg"  # organised crime groups operating in the area
    NOMINAL = "nominal"  # principals and lieutenants who live in the area
    VEHICLE = "vehicle"  # vehicles those groups use
    DEAL_LINE = "deal_line"  # county lines importing into the area, with their deal lines
    CUCKOOED = "cuckooed"  # addresses taken over as a base (cuckooing)
    RELEASE = "release"  # prisoners released into the area, last and next 14 days
    SAFEGUARDING = "safeguarding"  # new safeguarding concerns in the area

    @property
    def heading(self) -> str:
        return SECTION_HEADINGS[self]


SECTION_HEADINGS: dict[Section, str] = {
    Section.NOTICE: "Threat notices",
    Section.OCG: "Organised crime groups active here",
    Section.NOMINAL: "Nominals of note",
    Section.VEHICLE: "Vehicles",
    Section.DEAL_LINE: "County lines and deal lines",
    Section.CUCKOOED: "Cuckooed addresses",
    Section.RELEASE: "Prisoners released into the area (last and next 14 days)",
    Section.SAFEGUARDING: "New safeguarding concerns",
}

# Where each section's record has its profile page in the web app.
PROFILE_PATHS: dict[Section, str] = {
    Section.OCG: "/groups",
    Section.RELEASE: "/people",
    Section.SAFEGUARDING: "/people",
    Section.NOMINAL: "/people",
    Section.VEHICLE: "/vehicles",
    Section.DEAL_LINE: "/county-lines",
    Section.CUCKOOED: "/locations",
}

# Sections with no source yet, and why: they are shown empty, never filled with guesses.
PENDING_SECTIONS: dict[Section, str] = {}


@dataclass(slots=True)
class Draft:
    """One item as compiled, before it is stored."""

    section: Section
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)  # label, value
    entity_id: int | None = None
    notice_id: int | None = None
    group_id: int | None = None
    grading: str | None = None
    handling: str | None = None
    conditions: str | None = None
    marking: str = Marking.OFFICIAL.value

    def body(self) -> str:
        """The rows as stored: a JSON list of [label, value] pairs."""
        return json.dumps([[label, value] for label, value in self.rows if value])


def rows_of(body: str) -> list[tuple[str, str]]:
    """The [label, value] rows of a stored item (older free text becomes one row)."""
    if not body:
        return []
    try:
        parsed = json.loads(body)
    except ValueError:
        return [("Details", body)]
    if not isinstance(parsed, list):
        return [("Details", body)]
    return [(str(pair[0]), str(pair[1])) for pair in parsed if len(pair) == 2]


@dataclass(frozen=True, slots=True)
class ItemView:
    """One item as a reader may see it."""

    id: int
    section: Section
    title: str
    rows: list[tuple[str, str]]
    grading: str | None
    handling: str | None
    conditions: str | None
    marking: str
    entity_id: int | None
    notice_id: int | None
    group_id: int | None
    withdrawn: bool = False  # a notice withdrawn since the pack was compiled
    also: tuple[int, ...] = ()  # other records of the same person joined into this item

    @property
    def href(self) -> str | None:
        """The record's profile page, for items about one record."""
        base = PROFILE_PATHS.get(self.section)
        return f"{base}/{self.entity_id}" if base and self.entity_id is not None else None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "section": self.section.value,
            "title": self.title,
            "rows": [list(r) for r in self.rows],
            "grading": self.grading,
            "handling": self.handling,
            "conditions": self.conditions,
            "marking": self.marking,
            "entity_id": self.entity_id,
            "notice_id": self.notice_id,
            "group_id": self.group_id,
            "withdrawn": self.withdrawn,
        }


@dataclass(frozen=True, slots=True)
class SectionView:
    section: Section
    items: list[ItemView]
    pending: str | None = None  # why the section has no source yet

    @property
    def heading(self) -> str:
        return self.section.heading


@dataclass(frozen=True, slots=True)
class BriefingView:
    """A briefing pack as one reader may see it."""

    id: int
    area_code: str
    area_name: str
    force_code: str
    force_name: str
    shift_start: datetime
    compiled_at: datetime
    sections: list[SectionView]
    withheld: int  # items left out because the reader may not see them
    acknowledged_at: datetime | None
    # What the reader may do with the pack (acknowledge; read_receipts: who has read it).
    allowed: frozenset[Action] = frozenset()

    @property
    def items(self) -> list[ItemView]:
        return [item for section in self.sections for item in section.items]

    @property
    def conditions(self) -> list[ItemView]:
        """Items carrying code C conditions (shown prominently)."""
        return [item for item in self.items if item.conditions]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "area": {"code": self.area_code, "name": self.area_name},
            "force": {"code": self.force_code, "name": self.force_name},
            "shift_start": self.shift_start.isoformat(),
            "compiled_at": self.compiled_at.isoformat(),
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
            "withheld": self.withheld,
            "sections": [
                {
                    "section": s.section.value,
                    "heading": s.heading,
                    "pending": s.pending,
                    "items": [i.as_dict() for i in s.items],
                }
                for s in self.sections
            ],
        }


@dataclass(frozen=True, slots=True)
class BriefingSummary:
    """A line of the briefings list."""

    id: int
    area_code: str
    area_name: str
    shift_start: datetime
    items: int
    current: bool
    acknowledged_at: datetime | None


@dataclass(frozen=True, slots=True)
class Reader:
    """A frontline officer of the area, and whether they have acknowledged the pack."""

    username: str
    display_name: str
    acknowledged_at: datetime | None


def format_day(on: date) -> str:
    return on.strftime("%A %-d %B %Y")
