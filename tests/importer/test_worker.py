"""Large record files are read in a second process: the outcome must be the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.importer.conftest import count, person_row, rows_of, write_csv
from threadline.importer import import_file, worker
from threadline.settings import Settings

pytestmark = pytest.mark.skipif(not worker.available(), reason="this platform cannot fork")

ALWAYS = Settings(import_parallel_min_bytes=0, import_batch_size=50)
NEVER = Settings(import_parallel_min_bytes=-1, import_batch_size=50)


def test_the_worker_stores_exactly_what_a_single_process_stores(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [person_row(n, aliases="Jon Smyth; Johnny Smith") for n in range(420)]
    path = write_csv(tmp_path / "persons.csv", rows)
    parallel = import_file(engine=engine, path=path, owner="norfolk", settings=ALWAYS)
    assert parallel.ok and (parallel.rows, parallel.inserted) == (420, 420)
    stored = rows_of(engine, "SELECT family_name, given_names, dob_year FROM person ORDER BY 1, 2")
    names = count(engine, "person_name")
    again = import_file(engine=engine, path=path, owner="norfolk", settings=NEVER)
    assert (again.inserted, again.updated) == (0, 420)
    assert (
        rows_of(engine, "SELECT family_name, given_names, dob_year FROM person ORDER BY 1, 2")
        == stored
    )
    assert count(engine, "person_name") == names == 420 * 3


def test_errors_found_in_the_worker_are_reported_and_nothing_is_written(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [person_row(n) for n in range(300)]
    rows[123] = person_row(123, date_of_birth="31/02/2001")
    rows[250] = person_row(7)  # a source id used before
    path = write_csv(tmp_path / "persons.csv", rows)
    result = import_file(engine=engine, path=path, owner="norfolk", settings=ALWAYS)
    assert not result.ok
    assert result.error_count == 2
    assert [e.location for e in result.errors] == [
        "persons.csv line 125, column date_of_birth",
        "persons.csv line 252, column source_id",
    ]
    assert result.errors[0].received == "31/02/2001"
    assert count(engine, "person") == 0
