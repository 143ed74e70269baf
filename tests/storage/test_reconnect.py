"""A restarted PostgreSQL server costs at most one failed request per server process.

The engine does not ping a connection before each use (`storage.db.make_engine`): a
connection the database server has ended fails its next statement, SQLAlchemy then
invalidates the pool, and the requests after it get new connections.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, exc, text

from tests.conftest import PG_URL
from threadline.storage.db import make_engine, normalise_url

pytestmark = pytest.mark.postgres


def test_after_a_restart_at_most_one_statement_fails(pg_database: str) -> None:
    engine = make_engine(pg_database)
    admin = create_engine(normalise_url(str(PG_URL)), isolation_level="AUTOCOMMIT")
    try:
        held = [engine.connect() for _ in range(3)]  # three connections left in the pool
        pids = [c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in held]
        for connection in held:
            connection.close()
        with admin.connect() as conn:  # what a restart does to them
            for pid in pids:
                conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        outcomes = []
        for _ in range(4):
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                outcomes.append("answered")
            except exc.DBAPIError as error:
                assert error.connection_invalidated
                outcomes.append("failed")
        assert outcomes[1:] == ["answered"] * 3
    finally:
        engine.dispose()
        admin.dispose()
