"""Turn service results into what templates show: titles, summary-list rows, tags.

Templates stay free of policy: a field policy withheld is simply absent from the record,
so it has no row here. Nothing is shown as "withheld" either, since even that can tell a
partner more than their agreement allows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from threadline.check import Card
from threadline.check.resolved import Source, uk_date
from threadline.model.enums import EntityKind, WarningMarker
from threadline.model.schema import COMMON_SUMMARY, RECORD_KINDS
from threadline.policy import ResourceKind, View
from threadline.prison.wording import custody_lines
from threadline.reference.geography import area_name

# Where each kind's profile page is.
PROFILE_PATHS: dict[ResourceKind, str] = {
    ResourceKind.PERSON: "/people/{}",
    ResourceKind.ORGANISATION: "/groups/{}",
    ResourceKind.PHONE: "/phones/{}",
    ResourceKind.VEHICLE: "/vehicles/{}",
    ResourceKind.LOCATION: "/locations/{}",
    ResourceKind.COUNTY_LINE: "/county-lines/{}",
}


# How a card tags each kind of group a person belongs to.
GROUP_TAGS = {"ocg": "OCG member", "gang": "Gang member", "business": "Linked business"}


def profile_href(kind: ResourceKind, record: View) -> str:
    """The profile page of a record, or "" where it has none or its id is withheld."""
    path = PROFILE_PATHS.get(kind)
    return path.format(record["id"]) if path and "id" in record else ""


def warning_labels(codes: object) -> list[str]:
    """Warning marker codes as officers read them (`WE` -> `Weapons`); unknown codes kept."""
    if not isinstance(codes, list | tuple):
        return []
    labels = []
    for code in codes:
        try:
            labels.append(WarningMarker(str(code)).label)
        except ValueError:
            labels.append(str(code))
    return labels


@dataclass(frozen=True, slots=True)
class CardPage:
    """One result card as the check page shows it."""

    kind: str
    title: str
    rows: list[tuple[str, str]]
    href: str = ""  # the record's profile page
    warnings: list[str] = field(default_factory=list)  # warning markers, as labels
    # (tag, group name, role, LRO to contact or "", group profile page or "")
    groups: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    # (line name, how the record stands to it, where it runs and its deal lines, page)
    lines: list[tuple[str, str, str, str]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    conditions: str | None = None
    isa_ref: str | None = None
    # (grading, handling, text, conditions) of recent sanitised intelligence
    intelligence: list[tuple[str, str, str, str]] = field(default_factory=list)
    # (heading, text, detail) of each safeguarding prompt: a prompt to protect
    safeguarding: list[tuple[str, str, str]] = field(default_factory=list)
    # "Possible victim of exploitation – safeguard": why, first on the card (or empty)
    exploitation: list[str] = field(default_factory=list)
    # "In custody – HMP Norwich, expected release 2027-03-01" or "On licence until ..."
    custody: list[str] = field(default_factory=list)
    # A resolved person's source records: (heading, profile page, differences, conditions)
    records: list[tuple[str, str, list[str], str]] = field(default_factory=list)
    # People linked to a phone, vehicle or address held by several records, warnings
    # first: (name, how they are linked, profile page, warning markers as labels, why they
    # may be a victim of exploitation or "")
    people: list[tuple[str, str, str, list[str], str]] = field(default_factory=list)


def _text(value: object) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _rows(record: View, labels: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [
        (label, _text(record[key])) for key, label in labels if key in record and _text(record[key])
    ]


# A card's rows for each kind: the record schema's summary fields and labels, in order.
LABELS = {
    kind: tuple((name, spec.label(name)) for name in spec.summary)
    for kind, spec in (
        (ResourceKind(entity.value), RECORD_KINDS[entity])
        for entity in (EntityKind.PERSON, EntityKind.PHONE, EntityKind.VEHICLE, EntityKind.LOCATION)
    )
}
COMMON = tuple((name, RECORD_KINDS[EntityKind.PERSON].label(name)) for name in COMMON_SUMMARY)


def _title(card: Card) -> str:
    record = card.record
    if card.kind is ResourceKind.PERSON:
        return _person_name(record)
    if card.kind is ResourceKind.PHONE:
        return f"Phone {_text(record.get('number'))}".strip()
    if card.kind is ResourceKind.VEHICLE:
        return f"Vehicle {_text(record.get('vrm'))}".strip()
    parts = [_text(record.get(k)) for k in ("line1", "town", "postcode")]
    return ", ".join(p for p in parts if p) or "Address"


def _line(line: View, relation: str) -> tuple[str, str, str, str]:
    route = " into ".join(
        p for p in (_text(line.get("exporting_area")), _text(line.get("importing_area"))) if p
    )
    deals = _text(line.get("deal_lines"))
    detail = "; ".join(
        p for p in (f"from {route}" if route else "", f"deal line {deals}" if deals else "") if p
    )
    name = _text(line.get("name")) or "a county line"
    return name, relation, detail, profile_href(ResourceKind.COUNTY_LINE, line)


def exploitation_texts(prompts: Sequence[View]) -> list[str]:
    """Why the person may be a victim of exploitation, from the exploitation prompt among
    `prompts` (`threadline.safeguarding.exploitation`); empty if there is none."""
    return [_text(p.get("text")) for p in prompts if p.get("record_type") == "exploitation"]


def other_prompts(prompts: Sequence[View]) -> list[View]:
    """The prompts to protect other than the exploitation prompt, shown after it."""
    return [p for p in prompts if p.get("record_type") != "exploitation"]


def prompt_lines(prompt: View, names: Mapping[str, str] | None = None) -> tuple[str, str, str]:
    """A safeguarding prompt as (heading, text, detail) for a card."""
    if prompt.get("record_type") == "exploitation":
        return _text(prompt.get("heading")), _text(prompt.get("text")), ""
    owner = _text(prompt.get("owner"))
    who, when = (names or {}).get(owner, owner), uk_date(_text(prompt.get("at"))[:10])
    if prompt.get("record_type") == "screening":
        heading = f"Exploitation screening by {who} on {when}"
        reasons = prompt.get("reasons")
        first = reasons[0] if isinstance(reasons, list) and reasons else ""
        return heading, f"Risk: {_text(prompt.get('risk'))}", _text(first)
    response = _text(prompt.get("response"))
    detail = "; ".join(
        p
        for p in (
            _text(prompt.get("indicators")),
            f"Police response: {response}" if response else "No police response recorded yet",
        )
        if p
    )
    return f"Concern raised by {who} on {when}", _text(prompt.get("text")), detail


_DOB_LABEL = RECORD_KINDS[EntityKind.PERSON].label("date_of_birth")
_OWNER_LABEL = RECORD_KINDS[EntityKind.PERSON].label("owner")
_AREAS_LABEL = RECORD_KINDS[EntityKind.PERSON].label("areas")


def _card_rows(card: Card, names: Mapping[str, str]) -> list[tuple[str, str]]:
    """The card's fields: dates as officers write them (07/03/1990, never ISO), the
    recording organisation and policing areas by their names."""

    def shown(label: str, value: str) -> str:
        if label == _DOB_LABEL:
            return uk_date(value)
        if label == _OWNER_LABEL:
            return names.get(value, value)
        if label == _AREAS_LABEL:
            return ", ".join(area_name(code) for code in value.split(", "))
        return value

    rows = _rows(card.record, LABELS.get(card.kind, ()) + COMMON)
    return [(label, shown(label, value)) for label, value in rows]


def _source(kind: ResourceKind, source: Source) -> tuple[str, str, list[str], str]:
    """A combined card's source record as (heading, profile page, differences, conditions)."""
    heading = source.owner_name
    if source.source_system:
        heading = f"{heading}, {source.source_system}"
    return (
        heading,
        profile_href(kind, source.record),
        list(source.differences),
        _text(source.record.conditions),
    )


