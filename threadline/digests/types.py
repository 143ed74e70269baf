"""What a partner sees of a digest: items holding only the fields its agreement allows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from threadline.clock import uk_date, uk_datetime
from threadline.reference.geography import area_name, organisation_name

# How stored field names read on the page (anything else: the name, capitalised).
FIELD_LABELS = {
    "ref": "Reference",
    "owner": "From",
    "marking": "Marking",
    "title": "Title",
    "threat": "Threat",
    "place": "Where",
    "action": "What to do",
    "contact": "Contact",
    "areas": "Areas",
    "grading": "Grading",
    "handling": "Handling code",
    "conditions": "Conditions",
    "review_date": "Review by",
    "published_at": "Published",
    "text": "Intelligence",
    "report_ref": "Report",
    "area": "Area",
    "created_at": "Made",
    "subject": "Record",
    "status": "Status",
    "restricted_to": "Restricted to",
    "source_eval": "Source evaluation",
    "intel_eval": "Intelligence assessment",
}
# Shown elsewhere on the item (tags, conditions box) or meaningless to a partner.
NOT_LISTED = frozenset({"id", "marking", "handling", "conditions", "grading", "subject", "title"})
SECTION_HEADINGS = {"notice": "Threat notices", "intelligence": "Sanitised intelligence"}


def field_rows(body: str) -> list[tuple[str, str]]:
    """The stored permitted fields of an item as [label, value] rows for display."""
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return [("Details", body)]
    if not isinstance(data, dict):
        return [("Details", body)]
    rows = []
    for name, value in data.items():
        if name in NOT_LISTED or value in (None, "", []):
            continue
        rows.append(
            (FIELD_LABELS.get(name, name.replace("_", " ").capitalize()), _shown(name, value))
        )
    return rows


def _shown(name: str, value: object) -> str:
    """A stored value as a partner reads it: dates as GOV.UK writes them, names for codes."""
    values = value if isinstance(value, list) else [value]
    if name in _DATES:
        return ", ".join(uk_date(str(v)) for v in values)
    if name in _MOMENTS:
        return ", ".join(uk_datetime(str(v)) for v in values)
    if name in ("areas", "area"):
        return ", ".join(area_name(str(v)) for v in values)
    if name == "restricted_to":
        return ", ".join(organisation_name(str(v)) for v in values)
    if name == "status":
        return ", ".join(str(v).capitalize() for v in values)
    return ", ".join(map(str, values))


_DATES = frozenset({"review_date"})
_MOMENTS = frozenset({"published_at", "created_at"})


def body_marking(body: str) -> str:
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        return "OFFICIAL"
    return str(data.get("marking") or "OFFICIAL") if isinstance(data, dict) else "OFFICIAL"


@dataclass(frozen=True, slots=True)
class DigestItemView:
    id: int
    section: str
    title: str
    rows: list[tuple[str, str]]
    fields: list[str]  # the names of the fields the agreement let through
    marking: str
    grading: str | None
    handling: str | None
    conditions: str | None
    isa_ref: str | None

    @property
    def heading(self) -> str:
        return SECTION_HEADINGS.get(self.section, self.section.capitalize())

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "section": self.section,
            "title": self.title,
            "fields": self.fields,
            "rows": [list(r) for r in self.rows],
            "marking": self.marking,
            "grading": self.grading,
            "handling": self.handling,
            "conditions": self.conditions,
            "isa_ref": self.isa_ref,
        }


@dataclass(frozen=True, slots=True)
class DigestView:
    id: int
    agency_code: str
    agency_name: str
    period_start: datetime
    compiled_at: datetime
    emailed_at: datetime | None
    items: list[DigestItemView]
    withheld: int
    acknowledged_at: datetime | None

    @property
    def conditions(self) -> list[DigestItemView]:
        return [item for item in self.items if item.conditions]

    def sections(self) -> list[tuple[str, list[DigestItemView]]]:
        found: dict[str, list[DigestItemView]] = {}
        for item in self.items:
            found.setdefault(item.section, []).append(item)
        return [(SECTION_HEADINGS.get(k, k), v) for k, v in found.items()]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "agency": self.agency_code,
            "period_start": self.period_start.isoformat(),
            "compiled_at": self.compiled_at.isoformat(),
            "emailed_at": self.emailed_at.isoformat() if self.emailed_at else None,
            "acknowledged_at": self.acknowledged_at.isoformat() if self.acknowledged_at else None,
            "withheld": self.withheld,
            "items": [item.as_dict() for item in self.items],
        }


@dataclass(frozen=True, slots=True)
class DigestSummary:
    id: int
    period_start: datetime
    items: int
    acknowledged_at: datetime | None
