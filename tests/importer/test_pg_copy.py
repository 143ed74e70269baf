"""PostgreSQL imports go by COPY into staging tables (`storage.pg_copy`): the same file
gives the same records, the same errors and the same nothing-written as on SQLite.

Each test imports into a seeded SQLite database and a seeded PostgreSQL one and compares
what a user would see: records by their source keys (never by id, which each database
numbers its own way), names, links, markings and the errors' file, line and column.
Skipped without THREADLINE_TEST_DATABASE_URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.importer.conftest import count, person_row, rows_of, write_csv, write_jsonl
from threadline.importer import ImportResult, import_file
from threadline.settings import Settings
from threadline.storage.pg_copy import PgCopy

pytestmark = pytest.mark.postgres

PERSON_HEADER = [*person_row(1).keys(), "pnc_id", "marking", "warning_markers"]
GROUP = {"source_system": "athena", "source_id": "G1", "owner": "norfolk", "name": "Kestrel"}
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
# What a user sees of the records, keyed by source, never by id.
PERSONS = (
    "SELECT e.source_system, e.source_id, e.marking, e.kind, p.family_name, p.given_names, "
    "p.dob_year, p.dob_month, p.dob_day, p.gender, p.pnc_id, p.categories, "
    "p.warning_markers FROM entity e JOIN person p ON p.entity_id = e.id "
    "ORDER BY e.source_system, e.source_id"
)
NAMES = (
    "SELECT e.source_id, n.kind, n.family_name, n.given_names, n.family_norm, n.given_norm, "
    "n.full_norm, n.family_key, n.given_key FROM person_name n "
    "JOIN entity e ON e.id = n.person_id ORDER BY 1, 2, 3, 4"
)
LINKS = (
    "SELECT l.source_id, l.link_type, f.source_id, t.source_id, l.role, l.valid_from, "
    "l.valid_to, l.marking FROM link l JOIN entity f ON f.id = l.from_id "
    "JOIN entity t ON t.id = l.to_id ORDER BY 1"
)
GROUPS = (
    "SELECT e.source_id, e.marking, o.name, o.name_norm, o.org_type FROM entity e "
    "JOIN organisation o ON o.entity_id = e.id ORDER BY 1"
)
COLLECTIONS = "SELECT COUNT(*) FROM audit_event WHERE action = 'collection'"


def _both(sqlite: Engine, pg: Engine, path: Path, **options: Any) -> list[ImportResult]:
    return [import_file(engine=e, path=path, owner="norfolk", **options) for e in (sqlite, pg)]


def _seen(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "persons": rows_of(engine, PERSONS),
        "names": rows_of(engine, NAMES),
        "links": [(*r[:5], str(r[5]), r[6] and str(r[6]), r[7]) for r in rows_of(engine, LINKS)],
        "groups": rows_of(engine, GROUPS),
        "audit_records": rows_of(
            engine,
            "SELECT e.source_id, COUNT(*) FROM audit_record r JOIN entity e ON e.id = r.entity_id "
            "GROUP BY e.source_id ORDER BY 1",
        ),
    }


def _people() -> list[dict[str, str]]:
    rows = [
        person_row(
            n,
            pnc_id=f"12/{n:07d}A" if n % 3 == 0 else "",
            marking="official_sensitive" if n % 4 == 0 else "official",
            aliases="Jack Smythe;J Smith" if n % 2 == 0 else "",
            nicknames="Jacko" if n % 5 == 0 else "",
            warning_markers="weapons" if n % 7 == 0 else "",
        )
        for n in range(1, 41)
    ]
    rows[5]["date_of_birth"] = "1990-05"  # a partial date of birth
    return rows


def test_same_records_as_sqlite(sqlite_engine: Engine, pg_engine: Engine, tmp_path: Path) -> None:
    persons = write_csv(tmp_path / "persons.csv", _people(), header=PERSON_HEADER)
    assert all(r.ok and r.inserted == 40 for r in _both(sqlite_engine, pg_engine, persons))
    groups = write_csv(tmp_path / "organisations.csv", [GROUP])
    assert all(r.ok for r in _both(sqlite_engine, pg_engine, groups))
    links = write_csv(tmp_path / "links.csv", [LINK, {**LINK, "source_id": "K2", "from_id": "P2"}])
    assert all(r.inserted == 2 for r in _both(sqlite_engine, pg_engine, links))

    seen = _seen(pg_engine)
    assert seen == _seen(sqlite_engine)
    assert len(seen["persons"]) == 40 and len(seen["names"]) == 40 + 2 * 20 + 8
    assert ("P4", "OFFICIAL-SENSITIVE") in {(r[1], r[2]) for r in seen["persons"]}

    # An updated file: markings changed, aliases dropped, a link moved; same on both.
    changed = [
        {**row, "marking": "official", "aliases": "", "family_name": "Smith-Jones"}
        if n % 4 == 0
        else row
        for n, row in enumerate(_people(), start=1)
    ]
    persons = write_csv(tmp_path / "persons.csv", changed, header=PERSON_HEADER)
    assert all(r.updated == 40 for r in _both(sqlite_engine, pg_engine, persons))
    moved = [{**LINK, "role": "lieutenant", "valid_to": "2024-06-30"}]
    assert all(
        r.updated == 1
        for r in _both(sqlite_engine, pg_engine, write_csv(tmp_path / "links.csv", moved))
    )
    seen = _seen(pg_engine)
    assert seen == _seen(sqlite_engine)
    assert ("P4", "OFFICIAL", "Smith-Jones") in {(r[1], r[2], r[4]) for r in seen["persons"]}
    assert not [n for n in seen["names"] if n[0] == "P4" and n[1] == "alias"]


def test_reimport_changes_nothing_and_keeps_ids(pg_engine: Engine, tmp_path: Path) -> None:
    persons = write_csv(tmp_path / "persons.csv", _people(), header=PERSON_HEADER)
    first = import_file(engine=pg_engine, path=persons, owner="norfolk")
    ids = rows_of(pg_engine, "SELECT source_id, id FROM entity ORDER BY id")
    before = _seen(pg_engine)
    again = import_file(engine=pg_engine, path=persons, owner="norfolk")
    assert (first.inserted, first.updated, again.inserted, again.updated) == (40, 0, 0, 40)
    assert rows_of(pg_engine, "SELECT source_id, id FROM entity ORDER BY id") == ids
    after = _seen(pg_engine)
    assert {k: v for k, v in after.items() if k != "audit_records"} == {
        k: v for k, v in before.items() if k != "audit_records"
    }
    assert count(pg_engine, "person_name") == len(before["names"])
    # Each import lists every record it wrote in its COLLECTION events.
    assert {n for _sid, n in after["audit_records"]} == {2}


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        ("date_of_birth", "1990-02-31", 3),
        ("marking", "top_secret_ish", 3),
        ("source_id", "P1", 3),  # a source_id repeated within the file
    ],
)
def test_refused_file_same_errors_nothing_written(
    sqlite_engine: Engine, pg_engine: Engine, tmp_path: Path, column: str, value: str, line: int
) -> None:
    rows = [person_row(1), person_row(2, **{column: value}), person_row(3)]
    path = write_csv(tmp_path / "persons.csv", rows, header=PERSON_HEADER)
    on_sqlite, on_pg = _both(sqlite_engine, pg_engine, path)
    assert on_pg.error_count == 1
    assert [str(e) for e in on_pg.errors] == [str(e) for e in on_sqlite.errors]
    assert on_pg.errors[0].location == f"persons.csv line {line}, column {column}"
    assert on_pg.errors[0].received == value
    assert (on_pg.inserted, on_pg.updated, on_pg.audit_events) == (0, 0, [])
    for table in ("entity", "person", "person_name", "audit_record"):
        assert count(pg_engine, table) == 0, table
    assert rows_of(pg_engine, COLLECTIONS) == [(0,)]


def test_awkward_text_survives_copy(
    sqlite_engine: Engine, pg_engine: Engine, tmp_path: Path
) -> None:
    awkward = 'O\'Brien "Tab\there" back\\slash \\N \\t end\r\nnext line ,;| ñ 李'
    rows: list[dict[str, Any] | str] = [
        {
            "source_system": "athena",
            "source_id": "P\\1\t",
            "owner": "norfolk",
            "family_name": awkward,
            "given_names": "Ann\\nMarie",
            "date_of_birth": "1990-05-17",
            "gender": "female",
            "categories": "suspect",
            "aliases": "Ann \\N",
        },
        {
            "source_system": "athena",
            "source_id": "G\\1",
            "owner": "norfolk",
            "name": awkward,
        },
    ]
    write_jsonl(tmp_path / "persons.jsonl", rows[:1])
    write_jsonl(tmp_path / "organisations.jsonl", rows[1:])
    for name in ("persons.jsonl", "organisations.jsonl"):
        results = _both(sqlite_engine, pg_engine, tmp_path / name)
        assert all(r.ok for r in results), [str(e) for r in results for e in r.errors]
    seen = _seen(pg_engine)
    assert seen == _seen(sqlite_engine)
    [person] = seen["persons"]
    assert (person[1], person[4], person[5]) == ("P\\1", awkward, "Ann\\nMarie")
    assert ("P\\1", "alias", "\\N", "Ann") in {name[:4] for name in seen["names"]}
    assert seen["groups"][0][2] == awkward


def test_failure_mid_file_leaves_nothing(
    pg_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is one transaction on PostgreSQL: a batch failing after others rolls all back."""
    calls: list[str] = []
    real = PgCopy.insert

    def failing(self: PgCopy, table: str, *args: Any, **kwargs: Any) -> None:
        calls.append(table)
        if calls.count("person_name") == 2:  # the second batch's names
            raise RuntimeError("the server went away")
        real(self, table, *args, **kwargs)

    monkeypatch.setattr(PgCopy, "insert", failing)
    path = write_csv(tmp_path / "persons.csv", _people(), header=PERSON_HEADER)
    with pytest.raises(RuntimeError, match="went away"):
        import_file(
            engine=pg_engine, path=path, owner="norfolk", settings=Settings(import_batch_size=10)
        )
    for table in ("entity", "person", "person_name", "audit_record"):
        assert count(pg_engine, table) == 0, table
    assert rows_of(pg_engine, COLLECTIONS) == [(0,)]
