"""Legacy 5x5x5 material: how its handling codes are carried into 3x5x2 terms.

Older intelligence graded 5x5x5 (source A-E, intelligence 1-5, handling 1-5) is stored
as recorded and never re-graded silently: it gets no 3x5x2 source or intelligence
evaluation, and its handling becomes code C with conditions naming the legacy code.
"""

from __future__ import annotations

LEGACY_CONDITIONS = (
    "Legacy 5x5x5 handling code {code}: consult the originating unit before any dissemination"
)
# Every legacy code becomes 3x5x2 code C with the conditions above. Codes 1 and 3 allowed
# dissemination to law enforcement only, so they are also restricted to the police; codes
# 4 (originating agency only) and 5 (no further dissemination) to the originating
# organisation itself. Code 2 (non-prosecuting parties, with records) carries only the
# conditions.
_POLICE_ONLY = {1, 3}
_ORIGINATOR_ONLY = {4, 5}


def legacy_handling(code: int, owner: str) -> tuple[str, tuple[str, ...]]:
    """Conditions text and code C restriction for a 5x5x5 handling code (1-5)."""
    if code in _POLICE_ONLY:
        restricted: tuple[str, ...] = ("police",)
    elif code in _ORIGINATOR_ONLY:
        restricted = (owner,)
    else:
        restricted = ()
    return LEGACY_CONDITIONS.format(code=code), restricted
