"""Batched upserts of one kind's checked records, inside the file's write transaction.

Each batch: look up which keys are already held (one look-up per owner and system,
skipped for a source that had no records when the import began), give new records ids,
insert the new and update the held in place, so a record keeps its id on re-import
(rewriting only what differs from what is stored: see `EntityWriter._rewrite`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
        # Writing, the kind's stored values come with the look-up: see `_rewrite`.
        stored: dict[int, tuple[Any, ...]] | None = {} if mode is Mode.WRITE else None
        held = self._held([r.key for r in records], stored)
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
            assert stored is not None
            self._write(new, old, [held[r.key] for r in old], stored)

    def _write(
        self,
        new: list[EntityRecord],
        old: list[EntityRecord],
        old_held: list[Held],
        stored: dict[int, tuple[Any, ...]],
    ) -> None:
        store, kind, now = self.store, self.kind, self.now
        ids = store.new_entity_ids(len(new))
        old_ids = [id_ for id_, _marking in old_held]
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
            self._rewrite(old, old_held, stored)
        if kind == "person":
            self._write_names(ids, new, old_ids, old)

    def _rewrite(
        self, old: list[EntityRecord], old_held: list[Held], stored: dict[int, tuple[Any, ...]]
    ) -> None:
        """Held records written again: each stamped, only what changed rewritten.

        Every held record is stamped as written now (`updated_at`, which tripwires read)
        and counted as updated, as the file wrote it; its marking is set only where it
        changed, and its kind's row only where a value differs from the one stored (a
        file imported again mostly repeats what it said before: rewriting equal values
        costs the kind's indexes a delete and an insert each). Values compare as Python
        values: any that compare equal are stored alike (1 and True, 'x' and 'x'). Of a
        row that changed, only the values that changed are set (`update_details`).
        """
        store, now = self.store, self.now
        marked = [
            (id_, r.marking)
            for (id_, held), r in zip(old_held, old, strict=True)
            if held != r.marking
        ]
        if marked:
            store.update_entities(marked, now=now)
        if len(marked) < len(old):
            store.touch_entities(
                [id_ for (id_, held), r in zip(old_held, old, strict=True) if held == r.marking],
                now=now,
            )
        missing: list[tuple[Any, ...]] = []  # no row of the kind's table (yet)
        changed: list[tuple[Any, ...]] = []
        which: list[tuple[int, ...]] = []  # the positions of each changed row's new values
        for (id_, _marking), r in zip(old_held, old, strict=True):
            values, held_values = r.values, stored.get(id_)
            if held_values is None:
                missing.append((id_, *values))
            elif held_values != values:
                changed.append((id_, *values))
                which.append(
                    tuple(
                        i
                        for i, (a, b) in enumerate(zip(held_values, values, strict=True))
                        if a != b
                    )
                )
        store.upsert_details(self.kind, self.columns, missing)
        store.update_details(self.kind, self.columns, changed, which)

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

    def _held(
        self, keys: list[SourceKey], stored: dict[int, tuple[Any, ...]] | None = None
    ) -> dict[SourceKey, Held]:
        """The id and marking of each key's record already held.

        With `stored`, the values of the kind's `columns` stored for each are put there
        by id, read in the same look-up.
        """
        found: dict[SourceKey, Held] = {}
        for (owner_id, system), source_ids in by_source(keys).items():
            if self._is_fresh(owner_id, system):
                continue
            if stored is None:
                held = self.store.held_entities(owner_id, system, self.kind, source_ids)
            else:
                held = self.store.held_entities(
                    owner_id, system, self.kind, source_ids, self.columns, stored
                )
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
