"""Person records as resolution compares them: folded, keyed and canonicalised columns.

Each stored person record becomes one row of the table Splink reads. Names are folded and
keyed exactly as search keys them (`threadline.search.keys.name_keys`); the first given
name is also mapped to a canonical form through the nickname table (Bill -> william), so
"Bill" and "William" meet in one column; dates of birth are kept as parts, because a force
may record only the year; addresses, postcodes, UPRNs and phones are lists, because a
person may be linked to several.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyarrow as pa

from threadline.model.names import fold
from threadline.reference.names import NICKNAMES, nickname_equivalents
from threadline.search.keys import name_keys
from threadline.storage.resolution import StoredAddress, StoredPerson

__all__ = ["SCHEMA", "PersonRecord", "canonical_given", "person_record", "to_table"]

# Street words written either way; the short form is kept.
_STREET_WORDS = {
    "road": "rd",
    "street": "st",
    "avenue": "ave",
    "close": "cl",
    "lane": "ln",
    "drive": "dr",
    "court": "ct",
    "crescent": "cres",
    "place": "pl",
    "gardens": "gdns",
    "terrace": "ter",
    "square": "sq",
    "flat": "flat",
}
_SPACES = re.compile(r"\s+")
_FORMAL: frozenset[str] = frozenset(name.lower() for name in NICKNAMES)


@lru_cache(maxsize=16384)
def canonical_given(given: str) -> str:
    """The canonical form of a folded first given name: the formal name it stands for.

    A formal name stands for itself; a nickname of exactly one formal name maps to it
    ("bill" -> "william"); a nickname of several ("kate": Katherine, Catherine, ...) maps
    to the first of them in alphabetical order, so that it still meets the others of its
    kind; a name the table does not know stands for itself.
    """
    if not given or given in _FORMAL:
        return given
    formal = sorted(name for name in nickname_equivalents(given) if name in _FORMAL)
    return formal[0] if formal else given


def address_line(line1: str) -> str:
    """A first line of address as resolution compares it: folded, street words spelt one way."""
    words = fold(line1).split(" ")
    return " ".join(_STREET_WORDS.get(word, word) for word in words if word)


def _pnc(value: str | None) -> str | None:
    cleaned = _SPACES.sub("", value or "").upper()
    return cleaned or None


def _listed(values: Iterable[str | None]) -> list[str] | None:
    """Distinct non-empty values, sorted; None (not []) when there are none."""
    found = sorted({value for value in values if value})
    return found or None


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person record, as one row of resolution's input table."""

    unique_id: int
    owner: str
    family: str | None
    family_key: str | None
    given: str | None
    given_key: str | None
    given_canon: str | None
    given_forms: list[str] | None
    given_all: str | None
    names_all: list[str] | None
    aliases: list[str] | None
    nicknames: list[str] | None
    dob_year: int | None
    dob_month: int | None
    dob_day: int | None
    dob: str | None
    dob_md: int | None
    dob_dm: int | None
    gender: str | None
    pnc_id: str | None
    postcodes: list[str] | None
    districts: list[str] | None
    lines: list[str] | None
    addresses: list[str] | None
    uprns: list[str] | None
    phones: list[str] | None
    # Not compared: how people name the record ("source_system/source_id").
    source_key: str = ""


def person_record(
    person: StoredPerson,
    *,
    other_names: Iterable[tuple[str, str, str]] = (),
    addresses: Iterable[StoredAddress] = (),
    phones: Iterable[str] = (),
) -> PersonRecord:
    """The resolution row of one stored person with its other names, addresses and phones.

    `other_names` are (kind, folded family, folded given) of aliases and nicknames.
    """
    keys = name_keys(person.family_name, person.given_names)
    given = keys.given_norm.split(" ", 1)[0] if keys.given_norm else ""
    aliases = [f"{g} {f}".strip() for kind, f, g in other_names if kind != "nickname"]
    nicknames = [g for kind, _, g in other_names if kind == "nickname"]
    full_dob = None not in (person.dob_year, person.dob_month, person.dob_day)
    year, month, day = person.dob_year, person.dob_month, person.dob_day
    addresses = list(addresses)
    postcodes = [a.postcode for a in addresses]
    return PersonRecord(
        unique_id=person.entity_id,
        owner=person.owner,
        family=keys.family_norm or None,
        family_key=keys.family_key or None,
        given=given or None,
        given_key=keys.given_key or None,
        given_canon=canonical_given(given) or None,
        given_forms=_listed(nickname_equivalents(given)) if given else None,
        given_all=keys.given_norm or None,
        names_all=_listed([keys.full_norm, *aliases]),
        aliases=_listed(aliases),
        nicknames=_listed(nicknames),
        dob_year=year,
        dob_month=month,
        dob_day=day,
        dob=f"{year:04d}-{month:02d}-{day:02d}" if full_dob else None,
        dob_md=month * 100 + day if month is not None and day is not None else None,
        dob_dm=day * 100 + month if month is not None and day is not None else None,
        gender=person.gender if person.gender not in ("", "unknown") else None,
        pnc_id=_pnc(person.pnc_id),
        postcodes=_listed(postcodes),
        districts=_listed(p.split(" ", 1)[0] for p in postcodes if p),
        lines=_listed(address_line(a.line1) for a in addresses),
        addresses=_listed(
            f"{address_line(a.line1)}|{a.postcode}" for a in addresses if a.line1 and a.postcode
        ),
        uprns=_listed(a.uprn for a in addresses),
        phones=_listed(phones),
        source_key=f"{person.source_system}/{person.source_id}",
    )


_TEXT_LIST = pa.list_(pa.string())
SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("owner", pa.string()),
        ("family", pa.string()),
        ("family_key", pa.string()),
        ("given", pa.string()),
        ("given_key", pa.string()),
        ("given_canon", pa.string()),
        ("given_forms", _TEXT_LIST),
        ("given_all", pa.string()),
        ("names_all", _TEXT_LIST),
        ("aliases", _TEXT_LIST),
        ("nicknames", _TEXT_LIST),
        ("dob_year", pa.int32()),
        ("dob_month", pa.int32()),
        ("dob_day", pa.int32()),
        ("dob", pa.string()),
        ("dob_md", pa.int32()),
        ("dob_dm", pa.int32()),
        ("gender", pa.string()),
        ("pnc_id", pa.string()),
        ("postcodes", _TEXT_LIST),
        ("districts", _TEXT_LIST),
        ("lines", _TEXT_LIST),
        ("addresses", _TEXT_LIST),
        ("uprns", _TEXT_LIST),
        ("phones", _TEXT_LIST),
    ]
)


def to_table(records: Iterable[PersonRecord]) -> Any:
    """The records as an Arrow table with a fixed schema (a column that is all empty
    still has its type, so the SQL over it compiles).
    """
    columns: Mapping[str, list[Any]] = {name: [] for name in SCHEMA.names}
    for record in records:
        for name in SCHEMA.names:
            columns[name].append(getattr(record, name))
    return pa.table(dict(columns), schema=SCHEMA)
