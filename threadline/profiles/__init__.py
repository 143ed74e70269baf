"""Profiles: a person, group, phone, vehicle, address or county line, and all around it.

Each profile is what policy lets the actor see of one record, of every record linked to
it, of its history and of the intelligence about it; each read is audited once. This
package reads records, links and intelligence and lists people and organisations; the
prison and safeguarding capabilities build on it, and `threadline.dossier`, above them
all, assembles a whole profile (`get_person`...).
"""

from threadline.profiles.listing import list_organisations, list_people
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
    "list_organisations",
    "list_people",
]
