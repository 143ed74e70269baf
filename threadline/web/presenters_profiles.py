"""Turn a profile from the profile service into what the profile page shows.

Templates stay free of policy: a field or linked record policy withheld is simply
absent from the profile, so it has no row, no table line and no timeline entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from threadline.model.schema import COMMON_SUMMARY, PERSON, RECORD_KINDS
from threadline.policy import ResourceKind, View
from threadline.profiles import Linked, PersonProfile, Profile
from threadline.web.presenters import warning_labels

# Where each kind's profile lives.
PATHS: dict[ResourceKind, str] = {
    ResourceKind.PERSON: "/people",
    ResourceKind.ORGANISATION: "/groups",
    ResourceKind.PHONE: "/phones",
    ResourceKind.VEHICLE: "/vehicles",
    ResourceKind.LOCATION: "/locations",
    ResourceKind.COUNTY_LINE: "/county-lines",
}
CAPTIONS: dict[ResourceKind, str] = {
    ResourceKind.PERSON: "Person",
    ResourceKind.ORGANISATION: "Group",
    ResourceKind.PHONE: "Phone",
    ResourceKind.VEHICLE: "Vehicle",
    ResourceKind.LOCATION: "Address",
    ResourceKind.COUNTY_LINE: "County line",
}
# The summary list of each kind: (field, label), in order; absent fields have no row. The
# fields and their labels are the record schema's (`threadline.model.schema`).
IDENTITY: dict[ResourceKind, tuple[tuple[str, str], ...]] = {
    ResourceKind(kind.value): tuple((name, spec.label(name)) for name in spec.summary)
    for kind, spec in RECORD_KINDS.items()
}
COMMON = tuple((name, PERSON.label(name)) for name in COMMON_SUMMARY)
ORG_TYPES = {"ocg": "Organised crime group (OCG)", "gang": "Street gang", "business": "Business"}

# The heading of each group of links, by the link's name read from the profile's end.
HEADINGS: dict[str, str] = {
    "member_of": "Groups",
    "has_member": "Members",
    "runs_line": "County lines run",
    "line_run_by": "Run by",
    "runner_for": "Runner for",
    "has_runner": "Runners",
    "exploits": "Exploits",
    "exploited_by": "Exploited by",
    "associate_of": "Associates",
    "family_of": "Family",
    "uses_phone": "Phones",
    "phone_used_by": "Used by",
    "line_phone": "Deal lines",
    "deal_line_of": "Deal line of",
    "uses_vehicle": "Vehicles",
    "vehicle_used_by": "Used by",
    "resides_at": "Addresses",
    "residence_of": "Lives here",
    "operates_from": "Operates from",
    "base_of": "Base of",
    "cuckoos": "Cuckooed addresses",
    "cuckooed_by": "Cuckooed by",
    "called": "Called",
    "called_by": "Called by",
}
ROLE_TAGS = {
    "principal": "govuk-tag--red",
    "lieutenant": "govuk-tag--orange",
    "associate": "govuk-tag--yellow",
    "runner": "govuk-tag--purple",
}
MARKING_TAGS = {
    "OFFICIAL": "govuk-tag--grey",
    "OFFICIAL-SENSITIVE": "govuk-tag--blue",
    "SECRET": "govuk-tag--red",
    "TOP SECRET": "govuk-tag--red",
}
# Kinds whose page carries the link chart (made by the chart partial, when present).
CHARTED = frozenset(PATHS) - {ResourceKind.COUNTY_LINE}


def href(kind: ResourceKind, entity_id: object) -> str:
    """The profile page of a record."""
    return f"{PATHS[kind]}/{entity_id}"


def long_date(value: date) -> str:
    """GOV.UK style: 14 June 2026."""
    return f"{value.day} {value:%B %Y}"


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def identity_rows(kind: ResourceKind, record: View) -> list[tuple[str, str]]:
    """Summary-list rows for the fields shown (a field withheld has no row at all)."""
    rows = []
    for key, label in IDENTITY[kind] + COMMON:
        value = _text(record.get(key))
        if key == "org_type":
            value = ORG_TYPES.get(value, value.capitalize())
        if value:
            rows.append((label, value))
    return rows


@dataclass(frozen=True, slots=True)
class LinkLine:
    """One linked record as a table row shows it."""

    href: str
    label: str
    role: str
    role_tag: str
    when: str
    current: bool
    lro: str
    group_type: str  # for a group: what kind of group it is, as far as shown


def link_line(item: Linked) -> LinkLine:
    if item.valid_from and item.valid_to:
        when = f"{long_date(item.valid_from)} to {long_date(item.valid_to)}"
    elif item.valid_from:
        when = f"Since {long_date(item.valid_from)}"
    elif item.valid_to:
        when = f"Until {long_date(item.valid_to)}"
    else:
        when = ""
    role = item.role or ""
    return LinkLine(
        href=href(item.kind, item.id),
        label=item.label,
        role=role,
        role_tag=ROLE_TAGS.get(role, "govuk-tag--grey"),
        when=when,
        current=item.current,
        lro=_text(item.record.get("lro")),
        group_type=ORG_TYPES.get(_text(item.record.get("org_type")), ""),
    )


def report_lines(profile: Profile) -> list[dict[str, Any]]:
    """The intelligence list: originals first, then sanitised versions, newest first."""
    shown: list[dict[str, Any]] = []
    for report in profile.reports:
        shown.append(
            {
                "ref": report.ref,
                "what": "Intelligence report",
                "on": _date_text(report.get("reported_on")),
                "grading": _text(report.get("grading")),
                "legacy": _text(report.get("legacy_grade")),
                "handling": _text(report.get("handling")),
                "conditions": report.conditions,
                "paragraphs": [
                    (label, _text(report.get(key)))
                    for key, label in (("fact", "Fact"), ("assessment", "Assessment"))
                    if _text(report.get(key))
                ],
                "isa_ref": report.isa_ref,
            }
        )
    for version in profile.sanitised:
        shown.append(
            {
                "ref": version.ref,
                "what": "Sanitised intelligence",
                "on": _date_text(version.get("created_at")),
                "grading": _text(version.get("grading")),
                "legacy": "",
                "handling": _text(version.get("handling")),
                "conditions": version.conditions,
                "paragraphs": [("", _text(version.get("text")))] if version.get("text") else [],
                "isa_ref": version.isa_ref,
            }
        )
    return shown


def _date_text(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        return long_date(datetime.fromisoformat(value).date())
    except ValueError:
        return value


def page_context(profile: Profile) -> dict[str, Any]:
    """Everything the profile template shows, worked out from the service's profile."""
    kind = profile.kind
    groups = [
        {
            "id": f"links-{group.name.replace('_', '-')}",
            "name": group.name,
            "heading": HEADINGS.get(group.name, group.name.replace("_", " ").capitalize()),
            "items": [link_line(item) for item in group.items],
        }
        for group in profile.links
    ]
    context: dict[str, Any] = {
        "kind": kind.value,
        "caption": CAPTIONS[kind],
        "heading": profile.title,
        "record": profile.record,
        "marking": _text(profile.record.get("marking")),
        "marking_tag": MARKING_TAGS.get(_text(profile.record.get("marking")), "govuk-tag--grey"),
        "conditions": profile.record.conditions,
        "isa_ref": profile.record.isa_ref,
        "warnings": warning_labels(profile.record.get("warning_markers")),
        "rows": identity_rows(kind, profile.record),
        "memberships": [link_line(item) for item in profile.group("member_of")],
        "link_groups": groups,
        "timeline": [
            {
                "iso": entry.on.isoformat(),
                "on": long_date(entry.on),
                "title": entry.title,
                "href": href(entry.record_kind, entry.record_id)
                if entry.record_kind is not None and entry.record_id is not None
                else "",
                "text": entry.text,
            }
            for entry in profile.timeline
        ],
        "reports": report_lines(profile),
        "custody": None,
        "safeguarding": None,
    }
    if isinstance(profile, PersonProfile):
        context["custody"] = profile.custody
        context["safeguarding"] = profile.safeguarding
    if kind in CHARTED:
        context["chart_entity_id"] = profile.id
    return context
