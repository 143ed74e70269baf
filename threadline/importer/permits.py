"""What the importer may write, asked of policy (`policy.imports`) once per owner and marking.

A file's rows carry few distinct owners and markings, so each pair is decided once and
remembered: the check costs a dictionary look-up per row. The same answers decide
whether a record already in Threadline may be updated (its stored marking) and whether
a record may be joined by a link or a custody episode; a record the importer may not
touch is answered exactly as if it did not exist.
"""

from __future__ import annotations

from threadline import policy
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, Resource, ResourceKind

Refusal = tuple[str, str]  # the column to blame ("owner" or "marking"), and the reason

# How errors for refused rows begin (`expected`), so a file's refusals can be told apart
# from its other errors, and logged as a refused attempt (`collection.log_refusals`).
REFUSED_ROW = "rows you may import: "
REFUSED_UPDATE = "a record you may update: "


def refused_row(reason: str) -> str:
    """What an error about a row the importer may not import expects."""
    return REFUSED_ROW + reason


def refused_update(reason: str) -> str:
    """What an error about a held record the importer may not update expects."""
    return REFUSED_UPDATE + reason


def is_refused(expected: str) -> bool:
    return expected.startswith((REFUSED_ROW, REFUSED_UPDATE))


class Permits:
    """Decisions of the import rule for one actor, by owner and marking (see module doc).

    `codes` maps agency ids to codes (the import's reference data), so writers, which
    know owners by id, can ask too.
    """

    def __init__(self, *, actor: Actor, ctx: PolicyContext, codes: dict[int, str]) -> None:
        self.actor = actor
        self.ctx = ctx
        self.codes = codes
        self._memo: dict[tuple[int, str], Refusal | None] = {}

    def refusal(self, owner_id: int, marking: str) -> Refusal | None:
        """Why rows of this owner and marking may not be imported, or None if they may."""
        key = (owner_id, marking)
        if key in self._memo:
            return self._memo[key]
        owner = self.codes.get(owner_id, str(owner_id))
        found: Refusal | None = None
        for column, level in (("owner", Marking.OFFICIAL), ("marking", Marking(marking))):
            decision = policy.decide(
                actor=self.actor,
                action=Action.IMPORT,
                resource=Resource(kind=ResourceKind.IMPORT_BATCH, owner=owner, marking=level),
                ctx=self.ctx,
            )
            if not decision.allowed:
                found = (column, decision.reason)
                break
        self._memo[key] = found
        return found

    def allows(self, owner_id: int, marking: str) -> bool:
        return self.refusal(owner_id, marking) is None


def require_import(*, actor: Actor, ctx: PolicyContext, owner: str | None) -> None:
    """Raise `Forbidden` unless the actor may import at all (for `owner`, if given)."""
    policy.require(
        actor=actor,
        action=Action.IMPORT,
        resource=Resource(kind=ResourceKind.IMPORT_BATCH, owner=owner),
        ctx=ctx,
    )
