"""A first load on PostgreSQL (importer.first_load): a large file into empty tables, in one go.

The tables' secondary indexes (the GIN trigram index on names among them) are dropped in
the load's transaction and made again from the rows before it commits: so every name is
found after it, and a file refused anywhere, or a failure while the indexes are rebuilt,
leaves the database exactly as it was, every index in place. Files here are small, so
the size threshold is set to 0 to take the first-load path. Skipped without
THREADLINE_TEST_DATABASE_URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from tests.importer.conftest import (
    count,
    first_load_rows,
    first_load_settings,
    person_row,
    rows_of,
    write_csv,
)
from threadline.importer import import_file
from threadline.search.people import find_people
from threadline.settings import Settings
from threadline.storage import pg_copy

pytestmark = pytest.mark.postgres

# Every index of the tables a persons first load fills, as PostgreSQL defines it.
INDEXES = (
    "SELECT tablename, indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = current_schema() AND tablename IN ('entity', 'person', 'person_name') "
    "ORDER BY 1, 2"
)


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The statements of the indexes each first load dropped while the test runs."""
    calls: list[list[str]] = []
    defer = pg_copy.defer_indexes

    def spy(conn: Connection, tables: Sequence[str]) -> list[str]:
        statements = defer(conn, tables)
        calls.append(statements)
        return statements

    monkeypatch.setattr(pg_copy, "defer_indexes", spy)
    return calls


def _ids(engine: Engine) -> dict[str, int]:
    return {str(sid): int(id_) for sid, id_ in rows_of(engine, "SELECT source_id, id FROM entity")}


def _trigram_matches(engine: Engine, full_norm: str) -> int:
    """Name rows the GIN trigram index finds for `full_norm` (the planner made to use it)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(
            str(row[0])
            for row in conn.exec_driver_sql(
                "EXPLAIN SELECT id FROM person_name WHERE full_norm %% %(q)s", {"q": full_norm}
            )
        )
        assert "ix_person_name_trgm" in plan, plan
        found = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM person_name WHERE full_norm %% %(q)s", {"q": full_norm}
        ).scalar_one()
    return int(found)


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "forked reader"])
def test_after_a_first_load_every_index_is_back_and_the_name_search_finds_every_name(
    pg_engine: Engine, tmp_path: Path, deferred: list[list[str]], parallel: bool
) -> None:
    before = rows_of(pg_engine, INDEXES)
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 60))
    result = import_file(
        engine=pg_engine, path=path, owner="norfolk", settings=first_load_settings(parallel)
    )
    assert result.ok and result.inserted == 60
    [statements] = deferred
    assert any("gin_trgm_ops" in s for s in statements)  # the name index was deferred
    assert not any("UNIQUE" in s for s in statements)  # keys the upserts need stayed
    assert rows_of(pg_engine, INDEXES) == before
    assert count(pg_engine, "person_name") == 60 + 20 + 15  # names, aliases, nicknames
    assert _trigram_matches(pg_engine, "percival ezra004") >= 1
    ids = _ids(pg_engine)
    with Session(pg_engine) as session:
        for n in (0, 17, 59):
            row = first_load_rows(n, n + 1)[0]
            found = find_people(session=session, name=f"{row['given_names']} {row['family_name']}")
            assert ids[f"P{n}"] in {match.person_id for match in found}
        found = find_people(session=session, name="Marcus Vandermeer021")
        assert (ids["P21"], "alias") in {(m.person_id, m.matched_kind) for m in found}


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "forked reader"])
def test_a_first_load_refused_by_a_bad_row_late_in_the_file_leaves_the_database_as_it_was(
    pg_engine: Engine, tmp_path: Path, deferred: list[list[str]], parallel: bool
) -> None:
    before = rows_of(pg_engine, INDEXES)
    rows = [*first_load_rows(0, 59), person_row(59, date_of_birth="31/02/1990")]
    path = write_csv(tmp_path / "persons.csv", rows)
    result = import_file(
        engine=pg_engine, path=path, owner="norfolk", settings=first_load_settings(parallel)
    )
    assert not result.ok and result.inserted == 0 and result.audit_events == []
    assert [e.location for e in result.errors] == ["persons.csv line 61, column date_of_birth"]
    assert len(deferred) == 1  # it was written as far as the bad row, then undone
    assert rows_of(pg_engine, INDEXES) == before
    assert count(pg_engine, "entity") == count(pg_engine, "person_name") == 0
    # The mended file loads, and its names are found through the index.
    mended = write_csv(tmp_path / "persons.csv", first_load_rows(0, 60))
    again = import_file(
        engine=pg_engine, path=mended, owner="norfolk", settings=first_load_settings()
    )
    assert again.ok and again.inserted == 60
    assert _trigram_matches(pg_engine, "amelie ezra059") >= 1


def test_a_first_load_that_fails_while_building_its_indexes_writes_nothing(
    pg_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rows_of(pg_engine, INDEXES)

    def broken(conn: Connection, statements: Sequence[str]) -> None:
        conn.exec_driver_sql(statements[0])  # part of the way, then a failure
        raise OSError("disk full")

    monkeypatch.setattr(pg_copy, "build_indexes", broken)
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 30))
    with pytest.raises(OSError, match="disk full"):
        import_file(engine=pg_engine, path=path, owner="norfolk", settings=first_load_settings())
    assert rows_of(pg_engine, INDEXES) == before
    assert count(pg_engine, "entity") == count(pg_engine, "person_name") == 0


def test_a_file_into_tables_holding_rows_keeps_their_indexes_and_updates_them(
    pg_engine: Engine, tmp_path: Path, deferred: list[list[str]]
) -> None:
    first = write_csv(tmp_path / "persons.csv", first_load_rows(0, 40))
    assert import_file(
        engine=pg_engine, path=first, owner="norfolk", settings=first_load_settings()
    ).ok
    renamed = person_row(5, family_name="Featherstonehaugh", given_names="Ottoline")
    later = write_csv(tmp_path / "persons-more.csv", [renamed, *first_load_rows(40, 50)])
    result = import_file(
        engine=pg_engine, path=later, owner="norfolk", settings=first_load_settings()
    )
    assert result.ok and (result.inserted, result.updated) == (10, 1)
    assert len(deferred) == 1  # the second file found the tables holding rows
    assert _trigram_matches(pg_engine, "ottoline featherstonehaugh") == 1
    ids = _ids(pg_engine)
    with Session(pg_engine) as session:
        found = find_people(session=session, name="Ottoline Featherstonehaugh")
        assert [match.person_id for match in found] == [ids["P5"]]


def test_small_files_and_the_setting_turned_off_import_as_usual(
    pg_engine: Engine, tmp_path: Path, deferred: list[list[str]]
) -> None:
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 10))
    off = import_file(
        engine=pg_engine, path=path, owner="norfolk", settings=first_load_settings(first_load=False)
    )
    assert off.ok and off.inserted == 10 and deferred == []
    assert Settings().import_first_load_min_bytes > path.stat().st_size
