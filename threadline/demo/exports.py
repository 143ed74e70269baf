"""Force export files, written the way each force's records system would write them.

One `ForceExport` per force writes one CSV file per kind (docs/formats.md) into the
force's folder: `persons.csv`, `organisations.csv`, `locations.csv`, `phones.csv`,
`vehicles.csv`, `county_lines.csv`, `links.csv`. Rows are written as they are made, so
memory stays flat however many people the demo has.

Six of the region's forces share the Athena records system and Kent runs Niche, so the
files differ as real exports do: their own id schemes, ISO dates against UK dates,
`male` against `M`, national against international phone numbers, spaced against
compact registration marks and postcodes, short against long PNC ids.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from threadline.demo.population import Address
from threadline.demo.values import pnc_id
from threadline.demo.variations import DobRecorded
from threadline.model.enums import WarningMarker

__all__ = ["COLUMNS", "FILE_KINDS", "SYSTEMS", "ForceExport", "SourceSystem"]

FILE_KINDS: tuple[str, ...] = (
    "persons",
    "organisations",
    "locations",
    "phones",
    "vehicles",
    "county_lines",
    "links",
)
_COMMON = ["source_system", "source_id", "marking"]
COLUMNS: dict[str, list[str]] = {
    "persons": [
        *_COMMON,
        "family_name",
        "given_names",
        "date_of_birth",
        "gender",
        "pnc_id",
        "categories",
        "aliases",
        "nicknames",
        "warning_markers",
    ],
    "organisations": [*_COMMON, "name", "org_type"],
    "locations": [*_COMMON, "location_type", "line1", "line2", "town", "postcode", "area", "uprn"],
    "phones": [*_COMMON, "number", "imei"],
    "vehicles": [*_COMMON, "vrm", "make", "model", "colour"],
    "county_lines": [*_COMMON, "name", "exporting_area", "importing_area"],
    "links": [
        *_COMMON,
        "link_type",
        "from_kind",
        "from_id",
        "to_kind",
        "to_id",
        "role",
        "valid_from",
        "valid_to",
    ],
}
# Id prefixes by kind, as the systems tag their record types.
_TAGS = {
    "persons": ("NOM", "P"),
    "organisations": ("ORG", "O"),
    "locations": ("LOC", "L"),
    "phones": ("TEL", "T"),
    "vehicles": ("VEH", "V"),
    "county_lines": ("CLN", "C"),
    "links": ("LNK", "K"),
}


@dataclass(frozen=True, slots=True)
class SourceSystem:
    """A force's records system: its name in `source_system` and its house style."""

    name: str  # "athena" or "niche"
    force_number: int  # the Home Office force number, used in Athena ids

    @property
    def uk_dates(self) -> bool:
        return self.name == "niche"


SYSTEMS: dict[str, SourceSystem] = {
    "bedfordshire": SourceSystem("athena", 40),
    "cambridgeshire": SourceSystem("athena", 35),
    "essex": SourceSystem("athena", 42),
    "hertfordshire": SourceSystem("athena", 41),
    "kent": SourceSystem("niche", 46),
    "norfolk": SourceSystem("athena", 36),
    "suffolk": SourceSystem("athena", 37),
}

_HALF = 10**6


