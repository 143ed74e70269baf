"""Batched upserts of one kind's checked records, inside the file's write transaction.

Each batch: look up which keys are already held (one look-up per owner and system,
skipped for a source that had no records when the import began), give new records ids,
insert the new and update the held in place, so a record keeps its id on re-import.
"""

from __future__ import annotations

from datetime import datetime

from threadline.importer.flush import Held, Mode, by_source, refuses_any
from threadline.importer.permits import Permits
from threadline.importer.problems import Problems
from threadline.importer.records import (
    NAME_COLUMNS,
    TABLE_COLUMNS,
    EndpointKey,
    EntityRecord,
    SourceKey,
)
from threadline.model.enums import RetentionGroup
from threadline.storage.import_store import ImportStore

# Imported records start in MoPI group 3; a review moves them (`threadline.review`).
_RETENTION = RetentionGroup.OTHER.value


class EntityWriter:
    """Writes the records of one entity kind (`person`, `phone`, ...).

    With `permits`, a record already held with a marking the importer may not import is
    refused (reported to `problems`), never updated. `written` collects the ids written.
    """

    def __init__(
        self,
        store: ImportStore,
        kind: str,
        *,
        now: datetime,
        keep_keys: bool = False,
        problems: Problems | None = None,
        permits: Permits | None = None,
    ) -> None:
        self.store = store
        self.kind = kind
        self.columns = TABLE_COLUMNS[kind]
        self.now = now
        self.problems = problems
        self.permits = permits
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []
        # Dry runs of several files remember the keys a file would write, for links,
        # and the PNC ids of its persons, for custody files.
        self.keys: set[EndpointKey] | None = set() if keep_keys else None
        self.pncs: set[str] = set()
        self._fresh: dict[tuple[int, str], bool] = {}

    def next_transaction(self) -> None:
        """Forget what another writer may have changed since (fresh sources)."""
        self._fresh.clear()

    def flush(self, records: list[EntityRecord], mode: Mode) -> None:
        if mode is Mode.CHECK or not records:
            return
        held = self._held([r.key for r in records])
        if refuses_any(records, held, self.permits, self.problems):
            return
        existing = {key: id_ for key, (id_, _marking) in held.items()}
        new = [r for r in records if r.key not in existing]
        old = [r for r in records if r.key in existing]
        self.inserted += len(new)
        self.updated += len(old)
        if self.keys is not None:
            self.keys.update((*r.key[:2], self.kind, r.key[2]) for r in records)
            if self.kind == "person":  # values: TABLE_COLUMNS["person"], pnc_id 7th
                self.pncs.update(str(r.values[6]) for r in records if r.values[6])
        if mode is Mode.WRITE:
            self._write(new, old, [existing[r.key] for r in old])

    def _write(self, new: list[EntityRecord], old: list[EntityRecord], old_ids: list[int]) -> None:
        store, kind, now = self.store, self.kind, self.now
        ids = store.new_entity_ids(len(new))
        self.written.extend(ids)
        self.written.extend(old_ids)
        store.insert_entities(
            kind,
            [(id_, r.key, r.marking) for id_, r in zip(ids, new, strict=True)],
            retention_group=_RETENTION,
            now=now,
        )
        store.insert_details(
            kind, self.columns, [(id_, *r.values) for id_, r in zip(ids, new, strict=True)]
        )
        if old:
            store.update_entities(
                [(id_, r.marking) for id_, r in zip(old_ids, old, strict=True)], now=now
            )
            store.upsert_details(
                kind,
                self.columns,
                [(id_, *r.values) for id_, r in zip(old_ids, old, strict=True)],
            )
        if kind == "person":
            self._write_names(ids, new, old_ids, old)

    def _write_names(
        self, ids: list[int], new: list[EntityRecord], old_ids: list[int], old: list[EntityRecord]
    ) -> None:
        """A person's names are replaced whole: aliases dropped from the file go.

        A held person whose names are unchanged (most, when a file is imported again)
        keeps its name rows: each replaced costs the name index a delete and an insert.
        """
        if old_ids:
            held = self.store.held_names(old_ids, NAME_COLUMNS)
            changed = [
                (id_, r)
                for id_, r in zip(old_ids, old, strict=True)
                if sorted(held.get(id_, ())) != sorted(r.names)
            ]
            old_ids, old = [id_ for id_, _ in changed], [r for _, r in changed]
        rows = [
            (id_, *name)
            for id_, r in zip(ids + old_ids, new + old, strict=True)
            for name in r.names
        ]
        self.store.replace_names(old_ids, NAME_COLUMNS, rows)

    def _held(self, keys: list[SourceKey]) -> dict[SourceKey, Held]:
        """The id and marking of each key's record already held."""
        found: dict[SourceKey, Held] = {}
        for (owner_id, system), source_ids in by_source(keys).items():
            if self._is_fresh(owner_id, system):
                continue
            held = self.store.held_entities(owner_id, system, self.kind, source_ids)
            found.update(((owner_id, system, sid), pair) for sid, pair in held.items())
        return found

    def _is_fresh(self, owner_id: int, system: str) -> bool:
        """Whether the source had no records of this kind when the import began.

        Then every key of the file is new (the validator refuses repeats in the file),
        and no batch needs a look-up.
        """
        fresh = self._fresh.get((owner_id, system))
        if fresh is None:
            fresh = not self.store.has_entities(owner_id, system, self.kind)
            self._fresh[owner_id, system] = fresh
        return fresh
