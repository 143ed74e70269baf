"""Profiles: a person, group, phone, vehicle, address or county line, and all around it.

Each profile is what policy lets the actor see of one record, of every record linked to
it, of its history and of the intelligence about it; each read is audited once.
"""

from threadline.profiles.listing import list_organisations, list_people
from threadline.profiles.service import (
    get_county_line,
    get_location,
    get_organisation,
    get_person,
    get_phone,
    get_vehicle,
)
from threadline.profiles.types import (
    KindSection,
    Linked,
    LinkGroup,
    Listing,
    PersonProfile,
    Profile,
    TimelineEntry,
)

__all__ = [
    "KindSection",
    "LinkGroup",
    "Linked",
    "Listing",
    "PersonProfile",
    "Profile",
    "TimelineEntry",
    "get_county_line",
    "get_location",
    "get_organisation",
    "get_person",
    "get_phone",
    "get_vehicle",
    "list_organisations",
    "list_people",
]
