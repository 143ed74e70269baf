"""Given-name equivalence: William is Bill, Mohammed is Muhammad.

The table is reference data (`threadline.reference.names.NICKNAMES`): general British
usage, which the demo also draws on. Search reads it through this one function.
"""

from __future__ import annotations

from functools import lru_cache

from threadline.reference.names import nickname_equivalents


@lru_cache(maxsize=4096)
def equivalents(given: str) -> frozenset[str]:
    """The folded given name and every name it may be short for or shortened to.

    One step in both directions ("bill" -> {"bill", "william", "will", "billy"}); a
    name with no known equivalents gives just itself.
    """
    return nickname_equivalents(given)


def are_equivalent(one: str, other: str) -> bool:
    """True when two different folded given names are known nickname equivalents."""
    return one != other and other in equivalents(one)
