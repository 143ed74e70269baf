"""The organisations that hold and own records.

Pure dataclasses: no database or HTTP here. The fields of the POLE records themselves
(people, organisations, locations, phones, vehicles, county lines) are declared in
`threadline.model.schema`; services pass records as policy views shaped by it.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.model.enums import AgencyKind


@dataclass(frozen=True, slots=True)
class Agency:
    """An organisation that uses Threadline: a force, the regional unit or a partner."""

    code: str
    name: str
    kind: AgencyKind
    county: str | None = None  # force code of the county it serves, if local
