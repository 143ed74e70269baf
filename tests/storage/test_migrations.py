"""Migrations build the schema from empty, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

from threadline.storage.db import (
    current_revision,
    make_engine,
    managed_by_hand,
    migrate,
    session_scope,
)
from threadline.storage.reference import agency_ids, area_ids, district_areas, seed_region
from threadline.storage.tables import Base


def test_migrate_from_empty_creates_every_mapped_table(empty_engine: Engine) -> None:
    assert current_revision(empty_engine) is None
    migrate(empty_engine)
    assert current_revision(empty_engine) is not None
    tables = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_migrate_twice_is_harmless(empty_engine: Engine) -> None:
    migrate(empty_engine)
    revision = current_revision(empty_engine)
    migrate(empty_engine)
    assert current_revision(empty_engine) == revision


def test_region_reference_data_is_seeded_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        seed_region(session)  # a second time
    with session_scope(engine) as session:
        agencies = agency_ids(session)
        areas = area_ids(session)
        districts = district_areas(session)
    forces = {
        "bedfordshire",
        "cambridgeshire",
        "essex",
        "hertfordshire",
        "kent",
        "norfolk",
        "suffolk",
    }
    assert forces | {"ersou"} == set(agencies)
    assert "norwich" in areas and "ipswich" in areas
    assert districts["NR1"] == areas["norwich"]


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: object) -> None:
    engine = make_engine(f"{tmp_path}/wal.db")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_database_urls_accept_plain_forms() -> None:
    from threadline.storage.db import normalise_url

    assert normalise_url("data/t.db") == "sqlite:///data/t.db"
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_migrations_match_the_table_definitions(empty_engine: Engine) -> None:
    """A table changed in storage/tables/ without a migration is caught here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    migrate(empty_engine)
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_object": lambda obj, name, type_, reflected, compare_to: (
                    not managed_by_hand(name, type_)
                )
            },
        )
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
