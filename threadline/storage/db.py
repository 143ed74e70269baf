"""Engines, sessions and migrations for SQLite (default) and PostgreSQL.

SQLite runs in WAL mode with foreign keys on; transactions begin explicitly so that
SQLAlchemy, not the sqlite3 module, decides where they start and end.

SQLite has one writer at a time. Transactions begin DEFERRED, as readers: any number
of them run at once, beside a writer, without waiting. A transaction takes the write
lock only when it first writes (`_sqlite_before_execute`), and then in a way that cannot
fail half-way: it ends its read snapshot (it has written nothing, so nothing is lost)
and begins again IMMEDIATE, waiting for the lock (`busy_timeout`, then a few bounded
retries). From that moment it sees what other writers committed, as a PostgreSQL
transaction does at READ COMMITTED, Threadline's production setting. So a check or a
page read holds no lock while it reads; its audit event is appended in a short write at
the end (`threadline.audit.log`). A transaction that knows it will write from the start
(the importer) asks for `sqlite_immediate=True`.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Executable, Row, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from threadline.errors import ConfigurationError

MIGRATIONS = Path(__file__).parent / "migrations"

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000  # how long SQLite itself waits for the write lock per attempt
LOCK_ATTEMPTS = 3  # attempts to take the write lock before "database is locked" is raised
_WRITER = "threadline_sqlite_writer"  # connection info: this transaction holds the lock
_AFTER_COMMIT = "threadline_after_commit"  # session info: work to run after the commit
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "SAVEPOINT")


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
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # Readers begin DEFERRED and hold no lock; `_sqlite_before_execute` takes the write
    # lock at the first write. `sqlite_immediate=True` takes it at once (bulk writers).
    immediate = bool(conn.get_execution_options().get("sqlite_immediate", False))
    raw = _driver_connection(conn)
    if immediate:
        take_write_lock(raw)
    else:
        raw.execute("BEGIN")
    conn.info[_WRITER] = immediate


def _driver_connection(conn: Connection) -> sqlite3.Connection:
    raw = conn.connection.dbapi_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def is_locked_error(exc: BaseException) -> bool:
    """True for "the database is busy, try again": SQLite's lock, PostgreSQL's conflicts."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(orig, sqlite3.OperationalError):
        text = str(orig).lower()
        return "database is locked" in text or "database is busy" in text
    # PostgreSQL: serialization failure, deadlock, lock not available.
    return getattr(orig, "sqlstate", None) in {"40001", "40P01", "55P03"}


