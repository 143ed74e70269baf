"""Upserts of checked court outcomes, after finding each disruption and person.

A row's disruption is found by the source reference it was recorded (or imported) with,
its person by PNC id or by their record's source key; one the importer may not import
is answered exactly as a missing one. An outcome is kept per disruption, person and
stage: a row already held updates it. `written` lists the disruptions' subjects and the
persons, for the COLLECTION events.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from threadline.importer.disruption_base import DisruptionStoreWriter
from threadline.importer.flush import Mode
from threadline.importer.records import EntityRecord
from threadline.storage.disruption_import import Named

DisruptionKey = tuple[int, str, str]  # owner id, system, source id


class OutcomeWriter(DisruptionStoreWriter):
    """Upserts court outcomes (see the module docstring)."""

    def flush(self, records: list[EntityRecord], mode: Mode) -> None:
        if not records:
            return
        found = self._found(records)
        if mode is Mode.CHECK or len(found) < len(records) or self.problems.count:
            return
        held = self.sql.outcomes_held([row[0] for _, row, _ in found])
        keys = [(row[0], row[1], row[2]) for _, row, _ in found]
        if len(set(keys)) < len(keys):
            self._repeated(found)
            return
        new = [row for _, row, _ in found if (row[0], row[1], row[2]) not in held]
        old = [(held[row[0], row[1], row[2]], *row[3:]) for _, row, _ in found if row[:3] in held]
        self.inserted += len(new)
        self.updated += len(old)
        if mode is not Mode.WRITE:
            return
        for _, row, subject in found:
            self.written.extend(i for i in (subject, row[1]) if i is not None)
        recorded_by = self.permits.actor.user_id if self.permits else None
        self.sql.insert_outcomes(new, recorded_by=recorded_by, now=self.now)
        self.sql.update_outcomes(old)

    def _repeated(self, found: list[tuple[EntityRecord, tuple[Any, ...], int | None]]) -> None:
        first: dict[tuple[Any, ...], int] = {}
        for record, row, _ in found:
            line = first.setdefault(row[:3], record.line)
            if line != record.line:
                self.problems.add(
                    record.line, "stage", str(row[2]),
                    f"one row per disruption, person and stage (this repeats line {line})",
                )  # fmt: skip

    def _found(
        self, records: list[EntityRecord]
    ) -> list[tuple[EntityRecord, tuple[Any, ...], int | None]]:
        """Each record whose disruption and person were found: (record, row, subject)."""
        disruptions = self._disruptions(records)
        people = self._people(records)
        rows = []
        for record in records:
            given: Any = record.values
            wanted, person, stage, on, offence, sentence, months, orders = given
            named = disruptions.get(wanted)
            person_id = people.get(person)
            if named is None:
                owner = self.owners.get(wanted[0], str(wanted[0]))
                self.problems.add(
                    record.line, "disruption_id", wanted[2],
                    f"the source_id of a disruption from {wanted[1]} recorded by {owner}, "
                    "already in Threadline",
                )  # fmt: skip
            elif on < named[3]:
                self.problems.add(
                    record.line, "on_date", on.isoformat(),
                    f"a date on or after the disruption ({named[3].isoformat()})",
                )  # fmt: skip
                named = None
            if person_id is None:
                column = "pnc_id" if person[0] == "pnc" else "person_id"
                wanted_person = person[1] if person[0] == "pnc" else person[3]
                self.problems.add(
                    record.line, column, str(wanted_person), "a person already in Threadline"
                )
            if named is not None and person_id is not None:
                row = (named[0], person_id, stage, on, offence, sentence, months, orders)
                rows.append((record, row, named[2]))
        return rows

    def _may_touch(self, owner_id: int, marking: str) -> bool:
        return self.permits is None or self.permits.allows(owner_id, marking)

    def _disruptions(self, records: list[EntityRecord]) -> dict[DisruptionKey, Named]:
        grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
        for record in records:
            key: DisruptionKey = record.values[0]  # type: ignore[assignment]
            owner_id, system, source_id = key
            grouped[owner_id, system].append(source_id)
        found: dict[DisruptionKey, Named] = {}
        for (owner_id, system), source_ids in grouped.items():
            for sid in source_ids:  # a dry run: in a disruptions file before this one
                if (owner_id, system, "disruption", sid) in self.pending.keys:
                    found[owner_id, system, sid] = (-1, "OFFICIAL", None, date.min)
            for sid, named in self.sql.named(owner_id, system, source_ids).items():
                if self._may_touch(owner_id, named[1]):
                    found[owner_id, system, sid] = named
        return found

    def _people(self, records: list[EntityRecord]) -> dict[tuple[Any, ...], int]:
        wanted: set[Any] = {r.values[1] for r in records}
        found: dict[tuple[Any, ...], int] = {}
        pncs = sorted({p[1] for p in wanted if p[0] == "pnc"})
        found.update((("pnc", pnc), -1) for pnc in pncs if pnc in self.pending.pncs)
        if pncs:
            found.update(
                (("pnc", pnc), id_)
                for pnc, id_, owner_id, marking in self.store.persons_by_pnc(pncs)
                if self._may_touch(owner_id, marking)
            )
        grouped: dict[tuple[int, str], list[str]] = defaultdict(list)
        for p in wanted:
            if p[0] == "key" and (p[1], p[2], "person", p[3]) in self.pending.keys:
                found[p] = -1  # a dry run: the person is in a file before this one
            elif p[0] == "key":
                grouped[p[1], p[2]].append(p[3])
        for (owner_id, system), ids in grouped.items():
            held = self.store.held_entities(owner_id, system, "person", ids)
            found.update(
                (("key", owner_id, system, sid), int(id_))
                for sid, (id_, marking) in held.items()
                if self._may_touch(owner_id, marking)
            )
        return found
