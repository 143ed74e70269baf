"""POLE entities: people (nominals), organisations, locations, phones, vehicles, lines.

Pure dataclasses: no database or HTTP here. Storage converts to and from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from threadline.model.enums import (
    AgencyKind,
    EntityKind,
    Gender,
    LocationType,
    Marking,
    OrganisationType,
    SubjectCategory,
)
from threadline.model.values import PartialDate


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a record came from: its owner, the system it was taken from, its id there."""

    owner: str  # agency code of the owning organisation, e.g. "norfolk"
    source_system: str  # e.g. "athena", "niche", "threadline"
    source_id: str | None  # the record's id in that system
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Agency:
    """An organisation that uses Threadline: a force, the regional unit or a partner."""

    code: str
    name: str
    kind: AgencyKind
    county: str | None = None  # force code of the county it serves, if local


@dataclass(frozen=True, slots=True)
class Area:
    """A policing area (a local authority district) belonging to one force."""

    code: str
    name: str
    force: str
    postcode_districts: tuple[str, ...] = ()


@dataclass(slots=True)
class PersonName:
    """One name a person is known by: the recorded name, an alias or a street name."""

    family_name: str
    given_names: str
    kind: str = "primary"  # primary | alias | nickname

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)


@dataclass(slots=True)
class Person:
    """A nominal. Facts only: assessments of a person live in intelligence reports."""

    provenance: Provenance
    family_name: str
    given_names: str
    date_of_birth: PartialDate | None = None
    gender: Gender = Gender.UNKNOWN
    pnc_id: str | None = None
    categories: frozenset[SubjectCategory] = frozenset()
    aliases: list[PersonName] = field(default_factory=list)
    marking: Marking = Marking.OFFICIAL
    id: int | None = None
    kind: EntityKind = EntityKind.PERSON

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)


@dataclass(slots=True)
class Organisation:
    """A POLE organisation: an OCG, a gang, or a business connected to one."""

    provenance: Provenance
    name: str
    org_type: OrganisationType = OrganisationType.OTHER
    marking: Marking = Marking.OFFICIAL
    id: int | None = None
    kind: EntityKind = EntityKind.ORGANISATION


@dataclass(slots=True)
class Location:
    """An address (with a canonical postcode) or an area without one."""

    provenance: Provenance
    location_type: LocationType = LocationType.ADDRESS
    line1: str = ""
    line2: str = ""
    town: str = ""
    postcode: str | None = None  # canonical, e.g. "NR1 3AB"
    area_code: str | None = None  # policing area it falls in
    marking: Marking = Marking.OFFICIAL
    id: int | None = None
    kind: EntityKind = EntityKind.LOCATION

    @property
    def label(self) -> str:
        parts = (self.line1, self.line2, self.town, self.postcode or "")
        return ", ".join(p for p in parts if p)


@dataclass(slots=True)
class Phone:
    """A telephone number as an object of interest (handset details where known)."""

    provenance: Provenance
    number: str  # E.164
    imei: str | None = None
    marking: Marking = Marking.OFFICIAL
    id: int | None = None
    kind: EntityKind = EntityKind.PHONE


@dataclass(slots=True)
class Vehicle:
    """A vehicle, known by its registration mark."""

    provenance: Provenance
    vrm: str  # compact upper case, e.g. "AB12CDE"
    make: str = ""
    model: str = ""
    colour: str = ""
    marking: Marking = Marking.OFFICIAL
    id: int | None = None
    kind: EntityKind = EntityKind.VEHICLE


@dataclass(slots=True)
class CountyLine:
    """A county line: a branded deal line run from an exporting into an importing area."""

    provenance: Provenance
    name: str  # the brand, e.g. "Ace"
    exporting_area: str  # e.g. "Tower Hamlets"
    importing_area_code: str | None = None  # a policing area code
    marking: Marking = Marking.OFFICIAL
    id: int | None = None
    kind: EntityKind = EntityKind.COUNTY_LINE


Entity = Person | Organisation | Location | Phone | Vehicle | CountyLine
