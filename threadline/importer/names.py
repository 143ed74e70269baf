"""The searchable keys of imported names, computed as search expects and cached.

Keys come from `threadline.search.keys.name_keys`, so imported names are found exactly
as names written any other way. A whole name's keys are its family part's and its given
part's (`full_norm` is the two folded parts joined), so each part is keyed once per file
rather than once per row: family and given names repeat heavily in real data.
"""

from __future__ import annotations

from threadline.importer.records import NameRow
from threadline.search.keys import name_keys

_CACHE_LIMIT = 200_000


class NameKeyer:
    """Makes `person_name` rows (see `records.NAME_COLUMNS`) with cached keys."""

    def __init__(self) -> None:
        self._family: dict[str, tuple[str, str]] = {}
        self._given: dict[str, tuple[str, str]] = {}

    def row(self, kind: str, family: str, given: str) -> NameRow:
        """The name row for one name: kind, the name as given, its folds and keys."""
        family_part = self._family.get(family)
        if family_part is None:
            keys = name_keys(family, "")
            family_part = (keys.family_norm, keys.family_key)
            self._family[family] = family_part
            if len(self._family) > _CACHE_LIMIT:
                self._family.clear()
        given_part = self._given.get(given)
        if given_part is None:
            keys = name_keys("", given)
            given_part = (keys.given_norm, keys.given_key)
            self._given[given] = given_part
            if len(self._given) > _CACHE_LIMIT:
                self._given.clear()
        family_norm, family_key = family_part
        given_norm, given_key = given_part
        if family_norm and given_norm:
            full_norm = f"{given_norm} {family_norm}"
        else:
            full_norm = family_norm or given_norm
        return (kind, family, given, family_norm, given_norm, full_norm, family_key, given_key)
