"""Readers never hold the write lock, and a reader's audit append cannot fail because
another writer committed meanwhile (issue 11, finding 6)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, func, select, text

from tests.audit.helpers import append, events, make_actor
from threadline.audit import AuditAction, record_event
from threadline.audit.verify import verify_chain
from threadline.storage.db import session_factory, session_scope
from threadline.storage.tables import AuditEventRow, EntityRow

OFFICER = make_actor("officer@norfolk")
ANALYST = make_actor("analyst@essex", user_id=2)


def test_a_reading_service_does_not_block_a_writer(engine: Engine) -> None:
    """A check reads while another request writes."""
    reader = session_factory(engine)()
    try:
        reader.scalar(select(func.count()).select_from(EntityRow))
        # While the reader's transaction is open, another connection appends and commits,
        # without waiting (SQLite: the reader holds no write lock).
        started = time.monotonic()
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                conn.exec_driver_sql("PRAGMA busy_timeout=200")
        append(engine, ANALYST, 1)
        assert time.monotonic() - started < 2.0
        # The reader's own event then goes in after it, chained on the new head.
        record_event(reader, actor=OFFICER, action=AuditAction.CONSULTATION, event="check")
        reader.commit()
    finally:
        reader.close()
    assert [e.actor for e in events(engine)] == ["analyst@essex", "officer@norfolk"]
    with session_scope(engine) as session:
        assert verify_chain(session).ok


def test_many_readers_and_writers_at_once_keep_one_chain(engine: Engine) -> None:
    """Threads that read, wait, then log (as checks do) beside threads that just log."""
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def reader(n: int) -> None:
        try:
            start.wait()
            for _ in range(15):
                session = session_factory(engine)()
                try:
                    session.scalar(select(func.count()).select_from(AuditEventRow))
                    time.sleep(0.002)  # others commit meanwhile
                    record_event(
                        session, actor=OFFICER, action=AuditAction.CONSULTATION, event="check"
                    )
                    session.commit()
                finally:
                    session.close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def writer(n: int) -> None:
        try:
            start.wait()
            for _ in range(15):
                append(engine, ANALYST, 1, records=[n])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(events(engine)) == 90
    with session_scope(engine) as session:
        assert verify_chain(session).ok


def test_a_write_after_a_read_sees_the_latest_commits(sqlite_engine: Engine) -> None:
    """SQLite: the upgrade to a writer starts afresh, like PostgreSQL's READ COMMITTED."""
    session = session_factory(sqlite_engine)()
    try:
        before = session.scalar(select(func.count()).select_from(AuditEventRow))
        append(sqlite_engine, ANALYST, 2)
        session.execute(text("CREATE TEMP TABLE scratch (x INTEGER)"))  # a write
        after = session.scalar(select(func.count()).select_from(AuditEventRow))
        session.rollback()
    finally:
        session.close()
    assert (before, after) == (0, 2)
