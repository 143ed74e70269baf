"""Hostile and odd input (finding 13 of issue 11): each is a located error; nothing is written.

Before: deeply nested JSON raised RecursionError, a NUL byte was cut short by SQLite and
crashed PostgreSQL, NaN was stored as the name "nan", a repeated JSON key took the last
value, and right-to-left overrides and zero-width characters were stored in names.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.importer.conftest import count, only_error, person_row, write_csv
from threadline.cli.main import app

GOOD = json.dumps(person_row(1))


def _jsonl(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "people.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _line(**overrides: Any) -> str:
    return json.dumps({**person_row(2), **overrides}, ensure_ascii=True)


@pytest.mark.parametrize(
    ("line", "location", "expected"),
    [
        pytest.param(
            '{"source_system": "athena", "source_id": "P2", "aliases": '
            + "[" * 100_000
            + "]" * 100_000
            + "}",
            "people.jsonl line 2, column aliases",
            "nested deeper",
            id="deep-nesting",
        ),
        pytest.param("[" * 100_000, "people.jsonl line 2, column 3", "nested", id="deep-array"),
        pytest.param(
            _line(family_name="Smith\u0000DROP"),
            "people.jsonl line 2, column family_name",
            "U+0000 (NULL)",
            id="nul",
        ),
        pytest.param(
            _line().replace('"date_of_birth": "1990-05-17"', '"date_of_birth": NaN'),
            "people.jsonl line 2, column date_of_birth",
            "no NaN",
            id="nan-dob",
        ),
        pytest.param(
            _line()[:-1].replace('"family_name": "Smith"', '"family_name": NaN') + "}",
            "people.jsonl line 2, column family_name",
            "no NaN",
            id="nan-name",
        ),
        pytest.param(
            _line()[:-1].replace('"family_name": "Smith"', '"family_name": -Infinity') + "}",
            "people.jsonl line 2, column family_name",
            "Infinity",
            id="infinity",
        ),
        pytest.param(
            _line()[:-1].replace('"family_name": "Smith"', '"family_name": 1e999') + "}",
            "people.jsonl line 2, column family_name",
            "finite number",
            id="overflow",
        ),
        pytest.param(
            _line()[:-1] + ', "family_name": "Jones"}',
            "people.jsonl line 2, column family_name",
            "each field once",
            id="repeated-key",
        ),
        pytest.param(
            _line(family_name="Smith\u202egpj.exe"),
            "people.jsonl line 2, column family_name",
            "U+202E (RIGHT-TO-LEFT OVERRIDE)",
            id="rtl-override",
        ),
        pytest.param(
            _line(aliases=["Jon Sm\u200bith"]),
            "people.jsonl line 2, column aliases",
            "U+200B (ZERO WIDTH SPACE)",
            id="zero-width-in-list",
        ),
        pytest.param(
            _line(given_names="Jo\u2066hn"),
            "people.jsonl line 2, column given_names",
            "U+2066 (LEFT-TO-RIGHT ISOLATE)",
            id="bidi-isolate",
        ),
        pytest.param(
            _line(family_name="Smith\ud800"),
            "people.jsonl line 2, column family_name",
            "U+D800 (a surrogate)",
            id="lone-surrogate",
        ),
        pytest.param(
            _line()[:-1] + ', "fam\u200dily_name": "x"}',
            "people.jsonl line 2, column fam<U+200D>ily_name",
            "U+200D (ZERO WIDTH JOINER)",
            id="invisible-in-key",
        ),
    ],
)
def test_hostile_json_lines_are_located_errors_and_nothing_is_written(
    engine: Engine, run: Any, tmp_path: Path, line: str, location: str, expected: str
) -> None:
    result = run(_jsonl(tmp_path, GOOD, line), owner="norfolk")
    message = only_error(result)
    assert result.errors[0].location == location, message
    assert expected in message
    assert "\u202e" not in message and "\u200b" not in message and "\x00" not in message
    assert count(engine, "entity") == 0
    assert count(engine, "audit_event") == 0


@pytest.mark.parametrize(
    ("value", "named"),
    [
        ("Smith\x00", "U+0000 (NULL)"),
        ("Smi\u200bth", "U+200B (ZERO WIDTH SPACE)"),
        ("\u202eSmith", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("Smith\ufeff", "U+FEFF (ZERO WIDTH NO-BREAK SPACE)"),
        ("Smith\x1b[31m", "U+001B (ESCAPE)"),
        ("Smi\u00adth", "U+00AD (SOFT HYPHEN)"),
    ],
)
def test_control_and_invisible_characters_in_csv_cells_are_refused(
    engine: Engine, run: Any, tmp_path: Path, value: str, named: str
) -> None:
    path = write_csv(tmp_path / "persons.csv", [person_row(1), person_row(2, family_name=value)])
    result = run(path)
    message = only_error(result)
    assert result.errors[0].location == "persons.csv line 3, column family_name"
    assert named in message and "at character" in message
    assert count(engine, "entity") == 0


def test_an_invisible_character_in_a_csv_header_is_refused(
    engine: Engine, run: Any, tmp_path: Path
) -> None:
    path = tmp_path / "persons.csv"
    path.write_text("source_system,source_id,owner,family\u200b_name\nathena,P1,norfolk,Smith\n")
    message = only_error(run(path))
    assert "persons.csv line 1" in message and "U+200B" in message
    assert count(engine, "entity") == 0


def test_ordinary_accents_and_scripts_are_kept(engine: Engine, run: Any, tmp_path: Path) -> None:
    names = ["Ó Súilleabháin", "Nowak-Wiśniewska", "Çelik", "Ἀλέξανδρος", "محمد", "Nguyễn"]
    rows = [person_row(n, family_name=name) for n, name in enumerate(names)]
    result = run(write_csv(tmp_path / "persons.csv", rows))
    assert result.ok, [str(e) for e in result.errors]
    assert count(engine, "person") == len(names)


def test_a_nul_byte_through_the_cli_is_one_clear_line(database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["--db", database_url, "init"]).exit_code == 0
    path = write_csv(tmp_path / "persons.csv", [person_row(1, given_names="Jo\x00hn")])
    result = runner.invoke(app, ["--db", database_url, "import", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "persons.csv line 2, column given_names" in result.stderr
    assert "U+0000 (NULL)" in result.stderr
    assert "nothing was written" in result.stderr