def card_page(card: Card, names: Mapping[str, str] | None = None) -> CardPage:
    """The card as the check page shows it; `names` gives organisations' names by code."""
    names = names or {}
    groups = [
        (
            GROUP_TAGS.get(_text(group.get("org_type")), "Linked group"),
            _text(group.get("name")) or "a group",
            role,
            _text(group.get("lro")),
            profile_href(ResourceKind.ORGANISATION, group),
        )
        for group, role in zip(card.memberships, card.roles, strict=True)
    ]
    return CardPage(
        kind=card.kind.value,
        title=_title(card),
        href=profile_href(card.kind, card.record),
        warnings=warning_labels(card.record.get("warning_markers")),
        lines=[_line(line, relation) for line, relation in card.county_lines],
        rows=_card_rows(card, names),
        groups=groups,
        reasons=list(card.reasons),
        conditions=card.record.conditions,
        isa_ref=card.record.isa_ref,
        intelligence=[
            (
                _text(report.get("grading")),
                _text(report.get("handling")),
                _text(report.get("text")),
                _text(report.conditions),
            )
            for report in card.intelligence
        ],
        safeguarding=[prompt_lines(prompt, names) for prompt in other_prompts(card.safeguarding)],
        exploitation=exploitation_texts(card.safeguarding),
        custody=custody_lines(card.custody),
        records=[_source(card.kind, source) for source in card.sources],
        people=[
            (
                _person_name(person.record),
                person.relation,
                profile_href(ResourceKind.PERSON, person.record),
                warning_labels(person.record.get("warning_markers")),
                person.exploitation,
            )
            for person in card.people
        ],
    )


def _person_name(record: View) -> str:
    family = _text(record.get("family_name")).upper()
    name = ", ".join(p for p in (family, _text(record.get("given_names"))) if p) or "Person"
    dob = uk_date(_text(record.get("date_of_birth")))
    return f"{name} ({dob})" if dob else name