def take_write_lock(raw: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, waiting `busy_timeout` per attempt, a few attempts in all."""
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if not is_locked_error(exc) or attempt == LOCK_ATTEMPTS:
                raise
            log.warning(
                "SQLite write lock busy (attempt %d of %d); retrying", attempt, LOCK_ATTEMPTS
            )
            time.sleep(0.05 * attempt)


def _is_write(statement: str) -> bool:
    head = statement.lstrip()[:10].upper()
    if head.startswith(_WRITE_VERBS):
        return True
    if head.startswith("WITH"):
        upper = statement.upper()
        return any(f"{verb} " in upper for verb in ("INSERT", "UPDATE", "DELETE"))
    return False


def _sqlite_before_execute(
    conn: Connection,
    _cursor: Any,
    statement: str,
    _parameters: Any,
    _context: Any,
    _executemany: bool,
) -> None:
    if not conn.info.get(_WRITER, True) and _is_write(statement):
        become_writer(conn)


def become_writer(conn: Connection) -> None:
    """Turn this connection's read transaction into a write transaction, safely.

    A deferred SQLite transaction that has read cannot upgrade to a writer once another
    connection has committed since its first read ("database is locked" at once, whatever
    the busy timeout). So end the read transaction (nothing was written: nothing is lost)
    and begin IMMEDIATE, which waits its turn for the lock. From here the transaction
    reads the latest committed data (PostgreSQL's READ COMMITTED). Inside a savepoint
    this cannot be done (ending the transaction would end the savepoint); Threadline
    takes the lock when a savepoint is opened instead (SAVEPOINT counts as a write).
    """
    if conn.dialect.name != "sqlite" or conn.info.get(_WRITER, True):
        return
    conn.info[_WRITER] = True
    if not conn.in_transaction() or conn.in_nested_transaction():
        return
    raw = _driver_connection(conn)
    if raw.in_transaction:
        raw.execute("COMMIT")
    take_write_lock(raw)


POOL_SIZE = 10  # connections kept open per server process
POOL_OVERFLOW = 30  # and opened beyond them when busy: 40, the thread pool's size


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for `url` (a path means SQLite) with Threadline's settings."""
    full = normalise_url(url)
    parsed = make_url(full)
    # A failed statement's values (a name searched, a date of birth) must not reach the
    # server's error log with its traceback: the SQL is logged, its parameters never.
    kwargs.setdefault("hide_parameters", True)
    # As many connections as the server's thread pool has threads (anyio's default, 40),
    # so a request waits for a thread, never for a connection: with SQLAlchemy's default
    # (5 + 10) a stall of 30 s under load turned into "QueuePool limit reached" errors
    # (benchmarks/bench_locust.py). PostgreSQL needs max_connections ≥ 40 × workers + a
    # few (docs/deploy.md); an in-memory SQLite database keeps its own single-connection pool.
    in_memory = parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")
    if not in_memory and "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", POOL_SIZE)
        kwargs.setdefault("max_overflow", POOL_OVERFLOW)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(full, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _sqlite_before_execute)
        return engine
    # No ping on each checkout (`pool_pre_ping`: a round trip before every request's
    # first statement). After a restart of the database server, the first statement on a
    # dead connection fails that one request and SQLAlchemy invalidates the pool, so the
    # next requests get new connections; `pool_recycle` replaces connections older than
    # 30 minutes, before a firewall or proxy drops them for being idle.
    return create_engine(full, pool_recycle=30 * 60, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_rows(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> Sequence[Row[*tuple[Any, ...]]]:
    """The rows of a statement that selects columns only (no ORM entities), in the
    session's transaction, as `session.execute(statement, params).all()` gives them.

    For reads on a hot path (every check): it flushes first exactly as `session.execute`
    would (autoflush, unless the session has it off or is flushing), so records added
    but not yet flushed are seen; then runs the statement on the session's connection,
    skipping the ORM's per-statement work (about half the cost of a small indexed read).
    Not for statements that load ORM objects.
    """
    if session.autoflush and not getattr(session, "_flushing", False):
        session.flush()
    return session.connection().execute(statement, dict(params or {})).all()


def session_writes(session: Session) -> None:
    """Take the write lock now for this session's transaction (SQLite; else nothing).

    For work about to write after reading, e.g. the audit append: see `become_writer`.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        become_writer(connection)


def after_commit(session: Session, work: Callable[[Session], None]) -> None:
    """Have `commit` run `work(session)` after this session's next commit.

    For work that must follow a commit, in the same session and so on the same pooled
    connection (never a second one), in new transactions that `work` ends itself: the
    audit log seals the events the transaction appended (`threadline.audit.sealing`).
    Registering the same `work` twice runs it once; a plain `session.commit()` leaves
    it registered for the next `commit`.
    """
    session.info.setdefault(_AFTER_COMMIT, {})[work] = None


def commit(session: Session) -> None:
    """Commit the session's transaction, then run what `after_commit` registered."""
    session.commit()
    _run_after_commit(session)


def commit_then_later(session: Session) -> Callable[[], None] | None:
    """Commit the session's transaction; return what `after_commit` registered as one
    call to make later, or None when nothing was registered.

    For a web request, whose answer may go as soon as its work is committed (its audit
    events with it, each signed): the events are sealed into the chain just after the
    answer has been sent (`web.middleware.after_answer`), so the seal's commit is not
    part of the answer's wait. The call runs the work in the same session, which may be
    closed meanwhile (it starts new transactions), and closes the session after it.
    """
    session.commit()
    pending = session.info.pop(_AFTER_COMMIT, None)
    if not pending:
        return None

    def later() -> None:
        try:
            session.info[_AFTER_COMMIT] = pending
            _run_after_commit(session)
        finally:
            session.close()

    return later


def _run_after_commit(session: Session) -> None:
    while pending := session.info.pop(_AFTER_COMMIT, None):
        for work in pending:
            work(session)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success (see `commit`) and rolls back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        commit(session)
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` with Alembic (from empty, or from any version)."""
    # Alembic (with Mako) is loaded only to migrate: half a second that serving pages,
    # `tick` and most commands do not pay.
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
    from alembic.runtime.migration import MigrationContext  # only to migrate: see `migrate`

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
