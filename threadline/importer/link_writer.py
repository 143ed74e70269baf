"""Batched upserts of checked links, after finding the records at both ends of each.

An end is found in this import's pending records (a dry run of several files) or among
the records already held; a missing end is a located error that names the record
wanted, and says so when a record of another kind has that source id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from threadline.importer.flush import Held, Mode, by_source, refuses_any
from threadline.importer.permits import Permits
from threadline.importer.problems import Problems
from threadline.importer.records import EndpointKey, LinkRecord, SourceKey
from threadline.storage.import_store import ImportStore


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


class LinkWriter:
    """Writes links, after finding the records at both ends of each.

    With `permits`, a record the importer may not import is answered as missing (it
    cannot be linked, and its existence is not told), and a link already held with such
    a marking is refused. `written` collects the ids of the records at both ends.
    """

    def __init__(
        self,
        store: ImportStore,
        *,
        now: datetime,
        problems: Problems,
        owners: dict[int, str],
        pending: AbstractSet[EndpointKey] = frozenset(),
        permits: Permits | None = None,
    ) -> None:
        self.store = store
        self.now = now
        self.problems = problems
        self.owners = owners
        self.pending = pending
        self.permits = permits
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []

    def next_transaction(self) -> None:
        """Nothing is kept between transactions."""

    def flush(self, records: list[LinkRecord], mode: Mode) -> None:
        if not records:
            return
        ends = self._resolve(records)
        usable = [r for r in records if r.source in ends and r.target in ends]
        if mode is Mode.CHECK or len(usable) < len(records):
            return
        held = self._held([r.key for r in usable])
        if refuses_any(usable, held, self.permits, self.problems):
            return
        existing = {key: id_ for key, (id_, _marking) in held.items()}
        new = [r for r in usable if r.key not in existing]
        old = [r for r in usable if r.key in existing]
        self.inserted += len(new)
        self.updated += len(old)
        if mode is not Mode.WRITE:
            return
        self.written.extend(ends[end] for r in usable for end in (r.source, r.target))
        self.store.insert_links([(*_values(r, ends), *r.key, r.marking) for r in new], now=self.now)
        self.store.update_links(
            [(existing[r.key], *_values(r, ends), r.marking) for r in old], now=self.now
        )

    def _resolve(self, records: list[LinkRecord]) -> dict[EndpointKey, int]:
        """Ids of the endpoints that exist; every missing endpoint is reported."""
        wanted = {end for r in records for end in (r.source, r.target)}
        found: dict[EndpointKey, int] = {key: -1 for key in wanted if key in self.pending}
        groups: dict[tuple[int, str, str], list[str]] = defaultdict(list)
        for owner_id, system, kind, source_id in wanted - found.keys():
            groups[owner_id, system, kind].append(source_id)
        for (owner_id, system, kind), source_ids in groups.items():
            held = self.store.held_entities(owner_id, system, kind, source_ids)
            found.update(
                ((owner_id, system, kind, sid), id_)
                for sid, (id_, marking) in held.items()
                if self._may_touch(owner_id, marking)
            )
        for r in records:
            for column, end in (("from_id", r.source), ("to_id", r.target)):
                if end not in found:
                    self._missing(r.line, column, end)
        return found

    def _missing(self, line: int, column: str, end: EndpointKey) -> None:
        owner_id, system, kind, source_id = end
        hint = ""
        if self.problems.listing:
            held = self.store.kinds_held(owner_id, system, source_id)
            kinds = [k for k, marking in held if self._may_touch(owner_id, marking)]
            if kinds:
                hint = f" (there is {_a(kinds[0])} with that id: is the kind wrong?)"
        owner = self.owners.get(owner_id, str(owner_id))
        self.problems.add(
            line,
            column,
            source_id,
            f"the source_id of {_a(kind)} from {system} owned by {owner}, in this import or "
            f"already in Threadline{hint}",
        )

    def _may_touch(self, owner_id: int, marking: str) -> bool:
        return self.permits is None or self.permits.allows(owner_id, marking)

    def _held(self, keys: list[SourceKey]) -> dict[SourceKey, Held]:
        found: dict[SourceKey, Held] = {}
        for (owner_id, system), source_ids in by_source(keys).items():
            held = self.store.held_links(owner_id, system, source_ids)
            found.update(((owner_id, system, sid), pair) for sid, pair in held.items())
        return found


def _values(r: LinkRecord, ends: dict[EndpointKey, int]) -> tuple[Any, ...]:
    """A link's `LINK_VALUES` (storage.import_store), its ends found."""
    return (r.link_type, ends[r.source], ends[r.target], r.role, r.valid_from, r.valid_to)
