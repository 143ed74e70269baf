"""A first load on SQLite (importer.first_load): a large file into empty tables, in one go.

The indexes and the name index are built after the rows, in the load's transaction: so
every name is found after it, a file refused anywhere leaves the database (name index
included) exactly as it was, and imports after it keep the name index up as before.
Files here are small, so the size threshold is set to 0 to take the first-load path.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
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
from threadline.storage import sqlite_bulk


@pytest.fixture
def first_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The kinds loaded as first loads (indexes deferred) while the test runs."""
    calls: list[str] = []
    defer = sqlite_bulk.defer_indexes

    def spy(conn: Any, kind: str) -> sqlite_bulk.DeferredIndexes:
        calls.append(kind)
        return defer(conn, kind)

    monkeypatch.setattr(sqlite_bulk, "defer_indexes", spy)
    return calls


def _schema(engine: Engine) -> list[tuple[Any, ...]]:
    return rows_of(engine, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name")


def _index_consistent(engine: Engine) -> None:
    """FTS5's own check: the name index holds exactly what `person_name` holds."""
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO person_name_fts(person_name_fts, rank) VALUES ('integrity-check', 1)"
        )


def _found_by_index(engine: Engine, full_norm: str) -> set[int]:
    return {
        int(row[0])
        for row in rows_of(
            engine,
            "SELECT rowid FROM person_name_fts WHERE person_name_fts MATCH :q",
            q=f'"{full_norm}"',
        )
    }


def _ids(engine: Engine) -> dict[str, int]:
    return {str(sid): int(id_) for sid, id_ in rows_of(engine, "SELECT source_id, id FROM entity")}


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "forked reader"])
def test_after_a_first_load_the_name_search_finds_every_imported_name(
    sqlite_engine: Engine, tmp_path: Path, first_loads: list[str], parallel: bool
) -> None:
    before = _schema(sqlite_engine)
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 60))
    result = import_file(
        engine=sqlite_engine, path=path, owner="norfolk", settings=first_load_settings(parallel)
    )
    assert result.ok and result.inserted == 60
    assert first_loads == ["person"]
    assert _schema(sqlite_engine) == before  # every index and trigger made again
    _index_consistent(sqlite_engine)
    names = rows_of(sqlite_engine, "SELECT id, full_norm FROM person_name")
    assert len(names) == 60 + 20 + 15  # primary names, aliases, nicknames
    for id_, full_norm in names:
        assert id_ in _found_by_index(sqlite_engine, full_norm), full_norm
    ids = _ids(sqlite_engine)
    with Session(sqlite_engine) as session:
        for n in (0, 17, 59):
            row = first_load_rows(n, n + 1)[0]
            found = find_people(session=session, name=f"{row['given_names']} {row['family_name']}")
            assert ids[f"P{n}"] in {match.person_id for match in found}
        found = find_people(session=session, name="Marcus Vandermeer021")
        assert (ids["P21"], "alias") in {(m.person_id, m.matched_kind) for m in found}


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "forked reader"])
def test_a_first_load_refused_by_a_bad_row_late_in_the_file_leaves_the_database_as_it_was(
    sqlite_engine: Engine, tmp_path: Path, first_loads: list[str], parallel: bool
) -> None:
    before = _schema(sqlite_engine)
    rows = [*first_load_rows(0, 59), person_row(59, date_of_birth="31/02/1990")]
    path = write_csv(tmp_path / "persons.csv", rows)
    result = import_file(
        engine=sqlite_engine, path=path, owner="norfolk", settings=first_load_settings(parallel)
    )
    assert not result.ok and result.inserted == 0 and result.audit_events == []
    assert [e.location for e in result.errors] == ["persons.csv line 61, column date_of_birth"]
    assert first_loads == ["person"]  # it was written as far as the bad row, then undone
    assert _schema(sqlite_engine) == before  # indexes and the name trigger are back
    assert count(sqlite_engine, "entity") == count(sqlite_engine, "person_name") == 0
    _index_consistent(sqlite_engine)
    assert rows_of(sqlite_engine, "SELECT COUNT(*) FROM person_name_fts")[0][0] == 0
    # The name index still works: the next import (the same file, mended) is found.
    mended = write_csv(tmp_path / "persons.csv", first_load_rows(0, 60))
    again = import_file(
        engine=sqlite_engine, path=mended, owner="norfolk", settings=first_load_settings()
    )
    assert again.ok and again.inserted == 60
    _index_consistent(sqlite_engine)
    assert len(_found_by_index(sqlite_engine, "ezra059")) == 1


