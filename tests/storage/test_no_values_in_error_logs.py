"""Names searched never reach the server's logs (issue 11, finding 15, as a class).

The access log shows paths without query strings (tests/web/test_headers.py); an error's
traceback must not carry them either: SQLAlchemy writes a failed statement's parameters
into the exception's text, which the server logs with the traceback. Every engine
Threadline makes hides them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from threadline.storage.db import make_engine


def test_a_failed_statement_names_no_values(tmp_path: Path) -> None:
    engine = make_engine(str(tmp_path / "t.db"))
    with pytest.raises(OperationalError) as caught, engine.connect() as conn:
        conn.execute(
            text("SELECT * FROM no_such_table WHERE name = :name AND dob = :dob"),
            {"name": "Riley SCOTT", "dob": "2011-05-23"},
        )
    told = str(caught.value)
    assert "no_such_table" in told  # the statement is still there to debug with
    assert "Riley" not in told and "2011-05-23" not in told


def test_postgresql_engines_hide_values_too() -> None:
    engine = make_engine("postgresql+psycopg://user@127.0.0.1:1/none")
    assert engine.hide_parameters
