"""A file imported again: what it changed is written, what it repeated is left as stored.

Every record of the file is still written in the sense a user sees: counted as updated,
stamped (`updated_at`) and listed by the file's COLLECTION events. Only the rows whose
stored values differ are rewritten, and a person's names only when they changed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from tests.importer.conftest import first_load_settings, person_row, rows_of, write_csv
from threadline.importer import import_file
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow

PEOPLE = 20


def _rows() -> list[dict[str, str]]:
    return [
        person_row(
            n, aliases="Jon Smyth" if n % 3 == 0 else "", nicknames="Jonno" if n % 4 == 0 else ""
        )
        for n in range(PEOPLE)
    ]


def _persons(engine: Engine) -> dict[str, tuple[Any, ...]]:
    rows = rows_of(
        engine,
        "SELECT e.source_id, e.id, e.marking, p.family_name, p.given_names, p.dob_year, "
        "p.dob_month, p.dob_day, p.gender, p.pnc_id, p.categories, p.warning_markers "
        "FROM entity e JOIN person p ON p.entity_id = e.id",
    )
    return {row[0]: row[1:] for row in rows}


def _names(engine: Engine) -> dict[int, list[tuple[Any, ...]]]:
    """Each person's name rows, with the name row's own id."""
    names: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows_of(
        engine, "SELECT person_id, id, kind, family_name, given_names FROM person_name"
    ):
        names.setdefault(row[0], []).append(row[1:])
    return {person: sorted(rows) for person, rows in names.items()}


def _stamps(engine: Engine) -> dict[str, Any]:
    return dict(rows_of(engine, "SELECT source_id, updated_at FROM entity"))


def _collections(engine: Engine) -> list[tuple[list[int], dict[str, Any]]]:
    with session_scope(engine) as session:
        events = session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.event == "import.persons")
            .order_by(AuditEventRow.id)
        )
        return [(json.loads(e.records), json.loads(e.details)) for e in events]


def _import(engine: Engine, path: Path, settings: Settings) -> Any:
    result = import_file(engine=engine, path=path, owner="norfolk", settings=settings)
    assert result.ok, [str(e) for e in result.errors]
    return result


SETTINGS = {
    "one batch": Settings(import_first_load_min_bytes=-1),
    "batches, reader forked": first_load_settings(parallel=True, first_load=False),
}


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
def test_one_changed_field_among_repeated_rows_changes_exactly_that(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    rows = _rows()
    path = write_csv(tmp_path / "persons.csv", rows)
    _import(engine, path, settings)
    persons, names, stamps = _persons(engine), _names(engine), _stamps(engine)

    rows[7]["categories"] = "suspect; victim"
    again = _import(engine, write_csv(tmp_path / "persons.csv", rows), settings)

    assert (again.rows, again.inserted, again.updated) == (PEOPLE, 0, PEOPLE)
    after = _persons(engine)
    assert after["P7"][-2] == "suspect,victim"
    assert after["P7"][:-2] == persons["P7"][:-2]  # the id, marking and every other value
    assert {k: v for k, v in after.items() if k != "P7"} == {
        k: v for k, v in persons.items() if k != "P7"
    }
    assert _names(engine) == names  # no name changed: not one name row rewritten
    # Every record the file named was written by it: stamped, and listed by its events.
    assert all(_stamps(engine)[key] > stamps[key] for key in stamps)
    events = _collections(engine)[-len(again.audit_events) :]
    assert sorted(i for records, _ in events for i in records) == sorted(
        row[0] for row in persons.values()
    )
    assert {(d["inserted"], d["updated"]) for _, d in events} == {(0, PEOPLE)}


@pytest.mark.parametrize("settings", SETTINGS.values(), ids=SETTINGS.keys())
def test_changed_markings_names_and_edited_rows_are_written_again(
    engine: Engine, tmp_path: Path, settings: Settings
) -> None:
    rows = _rows()
    path = write_csv(tmp_path / "persons.csv", [{**r, "marking": "OFFICIAL"} for r in rows])
    _import(engine, path, settings)
    persons, names = _persons(engine), _names(engine)
    ids = {key: row[0] for key, row in persons.items()}
    # Someone changed a stored row since: the file, imported again, says otherwise.
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE person SET given_names = 'Edited' WHERE entity_id = :i"), {"i": ids["P2"]}
        )

    changed = [{**r, "marking": "OFFICIAL"} for r in rows]
    changed[4]["marking"] = "OFFICIAL-SENSITIVE"
    changed[5]["aliases"] = "Jack Smithers"  # had none
    changed[6]["aliases"] = "Jon Smyth"  # had none
    changed[9]["aliases"] = ""  # had "Jon Smyth"
    again = _import(engine, write_csv(tmp_path / "persons.csv", changed), settings)

    assert (again.inserted, again.updated) == (0, PEOPLE)
    after = _persons(engine)
    assert after["P2"] == persons["P2"]  # restored to what the file says
    assert after["P4"][1] == "OFFICIAL-SENSITIVE"
    assert after["P4"][0] == ids["P4"] and after["P4"][2:] == persons["P4"][2:]
    assert {k: v for k, v in after.items() if k not in ("P4",)} == {
        k: v for k, v in persons.items() if k not in ("P4",)
    }
    names_after = _names(engine)

    def kinds(key: str) -> list[tuple[Any, ...]]:
        return sorted(row[1:] for row in names_after[ids[key]])

    assert kinds("P5") == [("alias", "Smithers", "Jack"), ("primary", "Smith", "John5")]
    assert kinds("P6") == [("alias", "Smyth", "Jon"), ("primary", "Smith", "John6")]
    assert kinds("P9") == [("primary", "Smith", "John9")]
    untouched = set(ids) - {"P5", "P6", "P9"}
    assert {ids[k]: names_after[ids[k]] for k in untouched} == {
        ids[k]: names[ids[k]] for k in untouched
    }
    found = rows_of(
        engine,
        "SELECT e.source_id FROM person_name n JOIN entity e ON e.id = n.person_id "
        "WHERE n.full_norm = 'jack smithers'",
    )
    assert found == [("P5",)]


def test_a_file_written_in_many_transactions_leaves_checkpoints_as_they_were(
    sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: the import checkpoints only when it lets others in, then as before."""
    from threadline.importer import writing

    monkeypatch.setattr(writing, "YIELD_EVERY_SECONDS", 0.0)  # let others in after each batch
    monkeypatch.setattr(writing, "YIELD_SECONDS", 0.0)
    settings = first_load_settings(first_load=False)
    path = write_csv(tmp_path / "persons.csv", _rows())
    for _ in range(2):  # inserted, then updated: each in several batches
        result = import_file(engine=sqlite_engine, path=path, owner="norfolk", settings=settings)
        assert result.ok and len(result.audit_events) > 1
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
    assert len(rows_of(sqlite_engine, "SELECT id FROM entity")) == PEOPLE
