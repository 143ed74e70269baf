"""`threadline backup FILE` / `threadline restore FILE`: the database to one file and back.

Each test runs on SQLite and, when THREADLINE_TEST_DATABASE_URL is set, on PostgreSQL
(`pg_dump`/`pg_restore`). A backup restored into an empty database gives the same
people and audit events, and an audit log that still verifies.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.cli.helpers import db_of, threadline
from tests.factories import make_person
from threadline.audit.events import AuditAction, AuditEvent
from threadline.audit.log import record_event
from threadline.model.security import system_actor
from threadline.storage.db import make_engine, migrate, normalise_url, session_scope
from threadline.storage.reference import seed_region


@pytest.fixture
def second_database(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind as `engine`'s, to restore into."""
    if engine.url.get_backend_name() == "sqlite":
        yield str(tmp_path / "restored.db")
        return
    name = f"{engine.url.database}_restored"
    admin = create_engine(
        normalise_url(engine.url.render_as_string(hide_password=False)),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield engine.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _counts(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    """Everything `threadline stats` counts: records by kind, links, organisations."""
    code, out, err = threadline(monkeypatch, capsys, "--db", db, "stats", "--json")
    assert code in (0, None), err
    figures: dict[str, object] = json.loads(out)
    return figures


def _people(db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> int:
    entities = _counts(db, monkeypatch, capsys)["entities"]
    assert isinstance(entities, dict)
    return int(entities["person"])


def _verify(db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = threadline(monkeypatch, capsys, "--db", db, "audit", "verify")
    assert code in (0, None), err
    return out


def _populate(engine: Engine) -> None:
    """Five people, each with the audit event of their collection."""
    with session_scope(engine) as session:
        for i in range(5):
            person = make_person(
                session, family_name=f"Backup{i}", given_names="Test", dob="1990-01-02"
            )
            record_event(
                session,
                actor=system_actor("norfolk", "import"),
                action=AuditAction.COLLECTION,
                event=AuditEvent.IMPORT_PERSONS,
                records=[person.entity_id],
            )


def test_backup_then_restore_gives_the_same_people_and_a_verified_audit_log(
    engine: Engine,
    second_database: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _populate(engine)
    source = db_of(engine)
    before = _counts(source, monkeypatch, capsys)
    file = tmp_path / "threadline.backup"

    code, out, err = threadline(monkeypatch, capsys, "--db", source, "backup", str(file), "--json")
    assert code in (0, None), err
    backed_up = json.loads(out)["backed_up"]
    assert backed_up["people"] == 5
    assert backed_up["audit_events"] >= 5
    assert file.exists()
    assert not file.with_name(file.name + ".partial").exists()

    code, out, err = threadline(monkeypatch, capsys, "--db", second_database, "restore", str(file))
    assert code in (0, None), err
    assert "Restored 5 people" in out
    assert f"{backed_up['audit_events']:,} audit events" in out

    assert _counts(second_database, monkeypatch, capsys) == before
    assert "audit log OK" in _verify(second_database, monkeypatch, capsys)
    assert "audit log OK" in _verify(source, monkeypatch, capsys)  # with its backed_up event


def test_restore_refuses_a_database_holding_data_unless_forced(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _populate(engine)
    source = db_of(engine)
    file = tmp_path / "threadline.backup"
    code, _, err = threadline(monkeypatch, capsys, "--db", source, "backup", str(file))
    assert code in (0, None), err
    with session_scope(engine) as session:
        make_person(session, family_name="After", given_names="Backup")

    code, _, err = threadline(monkeypatch, capsys, "--db", source, "restore", str(file))
    assert code == 1
    assert "already holds 6 people" in err and "--force" in err
    assert _people(source, monkeypatch, capsys) == 6

    code, out, err = threadline(
        monkeypatch, capsys, "--db", source, "restore", str(file), "--force"
    )
    assert code in (0, None), err
    assert "Restored 5 people" in out
    assert _people(source, monkeypatch, capsys) == 5
    assert "audit log OK" in _verify(source, monkeypatch, capsys)


def test_backup_will_not_overwrite_a_file_unless_forced(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "kept.backup"
    file.write_text("an earlier backup")
    code, _, err = threadline(monkeypatch, capsys, "--db", db_of(engine), "backup", str(file))
    assert code == 1
    assert "already exists" in err
    assert file.read_text() == "an earlier backup"


def test_restore_names_a_file_that_is_not_a_backup(
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a database")
    code, _, err = threadline(monkeypatch, capsys, "--db", db_of(engine), "restore", str(file))
    assert code == 1
    assert "notes.txt" in err and "threadline backup" in err


def test_restore_into_a_new_sqlite_file(
    sqlite_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _populate(sqlite_engine)
    file = tmp_path / "threadline.backup"
    code, _, err = threadline(
        monkeypatch, capsys, "--db", db_of(sqlite_engine), "backup", str(file)
    )
    assert code in (0, None), err
    fresh = tmp_path / "elsewhere" / "new.db"
    code, out, err = threadline(monkeypatch, capsys, "--db", str(fresh), "restore", str(file))
    assert code in (0, None), err
    assert "Restored 5 people" in out
    engine = make_engine(str(fresh))
    try:
        migrate(engine)  # already at head: nothing to do, and no error
        with session_scope(engine) as session:
            seed_region(session)  # idempotent on a restored region
    finally:
        engine.dispose()
    assert "audit log OK" in _verify(str(fresh), monkeypatch, capsys)


def test_restore_refuses_a_sqlite_file_that_is_not_threadline(
    sqlite_engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE notes (line TEXT)")
    db.close()
    target = db_of(sqlite_engine)
    code, _, err = threadline(monkeypatch, capsys, "--db", target, "restore", str(other), "--force")
    assert code == 1
    assert "holds no Threadline schema" in err
    assert "audit log OK" in _verify(target, monkeypatch, capsys)
