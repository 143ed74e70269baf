"""The `uprn` column of locations files: digits only, at most twelve, stored without
leading zeros; a bad one is refused with its file, line, column, value and what would do.

The column is declared once, in the record schema; nothing in the importer names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.importer.conftest import count, rows_of, write_csv, write_jsonl

COMMON = {"source_system": "athena", "owner": "norfolk", "line1": "12 Mill Lane"}


def _row(n: int, uprn: str) -> dict[str, str]:
    return {**COMMON, "source_id": f"L{n}", "postcode": "NR1 3AB", "uprn": uprn}


def test_uprns_are_stored_canonical_and_may_be_left_empty(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    rows = [_row(1, "100091234567"), _row(2, " 0000 9912 3 "), _row(3, "")]
    result = run(write_csv(tmp_path / "locations.csv", rows))
    assert (result.inserted, result.error_count) == (3, 0), [str(e) for e in result.errors]
    stored = rows_of(engine, "SELECT e.source_id, l.uprn FROM location l JOIN entity e ON "
                     "e.id = l.entity_id ORDER BY e.source_id")  # fmt: skip
    assert stored == [("L1", "100091234567"), ("L2", "99123"), ("L3", None)]


@pytest.mark.parametrize(
    "value",
    ["1000912345678", "10009A234567", "UPRN 12", "-12", "0", "１２３"],
)
def test_a_bad_uprn_is_refused_with_where_and_what(
    engine: Engine, run: Any, tmp_path: Path, value: str
) -> None:
    rows = [_row(1, "100091234567"), _row(2, value)]
    result = run(write_csv(tmp_path / "locations.csv", rows))
    assert result.error_count == 1, [str(e) for e in result.errors]
    [error] = result.errors
    assert error.location == "locations.csv line 3, column uprn"
    assert error.received == value
    assert error.expected == "a UPRN of 1 to 12 digits, e.g. 100091234567"
    assert str(error).startswith(f"locations.csv line 3, column uprn: got {value!r}")
    assert count(engine, "entity") == 0  # nothing half-written


def test_json_lines_uprns_are_checked_alike(engine: Engine, run: Any, tmp_path: Path) -> None:
    rows: list[dict[str, Any] | str] = [_row(1, "100091234567"), _row(2, "12 34 x")]
    result = run(write_jsonl(tmp_path / "locations.jsonl", rows))
    [error] = result.errors
    assert (error.location, error.received) == ("locations.jsonl line 2, column uprn", "12 34 x")
    # An array is no UPRN either.
    arrays: list[dict[str, Any] | str] = [{**_row(3, ""), "uprn": ["1", "2"]}]
    result = run(write_jsonl(tmp_path / "locations-2.jsonl", arrays))
    assert "a single value, not an array" in result.errors[0].expected
    assert count(engine, "entity") == 0


def test_reimporting_changes_the_uprn(engine: Engine, run: Any, tmp_path: Path) -> None:
    run(write_csv(tmp_path / "locations.csv", [_row(1, "100091234567")]))
    result = run(write_csv(tmp_path / "locations.csv", [_row(1, "100091234568")]))
    assert result.updated == 1
    assert rows_of(engine, "SELECT uprn FROM location") == [("100091234568",)]
