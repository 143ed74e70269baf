"""Pydantic schemas of the entity API (people, organisations, phones, vehicles, locations,
county lines), with examples, and converters from the profile service's results.

The record schemas are made from the record schema (`threadline.model.schema`): a field
declared there is in the API with its type and description, and nothing is repeated here.

Records are `threadline.policy.View`s already reduced by policy: a field absent from an
answer is withheld (a partner sees only what its agreement names), never null-filled.
Routes serialise with `response_model_exclude_unset=True` so absent stays absent.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from threadline.model.enums import EntityKind
from threadline.model.schema import RECORD_KINDS, FieldType
from threadline.policy import View
from threadline.profiles import KindSection, Linked, PersonProfile, Profile
from threadline.web.schemas_intel import ReportOut, SanitisedOut

LRO_EXAMPLE = "Gemma Johnson (lro@bedfordshire)"


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


def _record(view: View) -> dict[str, Any]:
    return dict(view.items())


# --------------------------------------------------------------------------- records

PERSON_EXAMPLE = {
    "id": 36,
    "owner": "bedfordshire",
    "marking": "OFFICIAL",
    "family_name": "McKenzie",
    "given_names": "Alfie",
    "date_of_birth": "2003-07-19",
    "gender": "male",
    "pnc_id": "25/0282363W",
    "categories": ["suspect", "convicted"],
    "warning_markers": ["WE"],
    "aliases": ["Big Mike"],
    "areas": ["bedford"],
    "cohorts": ["ocg_member"],
}


_TYPES: dict[FieldType, Any] = {
    FieldType.TEXT: str,
    FieldType.NUMBER: int,
    FieldType.FLAG: bool,
    FieldType.LIST: list[str],
}


def record_model(kind: EntityKind, name: str, doc: str, example: dict[str, Any]) -> Any:
    """The API schema of a record of `kind`, made from the record schema: `id` always
    present, every other field optional, since a withheld field is left out."""
    definitions: dict[str, Any] = {}
    for field in RECORD_KINDS[kind].fields:
        if field.type is FieldType.ID:
            definitions[field.name] = (int, ...)
        else:
            definitions[field.name] = (
                _TYPES[field.type] | None,
                Field(default=None, description=field.description),
            )
    return create_model(name, __config__=_examples(example), __doc__=doc, **definitions)


ORGANISATION_EXAMPLE = {
    "id": 80,
    "owner": "bedfordshire",
    "marking": "OFFICIAL-SENSITIVE",
    "name": "Operation Kestrel",
    "org_type": "ocg",
    "areas": ["bedford"],
    "members": 10,
    "lro": LRO_EXAMPLE,
}
LOCATION_EXAMPLE = {
    "id": 140,
    "owner": "bedfordshire",
    "marking": "OFFICIAL",
    "location_type": "address",
    "line1": "140 Hawthorn Place",
    "town": "Sharnbrook",
    "postcode": "MK44 3PP",
    "area": "bedford",
    "uprn": "100081234567",
}
COUNTY_LINE_EXAMPLE = {
    "id": 172,
    "owner": "bedfordshire",
    "marking": "OFFICIAL-SENSITIVE",
    "name": "Jay",
    "exporting_area": "Lambeth",
    "importing_area": "bedford",
    "deal_lines": ["+447700900123"],
}

if TYPE_CHECKING:  # to the type checker a record model is a model; its fields are data
    PersonOut = BaseModel
    OrganisationOut = BaseModel
    PhoneOut = BaseModel
    VehicleOut = BaseModel
    LocationOut = BaseModel
    CountyLineOut = BaseModel
else:
    PersonOut = record_model(
        EntityKind.PERSON,
        "PersonOut",
        "A person (nominal) as the caller may see them; withheld fields are left out.",
        PERSON_EXAMPLE,
    )
    OrganisationOut = record_model(
        EntityKind.ORGANISATION,
        "OrganisationOut",
        "An organisation (OCG, gang, business) as the caller may see it; withheld left out.",
        ORGANISATION_EXAMPLE,
    )
    PhoneOut = record_model(
        EntityKind.PHONE,
        "PhoneOut",
        "A phone as the caller may see it; withheld fields are left out.",
        {"id": 412, "owner": "norfolk", "marking": "OFFICIAL", "number": "+447700900593"},
    )
    VehicleOut = record_model(
        EntityKind.VEHICLE,
        "VehicleOut",
        "A vehicle as the caller may see it; withheld fields are left out.",
        {"id": 95, "owner": "norfolk", "marking": "OFFICIAL", "vrm": "KA70OLG", "make": "VW"},
    )
    LocationOut = record_model(
        EntityKind.LOCATION,
        "LocationOut",
        "An address or area as the caller may see it; withheld fields are left out.",
        LOCATION_EXAMPLE,
    )
    CountyLineOut = record_model(
        EntityKind.COUNTY_LINE,
        "CountyLineOut",
        "A county line as the caller may see it; withheld fields are left out.",
        COUNTY_LINE_EXAMPLE,
    )


# --------------------------------------------------------------------------- profiles


class LinkedOut(BaseModel):
    """A linked record, as the caller may see it, and the link to it."""

    kind: str = Field(description="person, organisation, phone, vehicle, location, county_line")
    id: int
    label: str = Field(description="A one-line name made from the fields shown.")
    role: str | None = Field(default=None, description="e.g. principal, lieutenant, runner.")
    valid_from: date | None = None
    valid_to: date | None = None
    current: bool = Field(description="False once the link has ended.")
    record: dict[str, Any] = Field(description="The linked record's fields shown.")

    @classmethod
    def from_linked(cls, item: Linked) -> LinkedOut:
        return cls(
            kind=item.kind.value,
            id=item.id,
            label=item.label,
            role=item.role,
            valid_from=item.valid_from,
            valid_to=item.valid_to,
            current=item.current,
            record=_record(item.record),
        )


class TimelineOut(BaseModel):
    """One dated event: a link beginning or ending, a report, the record kept."""

    on: date
    title: str
    kind: str = Field(description="link_from, link_to, intelligence or record")
    record_id: int | None = Field(default=None, description="The other record concerned.")
    record_kind: str | None = None
    text: str = ""


class SectionOut(BaseModel):
    """Custody or safeguarding records the caller may see (an empty list: none recorded)."""

    kind: str
    items: list[dict[str, Any]]


LINKS_DESCRIPTION = (
    "Linked records by the link's name read from this record (`member_of`, `has_member`, "
    "`uses_phone`, `runner_for`, ...; see the link types). Records the caller may not see "
    "are left out."
)


class ProfileOut(BaseModel):
    """What every profile holds besides its record."""

    kind: str
    title: str = Field(description="A one-line name of the record.")
    conditions: str | None = Field(default=None, description="Handling conditions to follow.")
    shared_under: str | None = Field(
        default=None, description="The information sharing agreement it reaches you under."
    )
    links: dict[str, list[LinkedOut]] = Field(description=LINKS_DESCRIPTION)
    timeline: list[TimelineOut] = Field(description="Newest first.")
    reports: list[ReportOut] = Field(description="Original reports (analysts), newest first.")
    sanitised: list[SanitisedOut] = Field(description="Sanitised intelligence, newest first.")
    audit_event: int = Field(description="Id of the audit event that logged this view.")

    @staticmethod
    def parts(profile: Profile) -> dict[str, Any]:
        return {
            "kind": profile.kind.value,
            "title": profile.title,
            "conditions": profile.record.conditions,
            "shared_under": profile.record.isa_ref,
            "links": {
                group.name: [LinkedOut.from_linked(item) for item in group.items]
                for group in profile.links
            },
            "timeline": [
                TimelineOut(
                    on=entry.on,
                    title=entry.title,
                    kind=entry.kind,
                    record_id=entry.record_id,
                    record_kind=entry.record_kind.value if entry.record_kind else None,
                    text=entry.text,
                )
                for entry in profile.timeline
            ],
            "reports": [ReportOut.from_view(view) for view in profile.reports],
            "sanitised": [SanitisedOut.from_view(view) for view in profile.sanitised],
            "audit_event": profile.audit_event_id,
        }


MEMBERSHIP_EXAMPLE = {
    "kind": "organisation",
    "id": 80,
    "label": "Operation Kestrel",
    "role": "lieutenant",
    "valid_from": "2023-07-14",
    "valid_to": None,
    "current": True,
    "record": ORGANISATION_EXAMPLE,
}


class ResolvedRecordOut(BaseModel):
    """Another record of the same person (entity resolution) that the caller may see."""

    model_config = _examples(
        {
            "entity_id": 912,
            "owner": "suffolk",
            "owner_name": "Suffolk Constabulary",
            "source_system": "Athena",
            "source_id": "SUF-P-004411",
        }
    )

    entity_id: int = Field(description="The record's id: its profile is `/api/v1/people/{id}`.")
    owner: str = Field(description="The code of the organisation that holds the record.")
    owner_name: str = Field(description="That organisation's name.")
    source_system: str = Field(description="The system the record came from.")
    source_id: str = Field(description="The record's key in that system.")


class PersonProfileOut(ProfileOut):
    """A person's profile: identity, links, timeline, intelligence, custody, safeguarding."""

    model_config = _examples(
        {
            "kind": "person",
            "title": "MCKENZIE, Alfie (19/07/2003)",
            "record": PERSON_EXAMPLE,
            "links": {"member_of": [MEMBERSHIP_EXAMPLE]},
            "timeline": [
                {
                    "on": "2023-07-14",
                    "title": "Began: member of Operation Kestrel (lieutenant)",
                    "kind": "link_from",
                    "record_id": 80,
                    "record_kind": "organisation",
                    "text": "",
                }
            ],
            "reports": [],
            "sanitised": [],
            "custody": {"kind": "custody", "items": []},
            "safeguarding": {"kind": "safeguarding", "items": []},
            "audit_event": 5312,
        }
    )

    record: PersonOut
    custody: SectionOut | None = Field(
        default=None, description="Null where the caller may not see custody records."
    )
    safeguarding: SectionOut | None = Field(
        default=None, description="Null where the caller may not see safeguarding records."
    )
    resolved: list[ResolvedRecordOut] = Field(
        default_factory=list,
        description=(
            "The other records of the same person (entity resolution) the caller may see, "
            "oldest first. Empty for callers not shown resolved people (only police "
            "readers are), and where the caller may see no other record of the person: "
            "a record the caller may not see is never named or counted."
        ),
    )

    @classmethod
    def from_profile(cls, profile: PersonProfile) -> PersonProfileOut:
        golden = profile.golden
        return cls.model_validate(
            {
                **cls.parts(profile),
                "record": _record(profile.record),
                "custody": _section(profile.custody),
                "safeguarding": _section(profile.safeguarding),
                "resolved": [
                    {
                        "entity_id": source.record["id"],
                        "owner": source.record.get("owner", ""),
                        "owner_name": source.owner_name,
                        "source_system": source.source_system,
                        "source_id": source.source_id,
                    }
                    for source in (golden.sources if golden else ())
                    if source.record.get("id") != profile.id
                ],
            }
        )


