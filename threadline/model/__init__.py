"""The domain model: value types, enums, links, and the record schema of the POLE kinds
(`threadline.model.schema`), all pure Python."""

from threadline.model.entities import Agency
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
from threadline.model.links import LINK_SPECS, LinkType
from threadline.model.values import (
    PartialDate,
    PhoneNumber,
    PncId,
    Postcode,
    RegistrationMark,
    Uprn,
)

__all__ = [
    "LINK_SPECS",
    "Agency",
    "AgencyKind",
    "EntityKind",
    "Gender",
    "LinkType",
    "LocationType",
    "Marking",
    "OcgRole",
    "OrganisationType",
    "PartialDate",
    "PhoneNumber",
    "PncId",
    "Postcode",
    "RegistrationMark",
    "SubjectCategory",
    "Uprn",
]
