"""Search: find people, phones, vehicles and addresses the way a roadside check needs.

Query functions take the session keyword-only and return small frozen records, best
first. They apply no policy and write no audit: the `check` service wraps them with both.

- `find_people`: fuzzy name search (typos, sound-alikes, nicknames, aliases, swapped or
  partial dates of birth), scored 0-100 with reasons; `rank_people` the same without
  each person's recorded details, for a caller that reads the record itself;
- `find_person_by_pnc`, `find_phone`, `find_vehicle`, `find_locations`,
  `find_location_by_uprn`: exact look-ups after normalising what was typed.
Names must be stored with the keys `name_keys` computes for search to find them.
"""

from threadline.search.keys import NameKeys, name_keys
from threadline.search.lookups import (
    find_location_by_uprn,
    find_locations,
    find_phone,
    find_vehicle,
)
from threadline.search.people import find_people, find_person_by_pnc, rank_people
from threadline.search.results import (
    LocationMatch,
    PersonMatch,
    PhoneMatch,
    RankedPerson,
    VehicleMatch,
)

__all__ = [
    "LocationMatch",
    "NameKeys",
    "PersonMatch",
    "PhoneMatch",
    "RankedPerson",
    "VehicleMatch",
    "find_location_by_uprn",
    "find_locations",
    "find_people",
    "find_person_by_pnc",
    "find_phone",
    "find_vehicle",
    "name_keys",
    "rank_people",
]
