"""Shared fixtures.

Fixture policy: use the smallest dataset that has what the test needs. Most tests take
`engine` (a migrated database with the region's reference data and nothing else) and
build the few records they need with the factories in `tests/factories.py`. Only tests
of the demo itself build a demo region, and they use a small `--people`; a region that
several tests share is built once per run and each test gets its own copy of the file
(`tests/templates.py`).

`engine` runs every test twice when THREADLINE_TEST_DATABASE_URL points at a PostgreSQL
server: once on a temporary SQLite file and once on a PostgreSQL database. Without the
variable the PostgreSQL runs are skipped, and the skip says why. Either way the test's
database starts as one migrated and seeded once per worker: on SQLite a copy of the file;
on PostgreSQL the worker's own database, put back to the seeded template's rows and
sequences before each test (`_ReusedPg`; copying and dropping a database per test cost
half a second each time). Alembic runs once per worker, not per test.

Password hashing is cheap in every test (`cheap_hashing`): argon2 at production cost
takes a tenth of a second per hash, and verification reads each hash's own parameters.
Imports do not pause between batches (`no_import_pauses`): the pause is for writers
beside a long import in production, and it was nine tenths of each demo build's time.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, text
from sqlalchemy.pool import NullPool

from tests.templates import cheap_passwords, copy_database, run_folder, settle, share_in
from threadline.accounts import passwords
from threadline.importer import writing
from threadline.storage.db import (
    current_revision,
    make_engine,
    migrate,
    normalise_url,
    session_scope,
)
from threadline.storage.reference import seed_region

PG_URL = os.environ.get("THREADLINE_TEST_DATABASE_URL")
PG_SKIP = (
    "PostgreSQL tests skipped: set THREADLINE_TEST_DATABASE_URL to a server URL "
    "(CI does: postgresql://root@127.0.0.1:5432/<fresh db>)"
)
SEEDED = ("engine",)  # fixtures whose database starts as a copy of the seeded template
SPARK_SKIP = (
    "Spark backend test skipped: pyspark is not installed "
    "(pip install -e '.[spark]', with Java 17; CI does: make test EXTRAS=test,spark)"
)


@pytest.fixture(autouse=True)
def cheap_hashing() -> Iterator[None]:
    """Argon2 at t=1, m=8 KiB, p=1 for the test; production defaults restored afterwards."""
    cheap_passwords()
    yield
    passwords.configure()


@pytest.fixture(scope="session", autouse=True)
def no_import_pauses() -> Iterator[None]:
    """SQLite imports go straight from one batch to the next (production sleeps 0.1 s).

    Each batch still commits and lets go of the write lock, as the importer tests check;
    the sleep only gives writers in other threads their turn, and no test runs an import
    beside another writer. A demo region's import is some forty files: four seconds of
    sleep per build without this.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writing, "YIELD_SECONDS", 0.0)
        yield


@pytest.fixture(scope="session", autouse=True)
def shared_templates(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Templates shared by every xdist worker are built in the run's folder (templates.py)."""
    share_in(run_folder(tmp_path_factory))


def _seed(engine: Engine) -> None:
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file, migrated and seeded once per worker, that `engine` copies."""
    path = tmp_path_factory.mktemp("seeded") / "seeded.db"
    engine = make_engine(str(path))
    _seed(engine)
    engine.dispose()
    return settle(path)


def _admin() -> Engine:
    assert PG_URL
    return create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    assert PG_URL
    return f"{normalise_url(PG_URL).rsplit('/', 1)[0]}/{name}"


@pytest.fixture(scope="session")
def seeded_pg() -> Iterator[str]:
    """The name of a PostgreSQL database migrated and seeded once per worker: a template."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"tl_template_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(_pg_url(name))
        _seed(engine)
        engine.dispose()  # CREATE DATABASE ... TEMPLATE needs the template unused
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _commit_without_waiting(admin: Connection, name: str) -> None:
    """A test database's commits return before the WAL reaches the disk (a tenth of the
    time of each, on a busy machine). What a commit makes visible is the same; only a
    crash of the server could lose the last ones, and a test database is thrown away."""
    admin.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))


