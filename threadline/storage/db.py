"""Engines, sessions and migrations for SQLite (default) and PostgreSQL.

SQLite runs in WAL mode with foreign keys on; transactions begin explicitly so that
SQLAlchemy, not the sqlite3 module, decides where they start and end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Dialect, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from threadline.errors import ConfigurationError

MIGRATIONS = Path(__file__).parent / "migrations"


def normalise_url(raw: str) -> str:
    """Turn a file path or a plain `postgresql://` URL into a SQLAlchemy URL."""
    if "://" not in raw:
        return f"sqlite:///{raw}" if raw != ":memory:" else "sqlite://"
    if raw.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin); the sqlite3 module's own
    # implicit transactions would otherwise start late and hide SAVEPOINT behaviour.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # Every service call writes an audit event, so nearly every transaction writes. A
    # deferred transaction that read first cannot upgrade to a writer once another
    # connection has committed ("database is locked", immediately, busy_timeout or not);
    # so take the write lock up front and let busy_timeout queue writers instead.
    # Pure readers (benchmarks, reports) may opt out with `sqlite_deferred=True`.
    deferred = conn.get_execution_options().get("sqlite_deferred", False)
    conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for `url` (a path means SQLite) with Threadline's settings."""
    full = normalise_url(url)
    parsed = make_url(full)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(full, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(full, pool_pre_ping=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` with Alembic (from empty, or from any version)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def placeholder(dialect: Dialect) -> str:
    """The bound-parameter marker of the database driver: `?` (sqlite3) or `%s` (psycopg).

    For the few statements written as driver SQL for speed (bulk import, union-heavy
    name search). Threadline runs on SQLite and PostgreSQL only; any other driver is a
    configuration error, said plainly rather than producing broken SQL.
    """
    if dialect.paramstyle == "qmark":
        return "?"
    if dialect.paramstyle in ("format", "pyformat"):
        return "%s"
    raise ConfigurationError(
        f"database driver {dialect.driver!r} uses {dialect.paramstyle!r} parameters; "
        "Threadline runs on SQLite or PostgreSQL (psycopg)"
    )


def managed_by_hand(name: str | None, type_: str) -> bool:
    """Objects made by hand in migration 0001 (trigram name search), outside the models."""
    name = name or ""
    return (type_ == "table" and name.startswith("person_name_fts")) or (
        type_ == "index" and name == "ix_person_name_trgm"
    )


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
