"""What one check has read already, so that no part of it reads the same thing twice.

A check runs in one transaction and reads no row it writes, so the policy facts of a
record (`threadline.policy.entity_facts`, one statement for any number of records) and a
person's resolved id are the same each time they are asked for. The look-ups, the
resolved people's other records and the cards all ask for the facts of the records
found; here the second asking costs nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date

from sqlalchemy.orm import Session

from threadline.policy import EntityFacts, entity_facts
from threadline.storage.resolution import resolved_ids


class Known:
    """The facts and resolved ids one check has read (`facts`, `resolved`)."""

    def __init__(self, session: Session, on: date) -> None:
        self.session = session
        self.on = on
        self._facts: dict[int, EntityFacts] = {}
        self._facts_asked: set[int] = set()
        self._resolved: dict[int, str] = {}
        self._resolved_asked: set[int] = set()

    def facts(self, ids: Collection[int]) -> dict[int, EntityFacts]:
        """`entity_facts` of `ids` (those that exist), reading only those not read yet."""
        missing = set(ids) - self._facts_asked
        if missing:
            self.add_facts(missing, entity_facts(self.session, missing, on=self.on))
        return {i: self._facts[i] for i in ids if i in self._facts}

    def add_facts(self, asked: Collection[int], found: Mapping[int, EntityFacts]) -> None:
        """Keep the facts read elsewhere for `asked` (an id not in `found` does not exist)."""
        self._facts.update(found)
        self._facts_asked.update(asked)

    def resolved(self, ids: Collection[int]) -> dict[int, str]:
        """`resolved_ids` of `ids` (those resolved), reading only those not read yet."""
        missing = set(ids) - self._resolved_asked
        if missing:
            self.add_resolved(missing, resolved_ids(self.session, missing))
        return {i: self._resolved[i] for i in ids if i in self._resolved}

    def add_resolved(self, asked: Collection[int], found: Mapping[int, str]) -> None:
        """Keep resolved ids read elsewhere for `asked` (an id not in `found` has none)."""
        self._resolved.update(found)
        self._resolved_asked.update(asked)
