"""Helpers for importer tests: write small files, import them, read back what was stored."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from threadline.importer import ImportResult, import_file

PERSON_HEADER = (
    "source_system",
    "source_id",
    "owner",
    "family_name",
    "given_names",
    "date_of_birth",
    "gender",
    "categories",
    "aliases",
    "nicknames",
)


def person_row(n: int, **overrides: str) -> dict[str, str]:
    """A valid person row with source id P<n>; override any column."""
    row = {
        "source_system": "athena",
        "source_id": f"P{n}",
        "owner": "norfolk",
        "family_name": "Smith",
        "given_names": f"John{n}",
        "date_of_birth": "1990-05-17",
        "gender": "male",
        "categories": "suspect",
        "aliases": "",
        "nicknames": "",
    }
    row.update(overrides)
    return row


def write_csv(
    path: Path, rows: Sequence[dict[str, str]], header: Sequence[str] | None = None
) -> Path:
    """Write `rows` under `header` (default: the first row's keys); `.gz` compresses."""
    columns = list(header or (rows[0].keys() if rows else PERSON_HEADER))
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
    return path


def write_jsonl(path: Path, rows: Sequence[dict[str, Any] | str]) -> Path:
    """One JSON object per line; a str is written as the raw line (for broken JSON)."""
    lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
    opener: Any = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


def rows_of(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql), params)]


def count(engine: Engine, table: str) -> int:
    return int(rows_of(engine, f"SELECT COUNT(*) FROM {table}")[0][0])


def only_error(result: ImportResult) -> str:
    """The one error of a result, as the CLI prints it (fails if there is not exactly one)."""
    assert result.error_count == 1, [str(e) for e in result.errors]
    return str(result.errors[0])


@pytest.fixture
def run(engine: Engine) -> Any:
    """`run(path, **options)`: import one file into the test database."""

    def _run(path: Path, **options: Any) -> ImportResult:
        return import_file(engine=engine, path=path, **options)

    return _run
