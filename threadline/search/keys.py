"""How a stored name must be keyed for `find_people` to find it.

Every `person_name` row carries folded forms and phonetic keys of its name. Whatever
writes names (imports, the demo, test factories) should compute them with `name_keys`,
so that the writer and the search agree exactly.

Conventions: the family key is the Metaphone key of the whole family name (spaces
removed), the given key that of the *first* given name only. A nickname or street name
("Tiny", "Boss Man") is stored with an empty family name and the whole nickname as its
given names, so that a one-word search can find it by index.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.model.names import first_given, fold, phonetic_key


@dataclass(frozen=True, slots=True)
class NameKeys:
    """The searchable forms of one name (the `*_norm` and `*_key` columns of person_name)."""

    family_norm: str
    given_norm: str
    full_norm: str
    family_key: str
    given_key: str


def name_keys(family_name: str, given_names: str) -> NameKeys:
    """Folded forms and phonetic keys for a name held as (family name, given names)."""
    family_norm = fold(family_name)
    given_norm = fold(given_names)
    full_norm = " ".join(part for part in (given_norm, family_norm) if part)
    return NameKeys(
        family_norm=family_norm,
        given_norm=given_norm,
        full_norm=full_norm,
        family_key=phonetic_key(family_norm),
        given_key=phonetic_key(first_given(given_names)),
    )
