"""The ground truth: which true identity stands behind each imported person record.

The generator writes `ground_truth.csv` (owner, source_system, kind, source_id,
identity, variation); after import, each row is matched to its record's entity id by
that unique source key and stored in the `ground_truth` table, where matching can be
measured against it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text

from threadline.demo.world import Progress
from threadline.errors import ThreadlineError
from threadline.storage.db import placeholder, session_scope
from threadline.storage.reference import agency_ids

__all__ = ["store_ground_truth"]

_BATCH = 50_000
_STAGING = Table(
    "demo_truth_staging",
    MetaData(),
    Column("owner_id", Integer),
    Column("source_system", String(64)),
    Column("kind", String(32)),
    Column("source_id", String(128)),
    Column("identity", String(64)),
    Column("variation", Text),
    prefixes=["TEMPORARY"],
)
# Upsert, so that building the same region again refreshes the truth in place. The
# `WHERE true` lets SQLite tell the ON CONFLICT clause from a join constraint.
_STORE = """
INSERT INTO ground_truth (entity_id, identity, variation)
SELECT e.id, t.identity, t.variation
FROM demo_truth_staging t
JOIN entity e ON e.owner_id = t.owner_id AND e.source_system = t.source_system
    AND e.kind = t.kind AND e.source_id = t.source_id
WHERE true
ON CONFLICT (entity_id) DO UPDATE SET identity = excluded.identity,
    variation = excluded.variation
"""


def _rows(path: Path, owners: dict[str, int]) -> Iterator[tuple[object, ...]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for owner, system, kind, source_id, identity, variation in reader:
            yield owners[owner], system, kind, source_id, identity, variation


def store_ground_truth(
    engine: Engine, path: Path, total: int, progress: Progress | None = None
) -> int:
    """Store the true identity of every record in the truth file; returns rows stored.

    The file is loaded into a temporary table (plain driver-level batches: a million
    rows take seconds) and joined to `entity` on its unique source key in one
    statement. A row whose record is not in the database is an error.
    """
    with session_scope(engine) as session:
        owners = agency_ids(session)
    mark = placeholder(engine.dialect)
    load = f"INSERT INTO demo_truth_staging VALUES ({', '.join([mark] * 6)})"
    # DDL is transactional on SQLite and PostgreSQL: if anything fails, the rollback
    # takes the staging table with it, so no pooled connection is left holding one.
    with engine.begin() as conn:
        _STAGING.create(conn)
        expected = 0
        batch: list[tuple[object, ...]] = []
        for row in _rows(path, owners):
            batch.append(row)
            if len(batch) >= _BATCH:
                conn.exec_driver_sql(load, batch)
                expected += len(batch)
                batch = []
                if progress is not None:
                    progress("ground_truth", expected, total)
        if batch:
            conn.exec_driver_sql(load, batch)
            expected += len(batch)
        stored = int(conn.exec_driver_sql(_STORE).rowcount)
        _STAGING.drop(conn)
    if stored != expected:
        raise ThreadlineError(
            f"ground truth: {expected} person records were generated but {stored} were "
            "found in the database after import; the import did not take every record"
        )
    if progress is not None:
        progress("ground_truth", stored, total)
    return stored
