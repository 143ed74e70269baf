"""The example files in examples/ import cleanly, and importing them again changes nothing."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from tests.importer.conftest import count, rows_of
from threadline.importer import ImportKind, import_files
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_every_kind_has_an_example() -> None:
    kinds = {ImportKind(p.name.split(".")[0]) for p in EXAMPLES.glob("*.csv")}
    assert kinds == set(ImportKind)
    assert list(EXAMPLES.glob("*.jsonl"))


def test_examples_import_and_reimport_unchanged(engine: Engine) -> None:
    with session_scope(engine) as session:  # custody.csv names a prison
        ensure_agency(session, Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk"))
    paths = sorted(EXAMPLES.iterdir())
    first = import_files(engine=engine, paths=paths)
    assert all(r.ok for r in first), [str(e) for r in first for e in r.errors]
    assert all(r.inserted == r.rows and r.rows > 0 for r in first)
    tables = ("entity", "person", "person_name", "link", "location", "phone", "vehicle")
    before = {t: count(engine, t) for t in tables}
    ids = rows_of(engine, "SELECT id, kind, source_system, source_id FROM entity ORDER BY id")

    second = import_files(engine=engine, paths=paths)
    assert all(r.ok and r.inserted == 0 and r.updated == r.rows for r in second)
    assert {t: count(engine, t) for t in tables} == before
    assert (
        rows_of(engine, "SELECT id, kind, source_system, source_id FROM entity ORDER BY id") == ids
    )
    assert before["link"] == next(r.rows for r in first if r.kind is ImportKind.LINKS)
