"""Upserts of checked disruptions, after finding each subject, person and lead officer.

A row's subject (a group, county line or person) and the persons its tactics name are
found by source key, among this import's pending records (a dry run of several files)
or the records held; a record the importer may not import is answered exactly as a
missing one. Lead officers are found by username. Anything not found is a located
error, so the file is still written whole or not at all. `written` lists the records
the disruptions are about (subjects and persons), for the COLLECTION events.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from threadline.importer.disruption_base import DisruptionStoreWriter
from threadline.importer.flush import Mode, by_source, refuses_any
from threadline.importer.records import EndpointKey, EntityRecord, SourceKey
from threadline.storage.disruption_import import (
    DISRUPTION_COLUMNS,
    HeldDisruption,
    Tactic,
)

_WORDS = {"organisation": "crime group", "county_line": "county line", "person": "person"}


class DisruptionWriter(DisruptionStoreWriter):
    """Upserts disruptions by source key (see the module docstring)."""

    def flush(self, records: list[EntityRecord], mode: Mode) -> None:
        if not records:
            return
        found = self._found(records)
        if mode is Mode.CHECK or len(found) < len(records) or self.problems.count:
            return
        held = self._held([r.key for r, _ in found])
        plain = {key: (id_, marking) for key, (id_, marking, _grade) in held.items()}
        if refuses_any([r for r, _ in found], plain, self.permits, self.problems):
            return
        new = [(r, v) for r, v in found if r.key not in held]
        old = [(r, v) for r, v in found if r.key in held]
        self.inserted += len(new)
        self.updated += len(old)
        # A dry run: court outcomes files after this one may name these disruptions.
        keys = [r.key for r, _ in found]
        self.pending.keys.update((owner, system, "disruption", sid) for owner, system, sid in keys)
        if mode is not Mode.WRITE:
            return
        for _record, (values, tactics) in found:
            ids = [values["entity_id"], *(t[3] for t in tactics)]
            self.written.extend(i for i in ids if i is not None)
        self.sql.insert_many(
            [(values, tactics, r.key, r.marking) for r, (values, tactics) in new],
            created_by=self.permits.actor.user_id if self.permits else None,
            now=self.now,
        )
        self.sql.update_many(
            [
                (
                    held[r.key][0],
                    values,
                    tactics,
                    r.marking,
                    held[r.key][2] != values["claimed_grade"],
                )
                for r, (values, tactics) in old
            ],
            now=self.now,
        )

    # ------------------------------------------------------------------ look-ups

    def _found(
        self, records: list[EntityRecord]
    ) -> list[tuple[EntityRecord, tuple[dict[str, Any], list[Tactic]]]]:
        """Each record whose subject, persons and lead were found, with its values."""
        wanted: set[EndpointKey] = set()
        for record in records:
            values: Any = record.values
            subject, tactics = values[1], values[11]
            if subject is not None:
                wanted.add(subject)
                owner_id, system = subject[0], subject[1]
            else:
                owner_id, system = record.key[0], record.key[1]
            wanted.update((owner_id, system, "person", t[3]) for t in tactics if t[3])
        ids = self._entities(wanted)
        groups = self.sql.groups([i for i in ids.values() if i > 0])
        names = sorted({str(r.values[7]) for r in records if r.values[7]})
        users = self.sql.users(names) if names else {}
        rows = []
        for record in records:
            row = self._row(record, ids, groups, users)
            if row is not None:
                rows.append((record, row))
        return rows

    def _row(
        self,
        record: EntityRecord,
        ids: dict[EndpointKey, int],
        groups: set[int],
        users: dict[str, int],
    ) -> tuple[dict[str, Any], list[Tactic]] | None:
        given: Any = record.values
        (kind, subject, theme, strand, grade, rationale, occurred, officer, agency, team,
         summary, items) = given  # fmt: skip
        ok = True
        entity_id: int | None = None
        if subject is not None:
            entity_id = ids.get(subject)
            is_group = entity_id is not None and (entity_id < 0 or entity_id in groups)
            if entity_id is None or (kind == "group" and not is_group):
                self._missing(record.line, "subject_id", subject)
                ok = False
            owner_id, system = subject[0], subject[1]
        else:
            owner_id, system = record.key[0], record.key[1]
        tactics: list[Tactic] = []
        for tactic, quantity, unit, person in items:
            person_id = None
            if person:
                key = (owner_id, system, "person", person)
                person_id = ids.get(key)
                if person_id is None:
                    self._missing(record.line, "tactics", key)
                    ok = False
            tactics.append((tactic, quantity, unit, person_id))
        officer_id = users.get(str(officer)) if officer else None
        if officer and officer_id is None:
            self.problems.add(
                record.line,
                "lead_officer",
                str(officer),
                "the username of a police officer in Threadline",
            )
            ok = False
        if not ok:
            return None
        row = (kind, entity_id, theme, strand, grade, rationale, occurred, officer_id, agency,
               team, summary)  # fmt: skip
        values = dict(zip(DISRUPTION_COLUMNS, row, strict=True))
        return values, tactics

    def _entities(self, wanted: set[EndpointKey]) -> dict[EndpointKey, int]:
        found: dict[EndpointKey, int] = {k: -1 for k in wanted if k in self.pending.keys}
        grouped: dict[tuple[int, str, str], list[str]] = defaultdict(list)
        for owner_id, system, kind, source_id in wanted - found.keys():
            grouped[owner_id, system, kind].append(source_id)
        for (owner_id, system, kind), source_ids in grouped.items():
            held = self.store.held_entities(owner_id, system, kind, source_ids)
            found.update(
                ((owner_id, system, kind, sid), int(id_))
                for sid, (id_, marking) in held.items()
                if self.permits is None or self.permits.allows(owner_id, marking)
            )
        return found

    def _missing(self, line: int, column: str, key: EndpointKey) -> None:
        owner_id, system, kind, source_id = key
        owner = self.owners.get(owner_id, str(owner_id))
        self.problems.add(
            line,
            column,
            source_id,
            f"the source_id of a {_WORDS[kind]} from {system} owned by {owner}, in this "
            "import or already in Threadline",
        )

    def _held(self, keys: list[SourceKey]) -> dict[SourceKey, HeldDisruption]:
        found: dict[SourceKey, HeldDisruption] = {}
        for (owner_id, system), source_ids in by_source(keys).items():
            held = self.sql.held(owner_id, system, source_ids)
            found.update(((owner_id, system, sid), row) for sid, row in held.items())
        return found
