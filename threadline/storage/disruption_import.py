"""The importer's reads and writes of disruptions, on the import's own connection.

Rows go in a batch at a time through SQLAlchemy Core (multi-row INSERT ... RETURNING, and
executemany UPDATEs) on the connection and transaction the import opened
(`storage.import_store`); tactics are replaced whole on each re-import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from threadline.storage.tables import (
    AgencyRow,
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
    OrganisationRow,
    UserRow,
)

GROUP_TYPES = ("ocg", "gang")
POLICE_KINDS = ("force", "regional_unit")
HeldDisruption = tuple[int, str, str]  # id, marking, claimed grade
SourceKey = tuple[int, str, str]  # owner agency id, source system, source id
# The columns of `disruption` an imported row fills, in the order of its values.
DISRUPTION_COLUMNS = (
    "subject_kind",
    "entity_id",
    "theme",
    "strand",
    "claimed_grade",
    "rationale",
    "occurred_on",
    "lead_officer_id",
    "lead_agency_id",
    "team",
    "summary",
)
Tactic = tuple[str, float | None, str | None, int | None]  # tactic, quantity, unit, person
# A disruption a court outcome names: id, marking, subject entity id, date.
Named = tuple[int, str, int | None, date]
OutcomeKey = tuple[int, int, str]  # disruption id, person id, stage
# The columns of `court_outcome` an imported row fills after its key, in order.
OUTCOME_COLUMNS = ("on_date", "offence", "sentence", "custodial_months", "orders")


class DisruptionImportStore:
    """The statements of a disruptions import on one connection (see the module doc)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def held(
        self, owner_id: int, system: str, source_ids: Sequence[str]
    ) -> dict[str, HeldDisruption]:
        """Disruptions already held under these source ids: id, marking, claimed grade."""
        rows = self.conn.execute(
            select(
                DisruptionRow.source_id,
                DisruptionRow.id,
                DisruptionRow.marking,
                DisruptionRow.claimed_grade,
            ).where(
                DisruptionRow.agency_id == owner_id,
                DisruptionRow.source_system == system,
                DisruptionRow.source_id.in_(list(source_ids)),
            )
        )
        return {str(sid): (int(id_), str(mark), str(grade)) for sid, id_, mark, grade in rows}

    def groups(self, entity_ids: Sequence[int]) -> set[int]:
        """Which of these organisations are crime groups (an OCG or a gang)."""
        rows = self.conn.execute(
            select(OrganisationRow.entity_id).where(
                OrganisationRow.entity_id.in_(list(entity_ids)),
                OrganisationRow.org_type.in_(GROUP_TYPES),
            )
        )
        return {int(id_) for (id_,) in rows}

    def users(self, usernames: Sequence[str]) -> dict[str, int]:
        """The id of each of these usernames (lower-cased) that is a police account (of a
        force or the regional unit): only police lead a disruption as officers."""
        rows = self.conn.execute(
            select(UserRow.username, UserRow.id)
            .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
            .where(UserRow.username.in_(list(usernames)), AgencyRow.kind.in_(POLICE_KINDS))
        )
        return {str(name).lower(): int(id_) for name, id_ in rows}

    def insert_many(
        self,
        rows: list[tuple[dict[str, Any], list[Tactic], SourceKey, str]],
        *,
        created_by: int | None,
        now: datetime,
    ) -> None:
        """New disruptions, claimed, with their tactics: (values, tactics, key, marking).

        `created_by` is the importer (a supervisor may not validate what they recorded).
        """
        if not rows:
            return
        params = [
            {
                **values,
                "agency_id": key[0],
                "source_system": key[1],
                "source_id": key[2],
                "marking": marking,
                "validation": "claimed",
                "scope": "region",
                "created_by_id": created_by,
                "created_at": now,
                "updated_at": now,
            }
            for values, _tactics, key, marking in rows
        ]
        statement = insert(DisruptionRow).returning(DisruptionRow.id, sort_by_parameter_order=True)
        ids = [int(id_) for (id_,) in self.conn.execute(statement, params)]
        self._tactics(
            [
                (id_, tactic)
                for id_, (_v, tactics, _k, _m) in zip(ids, rows, strict=True)
                for tactic in tactics
            ]
        )

    def update_many(
        self, rows: list[tuple[int, dict[str, Any], list[Tactic], str, bool]], *, now: datetime
    ) -> None:
        """Held disruptions rewritten, their tactics replaced: (id, values, tactics,
        marking, regraded claim) each.

        A changed claimed grade is a new claim: its earlier validation no longer holds.
        """
        if not rows:
            return
        for regraded in (False, True):
            chunk = [row for row in rows if row[4] is regraded]
            if not chunk:
                continue
            changes: dict[str, Any] = {c: bindparam(f"v_{c}") for c in DISRUPTION_COLUMNS}
            changes |= {"marking": bindparam("v_marking"), "updated_at": now}
            if regraded:
                changes |= {
                    "validation": "claimed",
                    "grade": None,
                    "validated_by_id": None,
                    "validated_at": None,
                    "validation_reason": None,
                }
            statement = (
                update(DisruptionRow).where(DisruptionRow.id == bindparam("v_id")).values(**changes)
            )
            self.conn.execute(
                statement,
                [
                    {"v_id": id_, "v_marking": marking}
                    | {f"v_{c}": values[c] for c in DISRUPTION_COLUMNS}
                    for id_, values, _tactics, marking, _regraded in chunk
                ],
            )
        ids = [row[0] for row in rows]
        for start in range(0, len(ids), 500):
            self.conn.execute(
                delete(DisruptionTacticRow).where(
                    DisruptionTacticRow.disruption_id.in_(ids[start : start + 500])
                )
            )
        self._tactics([(row[0], tactic) for row in rows for tactic in row[2]])

    def _tactics(self, tactics: list[tuple[int, Tactic]]) -> None:
        """Tactics of disruptions: (disruption id, tactic) each."""
        if not tactics:
            return
        self.conn.execute(
            insert(DisruptionTacticRow),
            [
                {
                    "disruption_id": disruption_id,
                    "tactic": tactic,
                    "quantity": quantity,
                    "unit": unit,
                    "person_id": person,
                    "detail": "",
                }
                for disruption_id, (tactic, quantity, unit, person) in tactics
            ],
        )

    # ------------------------------------------------------------------ court outcomes

    def named(self, owner_id: int, system: str, source_ids: Sequence[str]) -> dict[str, Named]:
        """The disruptions of these source ids: id, marking, subject and date."""
        rows = self.conn.execute(
            select(
                DisruptionRow.source_id,
                DisruptionRow.id,
                DisruptionRow.marking,
                DisruptionRow.entity_id,
                DisruptionRow.occurred_on,
            ).where(
                DisruptionRow.agency_id == owner_id,
                DisruptionRow.source_system == system,
                DisruptionRow.source_id.in_(list(source_ids)),
            )
        )
        return {str(sid): (int(id_), str(mark), eid, day) for sid, id_, mark, eid, day in rows}

    def outcomes_held(self, disruption_ids: Sequence[int]) -> dict[OutcomeKey, int]:
        """The court outcomes of these disruptions, by disruption, person and stage."""
        rows = self.conn.execute(
            select(
                CourtOutcomeRow.disruption_id,
                CourtOutcomeRow.person_id,
                CourtOutcomeRow.stage,
                CourtOutcomeRow.id,
            ).where(CourtOutcomeRow.disruption_id.in_(sorted(set(disruption_ids))))
        )
        return {(int(d), int(p), str(s)): int(i) for d, p, s, i in rows if p is not None}

    def insert_outcomes(
        self, rows: list[tuple[Any, ...]], *, recorded_by: int | None, now: datetime
    ) -> None:
        """New court outcomes: (disruption id, person id, stage, *`OUTCOME_COLUMNS`) each."""
        if rows:
            keys = ("disruption_id", "person_id", "stage", *OUTCOME_COLUMNS)
            self.conn.execute(
                insert(CourtOutcomeRow),
                [
                    {
                        **dict(zip(keys, row, strict=True)),
                        "recorded_by_id": recorded_by,
                        "created_at": now,
                    }
                    for row in rows
                ],
            )

    def update_outcomes(self, rows: list[tuple[Any, ...]]) -> None:
        """Held court outcomes rewritten: (id, *`OUTCOME_COLUMNS`) each."""
        for id_, *values in rows:
            self.conn.execute(
                update(CourtOutcomeRow)
                .where(CourtOutcomeRow.id == id_)
                .values(**dict(zip(OUTCOME_COLUMNS, values, strict=True)))
            )
