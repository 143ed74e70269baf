"""Every kind of bad input is refused with its place, what was received and what would do.

Each case imports a small file holding one mistake and checks the one error the user
sees; in every case nothing is written.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.importer.conftest import count, only_error, person_row, write_csv, write_jsonl

NEXT_YEAR = str(date.today().year + 1)
TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("date_of_birth", "17th June 1990", "a real date as YYYY-MM-DD"),
        ("date_of_birth", "2001-02-29", "that day does not exist"),
        ("date_of_birth", TOMORROW, "a date not after"),
        ("date_of_birth", NEXT_YEAR, "a date not after"),
        ("gender", "bloke", "one of male, female, other, unknown"),
        ("categories", "suspect;villain", "suspect, convicted, victim, witness"),
        ("warning_markers", "WE;XX", "warning marker codes from FI, WE, VI"),
        ("marking", "RESTRICTED", "OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET"),
        ("owner", "norfolkk", "the code of a known organisation (did you mean norfolk?)"),
        ("pnc_id", "ABC123", "a PNC id as YY/NNNNNNNL"),
        ("family_name", "", "a value (this column is required)"),
        ("family_name", "x" * 201, "at most 200 characters"),
        ("source_system", "athena crime", "letters, digits"),
    ],
)
def test_bad_person_value(
    engine: Engine, run: Any, tmp_path: Path, column: str, value: str, expected: str
) -> None:
    rows = [person_row(1), person_row(2, **{column: value})]
    header = [*person_row(1).keys(), "pnc_id", "marking", "warning_markers"]
    result = run(write_csv(tmp_path / "persons.csv", rows, header=header))
    error = result.errors[0]
    assert result.error_count == 1, [str(e) for e in result.errors]
    assert error.location == f"persons.csv line 3, column {column}"
    assert error.received == (value if len(value) <= 80 else value[:79] + "…")
    assert expected in error.expected
    assert count(engine, "entity") == 0


@pytest.mark.parametrize(
    ("kind", "row", "column", "expected"),
    [
        ("locations", {"line1": "1 High St", "postcode": "NR1 ABC"}, "postcode", "UK postcode"),
        ("locations", {"line1": "1 High St", "postcode": ""}, "postcode", "required"),
        ("locations", {"postcode": "NR1 3AB"}, "line1", "required"),
        (
            "locations",
            {"line1": "1 High St", "postcode": "NR1 3AB", "area": "norwhich"},
            "area",
            "a known policing area code such as norwich (did you mean norwich?)",
        ),
        ("phones", {"number": "0770"}, "number", "a phone number such as 07700 900123"),
        ("phones", {"number": "07700 900123", "imei": "490154203237519"}, "imei", "Luhn"),
        ("phones", {"number": "07700 900123", "imei": "49015420323751"}, "imei", "15 digits"),
        ("vehicles", {"vrm": "AB12 CDE !"}, "vrm", "a vehicle registration mark"),
        ("organisations", {"name": "Kestrel", "org_type": "cartel"}, "org_type", "ocg, gang"),
        (
            "county_lines",
            {"name": "Ace", "exporting_area": "Tower Hamlets", "importing_area": "narnia"},
            "importing_area",
            "a known policing area code",
        ),
    ],
)
def test_bad_value_of_other_kinds(
    engine: Engine,
    run: Any,
    tmp_path: Path,
    kind: str,
    row: dict[str, str],
    column: str,
    expected: str,
) -> None:
    full = {"source_system": "athena", "source_id": "X1", "owner": "norfolk", **row}
    result = run(write_csv(tmp_path / f"{kind}.csv", [full]))
    error = result.errors[0]
    assert result.error_count == 1, [str(e) for e in result.errors]
    assert error.location == f"{kind}.csv line 2, column {column}"
    assert expected in error.expected
    assert count(engine, "entity") == 0


def test_unknown_column_is_named_with_the_header(run: Any, tmp_path: Path) -> None:
    header = [*person_row(1).keys(), "date_of_brith"]
    result = run(write_csv(tmp_path / "persons.csv", [person_row(1)], header=header))
    assert only_error(result).startswith("persons.csv line 1 (header): got 'date_of_brith'")
    assert "is it misspelt?" in result.errors[0].expected


def test_missing_required_column(run: Any, tmp_path: Path) -> None:
    header = [c for c in person_row(1) if c != "family_name"]
    result = run(write_csv(tmp_path / "persons.csv", [person_row(1)], header=header))
    error = result.errors[0]
    assert result.error_count == 1
    assert error.location == "persons.csv line 1 (header)"
    assert error.expected == "a column named family_name (it is required)"


def test_no_owner_column_and_no_org(run: Any, tmp_path: Path) -> None:
    header = [c for c in person_row(1) if c != "owner"]
    result = run(write_csv(tmp_path / "persons.csv", [person_row(1)], header=header))
    assert "an owner column, or --org CODE" in only_error(result)


def test_unknown_org_option(engine: Engine, run: Any, tmp_path: Path) -> None:
    result = run(write_csv(tmp_path / "persons.csv", [person_row(1)]), owner="atlantis")
    error = result.errors[0]
    assert result.error_count == 1
    assert (error.location, error.received) == ("--org", "atlantis")
    assert "norfolk" in error.expected
    assert count(engine, "entity") == 0


def test_duplicate_source_id_in_one_file(engine: Engine, run: Any, tmp_path: Path) -> None:
    rows = [person_row(1), person_row(2), person_row(1, family_name="Jones")]
    result = run(write_csv(tmp_path / "persons.csv", rows))
    error = result.errors[0]
    assert result.error_count == 1
    assert error.location == "persons.csv line 4, column source_id"
    assert (error.received, error.expected) == ("P1", "a source_id not already used on line 2")
    assert count(engine, "entity") == 0


def test_same_source_id_in_another_system_is_another_record(run: Any, tmp_path: Path) -> None:
    rows = [person_row(1), person_row(1, source_system="niche")]
    assert run(write_csv(tmp_path / "persons.csv", rows)).inserted == 2


def test_malformed_json_line(engine: Engine, run: Any, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "people.jsonl",
        [person_row(1), "", '{"source_system": "athena", "source_id": "P2",', person_row(3)],
    )
    result = run(path)
    error = result.errors[0]
    assert result.error_count == 1
    assert error.location == "people.jsonl line 3, column 47"  # where the object breaks off
    assert error.received.startswith('{"source_system": "athena"')
    assert "one JSON object per line" in error.expected
    assert count(engine, "entity") == 0


def test_json_field_errors(run: Any, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "people.jsonl",
        [
            {**person_row(1), "shoe_size": "9"},
            {**person_row(2), "family_name": ["Smith", "Jones"]},
            {**person_row(3), "gender": {"value": "male"}},
        ],
    )
    result = run(path)
    assert [e.location for e in result.errors] == [
        "people.jsonl line 1, column shoe_size",
        "people.jsonl line 2, column family_name",
        "people.jsonl line 3, column gender",
    ]
    assert result.errors[1].expected == "a single value, not an array"


def test_wrong_cell_count_in_csv(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_text(
        "source_system,source_id,owner,name\nathena,G1,norfolk,Kestrel\nathena,G2,norfolk,A,B\n"
    )
    result = run(path)
    assert only_error(result) == (
        "organisations.csv line 3: got '5 cells', expected 4 cells, one for each header column"
    )


def test_file_that_is_not_utf8(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "organisations.csv"
    path.write_bytes(b"source_system,source_id,owner,name\nathena,G1,norfolk,Caf\xe9 Kestrel\n")
    assert "UTF-8" in only_error(run(path))


def test_kind_that_cannot_be_told_from_the_name(run: Any, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "norfolk-athena-2026-11.csv", [person_row(1)])
    result = run(path)
    assert result.kind is None
    assert "--kind KIND" in only_error(result)
    assert run(path, kind="persons").inserted == 1


def test_unknown_kind_option(run: Any, tmp_path: Path) -> None:
    result = run(write_csv(tmp_path / "persons.csv", [person_row(1)]), kind="nominals")
    assert result.errors[0].location == "--kind"


def test_missing_file(run: Any, tmp_path: Path) -> None:
    assert "an existing file" in only_error(run(tmp_path / "persons.csv"))
