"""Importing persons: what is stored, all-or-nothing files, re-import, dry run, formats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tests.importer.conftest import count, person_row, rows_of, write_csv, write_jsonl
from threadline.search.keys import name_keys


def test_person_is_stored_normalised_with_searchable_names(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "persons.csv",
        [
            person_row(
                1,
                family_name="  O'Brien ",
                given_names="Seán Patrick",
                date_of_birth="17/06/1990",
                gender="M",
                pnc_id="98/123456a",
                categories="Convicted; suspect",
                aliases="Sean Obrien; John Brien",
                nicknames="Paddy",
                marking="official_sensitive",
            )
        ],
        header=[*person_row(1).keys(), "pnc_id", "marking"],
    )
    result = run(path)
    assert result.ok and result.written
    assert (result.rows, result.inserted, result.updated) == (1, 1, 0)
    [person] = rows_of(
        engine,
        "SELECT p.family_name, p.given_names, p.dob_year, p.dob_month, p.dob_day, p.gender, "
        "p.pnc_id, p.categories, e.marking, e.kind, e.source_system, e.source_id "
        "FROM person p JOIN entity e ON e.id = p.entity_id",
    )
    assert person == (
        "O'Brien",
        "Seán Patrick",
        1990,
        6,
        17,
        "male",
        "98/0123456A",
        "suspect,convicted",
        "OFFICIAL-SENSITIVE",
        "person",
        "athena",
        "P1",
    )
    names = rows_of(
        engine,
        "SELECT kind, family_name, given_names, family_norm, given_norm, full_norm, "
        "family_key, given_key FROM person_name ORDER BY id",
    )
    assert [(n[0], n[1], n[2]) for n in names] == [
        ("primary", "O'Brien", "Seán Patrick"),
        ("alias", "Obrien", "Sean"),
        ("alias", "Brien", "John"),
        ("nickname", "", "Paddy"),
    ]
    for _kind, family, given, *keys in names:
        expected = name_keys(family, given)
        assert tuple(keys) == (
            expected.family_norm,
            expected.given_norm,
            expected.full_norm,
            expected.family_key,
            expected.given_key,
        )


def test_one_bad_date_among_many_rows_writes_nothing_and_says_where(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    rows = [person_row(n) for n in range(500)]
    rows.insert(313, person_row(9999, date_of_birth="31/02/2001"))
    result = run(write_csv(tmp_path / "persons.csv", rows))
    assert not result.written
    assert result.error_count == 1
    error = result.errors[0]
    assert error.location == "persons.csv line 315, column date_of_birth"
    assert error.received == "31/02/2001"
    assert "a real date as YYYY-MM-DD" in error.expected
    assert "does not exist" in error.expected
    assert (result.inserted, result.updated) == (0, 0)
    assert count(engine, "entity") == 0
    assert count(engine, "person_name") == 0


def test_errors_beyond_the_cap_are_counted_not_listed(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    from threadline.settings import Settings

    rows = [person_row(n, gender="robot") for n in range(30)]
    result = run(write_csv(tmp_path / "persons.csv", rows), settings=Settings(import_max_errors=5))
    assert result.error_count == 30
    assert len(result.errors) == 5
    assert [e.location for e in result.errors][:2] == [
        "persons.csv line 2, column gender",
        "persons.csv line 3, column gender",
    ]


def test_reimport_updates_in_place_keeps_ids_and_replaces_names(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    rows = [person_row(n, aliases="Jon Smyth; Johnny Smith") for n in range(3)]
    path = write_csv(tmp_path / "persons.csv", rows)
    first = run(path)
    ids = rows_of(engine, "SELECT source_id, id, created_at FROM entity ORDER BY source_id")
    second = run(path)
    assert (first.inserted, first.updated) == (3, 0)
    assert (second.inserted, second.updated) == (0, 3)
    assert rows_of(engine, "SELECT source_id, id, created_at FROM entity ORDER BY source_id") == ids
    assert count(engine, "person") == 3
    assert count(engine, "person_name") == 9

    rows[1] = person_row(1, family_name="Smithson", aliases="Jon Smithson")
    third = run(write_csv(tmp_path / "persons.csv", rows))
    assert (third.inserted, third.updated) == (0, 3)
    assert rows_of(engine, "SELECT source_id, id, created_at FROM entity ORDER BY source_id") == ids
    p1 = ids[1][1]
    assert rows_of(engine, "SELECT family_name FROM person WHERE entity_id = :i", i=p1) == [
        ("Smithson",)
    ]
    names = rows_of(
        engine, "SELECT kind, given_names, family_name FROM person_name WHERE person_id = :i", i=p1
    )
    assert sorted(names) == [("alias", "Jon", "Smithson"), ("primary", "John1", "Smithson")]
    assert count(engine, "person_name") == 8


def test_dry_run_checks_and_counts_but_writes_nothing(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "persons.csv", [person_row(n) for n in range(4)])
    result = run(path, dry_run=True)
    assert result.ok and result.dry_run and not result.written
    assert (result.rows, result.inserted, result.updated) == (4, 4, 0)
    assert count(engine, "entity") == 0
    run(path)
    again = run(path, dry_run=True)
    assert (again.inserted, again.updated) == (0, 4)


def test_gzip_csv_and_jsonl_import(engine: Engine, run: Any, tmp_path: Path) -> None:
    csv_gz = write_csv(tmp_path / "persons.csv.gz", [person_row(n) for n in range(3)])
    jsonl_gz = write_jsonl(
        tmp_path / "people.jsonl.gz",
        [{**person_row(n), "source_system": "niche"} for n in range(2)],
    )
    assert run(csv_gz).inserted == 3
    assert run(jsonl_gz).inserted == 2
    assert count(engine, "person") == 5


def test_jsonl_lists_numbers_and_nulls(engine: Engine, run: Any, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "people.jsonl",
        [
            {
                "source_system": "nomis",
                "source_id": 4417,
                "owner": "suffolk",
                "family_name": "Grant",
                "given_names": None,
                "categories": ["victim", "witness"],
                "aliases": ["Stacey Grant", "Stace Grunt"],
                "nicknames": ["Stace"],
            }
        ],
    )
    result = run(path)
    assert result.ok, [str(e) for e in result.errors]
    assert rows_of(engine, "SELECT source_id FROM entity") == [("4417",)]
    assert rows_of(engine, "SELECT given_names, categories FROM person") == [("", "victim,witness")]
    names = rows_of(engine, "SELECT kind, given_names, family_name FROM person_name ORDER BY id")
    assert names == [
        ("primary", "", "Grant"),
        ("alias", "Stacey", "Grant"),
        ("alias", "Stace", "Grunt"),
        ("nickname", "Stace", ""),
    ]


def test_owner_from_org_option(engine: Engine, run: Any, tmp_path: Path) -> None:
    row = person_row(1)
    del row["owner"]
    result = run(write_csv(tmp_path / "persons.csv", [row]), owner="essex")
    assert result.ok
    assert rows_of(engine, "SELECT a.code FROM entity e JOIN agency a ON a.id = e.owner_id") == [
        ("essex",)
    ]


def test_partial_dates_of_birth(engine: Engine, run: Any, tmp_path: Path) -> None:
    rows = [
        person_row(1, date_of_birth="1990-00-00"),
        person_row(2, date_of_birth="1990-07"),
        person_row(3, date_of_birth="07/1990"),
        person_row(4, date_of_birth="1990"),
        person_row(5, date_of_birth=""),
    ]
    assert run(write_csv(tmp_path / "persons.csv", rows)).ok
    dobs = rows_of(
        engine,
        "SELECT e.source_id, dob_year, dob_month, dob_day FROM person p "
        "JOIN entity e ON e.id = p.entity_id ORDER BY e.source_id",
    )
    assert dobs == [
        ("P1", 1990, None, None),
        ("P2", 1990, 7, None),
        ("P3", 1990, 7, None),
        ("P4", 1990, None, None),
        ("P5", None, None, None),
    ]


def test_warning_markers_are_read_by_code_or_name_and_stored_in_order(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    rows = [
        person_row(1, warning_markers="drugs; WE"),
        person_row(2, warning_markers="self-harm;Mental Health"),
        person_row(3, warning_markers=""),
    ]
    result = run(
        write_csv(tmp_path / "persons.csv", rows, header=[*person_row(1).keys(), "warning_markers"])
    )
    assert result.ok, [str(e) for e in result.errors]
    stored = rows_of(engine, "SELECT given_names, warning_markers FROM person ORDER BY 1")
    assert stored == [("John1", "WE,DR"), ("John2", "SH,MH"), ("John3", "")]


def test_warning_markers_may_be_a_json_list(engine: Engine, run: Any, tmp_path: Path) -> None:
    row = {**person_row(1), "warning_markers": ["FI", "violent"]}
    result = run(write_jsonl(tmp_path / "persons.jsonl", [row]))
    assert result.ok, [str(e) for e in result.errors]
    assert rows_of(engine, "SELECT warning_markers FROM person") == [("FI,VI",)]
