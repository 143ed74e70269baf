"""Who holds and owns records, and the names a person is known by.

Pure dataclasses: no database or HTTP here. The fields of the POLE records themselves
(people, organisations, locations, phones, vehicles, county lines) are declared in
`threadline.model.schema`; services pass records as policy views shaped by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from threadline.model.enums import AgencyKind


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


@dataclass(slots=True)
class PersonName:
    """One name a person is known by: the recorded name, an alias or a street name."""

    family_name: str
    given_names: str
    kind: str = "primary"  # primary | alias | nickname

    @property
    def full(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)
