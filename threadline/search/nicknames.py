"""Given-name equivalence: William is Bill, Mohammed is Muhammad.

The table lives with the demo's name material (`threadline.demo.names.NICKNAMES`), which
is general British usage rather than anything synthetic. Search reads it through this
one function so that moving the table later touches one import.
"""

from __future__ import annotations

from functools import lru_cache

from threadline.demo.names import nickname_equivalents


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
