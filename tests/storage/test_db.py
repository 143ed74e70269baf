"""Driver-level SQL uses the right placeholder, or says plainly the database is unsupported."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.dialects import mysql

from threadline.errors import ConfigurationError
from threadline.storage.db import placeholder


def test_placeholder_matches_the_driver(engine: Engine) -> None:
    expected = "?" if engine.dialect.name == "sqlite" else "%s"
    assert placeholder(engine.dialect) == expected


def test_an_unsupported_driver_is_a_clear_configuration_error() -> None:
    dialect = mysql.dialect(paramstyle="named")
    with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL"):
        placeholder(dialect)