def _section(section: KindSection | None) -> SectionOut | None:
    if section is None:
        return None
    return SectionOut(kind=section.kind.value, items=[_record(view) for view in section.items])


def _profile_example(kind: str, title: str, record: dict[str, Any]) -> ConfigDict:
    return _examples(
        {
            "kind": kind,
            "title": title,
            "record": record,
            "links": {},
            "timeline": [],
            "reports": [],
            "sanitised": [],
            "audit_event": 5313,
        }
    )


class OrganisationProfileOut(ProfileOut):
    """A group's profile: members by role (`has_member`), phones, vehicles, places, lines."""

    model_config = _profile_example("organisation", "Operation Kestrel", ORGANISATION_EXAMPLE)
    record: OrganisationOut


class PhoneProfileOut(ProfileOut):
    """A phone's profile: who uses it (`phone_used_by`), the lines it is a deal line of."""

    model_config = _profile_example("phone", "+447700900593", {"id": 412})
    record: PhoneOut


class VehicleProfileOut(ProfileOut):
    """A vehicle's profile: who uses it (`vehicle_used_by`)."""

    model_config = _profile_example("vehicle", "KA70OLG", {"id": 95})
    record: VehicleOut


class LocationProfileOut(ProfileOut):
    """An address's profile: residents, groups and lines based there or cuckooing it."""

    model_config = _profile_example("location", "140 Hawthorn Place", {"id": 140})
    record: LocationOut


class CountyLineProfileOut(ProfileOut):
    """A county line's profile: who runs it, runners, deal lines, cuckooed addresses."""

    model_config = _profile_example("county_line", "Jay line", {"id": 172})
    record: CountyLineOut


P = TypeVar("P", bound=ProfileOut)


def profile_out(model: type[P], profile: Profile) -> P:
    """A non-person profile as `model`; its record holds only the fields shown."""
    return model.model_validate({**ProfileOut.parts(profile), "record": _record(profile.record)})