def test_a_first_load_that_fails_while_building_its_indexes_writes_nothing(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _schema(sqlite_engine)

    def broken(conn: Any, deferred: sqlite_bulk.DeferredIndexes) -> None:
        conn.exec_driver_sql(deferred.indexes[0])  # part of the way, then a failure
        raise OSError("disk full")

    monkeypatch.setattr(sqlite_bulk, "build_indexes", broken)
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 30))
    with pytest.raises(OSError, match="disk full"):
        import_file(
            engine=sqlite_engine, path=path, owner="norfolk", settings=first_load_settings()
        )
    assert _schema(sqlite_engine) == before
    assert count(sqlite_engine, "entity") == count(sqlite_engine, "person_name") == 0
    _index_consistent(sqlite_engine)


def test_an_incremental_import_after_a_first_load_updates_the_name_index(
    sqlite_engine: Engine, tmp_path: Path, first_loads: list[str]
) -> None:
    first = write_csv(tmp_path / "persons.csv", first_load_rows(0, 40))
    assert import_file(
        engine=sqlite_engine, path=first, owner="norfolk", settings=first_load_settings()
    ).ok
    renamed = person_row(5, family_name="Featherstonehaugh", given_names="Ottoline")
    later = write_csv(tmp_path / "persons-more.csv", [renamed, *first_load_rows(40, 50)])
    result = import_file(
        engine=sqlite_engine, path=later, owner="norfolk", settings=first_load_settings()
    )
    assert result.ok and (result.inserted, result.updated) == (10, 1)
    assert first_loads == ["person"]  # the second file found the tables holding rows
    _index_consistent(sqlite_engine)
    ids = _ids(sqlite_engine)
    assert _found_by_index(sqlite_engine, "ottoline featherstonehaugh")
    assert not _found_by_index(sqlite_engine, "ezra005")  # P5's old name is gone
    assert _found_by_index(sqlite_engine, "ezra045")
    with Session(sqlite_engine) as session:
        found = find_people(session=session, name="Ottoline Featherstonehaugh")
        assert [match.person_id for match in found] == [ids["P5"]]


def test_a_file_imported_again_keeps_the_name_rows_of_people_whose_names_did_not_change(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 20))
    assert import_file(
        engine=sqlite_engine, path=path, owner="norfolk", settings=first_load_settings()
    ).ok
    before = rows_of(sqlite_engine, "SELECT id, person_id, full_norm FROM person_name")
    changed = [*first_load_rows(0, 19), person_row(19, aliases="Ezra Quill")]
    path = write_csv(tmp_path / "persons.csv", changed)
    result = import_file(
        engine=sqlite_engine, path=path, owner="norfolk", settings=first_load_settings()
    )
    assert result.ok and result.updated == 20
    after = rows_of(sqlite_engine, "SELECT id, person_id, full_norm FROM person_name")
    p19 = _ids(sqlite_engine)["P19"]
    assert [r for r in after if r[1] != p19] == [r for r in before if r[1] != p19]
    assert sorted(r[2] for r in after if r[1] == p19) == ["ezra quill", "john19 smith"]
    _index_consistent(sqlite_engine)


def test_small_files_and_the_setting_turned_off_import_batch_by_batch(
    sqlite_engine: Engine, tmp_path: Path, first_loads: list[str]
) -> None:
    path = write_csv(tmp_path / "persons.csv", first_load_rows(0, 10))
    off = import_file(
        engine=sqlite_engine,
        path=path,
        owner="norfolk",
        settings=first_load_settings(first_load=False),
    )
    assert off.ok and first_loads == []
    assert Settings().import_first_load_min_bytes > path.stat().st_size