class _ReusedPg:
    """One PostgreSQL database per worker that each `engine` test gets back as the seeded
    template left it, in a tenth of a second: only the tables the last test wrote to are
    emptied (and the seeded ones given back the template's rows), and every sequence is
    set as it was. A `CREATE DATABASE ... TEMPLATE` and a `DROP DATABASE` per test cost
    half a second or more (the copy writes the whole template to the WAL; the drop forces
    a checkpoint), a thousand times a run; and truncating all seventy tables, as this did
    first, two or three seconds on a busy machine (TRUNCATE makes a new file for every
    table and index, and needs every table whose foreign keys lead to one truncated too),
    though a test writes to a few.

    A table the template leaves empty was written to when its file is not empty: anything,
    even an insert rolled back, grows it. A seeded table (forces, areas, postcode
    districts) was written to when its `_fingerprint_sql` changed: the size of its file,
    the number of its rows, or the transactions that wrote them (`xmin`), which any
    insert, update or delete changes. Those tables are emptied with DELETE, foreign keys
    unchecked for the while (every table referring to them is empty, emptied too, or
    seeded and about to find its rows again); VACUUM then gives their files back, so
    that new rows lie in the order they are written, as in a fresh copy (in the space a
    DELETE alone leaves, a later VACUUM lets new rows fill gaps, and a test reading rows
    without ORDER BY would see them shuffled); and the seeded ones get the template's
    rows again.

    Where a test changed more than rows (its schema, Alembic's revision), or the reset
    fails for any reason, the database is dropped and copied from the template afresh.
    """

    SHAPE = """
        SELECT concat_ws('|',
            (SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || c.relnatts::text, ','
                               ORDER BY c.relname, c.relkind)
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
               AND n.nspname NOT LIKE 'pg_%temp%'),
            (SELECT md5(string_agg(a.attrelid::regclass::text || ':' || a.attname || ':'
                                   || a.atttypid::text || ':' || a.attnotnull::text || ':'
                                   || a.attisdropped::text || ':' || a.atthasdef::text, ','
                                   ORDER BY a.attrelid, a.attnum))
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND a.attnum > 0),
            (SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint
             WHERE connamespace = 'public'::regnamespace),
            (SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc
             WHERE pronamespace = 'public'::regnamespace),
            (SELECT string_agg(tgname, ',' ORDER BY tgname) FROM pg_trigger
             WHERE NOT tgisinternal),
            (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension),
            (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
             WHERE d.datname = current_database()),
            (SELECT string_agg(version_num, ',' ORDER BY version_num) FROM alembic_version))
    """
    OTHERS = """
        SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
    """

    def __init__(self, template: str) -> None:
        self.template = template
        self.name = f"tl_{uuid.uuid4().hex[:12]}"
        self.admin = _admin()
        self.engine: Engine | None = None
        self._copy()
        assert self.engine is not None
        tables = MetaData()
        tables.reflect(self.engine)
        self.tables = [table for table in tables.sorted_tables if table.name != "alembic_version"]
        with self.engine.connect() as conn:
            self.shape: str = conn.execute(text(self.SHAPE)).scalar_one()
            self.rows: dict[Table, list[dict[str, Any]]] = {
                table: [dict(row._mapping) for row in conn.execute(table.select())]
                for table in self.tables
            }
            sequences = conn.execute(
                text(
                    "SELECT schemaname, sequencename, coalesce(last_value, start_value), "
                    "last_value IS NOT NULL FROM pg_sequences"
                )
            ).all()
        self.sequences: str = "SELECT 0" + "".join(
            f', setval(\'"{schema}"."{name}"\', {value}, {called})'
            for schema, name, value, called in sequences
        )
        self.seeded = [table for table in self.tables if self.rows[table]]
        self.fingerprints: dict[str, tuple[Any, ...]] = {}
        self._remember()

    def _fingerprint_sql(self, tables: Iterable[Table]) -> str:
        """Per seeded table: its name, the size of its file, its number of rows and the
        transactions that wrote them (`xmin`)."""
        return " UNION ALL ".join(
            f"SELECT '{table.name}', pg_relation_size('\"{table.name}\"'), count(*), "
            f"string_agg(DISTINCT xmin::text, ',' ORDER BY xmin::text) FROM \"{table.name}\""
            for table in tables
        )

    def _remember(self) -> None:
        """Take the seeded tables' fingerprints as they are (in a copy of the template)."""
        assert self.engine is not None
        with self.engine.connect() as conn:
            for name, *rest in conn.execute(text(self._fingerprint_sql(self.seeded))):
                self.fingerprints[name] = tuple(rest)

    def _written(self, conn: Connection) -> set[Table]:
        """The tables written to since they were last put back (see the class)."""
        now = {
            name: tuple(rest)
            for name, *rest in conn.execute(text(self._fingerprint_sql(self.seeded)))
        }
        sizes = conn.execute(
            text(
                "SELECT "
                + ", ".join(f"pg_relation_size('\"{table.name}\"')" for table in self.tables)
            )
        ).one()
        return {
            table
            for table, size in zip(self.tables, sizes, strict=True)
            if (now[table.name] != self.fingerprints[table.name] if self.rows[table] else size)
        }

    def _copy(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"'))
            _commit_without_waiting(conn, self.name)
        self.engine = create_engine(_pg_url(self.name), poolclass=NullPool)

    def fresh(self) -> str:
        """The database's URL, holding exactly what the template holds."""
        assert self.engine is not None
        try:
            with self.engine.begin() as conn:
                conn.execute(text(self.OTHERS))
                if conn.execute(text(self.SHAPE)).scalar_one() != self.shape:
                    raise RuntimeError("the last test changed the schema")
                written = self._written(conn)
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
                for table in written:
                    conn.exec_driver_sql(f'DELETE FROM "{table.name}"')
                conn.execute(text(self.sequences))
            if written:
                self._give_back(written)
        except Exception:  # a schema changed, a lock held: start again from the template
            self.engine.dispose()
            self._copy()
            self._remember()
        return _pg_url(self.name)

    def _give_back(self, emptied: set[Table]) -> None:
        """VACUUM the emptied tables' files to nothing, then put back the seeded ones' rows
        (in dependency order) and take their fingerprints."""
        assert self.engine is not None
        names = [f'"{table.name}"' for table in self.tables if table in emptied]
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM " + ", ".join(names))
            sizes = conn.exec_driver_sql(
                "SELECT " + ", ".join(f"pg_relation_size('{name}')" for name in names)
            ).one()
        if any(sizes):
            raise RuntimeError("VACUUM kept pages of an emptied table (a lock was held)")
        seeded = [table for table in self.seeded if table in emptied]
        if seeded:
            with self.engine.begin() as conn:
                for table in seeded:
                    conn.execute(table.insert(), self.rows[table])
            self._remember()

    def drop(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def reused_pg(seeded_pg: str) -> Iterator[_ReusedPg]:
    """The worker's reusable copy of `seeded_pg` (see `_ReusedPg`); dropped at the end."""
    reused = _ReusedPg(seeded_pg)
    try:
        yield reused
    finally:
        reused.drop()


@pytest.fixture
def pg_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A seeded PostgreSQL database (the worker's reused copy of the template), for tests
    of PostgreSQL alone; skipped without THREADLINE_TEST_DATABASE_URL."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    engine = make_engine(request.getfixturevalue("reused_pg").fresh())
    yield engine
    engine.dispose()


@pytest.fixture
def pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A PostgreSQL database for one test: for `engine`, the worker's reused copy of
    `seeded_pg` reset to the template's contents; else a fresh empty one, dropped after."""
    if not PG_URL:
        pytest.skip(PG_SKIP)
    if any(fixture in request.fixturenames for fixture in SEEDED):
        yield request.getfixturevalue("reused_pg").fresh()
        return
    admin = _admin()
    name = f"tl_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        _commit_without_waiting(conn, name)
    try:
        yield _pg_url(name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database: a temporary SQLite file, or a fresh PostgreSQL database; empty, unless
    the test takes `engine`, when it starts as a copy of the seeded template."""
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_database"))
    path = tmp_path / "threadline.db"
    if any(fixture in request.fixturenames for fixture in SEEDED) and not path.exists():
        copy_database(request.getfixturevalue("seeded_sqlite"), path)
    return str(path)


@pytest.fixture
def empty_engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty, unmigrated database (for tests that take no `engine`)."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(empty_engine: Engine) -> Engine:
    """A migrated database holding the region's forces, areas and postcode districts."""
    if current_revision(empty_engine) is None:  # not made from the template
        _seed(empty_engine)
    return empty_engine


@pytest.fixture
def sqlite_engine(tmp_path: Path, seeded_sqlite: Path) -> Iterator[Engine]:
    """SQLite only, for tests of SQLite-specific behaviour (seeded, as `engine`)."""
    path = tmp_path / "threadline.db"  # the file of `engine` too, where a test takes both
    if not path.exists():
        copy_database(seeded_sqlite, path)
    engine = make_engine(str(path))
    yield engine
    engine.dispose()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say once, plainly, whether the PostgreSQL half of the suite and the Spark test ran."""
    if PG_URL:
        terminalreporter.write_line(f"PostgreSQL tests ran against {PG_URL}")
    else:
        terminalreporter.write_line(PG_SKIP, yellow=True)
    if importlib.util.find_spec("pyspark") is None:
        terminalreporter.write_line(SPARK_SKIP, yellow=True)
