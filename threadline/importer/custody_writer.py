"""Batched upserts of checked custody episodes, after finding each person and prison.

A row's person is found by PNC id or by their record's source key, among this import's
pending records (a dry run of several files) or the records held; its establishment
among the agencies of kind prison. A missing one is a located error, so the file is
still written whole or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from threadline.importer.custody import DATES
from threadline.importer.flush import Held, Mode, by_source, refuses_any
from threadline.importer.permits import Permits
from threadline.importer.problems import Problems
from threadline.importer.records import EntityRecord, Pending, SourceKey
from threadline.storage.import_store import ImportStore

# The columns of `custody_episode` a row fills, in the order of its values once the
# person and the establishment are found (`custody.COLUMNS`).
_EPISODE_COLUMNS = (
    "person_id",
    "establishment_id",
    "prison_number",
    "category",
    "sentence_months",
    *DATES,
)


class CustodyWriter:
    """Upserts custody episodes by source key, after finding each person and prison.

    With `permits`, a person the importer may not import is answered as missing (no
    episode is recorded against them, and their existence is not told), and an episode
    already held with such a marking is refused. `written` collects the persons' ids.
    """

    def __init__(
        self,
        store: ImportStore,
        *,
        now: datetime,
        problems: Problems,
        pending: Pending | None = None,
        permits: Permits | None = None,
    ) -> None:
        self.store = store
        self.pending = pending or Pending()  # dry runs: persons earlier files would add
        self.permits = permits
        self.now = now
        self.problems = problems
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []
        self._prisons: dict[str, int] | None = None

    def next_transaction(self) -> None:
        """Forget the prisons: one may have been added since."""
        self._prisons = None

    def flush(self, records: list[EntityRecord], mode: Mode) -> None:
        if not records:
            return
        rows = self._found(records)
        if mode is Mode.CHECK or len(rows) < len(records) or self.problems.count:
            return
        held = self._held([r.key for r, _ in rows])
        if refuses_any([r for r, _ in rows], held, self.permits, self.problems):
            return
        existing = {key: id_ for key, (id_, _marking) in held.items()}
        new = [(r, v) for r, v in rows if r.key not in existing]
        old = [(r, v) for r, v in rows if r.key in existing]
        self.inserted += len(new)
        self.updated += len(old)
        if mode is not Mode.WRITE:
            return
        self.written.extend(int(v[0]) for _, v in rows)
        self.store.insert_episodes(
            _EPISODE_COLUMNS, [(*v, *r.key, r.marking) for r, v in new], now=self.now
        )
        self.store.update_episodes(
            _EPISODE_COLUMNS, [(existing[r.key], *v, r.marking) for r, v in old], now=self.now
        )

    def _found(self, records: list[EntityRecord]) -> list[tuple[EntityRecord, tuple[Any, ...]]]:
        """Each record whose person and prison were found, with its `_EPISODE_COLUMNS`.

        Every person or prison not found is reported.
        """
        people = self._people(records)
        prisons = self._prison_ids()
        rows: list[tuple[EntityRecord, tuple[Any, ...]]] = []
        for record in records:
            values: Any = record.values
            person, establishment, *rest = values
            person_id = people.get(person)
            if person_id is None:
                column = "pnc_id" if person[0] == "pnc" else "person_id"
                wanted = person[1] if person[0] == "pnc" else person[3]
                self.problems.add(
                    record.line, column, str(wanted), "a person already in Threadline"
                )
            prison_id = prisons.get(establishment)
            if prison_id is None:
                self.problems.add(
                    record.line,
                    "establishment",
                    establishment,
                    "the code of an organisation of kind prison, e.g. hmp-norwich",
                )
            if person_id is not None and prison_id is not None:
                rows.append((record, (person_id, prison_id, *rest)))
        return rows

    def _prison_ids(self) -> dict[str, int]:
        if self._prisons is None:
            self._prisons = self.store.prison_ids()
        return self._prisons

    def _may_touch(self, owner_id: int, marking: str) -> bool:
        return self.permits is None or self.permits.allows(owner_id, marking)

    def _people(self, records: list[EntityRecord]) -> dict[tuple[Any, ...], int]:
        found: dict[tuple[Any, ...], int] = {}
        wanted: set[Any] = {r.values[0] for r in records}
        pncs = sorted({p[1] for p in wanted if p[0] == "pnc"})
        for pnc in pncs:
            if pnc in self.pending.pncs:
                found[("pnc", pnc)] = -1  # a dry run: the person is in a file before this one
        if pncs:
            found.update(
                (("pnc", pnc), id_)
                for pnc, id_, owner_id, marking in self.store.persons_by_pnc(pncs)
                if self._may_touch(owner_id, marking)
            )
        groups: dict[tuple[int, str], list[str]] = defaultdict(list)
        for p in wanted:
            if p[0] == "key" and (p[1], p[2], "person", p[3]) in self.pending.keys:
                found[p] = -1  # a dry run: the person is in a file before this one
            elif p[0] == "key":
                groups[p[1], p[2]].append(p[3])
        for (owner_id, system), ids in groups.items():
            held = self.store.held_entities(owner_id, system, "person", ids)
            found.update(
                (("key", owner_id, system, sid), int(id_))
                for sid, (id_, marking) in held.items()
                if self._may_touch(owner_id, marking)
            )
        return found

    def _held(self, keys: list[SourceKey]) -> dict[SourceKey, Held]:
        found: dict[SourceKey, Held] = {}
        for (owner_id, system), source_ids in by_source(keys).items():
            held = self.store.held_episodes(owner_id, system, source_ids)
            found.update(((owner_id, system, sid), pair) for sid, pair in held.items())
        return found
