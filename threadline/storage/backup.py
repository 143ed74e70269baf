"""Backing up a Threadline database to one file, and restoring it from that file.

SQLite: SQLite's online backup API (`sqlite3.Connection.backup`), which copies a
consistent snapshot page by page while the application keeps running, into a file that
is itself a SQLite database (journal mode DELETE, so it stands alone without a WAL).
Restore copies the file's pages back the same way, in one step that readers never see
half-done.

PostgreSQL: `pg_dump --format=custom` (a consistent snapshot, compressed) and
`pg_restore --clean --if-exists --single-transaction` (the old objects dropped and the
dump's recreated in one transaction: a failed restore leaves the database as it was).
Both client tools must be on PATH; `pg_dump` cannot dump a server of a newer major
version than itself, and the error says so.

Restore refuses a database that already holds records or audit events unless `force`
is given; both operations return what the file holds (`Contents`). Writing the audit
event of a backup or a restore is the caller's (storage knows nothing of the audit log).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from threadline.errors import ConfigurationError, Conflict, FieldError, InvalidData

PG_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"
TOOL_TIMEOUT_S = 6 * 60 * 60  # a dump or restore of a very large database still ends
_COUNTED = {"people": "person", "records": "entity", "audit_events": "audit_event"}


@dataclass(frozen=True, slots=True)
class Contents:
    """What a database (or a backup of one) holds: enough to check a restore by."""

    people: int
    records: int  # every POLE record (entity): people, places, phones, vehicles, groups
    audit_events: int
    revision: str | None  # the schema's Alembic revision; None if not set up

    @property
    def empty(self) -> bool:
        return self.records == 0 and self.audit_events == 0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def describe(self) -> str:
        return (
            f"{self.people:,} people, {self.records:,} records, "
            f"{self.audit_events:,} audit events (schema {self.revision or 'none'})"
        )


def contents(engine: Engine) -> Contents:
    """Count what the database holds; zeros and no revision if it is not set up."""
    if engine.dialect.name == "sqlite" and not _sqlite_path(engine).exists():
        return Contents(0, 0, 0, None)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())

        def scalar(sql: str) -> object:
            return connection.execute(text(sql)).scalar()

        return _count(tables, scalar)


def backup(engine: Engine, target: Path) -> Contents:
    """Write a consistent copy of the database to `target`; returns what it holds.

    The file appears only once complete (written beside it, then renamed). Raises
    InvalidData if its folder does not exist, ConfigurationError if the PostgreSQL
    client tools are missing or fail.
    """
    if not target.parent.is_dir():
        raise InvalidData([FieldError("FILE", str(target), "a file in an existing folder")])
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(_sqlite_path(engine), partial)
            found = _sqlite_file_contents(partial)
        else:
            found = contents(engine)
            _pg_tool(engine, "pg_dump", "--format=custom", f"--file={partial}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return found


def restore(engine: Engine, source: Path, *, force: bool = False) -> Contents:
    """Replace the database's contents with the backup in `source`; returns what it holds.

    Raises InvalidData if `source` is not a backup of this kind of database, Conflict if
    the database holds records or audit events and `force` is not given, and
    ConfigurationError if the PostgreSQL client tools are missing or fail.
    """
    kind = _backup_kind(source)
    database = "sqlite" if engine.dialect.name == "sqlite" else "postgresql"
    if kind != database:
        raise InvalidData(
            [
                FieldError(
                    "FILE",
                    str(source),
                    f"a {_KIND_NAMES[database]}; this is a {_KIND_NAMES[kind]}, which "
                    f"restores only into a {_DATABASE_NAMES[kind]} database",
                )
            ]
        )
    if not _holds_threadline(source, kind):
        raise InvalidData(
            [
                FieldError(
                    "FILE",
                    str(source),
                    f"a backup of a Threadline database; this {_KIND_NAMES[kind]} holds no "
                    "Threadline schema (no alembic_version table)",
                )
            ]
        )
    current = contents(engine)
    if not current.empty and not force:
        raise Conflict(
            f"the database already holds {current.describe()}; restoring would replace "
            "them all: give --force to restore over it"
        )
    engine.dispose()  # no pooled connection keeps the old database open during the swap
    if database == "sqlite":
        try:
            _sqlite_backup(source, _sqlite_path(engine), journal_delete=False)
        except sqlite3.OperationalError as exc:
            raise ConfigurationError(
                f"could not restore into {_sqlite_path(engine)} ({exc}): stop the servers "
                "and `tick` using it, then restore again"
            ) from exc
    else:
        _pg_tool(
            engine,
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(source),
        )
    return contents(engine)


# ------------------------------------------------------------------------------ SQLite


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise ConfigurationError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _sqlite_backup(source: Path, target: Path, *, journal_delete: bool = True) -> None:
    """Copy `source` into `target` with the online backup API (a consistent snapshot).

    `source` is opened as any reader opens it (a read-only connection to a database in
    WAL mode may fail where the application's own files are not writable by us).
    """
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        if journal_delete:
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no WAL
    finally:
        dst.close()
        src.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _sqlite_file_contents(path: Path) -> Contents:
    db = _read_only(path)
    try:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        return _count(tables, lambda sql: db.execute(sql).fetchone()[0])
    finally:
        db.close()


def _count(tables: set[str], scalar: Callable[[str], object]) -> Contents:
    counts = {
        field: int(str(scalar(f"SELECT count(*) FROM {table}"))) if table in tables else 0
        for field, table in _COUNTED.items()
    }
    revision = None
    if "alembic_version" in tables:
        found = scalar("SELECT version_num FROM alembic_version")
        revision = str(found) if found is not None else None
    return Contents(revision=revision, **counts)


_KIND_NAMES = {"sqlite": "SQLite backup file", "postgresql": "pg_dump custom-format archive"}
_DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _backup_kind(source: Path) -> str:
    """ "sqlite" or "postgresql", from the file's first bytes; InvalidData if neither."""
    try:
        with source.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise InvalidData(
            [FieldError("FILE", str(source), f"a readable backup file ({exc.strerror})")]
        ) from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise InvalidData(
        [
            FieldError(
                "FILE",
                str(source),
                "a file written by `threadline backup` (a SQLite database or a pg_dump "
                "custom-format archive)",
            )
        ]
    )


def _holds_threadline(source: Path, kind: str) -> bool:
    """Whether the backup holds Threadline's schema (its Alembic version table)."""
    if kind == "sqlite":
        try:
            return _sqlite_file_contents(source).revision is not None
        except sqlite3.DatabaseError:
            return False
    program = shutil.which("pg_restore")
    if program is None:
        return True  # restoring will say the tool is missing
    listing = subprocess.run(
        [program, "--list", str(source)], capture_output=True, text=True, timeout=300, check=False
    )
    return " TABLE public alembic_version " in listing.stdout


# -------------------------------------------------------------------------- PostgreSQL


def _pg_tool(engine: Engine, tool: str, *args: str) -> None:
    """Run `pg_dump` or `pg_restore` against the engine's database.

    The password goes in the environment, not on the command line (where `ps` shows it).
    """
    program = shutil.which(tool)
    if program is None:
        raise ConfigurationError(
            f"{tool} is not on PATH: install the PostgreSQL client tools (Debian: "
            "postgresql-client) of the server's major version"
        )
    client, server = _client_major(program), _server_major(engine)
    mismatch = None
    if client is not None and server is not None and client != server:
        mismatch = (
            f"{tool} is from PostgreSQL {client} but the server runs PostgreSQL {server}: "
            f"use the client tools of version {server}"
        )
        if tool == "pg_dump" and server > client:  # it refuses a newer server outright
            raise ConfigurationError(mismatch)
    url: URL = engine.url
    env = os.environ | ({"PGPASSWORD": url.password} if url.password else {})
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run(
        [program, f"--dbname={dsn}", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TOOL_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        said = " ".join(done.stderr.strip().splitlines()[-3:]) or f"exit code {done.returncode}"
        hint = f" ({mismatch})" if mismatch else ""
        raise ConfigurationError(f"{tool} failed: {said}{hint}")


def _client_major(program: str) -> int | None:
    done = subprocess.run(
        [program, "--version"], capture_output=True, text=True, timeout=30, check=False
    )
    found = re.search(r"\)\s*(\d+)", done.stdout)
    return int(found.group(1)) if found else None


def _server_major(engine: Engine) -> int | None:
    with engine.connect() as connection:
        number = connection.execute(text("SHOW server_version_num")).scalar()
    return int(str(number)) // 10_000 if number is not None else None
