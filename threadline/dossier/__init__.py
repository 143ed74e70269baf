"""Dossiers: the whole profile of one record, as policy lets the actor see it.

`threadline.profiles` reads a record, its links and the intelligence about it; the prison
and safeguarding capabilities add their sections about a person (and build on
`threadline.profiles` themselves). This package, above all three, assembles the profile
pages and API answers: `get_person`, `get_organisation`, `get_phone`, `get_vehicle`,
`get_location`, `get_county_line`, each audited once.
"""

from threadline.dossier.service import (
    get_county_line,
    get_location,
    get_organisation,
    get_person,
    get_phone,
    get_vehicle,
)

__all__ = [
    "get_county_line",
    "get_location",
    "get_organisation",
    "get_person",
    "get_phone",
    "get_vehicle",
]
