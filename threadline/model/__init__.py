"""The domain model: POLE + SOC records as pure dataclasses and enums."""

from threadline.model.entities import (
    Agency,
    Area,
    CountyLine,
    Entity,
    Location,
    Organisation,
    Person,
    PersonName,
    Phone,
    Provenance,
    Vehicle,
)
from threadline.model.enums import (
    AgencyKind,
    EntityKind,
    Gender,
    LocationType,
    Marking,
    OcgRole,
    OrganisationType,
    SubjectCategory,
)
from threadline.model.links import LINK_SPECS, Link, LinkType
from threadline.model.values import PartialDate, PhoneNumber, Postcode, RegistrationMark

__all__ = [
    "LINK_SPECS",
    "Agency",
    "AgencyKind",
    "Area",
    "CountyLine",
    "Entity",
    "EntityKind",
    "Gender",
    "Link",
    "LinkType",
    "Location",
    "LocationType",
    "Marking",
    "OcgRole",
    "Organisation",
    "OrganisationType",
    "PartialDate",
    "Person",
    "PersonName",
    "Phone",
    "PhoneNumber",
    "Postcode",
    "Provenance",
    "RegistrationMark",
    "SubjectCategory",
    "Vehicle",
]
