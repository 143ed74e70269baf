"""Custody episodes from the prison service's export: checked like every kind, written
whole or not at all, persons found by PNC id or by their record's source key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tests.importer.conftest import count, person_row, rows_of, write_csv
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency

HEADER = [
    "source_system",
    "source_id",
    "owner",
    "establishment",
    "prison_number",
    "pnc_id",
    "person_id",
    "person_owner",
    "person_system",
    "received_on",
    "sentenced_on",
    "sentence_months",
    "category",
    "release_date",
    "licence_end",
    "released_on",
    "recalled_on",
]


def _setup(engine: Engine, run: Any, tmp_path: Path) -> None:
    with session_scope(engine) as session:
        ensure_agency(session, Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk"))
    people = [person_row(1, pnc_id="12/345678B"), person_row(2)]
    result = run(write_csv(tmp_path / "persons.csv", people))
    assert result.ok, result.errors


def _episode(n: int, **overrides: str) -> dict[str, str]:
    row = {
        "source_system": "nomis",
        "source_id": f"E{n}",
        "owner": "hmp-norwich",
        "establishment": "hmp-norwich",
        "prison_number": f"A{1000 + n}BC",
        "pnc_id": "12/345678B",
        "received_on": "2026-01-05",
        "sentence_months": "30",
        "category": "c",
        "release_date": "2027-03-01",
    }
    row.update(overrides)
    return row


def test_custody_rows_are_written_and_updated_on_reimport(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _setup(engine, run, tmp_path)
    source_id = person_row(2)["source_id"]
    rows = [
        _episode(1),
        _episode(
            2,
            pnc_id="",
            person_id=source_id,
            person_owner="norfolk",
            person_system="athena",
            category="remand",
        ),
    ]
    path = write_csv(tmp_path / "custody.csv", rows, HEADER)
    first = run(path)
    assert first.ok and first.inserted == 2, first.errors
    stored = rows_of(
        engine, "SELECT prison_number, category, release_date FROM custody_episode ORDER BY id"
    )
    assert [r[:2] for r in stored] == [("A1001BC", "C"), ("A1002BC", "remand")]
    assert str(stored[0][2]).startswith("2027-03-01")

    rows[0]["release_date"] = "2027-02-01"
    second = run(write_csv(tmp_path / "custody.csv", rows, HEADER))
    assert second.ok and second.inserted == 0 and second.updated == 2
    assert count(engine, "custody_episode") == 2
    changed = rows_of(engine, "SELECT release_date FROM custody_episode ORDER BY id")[0][0]
    assert str(changed).startswith("2027-02-01")


def test_one_bad_row_writes_nothing_and_every_problem_is_located(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _setup(engine, run, tmp_path)
    rows = [
        _episode(1),
        _episode(2, prison_number="12345"),
        _episode(3, category="Z"),
        _episode(4, release_date="2025-01-01"),
        _episode(5, recalled_on="2026-05-01"),
    ]
    result = run(write_csv(tmp_path / "custody.csv", rows, HEADER))
    assert not result.ok
    text = [str(e) for e in result.errors]
    assert any("line 3" in t and "prison_number" in t and "A1234BC" in t for t in text), text
    assert any("line 4" in t and "category" in t for t in text), text
    assert any("line 5" in t and "release_date" in t and "received_on" in t for t in text), text
    assert any("line 6" in t and "recalled_on" in t for t in text), text
    assert count(engine, "custody_episode") == 0


def test_unknown_person_and_establishment_are_errors(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    _setup(engine, run, tmp_path)
    rows = [
        _episode(1, pnc_id="99/999999Z"),
        _episode(2, establishment="norfolk"),  # a force, not a prison
    ]
    result = run(write_csv(tmp_path / "custody.csv", rows, HEADER))
    text = [str(e) for e in result.errors]
    assert any("line 2" in t and "pnc_id" in t and "person already in" in t for t in text), text
    assert any("line 3" in t and "establishment" in t and "prison" in t for t in text), text
    assert count(engine, "custody_episode") == 0
