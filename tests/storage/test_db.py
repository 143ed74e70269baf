"""Driver-level SQL uses the right placeholder, or says plainly the database is unsupported."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.dialects import mysql

from tests.factories import make_person
from threadline.errors import ConfigurationError
from threadline.storage.db import placeholder, session_scope
from threadline.storage.reference import holds_demo_region
from threadline.storage.tables import GroundTruthRow


def test_placeholder_matches_the_driver(engine: Engine) -> None:
    expected = "?" if engine.dialect.name == "sqlite" else "%s"
    assert placeholder(engine.dialect) == expected


def test_an_unsupported_driver_is_a_clear_configuration_error() -> None:
    dialect = mysql.dialect(paramstyle="named")
    with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL"):
        placeholder(dialect)


def test_a_demo_database_says_so_itself(engine: Engine) -> None:
    """`serve` runs a database the demo built in demo mode without being told to."""
    with session_scope(engine) as session:
        person = make_person(session, family_name="Example")
        assert not holds_demo_region(session), "a real region's records are not a demo"
        session.add(GroundTruthRow(entity_id=person.entity_id, identity="P-1", variation=""))
    with session_scope(engine) as session:
        assert holds_demo_region(session)
