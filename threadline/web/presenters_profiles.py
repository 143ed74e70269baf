"""Turn a profile from the profile service into what the profile page shows.

Templates stay free of policy: a field or linked record policy withheld is simply
absent from the profile, so it has no row, no table line and no timeline entry here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from threadline.model.schema import COMMON_SUMMARY, PERSON, RECORD_KINDS
from threadline.policy import ResourceKind, View
from threadline.profiles import KindSection, Linked, PersonProfile, Profile
from threadline.profiles.golden import GoldenNominal, uk_date
from threadline.profiles.records import label as record_label
from threadline.reference.geography import area_name, organisation_name
from threadline.web.presenters import (
    exploitation_texts,
    other_prompts,
    prompt_lines,
    warning_labels,
)

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


# Fields holding codes where people read names: organisations, policing areas.
_ORGANISATION_FIELDS = frozenset({"owner", "establishment_code"})
_AREA_FIELDS = frozenset({"areas", "area", "exporting_area", "importing_area"})


def plain(key: str, value: object) -> str:
    """A field's value as people read it: organisations and policing areas by name, dates
    as officers write them (07/03/1990; 14 June 2026 for a day something happened),
    never a code, an ISO date, None or True."""
    if isinstance(value, datetime):
        return long_date(value.date())
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(t for t in (plain(key, v) for v in value) if t)
    text = _text(value)
    if not text:
        return ""
    if key in _ORGANISATION_FIELDS:
        return organisation_name(text)
    if key in _AREA_FIELDS:
        return area_name(text)
    if key == "date_of_birth":
        return uk_date(text)
    if key == "org_type":
        return ORG_TYPES.get(text, text.capitalize())
    return _date_text(text) if _ISO_DAY.match(text) else dates_in_words(text)


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][\d:.+Z-]*)?$")
_ISO_IN_TEXT = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def dates_in_words(text: str) -> str:
    """`text` with each ISO date in it written out ("next review 2027-01-04" becomes
    "next review 4 January 2027"), as other capabilities' titles may hold them."""

    def written(found: re.Match[str]) -> str:
        try:
            return long_date(date(*(int(part) for part in found.groups())))
        except ValueError:
            return found.group(0)

    return _ISO_IN_TEXT.sub(written, text)


def identity_rows(kind: ResourceKind, record: View) -> list[tuple[str, str]]:
    """Summary-list rows for the fields shown (a field withheld has no row at all)."""
    rows = []
    for key, label in IDENTITY[kind] + COMMON:
        value = plain(key, record.get(key))
        if value:
            rows.append((label, value))
    return rows


# Fields of a custody episode or safeguarding record not shown in a profile's section:
# ids, the person (the page is theirs) and machine detail.
_SECTION_HIDDEN = frozenset(
    {"id", "person_id", "record_type", "config_version", "score", "screened_at"}
)
_SECTION_LABELS = {
    "owner": "Recorded by",
    "by": "By",
    "at": "On",
    "establishment_code": "Prison",
    "in_custody": "In custody now",
}


def section_items(section: KindSection | None) -> list[list[tuple[str, str]]] | None:
    """A custody or safeguarding section's records as summary-list rows in plain English
    (None where the page has no such section)."""
    if section is None:
        return None
    items = []
    for item in section.items:
        rows = []
        for key, value in item.items():
            if key in _SECTION_HIDDEN or (key == "establishment_code" and "establishment" in item):
                continue
            text = plain(key, value)
            if text:
                rows.append((_SECTION_LABELS.get(key, key.replace("_", " ").capitalize()), text))
        items.append(rows)
    return items


def custody_text(episode: View) -> str:
    """An episode as a line of the golden nominal: "In custody – HMP Norwich, expected
    release 1 March 2027", "On licence until ...", or "" for one long over."""
    prison = _text(episode.get("establishment")) or "prison"
    if episode.get("in_custody"):
        release = plain("expected_release", episode.get("expected_release"))
        return f"In custody – {prison}, " + (
            f"expected release {release}" if release else "no release date"
        )
    licence_end = episode.get("licence_end")
    if isinstance(licence_end, date) and licence_end >= date.today():
        released = plain("released_on", episode.get("released_on"))
        return f"On licence until {long_date(licence_end)} – released from {prison}" + (
            f" on {released}" if released else ""
        )
    return ""


_NOT_IN_IDENTITY = frozenset(
    PERSON.label(name)
    for name in ("marking", "owner", "given_names", "family_name", "date_of_birth")
)


def golden_context(golden: GoldenNominal | None, own_id: int) -> dict[str, Any] | None:
    """The golden nominal as the top of a person's profile shows it: warnings and safety
    first (markers, groups with role and LRO, custody, prompts to protect), then the
    best identity, then each force's record with how it differs."""
    if golden is None:
        return None
    identity = golden.identity
    owners = {_text(p.get("owner")) for p in golden.safeguarding}
    names = {code: organisation_name(code) for code in owners}
    return {
        "title": record_label(ResourceKind.PERSON, identity),
        "warnings": warning_labels(identity.get("warning_markers")),
        "groups": [link_line(item) for item in golden.memberships],
        "custody": [t for t in (custody_text(e) for e in golden.custody) if t],
        "safeguarding": [prompt_lines(p, names) for p in other_prompts(golden.safeguarding)],
        "exploitation": exploitation_texts(golden.safeguarding),
        "rows": [
            (row_label, value)
            for row_label, value in identity_rows(ResourceKind.PERSON, identity)
            # The name and date of birth are in the title; who holds it is listed below.
            if row_label not in _NOT_IN_IDENTITY
        ],
        "forces": list(dict.fromkeys(source.owner_name for source in golden.sources)),
        "records": [
            {
                "heading": ", ".join(p for p in (source.owner_name, source.source_system) if p),
                "href": href(ResourceKind.PERSON, source.record["id"]),
                "this": source.record.get("id") == own_id,
                "differences": list(source.differences),
                "conditions": _text(source.record.conditions),
                "name": record_label(ResourceKind.PERSON, source.record),
            }
            for source in golden.sources
        ],
    }


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
                "title": dates_in_words(entry.title),
                "href": href(entry.record_kind, entry.record_id)
                if entry.record_kind is not None and entry.record_id is not None
                else "",
                "text": dates_in_words(entry.text),
            }
            for entry in profile.timeline
        ],
        "reports": report_lines(profile),
        "custody": None,
        "safeguarding": None,
        "exploitation": [],
    }
    context["golden"] = None
    if isinstance(profile, PersonProfile):
        context["custody"] = section_items(profile.custody)
        context["safeguarding"] = section_items(profile.safeguarding)
        context["golden"] = golden_context(profile.golden, profile.id)
        golden_says = context["golden"] and context["golden"]["exploitation"]
        if profile.exploitation is not None and not golden_says:
            context["exploitation"] = exploitation_texts([profile.exploitation])
    if kind in CHARTED:
        context["chart_entity_id"] = profile.id
    return context
