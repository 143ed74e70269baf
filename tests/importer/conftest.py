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
from threadline.settings import Settings

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


# People for first-load tests (tests/importer/test_first_load.py, test_pg_first_load.py).
FAMILIES = ("Okonkwo", "Haverford", "Szczepanski", "Abernethy", "Quartermaine", "Delacroix")
GIVEN = ("Chidinma", "Bartholomew", "Wojciech", "Isobel", "Percival", "Amelie", "Tobias")


def first_load_rows(start: int, stop: int) -> list[dict[str, str]]:
    """Persons with names varied enough to tell apart, some with an alias and a nickname."""
    return [
        person_row(
            n,
            family_name=f"{FAMILIES[n % len(FAMILIES)]}",
            given_names=f"{GIVEN[n % len(GIVEN)]} Ezra{n:03d}",
            aliases=f"Marcus Vandermeer{n:03d}" if n % 3 == 0 else "",
            nicknames=f"Spanner{n:03d}" if n % 4 == 0 else "",
        )
        for n in range(start, stop)
    ]


def first_load_settings(parallel: bool = False, first_load: bool = True) -> Settings:
    """Settings that take the first-load path (or not) for small files, in several
    batches, with the reader forked or not."""
    return Settings(
        import_first_load_min_bytes=0 if first_load else -1,
        import_parallel_min_bytes=0 if parallel else -1,
        import_batch_size=7,  # several batches, as a large file has
    )
