"""Links find their endpoints by source key; locations find their policing area."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tests.importer.conftest import count, only_error, person_row, rows_of, write_csv
from threadline.importer import import_files

LINK = {
    "source_system": "athena",
    "source_id": "K1",
    "owner": "norfolk",
    "link_type": "member_of",
    "from_kind": "person",
    "from_id": "P1",
    "to_kind": "organisation",
    "to_id": "G1",
    "role": "principal",
    "valid_from": "2023-01-01",
    "valid_to": "",
}
GROUP = {"source_system": "athena", "source_id": "G1", "owner": "norfolk", "name": "Kestrel"}


def _records(tmp_path: Path, run: Any) -> None:
    assert run(write_csv(tmp_path / "persons.csv", [person_row(1), person_row(2)])).ok
    assert run(write_csv(tmp_path / "organisations.csv", [GROUP])).ok


def test_link_joins_the_records_it_names(engine: Engine, run: Any, tmp_path: Path) -> None:
    _records(tmp_path, run)
    result = run(write_csv(tmp_path / "links.csv", [LINK]))
    assert (result.inserted, result.updated) == (1, 0)
    [link] = rows_of(
        engine,
        "SELECT l.link_type, f.source_id, t.source_id, l.role, l.valid_from, l.valid_to "
        "FROM link l JOIN entity f ON f.id = l.from_id JOIN entity t ON t.id = l.to_id",
    )
    assert link[:4] == ("member_of", "P1", "G1", "principal")
    assert str(link[4]) == "2023-01-01" and link[5] is None

    moved = {**LINK, "role": "lieutenant", "valid_to": "2024-06-30"}
    again = run(write_csv(tmp_path / "links.csv", [moved]))
    assert (again.inserted, again.updated) == (0, 1)
    assert rows_of(engine, "SELECT role FROM link") == [("lieutenant",)]
    assert count(engine, "link") == 1


def test_link_to_a_missing_record(engine: Engine, run: Any, tmp_path: Path) -> None:
    _records(tmp_path, run)
    result = run(write_csv(tmp_path / "links.csv", [{**LINK, "from_id": "P404"}]))
    error = result.errors[0]
    assert result.error_count == 1
    assert error.location == "links.csv line 2, column from_id"
    assert error.received == "P404"
    assert "a person from athena owned by norfolk" in error.expected
    assert count(engine, "link") == 0


def test_link_whose_endpoint_is_another_kind(run: Any, tmp_path: Path) -> None:
    _records(tmp_path, run)
    result = run(write_csv(tmp_path / "links.csv", [{**LINK, "to_kind": "person", "to_id": "G1"}]))
    error = result.errors[0]
    assert error.location == "links.csv line 2, column to_kind"
    assert error.expected == "organisation: a member_of link must end there"
    wrong_id = run(write_csv(tmp_path / "links.csv", [{**LINK, "from_id": "G1"}]))
    assert "there is an organisation with that id" in only_error(wrong_id)


def test_link_dates_and_types(run: Any, tmp_path: Path) -> None:
    _records(tmp_path, run)
    rows = [
        {**LINK, "source_id": "K1", "valid_from": "2024-05-01", "valid_to": "2024-04-30"},
        {**LINK, "source_id": "K2", "link_type": "knows"},
        {**LINK, "source_id": "K3", "from_kind": "phone"},
        {
            **LINK,
            "source_id": "K4",
            "link_type": "associate_of",
            "to_kind": "person",
            "to_id": "P1",
        },
    ]
    result = run(write_csv(tmp_path / "links.csv", rows))
    assert [(e.location, e.received) for e in result.errors] == [
        ("links.csv line 2, column valid_to", "2024-04-30"),
        ("links.csv line 3, column link_type", "knows"),
        ("links.csv line 4, column from_kind", "phone"),
        ("links.csv line 5, column to_id", "P1"),
    ]
    assert result.errors[0].expected == "a date not before valid_from (2024-05-01)"


def test_files_named_in_any_order_import_links_last(engine: Engine, tmp_path: Path) -> None:
    paths = [
        write_csv(tmp_path / "links.csv", [LINK]),
        write_csv(tmp_path / "organisations.csv", [GROUP]),
        write_csv(tmp_path / "persons.csv", [person_row(1)]),
    ]
    dry = import_files(engine=engine, paths=paths, dry_run=True)
    assert [r.path.name for r in dry] == ["organisations.csv", "persons.csv", "links.csv"]
    assert all(r.ok for r in dry), [str(e) for r in dry for e in r.errors]
    assert count(engine, "entity") == 0
    real = import_files(engine=engine, paths=paths)
    assert [r.inserted for r in real] == [1, 1, 1]
    assert count(engine, "link") == 1


def test_in_a_dry_run_links_cannot_use_a_file_that_failed(engine: Engine, tmp_path: Path) -> None:
    paths = [
        write_csv(tmp_path / "persons.csv", [person_row(1, gender="robot")]),
        write_csv(tmp_path / "organisations.csv", [GROUP]),
        write_csv(tmp_path / "links.csv", [LINK]),
    ]
    results = import_files(engine=engine, paths=paths, dry_run=True)
    assert [r.error_count for r in results] == [1, 0, 1]
    assert results[2].errors[0].location == "links.csv line 2, column from_id"


def test_location_area_from_postcode_district(engine: Engine, run: Any, tmp_path: Path) -> None:
    common = {"source_system": "athena", "owner": "norfolk"}
    rows = [
        {**common, "source_id": "L1", "line1": "1 Mill Lane", "postcode": "nr1 3ab"},
        {**common, "source_id": "L2", "line1": "2 Quay", "postcode": "NR30 1AA", "area": ""},
        {**common, "source_id": "L3", "line1": "3 Strand", "postcode": "WC2R 0RL"},
        {**common, "source_id": "L4", "location_type": "area", "line1": "Park", "area": "Norwich"},
    ]
    header = ["source_system", "source_id", "owner", "location_type", "line1", "postcode", "area"]
    assert run(write_csv(tmp_path / "locations.csv", rows, header=header)).ok
    stored = rows_of(
        engine,
        "SELECT e.source_id, l.location_type, l.postcode, a.code FROM location l "
        "JOIN entity e ON e.id = l.entity_id LEFT JOIN area a ON a.id = l.area_id "
        "ORDER BY e.source_id",
    )
    assert stored == [
        ("L1", "address", "NR1 3AB", "norwich"),
        ("L2", "address", "NR30 1AA", "great-yarmouth"),
        ("L3", "address", "WC2R 0RL", None),
        ("L4", "area", None, "norwich"),
    ]


def test_phone_and_vehicle_are_stored_canonical(engine: Engine, run: Any, tmp_path: Path) -> None:
    common = {"source_system": "athena", "owner": "norfolk"}
    phones = [{**common, "source_id": "T1", "number": "07700 900123", "imei": "49-015420-323751-8"}]
    vehicles = [{**common, "source_id": "V1", "vrm": "ab12 cde", "make": "Ford"}]
    assert run(write_csv(tmp_path / "phones.csv", phones)).ok
    assert run(write_csv(tmp_path / "vehicles.csv", vehicles)).ok
    assert rows_of(engine, "SELECT number, imei FROM phone") == [
        ("+447700900123", "490154203237518")
    ]
    assert rows_of(engine, "SELECT vrm, vrm_key, make FROM vehicle") == [
        ("AB12CDE", "A812CDE", "Ford")
    ]