def _scramble(seq: int, key: int) -> int:
    """A 12-digit number that looks random but is unique per `seq` (a Feistel network).

    Niche ids carry no visible sequence. Each round replaces (left, right) with (right,
    left + f(right)) modulo a million, which can always be undone, so distinct sequence
    numbers give distinct ids for any round function.
    """
    left, right = divmod(seq, _HALF)
    for round_key in (key, key * 7 + 3, key * 13 + 5):
        left, right = right, (left + (right * 7_919 + round_key) ** 2 // 97) % _HALF
    return left * _HALF + right


class ForceExport:
    """Writes one force's export files; each method writes a row and returns its id."""

    def __init__(self, directory: Path, force_code: str) -> None:
        self.force = force_code
        self.system = SYSTEMS[force_code]
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.counts: dict[str, int] = dict.fromkeys(FILE_KINDS, 0)
        self.paths: dict[str, Path] = {kind: directory / f"{kind}.csv" for kind in FILE_KINDS}
        self._files: dict[str, IO[str]] = {}
        self._rows: dict[str, Any] = {}
        for kind in FILE_KINDS:
            handle = self.paths[kind].open("w", encoding="utf-8", newline="")
            self._files[kind] = handle
            writer = csv.writer(handle)
            writer.writerow(COLUMNS[kind])
            self._rows[kind] = writer.writerow
        self._prefix = self.system.name

    # ------------------------------------------------------------------ formatting

    def _new_id(self, kind: str) -> str:
        self.counts[kind] += 1
        seq = self.counts[kind]
        athena_tag, niche_tag = _TAGS[kind]
        if self.system.name == "niche":
            return f"{niche_tag}{_scramble(seq, ord(niche_tag)):012d}"
        return f"{self.system.force_number}{athena_tag}{seq:08d}"

    def dob(self, dob: DobRecorded | None) -> str:
        if dob is None:
            return ""
        day, month = dob.day or 0, dob.month or 0  # zeros for unknown parts
        if self.system.uk_dates:
            return f"{day:02d}/{month:02d}/{dob.year:04d}"
        return f"{dob.year:04d}-{month:02d}-{day:02d}"

    def phone_number(self, national: str) -> str:
        if self.system.name == "niche":
            return "+44" + national.replace(" ", "")[1:]
        return national

    # ------------------------------------------------------------------ records

    def person(
        self,
        *,
        family_name: str,
        given_names: str,
        dob: DobRecorded | None,
        gender: str,
        pnc: tuple[int, int] | None,
        categories: str,
        aliases: str = "",
        nicknames: str = "",
        warnings: tuple[WarningMarker, ...] = (),
    ) -> str:
        source_id = self._new_id("persons")
        niche = self.system.name == "niche"
        # Niche exports name the markers; the other systems give their codes.
        markers = ";".join(w.label.lower() if niche else w.value for w in warnings)
        self._rows["persons"](
            (
                self._prefix,
                source_id,
                "",
                family_name,
                given_names,
                self.dob(dob),
                gender[0].upper() if niche else gender,
                pnc_id(*pnc, long_form=niche) if pnc else "",
                categories,
                aliases,
                nicknames,
                markers,
            )
        )
        return source_id

    def organisation(self, name: str, org_type: str, *, marking: str = "") -> str:
        source_id = self._new_id("organisations")
        self._rows["organisations"]((self._prefix, source_id, marking, name, org_type))
        return source_id

    def location(self, address: Address, *, location_type: str = "address", uprn: str = "") -> str:
        source_id = self._new_id("locations")
        postcode = address.postcode
        if self.system.name == "niche":
            postcode = postcode.replace(" ", "")
        self._rows["locations"](
            (
                self._prefix,
                source_id,
                "",
                location_type,
                address.line1,
                "",
                address.town,
                postcode,
                address.area,
                uprn,
            )
        )
        return source_id

    def phone(self, national: str, *, imei: str = "", marking: str = "") -> str:
        source_id = self._new_id("phones")
        number = self.phone_number(national)
        self._rows["phones"]((self._prefix, source_id, marking, number, imei))
        return source_id

    def vehicle(self, vrm: str, make: str, model: str, colour: str) -> str:
        source_id = self._new_id("vehicles")
        if self.system.name == "niche":
            vrm = vrm.replace(" ", "")
        self._rows["vehicles"]((self._prefix, source_id, "", vrm, make, model, colour))
        return source_id

    def county_line(
        self, name: str, exporting_area: str, importing_area: str, *, marking: str = ""
    ) -> str:
        source_id = self._new_id("county_lines")
        self._rows["county_lines"](
            (self._prefix, source_id, marking, name, exporting_area, importing_area)
        )
        return source_id

    def link(
        self,
        link_type: str,
        from_kind: str,
        from_id: str,
        to_kind: str,
        to_id: str,
        *,
        role: str = "",
        valid_from: date | None = None,
        valid_to: date | None = None,
        marking: str = "",
    ) -> str:
        source_id = self._new_id("links")
        self._rows["links"](
            (
                self._prefix,
                source_id,
                marking,
                link_type,
                from_kind,
                from_id,
                to_kind,
                to_id,
                role,
                valid_from.isoformat() if valid_from else "",
                valid_to.isoformat() if valid_to else "",
            )
        )
        return source_id

    def close(self) -> None:
        for handle in self._files.values():
            handle.close()
